"""MetricsResource on a real Twisted reactor, run in a background thread and listening on 127.0.0.1.

The contract every backend shares is in test_http_contract.py; here is what is Twisted's own: the
reactor is never blocked by a scrape, and a client leaving mid-scrape is handled quietly.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest

twisted = pytest.importorskip("twisted")

from twisted.internet.threads import blockingCallFromThread  # noqa: E402
from twisted.logger import globalLogPublisher  # noqa: E402
from twisted.web.resource import Resource  # noqa: E402
from twisted.web.server import Site  # noqa: E402

from prometheus_client.metrics import Gauge  # noqa: E402
from prometheus_client.metrics_core import GaugeMetricFamily  # noqa: E402
from prometheus_client.registry import CollectorRegistry  # noqa: E402
from prometheus_client.twisted import MetricsResource  # noqa: E402

TEXT_BODY = b"# HELP sessions Sessions\n# TYPE sessions gauge\nsessions 4.0\n"


class Pong(Resource):
    isLeaf = True

    def render_GET(self, request: Any) -> bytes:  # noqa: N802 - twisted.web's method name
        return b"pong"


@pytest.fixture
def site(running_reactor: Any) -> Iterator[Any]:
    """Factory: serve a resource tree with MetricsResource at /metrics and a static /ping; returns the port."""
    ports: List[Any] = []

    def listen(resource: MetricsResource) -> int:
        root = Resource()
        root.putChild(b"metrics", resource)
        root.putChild(b"ping", Pong())
        port = blockingCallFromThread(running_reactor, running_reactor.listenTCP, 0, Site(root), interface="127.0.0.1")
        ports.append(port)
        return int(port.getHost().port)

    yield listen
    for port in ports:
        blockingCallFromThread(running_reactor, port.stopListening)


@pytest.fixture
def logged_errors() -> Iterator[List[Dict[str, Any]]]:
    """Every Twisted log event carrying a failure (unhandled errors in Deferreds, render errors)."""
    errors: List[Dict[str, Any]] = []

    def observer(event: Dict[str, Any]) -> None:
        if event.get("log_failure") is not None or event.get("isError"):
            errors.append(event)

    globalLogPublisher.addObserver(observer)
    yield errors
    globalLogPublisher.removeObserver(observer)


@pytest.fixture
def sessions_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("sessions", "Sessions", registry=registry).set(4)
    return registry


def get(port: int, method: str = "GET", path: str = "/metrics", **headers: str) -> Tuple[int, Dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class HeldCollector:
    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def collect(self) -> Any:
        self.entered.set()
        self.release.wait(10)
        yield GaugeMetricFamily("held", "Held", value=1)


def test_slow_scrape_does_not_block_the_reactor(site: Any, logged_errors: List[Dict[str, Any]]) -> None:
    registry = CollectorRegistry()
    held = HeldCollector()
    registry.register(held)
    port = site(MetricsResource(registry))
    results: List[Any] = []
    scrape = threading.Thread(target=lambda: results.append(get(port)))
    scrape.start()
    try:
        assert held.entered.wait(5)
        started = time.monotonic()
        assert get(port, path="/ping")[2] == b"pong"  # served while the scrape is still running
        assert time.monotonic() - started < 2
    finally:
        held.release.set()
        scrape.join(10)
    assert results[0][0] == 200 and results[0][2].endswith(b"held 1.0\n")
    assert logged_errors == []


def wait_for_renders(reactor: Any) -> None:
    """Until no render runs in the reactor's thread pool and the reactor has run what they handed it.

    A render hands its result to the reactor (callFromThread) before its worker counts as idle; a call
    made through the reactor after that runs after the result was handled: written, or dropped and logged.
    """
    pool = reactor.getThreadPool()
    deadline = time.monotonic() + 10
    while pool.working:
        assert time.monotonic() < deadline, "a render never finished"
        time.sleep(0.001)
    blockingCallFromThread(reactor, lambda: None)


def test_client_disconnect_during_scrape_is_handled_quietly(
    running_reactor: Any,
    site: Any,
    logged_errors: List[Dict[str, Any]],
    sessions_registry: CollectorRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    held = HeldCollector()
    sessions_registry.register(held)
    port = site(MetricsResource(sessions_registry))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        assert held.entered.wait(5)
    # The client is gone; now let the render finish: nothing may be written, nothing may be logged.
    held.release.set()
    wait_for_renders(running_reactor)
    sessions_registry.unregister(held)
    assert get(port)[2] == TEXT_BODY
    assert logged_errors == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
