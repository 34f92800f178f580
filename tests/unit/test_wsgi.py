"""The WSGI app (make_wsgi_app) called directly, and start_wsgi_server over real sockets."""

from __future__ import annotations

import gzip
import http.client
import threading
from typing import Any, Dict, List, Tuple

import pytest

from prometheus_client._http import make_wsgi_app, start_wsgi_server
from prometheus_client.metrics import Gauge
from prometheus_client.registry import CollectorRegistry

TEXT_BODY = b"# HELP temperature Temperature\n# TYPE temperature gauge\ntemperature 21.5\n"


@pytest.fixture
def temperature_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("temperature", "Temperature", registry=registry).set(21.5)
    return registry


def call(app: Any, **environ: Any) -> Tuple[str, Dict[str, str], bytes]:
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "QUERY_STRING": ""}
    base.update(environ)
    seen: List[Any] = []

    def start_response(status: str, headers: List[Tuple[str, str]]) -> None:
        seen.append((status, dict(headers)))

    body = b"".join(app(base, start_response))
    return seen[0][0], seen[0][1], body


def test_wsgi_app_serves_text(temperature_registry: CollectorRegistry) -> None:
    status, headers, body = call(make_wsgi_app(temperature_registry))
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert headers["Content-Length"] == str(len(TEXT_BODY))
    assert body == TEXT_BODY


def test_wsgi_app_negotiates_openmetrics_and_gzip(temperature_registry: CollectorRegistry) -> None:
    status, headers, body = call(
        make_wsgi_app(temperature_registry),
        HTTP_ACCEPT="application/openmetrics-text; version=1.0.0",
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    assert gzip.decompress(body) == TEXT_BODY + b"# EOF\n"


def test_wsgi_app_disable_compression(temperature_registry: CollectorRegistry) -> None:
    _, headers, body = call(make_wsgi_app(temperature_registry, True), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in headers and body == TEXT_BODY


def test_wsgi_app_name_filter(temperature_registry: CollectorRegistry) -> None:
    Gauge("humidity", "Humidity", registry=temperature_registry).set(40)
    _, _, body = call(make_wsgi_app(temperature_registry), QUERY_STRING="name[]=humidity")
    assert body == b"# HELP humidity Humidity\n# TYPE humidity gauge\nhumidity 40.0\n"


def test_wsgi_app_head_options_405_favicon(temperature_registry: CollectorRegistry) -> None:
    app = make_wsgi_app(temperature_registry)
    status, headers, body = call(app, REQUEST_METHOD="HEAD")
    assert (status, headers["Content-Length"], body) == ("200 OK", str(len(TEXT_BODY)), b"")
    status, headers, body = call(app, REQUEST_METHOD="OPTIONS")
    assert (status, headers["Allow"], body) == ("200 OK", "GET, HEAD, OPTIONS", b"")
    status, headers, _ = call(app, REQUEST_METHOD="POST")
    assert (status, headers["Allow"]) == ("405 Method Not Allowed", "GET, HEAD, OPTIONS")
    assert call(app, PATH_INFO="/favicon.ico")[::2] == ("200 OK", b"")


def test_wsgi_app_bad_query_string_is_400(temperature_registry: CollectorRegistry) -> None:
    status, _, body = call(make_wsgi_app(temperature_registry), QUERY_STRING="name[]=%ff")
    assert status == "400 Bad Request" and b"Bad query string" in body


def test_wsgi_app_failing_collector_is_500(temperature_registry: CollectorRegistry) -> None:
    class Broken:
        def collect(self) -> Any:
            raise RuntimeError("boom")

    temperature_registry.register(Broken())
    status, headers, body = call(make_wsgi_app(temperature_registry))
    assert status == "500 Internal Server Error"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_wsgi_app_basic_auth(temperature_registry: CollectorRegistry) -> None:
    app = make_wsgi_app(temperature_registry, basic_auth=("u", "p"))
    status, headers, _ = call(app)
    assert status == "401 Unauthorized" and "WWW-Authenticate" in headers
    assert call(app, HTTP_AUTHORIZATION="Basic dTpw")[2] == TEXT_BODY  # base64("u:p")


def test_start_wsgi_server_serves_and_shuts_down(temperature_registry: CollectorRegistry) -> None:
    server, thread = start_wsgi_server(0, "127.0.0.1", temperature_registry)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        connection.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        assert response.status == 200
        assert gzip.decompress(response.read()) == TEXT_BODY
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert not thread.is_alive()
    assert not [t for t in threading.enumerate() if t.name.startswith("prometheus-")]


def test_start_wsgi_server_answers_garbage_with_400(temperature_registry: CollectorRegistry) -> None:
    import socket

    server, thread = start_wsgi_server(0, "127.0.0.1", temperature_registry)
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as sock:
            sock.sendall(b"\x16\x03\x01 not http\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.0 400")
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        connection.request("GET", "/")
        assert connection.getresponse().read() == TEXT_BODY
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
