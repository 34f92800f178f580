"""Pushgateway client: URLs, methods, headers, bodies and errors, against a local capturing server."""

from __future__ import annotations

import base64
import gzip
import http.server
import threading
import urllib.error
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from prometheus_client._pushgateway import (
    PushgatewayError,
    PushgatewayUnreachable,
    basic_auth_handler,
    default_handler,
    delete_from_gateway,
    instance_ip_grouping_key,
    passthrough_redirect_handler,
    push_to_gateway,
    pushadd_to_gateway,
    tls_auth_handler,
)
from prometheus_client.metrics import Gauge
from prometheus_client.registry import CollectorRegistry

GOLDEN_BODY = b'# HELP g help\n# TYPE g gauge\ng{l="x"} 1.0\n'


class Captured:
    """Requests the fake gateway saw, and what it answers next."""

    def __init__(self) -> None:
        self.requests: List[Tuple[str, str, Dict[str, str], bytes]] = []
        self.status = 200
        self.body = b""
        self.redirect_to = ""


@pytest.fixture(scope="module")
def gateway_server() -> Iterator[Tuple[str, List[Captured]]]:
    """One fake gateway for the module (each stop waited out a poll of serve_forever); its address and
    the one-item list holding the current test's Captured."""
    current: List[Captured] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self) -> None:
            captured = current[0]
            length = int(self.headers.get("Content-Length") or 0)
            captured.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
            if captured.redirect_to and not self.path.startswith("/moved"):
                self.send_response(307)
                self.send_header("Location", captured.redirect_to + self.path)
                self.end_headers()
                return
            self.send_response(captured.status)
            self.send_header("Content-Length", str(len(captured.body)))
            self.end_headers()
            self.wfile.write(captured.body)

        do_PUT = do_POST = do_DELETE = do_GET = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", current
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def gateway(gateway_server: Tuple[str, List[Captured]]) -> Tuple[str, Captured]:
    """The fake gateway's address and what it sees and answers in this test (new for each test)."""
    address, current = gateway_server
    captured = Captured()
    current[:] = [captured]
    return address, captured


@pytest.fixture
def pushed_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("g", "help", ["l"], registry=registry).labels("x").set(1)
    return registry


def test_push_sends_put_with_text_0_0_4_body(gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry) -> None:
    address, captured = gateway
    push_to_gateway(address, "my_job", pushed_registry)
    method, path, headers, body = captured.requests[0]
    assert (method, path) == ("PUT", "/metrics/job/my_job")
    assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert body == GOLDEN_BODY


def test_pushadd_sends_post_and_delete_sends_delete_without_body(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    pushadd_to_gateway(address, "my_job", pushed_registry)
    delete_from_gateway(address, "my_job", grouping_key={"instance": "a"})
    assert [(m, p, b) for m, p, _, b in captured.requests] == [
        ("POST", "/metrics/job/my_job", GOLDEN_BODY),
        ("DELETE", "/metrics/job/my_job/instance/a", b""),
    ]


def test_gateway_url_with_scheme_and_trailing_slash(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    push_to_gateway(f"http://{address}/", "j", pushed_registry)
    assert captured.requests[0][1] == "/metrics/job/j"


def test_grouping_key_values_with_slash_space_or_empty_use_base64(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    push_to_gateway(
        address,
        "a/b",
        pushed_registry,
        grouping_key={"path": "/var/tmp", "empty": "", "space": "x y", "plain": "host:9100", "utf": "ü"},
    )
    assert captured.requests[0][1] == (
        # Label pairs sorted by name, as the official client orders them.
        "/metrics/job@base64/YS9i/empty@base64/=/path@base64/L3Zhci90bXA=/plain/host%3A9100"
        "/space@base64/eCB5/utf/%C3%BC"
    )
    assert base64.urlsafe_b64decode("L3Zhci90bXA=") == b"/var/tmp"


def test_grouping_key_values_are_converted_to_strings(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    push_to_gateway(address, "j", pushed_registry, grouping_key={"shard": 3})
    assert captured.requests[0][1] == "/metrics/job/j/shard/3"


@pytest.mark.parametrize("bad", [{"a/b": "x"}, {"": "x"}, {"__name": "x"}, {"job": "x"}])
def test_invalid_grouping_key_names_are_rejected(pushed_registry: CollectorRegistry, bad: Dict[str, str]) -> None:
    with pytest.raises(ValueError, match="job|Invalid grouping key label name"):
        push_to_gateway("127.0.0.1:1", "j", pushed_registry, grouping_key=bad)


def test_empty_job_is_rejected(pushed_registry: CollectorRegistry) -> None:
    with pytest.raises(ValueError, match="job must be a non-empty string"):
        push_to_gateway("127.0.0.1:1", "", pushed_registry)


def test_gzip_compression_sets_content_encoding(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    push_to_gateway(address, "j", pushed_registry, compression="gzip")
    _, _, headers, body = captured.requests[0]
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == GOLDEN_BODY


def test_unknown_compression_is_rejected_with_the_official_message(pushed_registry: CollectorRegistry) -> None:
    with pytest.raises(ValueError, match=r"^Unsupported compression type: zstd"):
        push_to_gateway("127.0.0.1:1", "j", pushed_registry, compression="zstd")  # type: ignore[arg-type]


def test_compression_name_is_case_insensitive_and_empty_bodies_are_compressed_too(
    gateway: Tuple[str, Captured],
) -> None:
    address, captured = gateway
    push_to_gateway(address, "j", CollectorRegistry(), compression="GZIP")  # type: ignore[arg-type]
    _, _, headers, body = captured.requests[0]
    assert (headers["Content-Type"], headers["Content-Encoding"]) == (
        "text/plain; version=0.0.4; charset=utf-8",
        "gzip",
    )
    assert gzip.decompress(body) == b""


def test_snappy_without_the_package_raises_the_official_runtime_error(
    pushed_registry: CollectorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prometheus_client import _pushgateway

    monkeypatch.setattr(_pushgateway, "SNAPPY_AVAILABLE", False)
    with pytest.raises(RuntimeError, match=r"^Snappy compression requires the python-snappy package to be installed\."):
        push_to_gateway("127.0.0.1:1", "j", pushed_registry, compression="snappy")


def test_compress_payload_returns_body_and_headers_like_the_official() -> None:
    from prometheus_client.exposition import _compress_payload

    assert _compress_payload(b"x", None) == (b"x", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")])
    body, headers = _compress_payload(b"x", "gzip")
    assert gzip.decompress(body) == b"x"
    assert headers[1] == ("Content-Encoding", "gzip")


def test_pushadd_with_no_registry_pushes_the_global_registry(
    gateway: Tuple[str, Captured], monkeypatch: pytest.MonkeyPatch, pushed_registry: CollectorRegistry
) -> None:
    from prometheus_client import _pushgateway

    monkeypatch.setattr(_pushgateway, "REGISTRY", pushed_registry)
    address, captured = gateway
    pushadd_to_gateway(address, "j", None)
    assert captured.requests[0][0] == "POST"
    assert captured.requests[0][3] == GOLDEN_BODY


def test_delete_with_compression_is_refused_like_the_official() -> None:
    from prometheus_client.exposition import _use_gateway

    with pytest.raises(ValueError, match=r"^Compression is not supported for DELETE requests\."):
        _use_gateway("DELETE", "127.0.0.1:1", "j", None, None, 1, default_handler, "gzip")


def test_gateway_error_status_raises_with_status_and_body(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    captured.status, captured.body = 500, b"pushed metrics are invalid or inconsistent"
    with pytest.raises(PushgatewayError) as raised:
        push_to_gateway(address, "j", pushed_registry)
    assert raised.value.code == 500
    assert isinstance(raised.value, urllib.error.HTTPError) and isinstance(raised.value, OSError)
    message = str(raised.value)
    assert "500" in message and "pushed metrics are invalid or inconsistent" in message
    assert f"PUT http://{address}/metrics/job/j" in message


def test_unreachable_gateway_raises_clear_error(pushed_registry: CollectorRegistry) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on: bind, then close
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PushgatewayUnreachable) as raised:
        push_to_gateway(f"127.0.0.1:{port}", "j", pushed_registry, timeout=5)
    assert isinstance(raised.value, urllib.error.URLError)
    assert f"cannot reach the Pushgateway for PUT http://127.0.0.1:{port}/metrics/job/j" in str(raised.value)


def test_basic_auth_handler_adds_authorization_header(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway

    def handler(url: str, method: str, timeout: Any, headers: Any, data: bytes) -> Any:
        return basic_auth_handler(url, method, timeout, headers, data, "user", "secret")

    push_to_gateway(address, "j", pushed_registry, handler=handler)
    expected = "Basic " + base64.b64encode(b"user:secret").decode()
    assert captured.requests[0][2]["Authorization"] == expected


def test_custom_handler_receives_url_method_headers_and_data(pushed_registry: CollectorRegistry) -> None:
    calls: List[Dict[str, Any]] = []

    def handler(url: str, method: str, timeout: Any, headers: Any, data: bytes) -> Any:
        calls.append({"url": url, "method": method, "timeout": timeout, "headers": headers, "data": data})
        return lambda: None

    pushadd_to_gateway("https://gw.example:9091", "j", pushed_registry, timeout=7, handler=handler)
    assert calls == [
        {
            "url": "https://gw.example:9091/metrics/job/j",
            "method": "POST",
            "timeout": 7,
            "headers": [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
            "data": GOLDEN_BODY,
        }
    ]


def test_passthrough_redirect_handler_keeps_method_and_body(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    captured.redirect_to = f"http://{address}/moved"
    push_to_gateway(address, "j", pushed_registry, handler=passthrough_redirect_handler)
    assert [(m, p, b) for m, p, _, b in captured.requests] == [
        ("PUT", "/metrics/job/j", GOLDEN_BODY),
        ("PUT", "/moved/metrics/job/j", GOLDEN_BODY),
    ]


def test_default_handler_does_not_follow_put_redirects(
    gateway: Tuple[str, Captured], pushed_registry: CollectorRegistry
) -> None:
    address, captured = gateway
    captured.redirect_to = f"http://{address}/moved"
    with pytest.raises(PushgatewayError, match="307"):
        push_to_gateway(address, "j", pushed_registry, handler=default_handler)


def test_tls_auth_handler_reports_missing_certificate_file(tmp_path: Any) -> None:
    with pytest.raises(OSError):
        tls_auth_handler("https://x", "PUT", 1, [], b"", str(tmp_path / "missing.crt"), str(tmp_path / "missing.key"))


def test_instance_ip_grouping_key_returns_an_ipv4_address() -> None:
    import ipaddress

    key = instance_ip_grouping_key()
    assert list(key) == ["instance"]
    assert ipaddress.ip_address(key["instance"]).version == 4


def test_grouping_key_labels_are_sorted_in_the_url_like_the_official(pushed_registry: CollectorRegistry) -> None:
    urls: List[str] = []

    def capture(url: str, method: str, timeout: Any, headers: Any, data: bytes) -> Any:
        urls.append(url)
        return lambda: None

    push_to_gateway("gw:9091", "j", pushed_registry, grouping_key={"z": "1", "a": ""}, handler=capture)
    assert urls == ["http://gw:9091/metrics/job/j/a@base64/=/z/1"]
