"""The HTTP contract, once, run against every backend: the same requests, the same expected answers.

Each backend is started on 127.0.0.1 (or called in-process, for the WSGI and ASGI apps) by a
small driver that turns ``(method, target, headers)`` into ``(status, headers, body)``. Where a
backend deliberately answers differently from the official WSGI app, the :data:`BACKENDS` table
says so and the tests expect exactly that; nothing is skipped for a backend but a missing
optional dependency (a failure on CI). Backend-specific behaviour (TLS, bounds, timeouts, the
reactor's threads, ASGI lifespan...) stays in test_http.py, test_wsgi.py, test_asgi.py,
test_twisted.py and test_aiohttp.py.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import http.client
import importlib
import logging
import os
import threading
import zlib
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

from prometheus_client.asgi import make_asgi_app
from prometheus_client.exposition import make_wsgi_app, start_http_server, start_wsgi_server
from prometheus_client.metrics import Gauge
from prometheus_client.registry import Collector, CollectorRegistry

# (status, headers with lowercased names, body) as an HTTP client sees them.
Answer = Tuple[int, Dict[str, str], bytes]
# (method="GET", target="/metrics", headers=None) -> Answer
Client = Callable[..., Answer]

WAITING = b"# HELP jobs_waiting Jobs waiting\n# TYPE jobs_waiting gauge\njobs_waiting 7.0\n"
BUSY = b"# HELP workers_busy Busy workers\n# TYPE workers_busy gauge\nworkers_busy 2.0\n"
METRICS = WAITING + BUSY

PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
# The same two gauges as delimited MetricFamily messages: length, name (1), help (2), type GAUGE (3 = 1),
# one metric (4) holding a Gauge (2) whose value (1) is the little-endian double.
PROTOBUF_METRICS = (
    b"\x2b" b"\x0a\x0cjobs_waiting" b"\x12\x0cJobs waiting" b"\x18\x01"
    b"\x22\x0b\x12\x09\x09\x00\x00\x00\x00\x00\x00\x1c\x40"
    b"\x2b" b"\x0a\x0cworkers_busy" b"\x12\x0cBusy workers" b"\x18\x01"
    b"\x22\x0b\x12\x09\x09\x00\x00\x00\x00\x00\x00\x00\x40"
)
# What Prometheus 2.42 sends with --enable-feature=native-histograms.
PROMETHEUS_NATIVE_ACCEPT = (
    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
    "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)


@dataclass(frozen=True)
class Format:
    """One exposition format: what a client asks for, and the Content-Type and body it must get."""

    name: str
    accept: Optional[str]
    content_type: str
    body: bytes


FORMATS = [
    Format("text-0.0.4-by-default", None, "text/plain; version=0.0.4; charset=utf-8", METRICS),
    Format(
        "openmetrics-1.0.0",
        "application/openmetrics-text; version=1.0.0",
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores",
        METRICS + b"# EOF\n",
    ),
    Format(
        "text-1.0.0-utf-8",
        "text/plain; version=1.0.0; escaping=allow-utf-8",
        "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
        METRICS,
    ),
    Format("protobuf-as-prometheus-asks", PROMETHEUS_NATIVE_ACCEPT, PROTOBUF, PROTOBUF_METRICS),
    Format(
        "protobuf-with-escaping",
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; "
        "escaping=allow-utf-8",
        PROTOBUF + "; escaping=allow-utf-8",
        PROTOBUF_METRICS,
    ),
    # The protobuf text encodings are debugging formats we do not write: plain text instead.
    Format(
        "protobuf-text-encoding-is-not-offered",
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=text",
        "text/plain; version=0.0.4; charset=utf-8",
        METRICS,
    ),
]

# How a backend answers methods other than GET, and odd paths.
OFFICIAL_WSGI = "official-wsgi"  # OPTIONS 200 with Allow, other methods (HEAD too) 405, /favicon.ico an empty 200
METRICS_FOR_ANY = "metrics-for-any"  # the official ASGI app and aiohttp handler: the metrics, whatever is asked
# Who compresses.
OURS = "ours"  # gzip when Accept-Encoding allows it, never with gzip;q=0
FRAMEWORK = "framework"  # aiohttp picks the coding (gzip or deflate) as the official handler lets it


@dataclass(frozen=True)
class Backend:
    """A backend's driver and the deliberate differences it has (each as the official backend has it)."""

    name: str
    start: Callable[[ExitStack, Collector, Dict[str, Any], Any], Client]
    methods: str
    compression: str
    has_basic_auth: bool  # aiohttp's handler takes no basic_auth (the official has none either)
    bounds_query_fields: bool  # aiohttp parses the query itself (its own bound: an 8190-byte request line)


def _http_client(port: int) -> Client:
    def fetch(method: str = "GET", target: str = "/metrics", headers: Optional[Dict[str, str]] = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method, target, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    return fetch


def _serve_in_thread(
    stack: ExitStack, start: Callable[..., Any], registry: Collector, options: Dict[str, Any]
) -> Client:
    """A client of ``start(0, "127.0.0.1", registry, **options)``, the server stopped at the stack's end."""
    server, thread = start(0, "127.0.0.1", registry, **options)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    stack.callback(stop)
    return _http_client(server.server_port)


def _start_stdlib_server(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    return _serve_in_thread(stack, start_http_server, registry, options)


def _start_wsgi_server(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    return _serve_in_thread(stack, start_wsgi_server, registry, options)


def _call_wsgi_app(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    """make_wsgi_app called with an environ, as any WSGI server would."""
    app = make_wsgi_app(registry, **options)

    def fetch(method: str = "GET", target: str = "/metrics", headers: Optional[Dict[str, str]] = None) -> Answer:
        path, _, query = target.partition("?")
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        started: List[Tuple[str, List[Tuple[str, str]]]] = []
        body = b"".join(app(environ, lambda status, response_headers: started.append((status, response_headers))))
        [(status, response_headers)] = started
        return int(status[:3]), {k.lower(): v for k, v in response_headers}, body

    return fetch


def _call_asgi_app(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    """make_asgi_app driven with ASGI messages on a new event loop per request."""
    app = make_asgi_app(registry, **options)

    async def exchange(method: str, target: str, headers: Dict[str, str]) -> Answer:
        path, _, query = target.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "path": path,
            "query_string": query.encode("latin-1"),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        }
        sent: List[Dict[str, Any]] = []

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        start, body = sent
        return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body["body"]

    def fetch(method: str = "GET", target: str = "/metrics", headers: Optional[Dict[str, str]] = None) -> Answer:
        return asyncio.run(exchange(method, target, headers or {}))

    return fetch


def _require(module: str) -> Any:
    """Import an optional dependency of a backend: skipped locally when missing, a failure on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


def _start_twisted_resource(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    """MetricsResource as the root of a Site (a leaf: it serves every path) on the running reactor."""
    _require("twisted")
    from twisted.internet.threads import blockingCallFromThread
    from twisted.web.server import Site

    from prometheus_client.twisted import MetricsResource

    reactor = fixtures.getfixturevalue("running_reactor")
    resource = MetricsResource(registry, **options)
    port = blockingCallFromThread(reactor, reactor.listenTCP, 0, Site(resource), interface="127.0.0.1")
    stack.callback(blockingCallFromThread, reactor, port.stopListening)
    return _http_client(int(port.getHost().port))


def _start_aiohttp_server(stack: ExitStack, registry: Collector, options: Dict[str, Any], fixtures: Any) -> Client:
    """make_aiohttp_handler on every path and method of an aiohttp server, its loop in a thread."""
    web = _require("aiohttp.web")
    from prometheus_client.aiohttp import make_aiohttp_handler

    handler = make_aiohttp_handler(registry, **options)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="test-aiohttp-loop", daemon=True)
    thread.start()

    def stop_loop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()

    stack.callback(stop_loop)

    async def start() -> Any:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return runner

    runner = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    stack.callback(lambda: asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10))
    return _http_client(runner.addresses[0][1])


BACKENDS = {
    backend.name: backend
    for backend in [
        Backend("stdlib-server", _start_stdlib_server, OFFICIAL_WSGI, OURS, True, True),
        Backend("wsgi-server", _start_wsgi_server, OFFICIAL_WSGI, OURS, True, True),
        Backend("wsgi-app", _call_wsgi_app, OFFICIAL_WSGI, OURS, True, True),
        Backend("asgi-app", _call_asgi_app, METRICS_FOR_ANY, OURS, True, True),
        Backend("twisted", _start_twisted_resource, OFFICIAL_WSGI, OURS, True, True),
        Backend("aiohttp", _start_aiohttp_server, METRICS_FOR_ANY, FRAMEWORK, False, False),
    ]
}


@pytest.fixture(params=list(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def serve(backend: Backend, request: pytest.FixtureRequest) -> Iterator[Callable[..., Client]]:
    """``serve(registry, **options)``: the backend serving ``registry``; everything started is stopped after."""
    with ExitStack() as stack:

        def start(registry: Collector, **options: Any) -> Client:
            return backend.start(stack, registry, options, request)

        yield start


@pytest.fixture
def registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("jobs_waiting", "Jobs waiting", registry=registry).set(7)
    Gauge("workers_busy", "Busy workers", registry=registry).set(2)
    return registry


class BrokenCollector:
    def collect(self) -> Any:
        raise RuntimeError("database is down")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _decoded(headers: Dict[str, str], body: bytes) -> bytes:
    coding = headers.get("content-encoding")
    if coding == "gzip":
        return gzip.decompress(body)
    if coding == "deflate":
        return zlib.decompress(body)
    assert coding is None, coding
    return body


# --- negotiation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_the_accept_header_chooses_the_format(serve: Any, registry: Any, fmt: Format) -> None:
    fetch = serve(registry)
    status, headers, body = fetch(headers={"Accept": fmt.accept} if fmt.accept is not None else {})
    assert (status, headers["content-type"], body) == (200, fmt.content_type, fmt.body)
    assert "content-encoding" not in headers


def test_gzip_is_used_when_accepted(serve: Any, registry: Any) -> None:
    status, headers, body = serve(registry)(headers={"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == METRICS


def test_protobuf_is_gzipped_when_accepted(serve: Any, backend: Backend, registry: Any) -> None:
    fetch = serve(registry)
    status, headers, body = fetch(headers={"Accept": PROMETHEUS_NATIVE_ACCEPT, "Accept-Encoding": "gzip"})
    assert (status, headers["content-type"]) == (200, PROTOBUF)
    assert headers["content-encoding"] in (("gzip",) if backend.compression == OURS else ("gzip", "deflate"))
    assert _decoded(headers, body) == PROTOBUF_METRICS


def test_gzip_q_zero_refuses_gzip(serve: Any, backend: Backend, registry: Any) -> None:
    _, headers, body = serve(registry)(headers={"Accept-Encoding": "gzip;q=0, identity"})
    if backend.compression == OURS:
        assert ("content-encoding" not in headers, body) == (True, METRICS)
    else:  # FRAMEWORK: aiohttp chooses by itself (it does not read q=0); the body still decodes right
        assert _decoded(headers, body) == METRICS


def test_disable_compression_never_compresses(serve: Any, registry: Any) -> None:
    _, headers, body = serve(registry, disable_compression=True)(headers={"Accept-Encoding": "gzip, deflate"})
    assert ("content-encoding" not in headers, body) == (True, METRICS)


# --- the name[] filter -----------------------------------------------------------------------------


def test_name_filter_serves_every_named_family(serve: Any, registry: Any) -> None:
    fetch = serve(registry)
    assert fetch(target="/metrics?name[]=workers_busy")[::2] == (200, BUSY)
    assert fetch(target="/metrics?name[]=workers_busy&name[]=jobs_waiting&name[]=absent")[::2] == (200, METRICS)


def test_name_filter_with_bytes_that_are_not_utf8_names_nothing(serve: Any, registry: Any) -> None:
    status, headers, body = serve(registry)(target="/metrics?name[]=%ff%fe")
    assert (status, headers["content-type"], body) == (200, "text/plain; version=0.0.4; charset=utf-8", b"")


def test_a_flood_of_query_fields(serve: Any, backend: Backend, registry: Any) -> None:
    fetch = serve(registry)
    status, _, body = fetch(target="/metrics?" + "&".join(["x="] * 1001))
    if backend.bounds_query_fields:
        assert status == 400 and b"Bad query string" in body
    else:  # aiohttp parsed the query: no name[] in it, so everything
        assert (status, body) == (200, METRICS)
    assert fetch()[::2] == (200, METRICS)


# --- methods and paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"])
def test_methods_other_than_get(serve: Any, backend: Backend, registry: Any, method: str) -> None:
    status, headers, body = serve(registry)(method=method)
    if backend.methods == METRICS_FOR_ANY:
        assert (status, headers["content-type"]) == (200, "text/plain; version=0.0.4; charset=utf-8")
        assert method == "HEAD" or body == METRICS
    elif method == "OPTIONS":
        assert (status, headers["allow"], body) == (200, "OPTIONS,GET", b"")
    else:
        assert (status, headers["allow"]) == (405, "OPTIONS,GET")
        # HTTP clients read no body for HEAD; where one arrives, it is the official text.
        assert body in (b"", f"# HTTP 405 Method Not Allowed: {method}; use OPTIONS or GET\n".encode())
        assert method == "HEAD" or body != b""


def test_favicon(serve: Any, backend: Backend, registry: Any) -> None:
    status, _, body = serve(registry)(target="/favicon.ico")
    assert (status, body) == (200, b"" if backend.methods == OFFICIAL_WSGI else METRICS)


def test_every_other_path_serves_the_metrics(serve: Any, registry: Any) -> None:
    fetch = serve(registry)
    assert fetch(target="/")[::2] == (200, METRICS)
    assert fetch(target="/some/where?x=1")[::2] == (200, METRICS)


# --- basic auth ------------------------------------------------------------------------------------


def test_basic_auth(serve: Any, backend: Backend, registry: Any) -> None:
    if not backend.has_basic_auth:
        with pytest.raises(TypeError, match="basic_auth"):
            serve(registry, basic_auth=("scraper", "s3cret"))
        return
    fetch = serve(registry, basic_auth=("scraper", "s3cret"))
    status, headers, _ = fetch()
    assert status == 401
    assert headers["www-authenticate"] == 'Basic realm="metrics", charset="UTF-8"'
    assert fetch(headers={"Authorization": _basic("scraper", "wrong")})[0] == 401
    assert fetch(headers={"Authorization": "Bearer abc"})[0] == 401
    assert fetch(headers={"Authorization": _basic("scraper", "s3cret")})[::2] == (200, METRICS)
    assert fetch(headers={"Authorization": "basic " + _basic("scraper", "s3cret")[6:]})[::2] == (200, METRICS)


def test_basic_auth_user_with_a_colon_is_refused_when_the_backend_is_made(
    serve: Any, backend: Backend, registry: Any
) -> None:
    with pytest.raises((ValueError if backend.has_basic_auth else TypeError), match="basic_auth"):
        serve(registry, basic_auth=("a:b", "pw"))


# --- errors ----------------------------------------------------------------------------------------


def test_a_failing_collector_is_a_logged_500_and_serving_goes_on(
    serve: Any, registry: Any, caplog: pytest.LogCaptureFixture
) -> None:
    broken = BrokenCollector()
    registry.register(broken)
    fetch = serve(registry)
    with caplog.at_level(logging.ERROR, logger="prometheus_client.http"):
        status, headers, body = fetch()
    assert (status, headers["content-type"]) == (500, "text/plain; charset=utf-8")
    assert b"database is down" not in body  # details go to the log, not to the client
    assert any("database is down" in (record.exc_text or "") for record in caplog.records)
    registry.unregister(broken)
    assert fetch()[::2] == (200, METRICS)
