"""The stdlib HTTP server (start_http_server, MetricsHandler) over real sockets on 127.0.0.1: what only it does.

What every backend answers (negotiation, gzip, name[], methods, basic auth, a failing collector)
is in test_http_contract.py; here are the raw-HTTP details, bounds, deadlines, TLS, addresses,
shutdown and the official module's server pieces. Idle, trickling, half-open and TLS-silent clients,
floods and fd limits are in test_http_hostile.py (and, at scale, tests/integration/test_http_hostile.py).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from http.server import HTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

from prometheus_client.exposition import MetricsHandler, start_http_server
from prometheus_client.metrics import Counter
from prometheus_client.metrics_core import GaugeMetricFamily
from prometheus_client.registry import CollectorRegistry

TEXT_BODY = b'# HELP jobs_total Jobs done\n# TYPE jobs_total counter\njobs_total{queue="a"} 3.0\n'


def _no_server_threads(timeout: float = 5.0) -> bool:
    """No server or worker thread is left, once each has had up to ``timeout`` s to end.

    A worker leaves the set that ``server_close()`` joins just before its thread ends, so right after
    ``server_close()`` one may still be on its way out (seen on PyPy under load); one that is really left
    over is still alive after the wait.
    """
    deadline = time.monotonic() + timeout
    for thread in [t for t in threading.enumerate() if t.name.startswith("prometheus-")]:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not [t for t in threading.enumerate() if t.name.startswith("prometheus-") and t.is_alive()]


@pytest.fixture
def jobs_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Counter("jobs", "Jobs done", ["queue"], registry=registry).labels("a").inc(3)
    # _created would make golden bodies time-dependent: keep only the counter's _total.
    return registry.restricted_registry(["jobs_total"])  # type: ignore[return-value]


@pytest.fixture
def serve() -> Iterator[Callable[..., Tuple[Any, int]]]:
    """Start start_http_server on a free port; stop every server and check no thread is left."""
    started: List[Tuple[Any, threading.Thread]] = []

    def start(registry: Any, addr: str = "127.0.0.1", **options: Any) -> Tuple[Any, int]:
        server, thread = start_http_server(0, addr, registry, **options)
        started.append((server, thread))
        return server, server.server_port

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(5)
        assert not thread.is_alive()
    assert _no_server_threads()


def request(
    port: int,
    method: str = "GET",
    path: str = "/metrics",
    headers: Optional[Dict[str, str]] = None,
    host: str = "127.0.0.1",
) -> Tuple[int, Dict[str, str], bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


# --- raw HTTP --------------------------------------------------------------------------------------


def test_the_server_sends_content_length_as_wsgiref_does_for_the_official(serve: Any, jobs_registry: Any) -> None:
    _, port = serve(jobs_registry)
    status, headers, body = request(port)
    assert (status, headers["content-length"], body) == (200, str(len(TEXT_BODY)), TEXT_BODY)
    _, headers, body = request(port, method="POST")
    assert headers["content-length"] == str(len(body)) != "0"


@pytest.mark.parametrize(
    "data, status_line",
    [
        (b"\x00\xff\xfe garbage\r\n\r\n", b"HTTP/1.0 400"),
        (b"GET /metrics HTTP/9.9\r\n\r\n", b"HTTP/1.0 505"),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.0\r\n\r\n", b"HTTP/1.0 414"),
        (b"GET / HTTP/1.0\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n", b"HTTP/1.0 431"),
        (b"GET / HTTP/1.0\r\n" + b"X-H: v\r\n" * 150 + b"\r\n", b"HTTP/1.0 431"),
    ],
    ids=["garbage", "bad-version", "huge-request-line", "huge-header", "too-many-headers"],
)
def test_malformed_request_gets_4xx_and_server_keeps_serving(
    serve: Any, jobs_registry: Any, data: bytes, status_line: bytes
) -> None:
    _, port = serve(jobs_registry)
    answer = raw_exchange(port, data)
    assert answer.startswith(status_line), answer[:100]
    assert request(port)[2] == TEXT_BODY


# --- bounds: concurrency and deadlines --------------------------------------------------------------


class BlockingCollector:
    """Holds each scrape until released, so a test can fill the server's workers."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def collect(self) -> Any:
        self.entered.release()
        self.release.wait(10)
        yield GaugeMetricFamily("held", "Held", value=1)


def test_requests_beyond_the_bound_get_503_quickly(serve: Any) -> None:
    registry = CollectorRegistry()
    blocker = BlockingCollector()
    registry.register(blocker)
    _, port = serve(registry, max_concurrent_requests=2)
    results: List[bytes] = []

    def hold() -> None:
        # Read until the server closes: the server frees a slot before closing, so once both holders
        # are done the final request below cannot race a worker that has not yet given its slot back.
        response = raw_exchange(port, b"GET /metrics HTTP/1.0\r\n\r\n", timeout=10)
        results.append(response.split(b"\r\n", 1)[0])

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for holder in holders:
        holder.start()
    try:
        for _ in range(2):
            assert blocker.entered.acquire(timeout=5)
        started = time.monotonic()
        status, headers, body = request(port)
        assert status == 503
        assert headers["retry-after"] == "1"
        assert time.monotonic() - started < 2
    finally:
        blocker.release.set()
        for holder in holders:
            holder.join(10)
    assert results == [b"HTTP/1.0 200 OK", b"HTTP/1.0 200 OK"]
    assert request(port)[0] == 200  # the slots were given back


def test_slow_client_is_cut_off_at_the_request_timeout(serve: Any, jobs_registry: Any) -> None:
    _, port = serve(jobs_registry, request_timeout=0.15, max_concurrent_requests=1)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /metrics HTTP/1.0\r\n")
        started = time.monotonic()
        closed = False
        # Slowloris: a byte every 0.05 s would reset a plain socket timeout forever.
        for _ in range(100):
            try:
                sock.sendall(b"X")
                sock.settimeout(0.05)
                if sock.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
        elapsed = time.monotonic() - started
    assert closed
    assert elapsed < 2.0
    assert request(port)[2] == TEXT_BODY  # the only worker is free again


def test_invalid_bounds_are_rejected() -> None:
    with pytest.raises(ValueError, match="0"):
        start_http_server(0, "127.0.0.1", CollectorRegistry(), max_concurrent_requests=0)
    with pytest.raises(ValueError, match="-1"):
        start_http_server(0, "127.0.0.1", CollectorRegistry(), request_timeout=-1)
    assert _no_server_threads()


# --- addresses, TLS, handler use, shutdown ----------------------------------------------------------


def _ipv6_loopback_available() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback_available(), reason="::1 is not available on this machine")
def test_ipv6_loopback_address_is_served(serve: Any, jobs_registry: Any) -> None:
    server, port = serve(jobs_registry, addr="::1")
    assert server.address_family == socket.AF_INET6
    assert request(port, host="::1")[2] == TEXT_BODY


def test_unresolvable_address_raises_and_leaves_no_thread() -> None:
    with pytest.raises(OSError):
        start_http_server(0, "no-such-host.invalid", CollectorRegistry())
    assert _no_server_threads()


def test_tls_serves_metrics_and_a_stalled_handshake_blocks_nobody(
    serve: Any, jobs_registry: Any, self_signed_cert: Tuple[str, str]
) -> None:
    cert, key = self_signed_cert
    _, port = serve(jobs_registry, certfile=cert, keyfile=key, request_timeout=5)
    context = ssl.create_default_context(cafile=cert)
    # A client that connects and never starts the handshake must not stall accept().
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, TEXT_BODY)
        connection.close()


def test_tls_rejects_plain_http_without_killing_the_server(
    serve: Any, jobs_registry: Any, self_signed_cert: Tuple[str, str]
) -> None:
    cert, key = self_signed_cert
    _, port = serve(jobs_registry, certfile=cert, keyfile=key)
    answer = raw_exchange(port, b"GET / HTTP/1.0\r\n\r\n")
    assert b"jobs_total" not in answer
    context = ssl.create_default_context(cafile=cert)
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
    connection.request("GET", "/")
    assert connection.getresponse().read() == TEXT_BODY
    connection.close()


def test_tls_bad_cert_path_raises_the_official_error_naming_it(jobs_registry: Any, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.pem")
    with pytest.raises(FileNotFoundError, match=r"^Cannot load server certificate file .*missing\.pem"):
        start_http_server(0, "127.0.0.1", jobs_registry, certfile=missing, keyfile=missing)
    assert _no_server_threads()


def test_tls_bad_client_ca_raises_the_official_error(jobs_registry: Any, tmp_path: Path) -> None:
    from prometheus_client.exposition import _get_ssl_ctx

    missing = str(tmp_path / "ca.pem")
    with pytest.raises(FileNotFoundError, match=r"^Cannot load CA certificate chain from file .*ca\.pem"):
        _get_ssl_ctx(missing, missing, ssl.PROTOCOL_TLS_SERVER, cafile=missing)


def _plain_server(handler: Any) -> Tuple[HTTPServer, threading.Thread]:
    """The stdlib's own HTTPServer (its serve_forever polls: a short interval keeps shutdown quick)."""
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    return server, thread


def _stop(server: Any, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(5)
    assert not thread.is_alive()


def test_metrics_handler_works_in_a_plain_httpserver(jobs_registry: Any) -> None:
    server, thread = _plain_server(MetricsHandler.factory(jobs_registry))
    try:
        assert request(server.server_port)[2] == TEXT_BODY
    finally:
        _stop(server, thread)


def test_a_subclass_setting_registry_serves_it_as_in_the_official_docs(jobs_registry: Any) -> None:
    class JobsHandler(MetricsHandler):
        registry = jobs_registry

    server, thread = _plain_server(JobsHandler)
    try:
        assert request(server.server_port)[2] == TEXT_BODY
    finally:
        _stop(server, thread)


def test_metrics_handler_factory_makes_a_subclass_with_the_registry(jobs_registry: Any) -> None:
    handler = MetricsHandler.factory(jobs_registry)
    assert issubclass(handler, MetricsHandler)
    assert handler.registry is jobs_registry
    assert MetricsHandler.registry is not jobs_registry


def test_shutdown_is_prompt_stops_the_thread_and_frees_the_port(jobs_registry: Any) -> None:
    server, thread = start_http_server(0, "127.0.0.1", jobs_registry)
    port = server.server_port
    assert request(port)[0] == 200
    time.sleep(0.05)  # let the accept loop go back to waiting
    started = time.monotonic()
    server.shutdown()
    assert time.monotonic() - started < 0.25  # the stdlib's loop would wait out its 0.5 s poll
    server.server_close()
    thread.join(5)
    assert not thread.is_alive()
    assert _no_server_threads()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_metrics_handler_answers_get_only_and_serves_every_path_like_the_official(jobs_registry: Any) -> None:
    server, thread = _plain_server(MetricsHandler.factory(jobs_registry))
    try:
        port = server.server_port
        status, headers, body = request(port, path="/favicon.ico")
        assert (status, body) == (200, TEXT_BODY)  # no favicon special case in the official handler
        assert "content-length" not in headers
        assert request(port, method="HEAD")[0] == 501  # BaseHTTPRequestHandler: no do_HEAD
        assert request(port, method="POST")[0] == 501
    finally:
        _stop(server, thread)


def test_get_best_family_returns_family_and_host_like_the_official() -> None:
    from prometheus_client.exposition import _get_best_family

    assert _get_best_family("127.0.0.1", 8000) == (socket.AF_INET, "127.0.0.1")
    if socket.has_ipv6:
        assert _get_best_family("::1", 8000) == (socket.AF_INET6, "::1")


def test_make_server_with_silent_handler_as_published_libraries_use_it(jobs_registry: Any) -> None:
    """py-grpc-prometheus builds its test server exactly like this."""
    from prometheus_client import exposition

    app = exposition.make_wsgi_app(jobs_registry)
    server = exposition.make_server(
        "127.0.0.1", 0, app, exposition.ThreadingWSGIServer, handler_class=exposition._SilentHandler
    )
    assert isinstance(server, exposition.ThreadingWSGIServer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        status, headers, body = request(server.server_port)
        assert (status, headers["content-type"], body) == (200, "text/plain; version=0.0.4; charset=utf-8", TEXT_BODY)
    finally:
        _stop(server, thread)
    assert not thread.is_alive()


def test_silent_handler_logs_nothing_to_stderr(jobs_registry: Any, capsys: Any) -> None:
    from prometheus_client import exposition

    server = exposition.make_server(
        "127.0.0.1",
        0,
        exposition.make_wsgi_app(jobs_registry),
        exposition.ThreadingWSGIServer,
        handler_class=exposition._SilentHandler,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        request(server.server_port)
    finally:
        _stop(server, thread)
    assert capsys.readouterr().err == ""


# The names the official prometheus_client.exposition 0.26 has (dir() minus dunders), imported ones included.
OFFICIAL_EXPOSITION_NAMES = """
Any BaseHTTPRequestHandler BaseHandler CONTENT_TYPE_LATEST CONTENT_TYPE_PLAIN_0_0_4 CONTENT_TYPE_PLAIN_1_0_0
Callable Collector CompressionType Dict HTTPError HTTPHandler HTTPRedirectHandler HTTPSHandler List Literal
MetricsHandler Optional REGISTRY Request SNAPPY_AVAILABLE Sequence ThreadingMixIn ThreadingWSGIServer Tuple Union
WSGIRequestHandler WSGIServer _PrometheusRedirectHandler _SilentHandler _bake_output _compress_payload
_escape_grouping_key _get_best_family _get_escaping _get_ssl_ctx _get_version _make_handler _use_gateway
base64 basic_auth_handler build_opener choose_encoder closing default_handler delete_from_gateway floatToGoString
generate_latest gzip gzip_accepted instance_ip_grouping_key make_asgi_app make_server make_wsgi_app openmetrics
os parse_qs parse_version partial passthrough_redirect_handler push_to_gateway pushadd_to_gateway quote_plus
snappy socket ssl start_http_server start_wsgi_server sys threading tls_auth_handler urlparse write_to_textfile
""".split()


def test_exposition_has_every_official_name() -> None:
    from prometheus_client import exposition

    assert [name for name in OFFICIAL_EXPOSITION_NAMES if not hasattr(exposition, name)] == []
    assert exposition.make_server.__module__ == "wsgiref.simple_server"


def test_get_version_and_get_escaping_read_one_media_range() -> None:
    from prometheus_client.exposition import _get_escaping, _get_version

    tokens = "text/plain; version=1.0.0; escaping=dots".split(";")
    assert (_get_version(tokens), _get_escaping(tokens)) == ("1.0.0", "dots")
    assert (_get_version(["text/plain"]), _get_escaping(["text/plain", " escaping=bogus"])) == ("", "underscores")
