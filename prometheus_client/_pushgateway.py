"""Push a registry's metrics to a Prometheus Pushgateway, or delete a pushed group.

The Pushgateway API (``/metrics/job/<job>{/<label>/<value>}``):

- PUT replaces every metric of the group, POST replaces only the metric names in the body,
  DELETE removes the group;
- a job or label value containing ``/`` or a space, or an empty value, travels base64url-encoded
  with the label name suffixed by ``@base64`` (an empty value is the single ``=``).

The HTTP call itself is a *handler* (``handler(url, method, timeout, headers, data)`` returning a
zero-argument callable that performs the request), so callers can add auth, TLS or redirects.
The default handlers use urllib; a gateway answering 4xx/5xx raises :class:`PushgatewayError`
(an ``urllib.error.HTTPError``) whose message holds the status and the gateway's response body.
"""

from __future__ import annotations

import base64
import gzip
import io
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Literal, Optional, Sequence, Tuple, Union

from ._encoding import CONTENT_TYPE_PLAIN_0_0_4, encode_text
from ._http_types import Headers
from .registry import REGISTRY, Collector
from .validation import METRIC_LABEL_NAME_RE

try:
    # Imported eagerly, as the official client does, so SNAPPY_AVAILABLE tells the truth at import.
    import snappy  # type: ignore[import-not-found]

    SNAPPY_AVAILABLE = True
except ImportError:
    snappy = None
    SNAPPY_AVAILABLE = False

Handler = Callable[..., Callable[[], None]]
CompressionType = Optional[Literal["gzip", "snappy"]]

# How much of the gateway's error body goes into an exception message.
_MAX_BODY_IN_MESSAGE = 2000


class PushgatewayError(urllib.error.HTTPError):
    """The Pushgateway answered with an error status; ``code`` and ``body`` say why.

    A subclass of ``urllib.error.HTTPError`` (and so of OSError), as the official client raises.
    """

    def __init__(self, url: str, method: str, code: int, reason: str, headers: Any, body: bytes) -> None:
        super().__init__(url, code, reason, headers, io.BytesIO(body))
        self.method = method
        self.body = body

    def __str__(self) -> str:
        text = self.body[:_MAX_BODY_IN_MESSAGE].decode("utf-8", "replace").strip()
        return f"Pushgateway {self.method} {self.url} failed with HTTP {self.code} {self.msg}: {text or '(empty body)'}"


class PushgatewayUnreachable(urllib.error.URLError):
    """The Pushgateway could not be reached (refused, timed out, DNS); ``url`` and ``reason`` say why."""

    def __init__(self, url: str, method: str, reason: Union[str, BaseException]) -> None:
        super().__init__(reason)
        self.url = url
        self.method = method

    def __str__(self) -> str:
        return f"cannot reach the Pushgateway for {self.method} {self.url}: {self.reason}"


# --- handlers -------------------------------------------------------------------------------------


def _urllib_request(
    url: str,
    method: str,
    timeout: Optional[float],
    headers: Sequence[Tuple[str, str]],
    data: bytes,
    base_handler: Union[urllib.request.BaseHandler, type],
) -> Callable[[], None]:
    """A callable doing one urllib request through ``base_handler``, raising our two errors."""

    def send() -> None:
        request = urllib.request.Request(url, data=data, method=method)
        for name, value in headers:
            request.add_header(name, value)
        opener = urllib.request.build_opener(base_handler)
        try:
            with opener.open(request, timeout=timeout) as response:
                status = response.status
                if status >= 400:  # a custom base handler may not raise for error statuses
                    raise PushgatewayError(url, method, status, response.reason, response.headers, response.read())
        except urllib.error.HTTPError as error:
            if isinstance(error, PushgatewayError):
                raise
            body = error.read() if error.fp is not None else b""
            raise PushgatewayError(url, method, error.code, str(error.reason), error.headers, body) from error
        except urllib.error.URLError as error:
            raise PushgatewayUnreachable(url, method, error.reason) from error
        except (OSError, socket.timeout) as error:  # timeouts while reading, resets
            raise PushgatewayUnreachable(url, method, error) from error

    return send


# The official client's name for the same helper.
_make_handler = _urllib_request


def default_handler(
    url: str, method: str, timeout: Optional[float], headers: Headers, data: bytes
) -> Callable[[], None]:
    """Plain HTTP(S) through urllib (honours proxy environment variables, like urllib does)."""
    return _urllib_request(url, method, timeout, headers, data, urllib.request.HTTPHandler)


class _PassthroughRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects keeping the method and body (urllib only re-sends GET/HEAD by default)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Optional[urllib.request.Request]:
        # Content-Length is recomputed from the body by urllib for the new request.
        kept = {name: value for name, value in req.header_items() if name.lower() not in ("host", "content-length")}
        return urllib.request.Request(
            newurl,
            data=req.data,
            headers=kept,
            origin_req_host=req.origin_req_host,
            unverifiable=True,
            method=req.get_method(),
        )


# The official client's name for the redirect-following urllib handler.
_PrometheusRedirectHandler = _PassthroughRedirectHandler


def passthrough_redirect_handler(
    url: str, method: str, timeout: Optional[float], headers: Headers, data: bytes
) -> Callable[[], None]:
    """Like :func:`default_handler`, but follows 301/302/303/307/308 redirects with the same method and body."""
    return _urllib_request(url, method, timeout, headers, data, _PassthroughRedirectHandler)


def basic_auth_handler(
    url: str,
    method: str,
    timeout: Optional[float],
    headers: Headers,
    data: bytes,
    username: Optional[str] = None,
    password: Optional[str] = None,
) -> Callable[[], None]:
    """HTTP basic authentication; pass it as ``handler=`` through a lambda or functools.partial."""

    def send() -> None:
        all_headers = list(headers)
        if username is not None and password is not None:
            token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
            all_headers.append(("Authorization", f"Basic {token}"))
        default_handler(url, method, timeout, all_headers, data)()

    return send


def tls_auth_handler(
    url: str,
    method: str,
    timeout: Optional[float],
    headers: Headers,
    data: bytes,
    certfile: str,
    keyfile: str,
    cafile: Optional[str] = None,
    protocol: int = ssl.PROTOCOL_TLS_CLIENT,
    insecure_skip_verify: bool = False,
) -> Callable[[], None]:
    """HTTPS with a client certificate (mutual TLS); ``cafile`` verifies the gateway's certificate.

    ``insecure_skip_verify=True`` turns off certificate and host name checks (testing only).
    """
    context = ssl.SSLContext(protocol=protocol)
    if cafile is not None:
        context.load_verify_locations(cafile)
    else:
        context.load_default_certs()
    if insecure_skip_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.load_cert_chain(certfile=certfile, keyfile=keyfile)
    return _urllib_request(url, method, timeout, headers, data, urllib.request.HTTPSHandler(context=context))


# --- URL building -----------------------------------------------------------------------------------


def _escape_grouping_key(name: str, value: str) -> Tuple[str, str]:
    """One ``name/value`` path pair; base64 where the value cannot travel as a plain path segment."""
    if value == "":
        return name + "@base64", "="
    if "/" in value or " " in value:
        return name + "@base64", base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")
    return name, urllib.parse.quote(value, safe="")


def _gateway_base_url(gateway: str) -> str:
    if not isinstance(gateway, str) or not gateway:
        raise ValueError(f"gateway must be a non-empty URL or host:port string, got {gateway!r}")
    scheme = urllib.parse.urlsplit(gateway).scheme.lower()
    if scheme not in ("http", "https"):
        # "host:port" parses with "host" as the scheme; a bare address means plain HTTP.
        gateway = "http://" + gateway
    return gateway.rstrip("/")


def _group_path(job: str, grouping_key: Optional[Dict[str, Any]]) -> str:
    if not isinstance(job, str) or job == "":
        raise ValueError(f"job must be a non-empty string, got {job!r}")
    parts = list(_escape_grouping_key("job", job))
    # Sorted by label name, as the official client builds the URL: the same group always gets the same URL.
    for name, value in sorted((grouping_key or {}).items(), key=lambda item: str(item[0])):
        if not isinstance(name, str) or not METRIC_LABEL_NAME_RE.match(name) or name.startswith("__"):
            raise ValueError(f"Invalid grouping key label name: {name!r}")
        if name == "job":
            raise ValueError(f"the grouping key must not contain 'job' (it is the job argument): {grouping_key!r}")
        parts.extend(_escape_grouping_key(name, str(value)))
    return "/metrics/" + "/".join(parts)


def _compress_payload(data: bytes, compression: CompressionType) -> Tuple[bytes, Headers]:
    """The request body and headers for ``compression`` (None, 'gzip' or 'snappy', any case)."""
    headers: Headers = [("Content-Type", CONTENT_TYPE_PLAIN_0_0_4)]
    if compression is None:
        return data, headers
    encoding = compression.lower() if isinstance(compression, str) else compression
    if encoding == "gzip":
        headers.append(("Content-Encoding", "gzip"))
        return gzip.compress(data), headers
    if encoding == "snappy":
        if not SNAPPY_AVAILABLE:
            # The official message first: callers match on it.
            raise RuntimeError(
                "Snappy compression requires the python-snappy package to be installed. (pip install python-snappy)"
            )
        headers.append(("Content-Encoding", "snappy"))
        # The framed (stream) format, as the official client sends and the Pushgateway reads.
        compressor = snappy.StreamCompressor()
        compressed: bytes = compressor.compress(data)
        flush = getattr(compressor, "flush", None)
        if callable(flush):
            compressed += flush()
        return compressed, headers
    raise ValueError(f"Unsupported compression type: {compression} (use None, 'gzip' or 'snappy')")


def _use_gateway(
    method: str,
    gateway: str,
    job: str,
    registry: Optional[Collector],
    grouping_key: Optional[Dict[str, Any]],
    timeout: Optional[float],
    handler: Handler,
    compression: CompressionType = None,
) -> None:
    url = _gateway_base_url(gateway) + _group_path(job, grouping_key)
    if method == "DELETE":
        if compression is not None:
            raise ValueError("Compression is not supported for DELETE requests.")
        data, headers = b"", [("Content-Type", CONTENT_TYPE_PLAIN_0_0_4)]
    else:
        # registry=None pushes the global registry, as in the official client.
        data, headers = _compress_payload(encode_text(registry if registry is not None else REGISTRY), compression)
    handler(url=url, method=method, timeout=timeout, headers=headers, data=data)()


# --- public API -----------------------------------------------------------------------------------


def push_to_gateway(
    gateway: str,
    job: str,
    registry: Collector,
    grouping_key: Optional[Dict[str, Any]] = None,
    timeout: Optional[float] = 30,
    handler: Handler = default_handler,
    compression: CompressionType = None,
) -> None:
    """Replace all metrics of the group (``job`` + ``grouping_key``) with ``registry``'s (HTTP PUT).

    ``gateway`` is ``host:port`` (HTTP) or a URL with ``http://``/``https://``; ``compression``
    may be ``'gzip'`` (or ``'snappy'`` with python-snappy installed).
    """
    _use_gateway("PUT", gateway, job, registry, grouping_key, timeout, handler, compression)


def pushadd_to_gateway(
    gateway: str,
    job: str,
    registry: Optional[Collector],
    grouping_key: Optional[Dict[str, Any]] = None,
    timeout: Optional[float] = 30,
    handler: Handler = default_handler,
    compression: CompressionType = None,
) -> None:
    """Replace only the metrics with the same names as ``registry``'s in the group (HTTP POST)."""
    _use_gateway("POST", gateway, job, registry, grouping_key, timeout, handler, compression)


def delete_from_gateway(
    gateway: str,
    job: str,
    grouping_key: Optional[Dict[str, Any]] = None,
    timeout: Optional[float] = 30,
    handler: Handler = default_handler,
) -> None:
    """Delete every metric of the group (``job`` + ``grouping_key``) from the gateway (HTTP DELETE)."""
    _use_gateway("DELETE", gateway, job, None, grouping_key, timeout, handler)


def instance_ip_grouping_key() -> Dict[str, Any]:
    """``{'instance': <this host's IP address>}``, for a grouping key per machine.

    The address is the one the host would use for outgoing traffic (a UDP socket is connected,
    which sends nothing); without a route it falls back to the loopback address.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: only used to pick the outgoing interface
            address = str(sock.getsockname()[0])
        except OSError:
            address = "127.0.0.1"
    return {"instance": address}
