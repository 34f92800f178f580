"""The WSGI app (make_wsgi_app) called directly, and start_wsgi_server over real sockets: what only they do.

The contract every backend shares (negotiation, gzip, name[], methods, basic auth, errors) is in
test_http_contract.py; here are the exact header lists the official app sends and wsgiref details.
"""

from __future__ import annotations

import gzip
import http.client
import threading
from typing import Any, Dict, List, Tuple

import pytest

from prometheus_client.exposition import make_wsgi_app, start_wsgi_server
from prometheus_client.metrics import Gauge
from prometheus_client.registry import CollectorRegistry

TEXT_BODY = b"# HELP temperature Temperature\n# TYPE temperature gauge\ntemperature 21.5\n"


@pytest.fixture
def temperature_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("temperature", "Temperature", registry=registry).set(21.5)
    return registry


def call_raw(app: Any, **environ: Any) -> Tuple[str, List[Tuple[str, str]], bytes]:
    """Call the app with a minimal environ; the status, the header list as sent, and the body."""
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "QUERY_STRING": ""}
    base.update(environ)
    seen: List[Any] = []

    def start_response(status: str, headers: List[Tuple[str, str]]) -> None:
        seen.append((status, list(headers)))

    body = b"".join(app(base, start_response))
    assert len(seen) == 1
    return seen[0][0], seen[0][1], body


# What the official 0.26 app answers (status, header list in order, body), captured by driving it with
# the same environs: our app must answer the same.
OFFICIAL_ANSWERS = [
    ({}, "200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], TEXT_BODY),
    ({"PATH_INFO": "/x"}, "200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], TEXT_BODY),
    (
        {"REQUEST_METHOD": "HEAD"},
        "405 Method Not Allowed",
        [("Allow", "OPTIONS,GET")],
        b"# HTTP 405 Method Not Allowed: HEAD; use OPTIONS or GET\n",
    ),
    (
        {"REQUEST_METHOD": "POST"},
        "405 Method Not Allowed",
        [("Allow", "OPTIONS,GET")],
        b"# HTTP 405 Method Not Allowed: POST; use OPTIONS or GET\n",
    ),
    ({"REQUEST_METHOD": "OPTIONS"}, "200 OK", [("Allow", "OPTIONS,GET")], b""),
    ({"PATH_INFO": "/favicon.ico"}, "200 OK", [], b""),
    ({"QUERY_STRING": "name[]=%ff"}, "200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], b""),
    (
        {"QUERY_STRING": "name[]="},
        "200 OK",
        [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
        TEXT_BODY,
    ),
    (
        {"HTTP_ACCEPT": "application/openmetrics-text"},
        "200 OK",
        [("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        TEXT_BODY + b"# EOF\n",
    ),
    (
        {"HTTP_ACCEPT": "text/plain; version=1.0.0; escaping=allow-utf-8"},
        "200 OK",
        [("Content-Type", "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8")],
        TEXT_BODY,
    ),
]


@pytest.mark.parametrize("environ, status, headers, body", OFFICIAL_ANSWERS)
def test_wsgi_app_answers_exactly_as_the_official(
    temperature_registry: CollectorRegistry, environ: Dict[str, str], status: str, headers: Any, body: bytes
) -> None:
    assert call_raw(make_wsgi_app(temperature_registry), **environ) == (status, headers, body)


def test_wsgi_app_gzip_headers_in_official_order(temperature_registry: CollectorRegistry) -> None:
    status, headers, body = call_raw(make_wsgi_app(temperature_registry), HTTP_ACCEPT_ENCODING="deflate, gzip;q=0.5")
    assert (status, headers) == (
        "200 OK",
        [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Content-Encoding", "gzip")],
    )
    assert gzip.decompress(body) == TEXT_BODY


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
    # A worker leaves the set server_close() joins just before its thread ends: give it time to end.
    for leftover in [t for t in threading.enumerate() if t.name.startswith("prometheus-")]:
        leftover.join(5)
    assert not [t for t in threading.enumerate() if t.name.startswith("prometheus-") and t.is_alive()]


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
