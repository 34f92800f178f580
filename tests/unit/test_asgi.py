"""The ASGI app, driven by hand-written ASGI messages on a real event loop: what only it does.

The contract every backend shares (negotiation, gzip, name[], every method answered, basic auth,
errors) is in test_http_contract.py; here are scopes, lifespan, the event loop and raw messages.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib
import os
import threading
import time
from typing import Any, Dict, List

import pytest

from prometheus_client.asgi import make_asgi_app
from prometheus_client.metrics import Gauge
from prometheus_client.metrics_core import GaugeMetricFamily
from prometheus_client.registry import CollectorRegistry

TEXT_BODY = b"# HELP queue_depth Depth\n# TYPE queue_depth gauge\nqueue_depth 7.0\n"


@pytest.fixture
def depth_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("queue_depth", "Depth", registry=registry).set(7)
    return registry


async def _call(app: Any, method: str = "GET", path: str = "/metrics", query: bytes = b"", headers: Any = ()) -> Any:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(k.encode(), v.encode()) for k, v in headers],
    }
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start, body = sent
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body["body"]


def call(app: Any, **kwargs: Any) -> Any:
    return asyncio.run(_call(app, **kwargs))


def test_asgi_app_rejects_websocket_scope(depth_registry: CollectorRegistry) -> None:
    async def run() -> None:
        async def receive() -> Dict[str, Any]:
            return {}

        async def send(message: Dict[str, Any]) -> None:
            pass

        await make_asgi_app(depth_registry)({"type": "websocket"}, receive, send)

    with pytest.raises(AssertionError, match="websocket"):  # the official app asserts the scope type
        asyncio.run(run())


def test_asgi_app_completes_lifespan(depth_registry: CollectorRegistry) -> None:
    async def run() -> List[str]:
        incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
        sent: List[str] = []

        async def receive() -> Dict[str, Any]:
            return incoming.pop(0)

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message["type"])

        await make_asgi_app(depth_registry)({"type": "lifespan"}, receive, send)
        return sent

    assert asyncio.run(run()) == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_event_loop_keeps_running_during_a_slow_scrape() -> None:
    """Once a scrape was slow, the next ones run in a worker thread: the loop keeps ticking meanwhile."""
    release = threading.Event()
    calls: List[int] = []

    class Slow:
        def collect(self) -> Any:
            calls.append(1)
            if len(calls) == 1:
                time.sleep(0.02)  # the first scrape runs inline and goes over the budget
            else:
                release.wait(5)
            yield GaugeMetricFamily("slow", "Slow", value=1)

    registry = CollectorRegistry()
    registry.register(Slow())
    app = make_asgi_app(registry)

    async def run() -> bool:
        await _call(app)
        scrape = asyncio.ensure_future(_call(app))
        for _ in range(5):
            await asyncio.sleep(0.01)
        # A loop blocked by the scrape would tick only after the collector gave up waiting (5 s), its
        # scrape done by then; a free loop ticks five times while the scrape is still held.
        held_while_ticking = not scrape.done()
        release.set()
        status, _, body = await scrape
        assert (status, body) == (200, b"# HELP slow Slow\n# TYPE slow gauge\nslow 1.0\n")
        return held_while_ticking

    assert asyncio.run(run())
    assert len(calls) == 2


def test_small_registry_is_encoded_inline_on_the_loop_thread(depth_registry: CollectorRegistry) -> None:
    threads: List[threading.Thread] = []

    class Recorder:
        def collect(self) -> Any:
            threads.append(threading.current_thread())
            return []

    depth_registry.register(Recorder())
    app = make_asgi_app(depth_registry)
    for _ in range(3):
        assert call(app)[::2] == (200, TEXT_BODY)
    assert threads == [threading.main_thread()] * 3


def test_raw_response_headers_are_the_official_ones(depth_registry: CollectorRegistry) -> None:
    async def run() -> List[Dict[str, Any]]:
        sent: List[Dict[str, Any]] = []

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": b"",
            "headers": [(b"accept-encoding", b"gzip")],
        }
        await make_asgi_app(depth_registry)(scope, receive, send)
        return sent

    start, body = asyncio.run(run())
    assert start == {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"Content-Type", b"text/plain; version=0.0.4; charset=utf-8"), (b"Content-Encoding", b"gzip")],
    }
    assert gzip.decompress(body["body"]) == TEXT_BODY


def test_disconnect_before_the_request_sends_nothing(depth_registry: CollectorRegistry) -> None:
    async def run() -> List[Dict[str, Any]]:
        sent: List[Dict[str, Any]] = []

        async def receive() -> Dict[str, Any]:
            return {"type": "http.disconnect"}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        await make_asgi_app(depth_registry)({"type": "http", "headers": []}, receive, send)
        return sent

    assert asyncio.run(run()) == []


def test_request_body_in_several_messages_is_read_before_answering(depth_registry: CollectorRegistry) -> None:
    async def run() -> List[str]:
        incoming = [
            {"type": "http.request", "body": b"a", "more_body": True},
            {"type": "http.request", "body": b"b", "more_body": False},
        ]
        events: List[str] = []

        async def receive() -> Dict[str, Any]:
            events.append("receive")
            return incoming.pop(0)

        async def send(message: Dict[str, Any]) -> None:
            events.append(message["type"])

        await make_asgi_app(depth_registry)({"type": "http", "headers": []}, receive, send)
        return events

    assert asyncio.run(run()) == ["receive", "receive", "http.response.start", "http.response.body"]


def test_application_communicator_with_a_new_event_loop_per_step(depth_registry: CollectorRegistry) -> None:
    """Test suites drive apps so: each asyncio.run() closes its loop and cancels what is still pending there."""
    testing = _require("asgiref.testing")
    scope = {"type": "http", "method": "GET", "path": "/metrics", "query_string": b"", "headers": []}
    communicator = testing.ApplicationCommunicator(make_asgi_app(depth_registry), scope)
    asyncio.run(communicator.send_input({"type": "http.request", "body": b"", "more_body": False}))
    start = asyncio.run(communicator.receive_output(2))
    body = asyncio.run(communicator.receive_output(2))
    assert start["status"] == 200
    assert body["body"] == TEXT_BODY


def _require(module: str) -> Any:
    """Import an optional test dependency: skipped locally when missing, a failure on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)
