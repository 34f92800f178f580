"""Serving the exposition over HTTP: the stdlib server, the WSGI app, and the one request->response function.

Every HTTP-ish backend (stdlib handler, WSGI, ASGI, Twisted) turns a request into
``(status, headers, body)`` with :func:`_respond`, which uses :func:`_bake_output`
(the official client's name) for the metrics themselves. Backends only move bytes.

Beyond the official client, :func:`start_http_server` bounds its worker threads
(``max_concurrent_requests``; one more connection gets a quick 503), gives every
connection a total deadline (``request_timeout``; slow clients cannot hold a
worker), and can require HTTP basic auth.
"""

from __future__ import annotations

import base64
import hmac
import io
import logging
import select
import socket
import ssl
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import BaseServer, TCPServer, ThreadingMixIn
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Type
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ._encoding import choose_encoder
from .registry import REGISTRY, Collector

logger = logging.getLogger("prometheus_client.http")

Headers = List[Tuple[str, str]]
BasicAuth = Tuple[str, str]

# zlib level 6 (its default): nearly the ratio of level 9 at a fraction of the CPU per scrape.
_GZIP_LEVEL = 6
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer, not a bare zlib stream
# The official client's exact value (it answers HEAD with 405 too).
_ALLOWED_METHODS = "OPTIONS,GET"
# A query string with more fields than this is an attack or a mistake, not a scrape.
_MAX_QUERY_FIELDS = 1000
_DEFAULT_MAX_CONCURRENT_REQUESTS = 64
_DEFAULT_REQUEST_TIMEOUT = 30.0
# How long the accept loop waits for a rejected client's request before answering 503.
_REJECT_WAIT = 0.1

_STATUS_TEXT = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    405: "405 Method Not Allowed",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


def gzip_accepted(accept_encoding_header: str) -> bool:
    """True when the Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for part in (accept_encoding_header or "").split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip"):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
    return compressor.compress(data) + compressor.flush()


def _bake_output(
    registry: Collector,
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
    params: Dict[str, List[str]],
    disable_compression: bool,
) -> Tuple[str, Headers, bytes]:
    """Encode the registry as the client asked: format by Accept, gzip by Accept-Encoding, ``name[]`` filter.

    Returns ``(status, headers, body)`` as WSGI wants them. Collector errors propagate.
    """
    encoder, content_type = choose_encoder(accept_header or "")
    if "name[]" in params:
        # Present means filter, even to nothing, as in the official client.
        registry = registry.restricted_registry(params["name[]"])  # type: ignore[attr-defined]
    output = encoder(registry)
    headers = [("Content-Type", content_type)]
    if not disable_compression and gzip_accepted(accept_encoding_header or ""):
        output = _gzip(output)
        headers.append(("Content-Encoding", "gzip"))
    return "200 OK", headers, output


def _basic_auth_token(credentials: BasicAuth) -> bytes:
    """The expected ``Authorization`` header value for ``(user, password)``."""
    user, password = credentials
    if ":" in user:
        raise ValueError(f"basic_auth user {user!r} must not contain ':'")
    return b"Basic " + base64.b64encode(f"{user}:{password}".encode())


def _is_authorized(authorization: Optional[str], expected_token: bytes) -> bool:
    """Constant-time check of the Authorization header (a timing side channel must not leak the password)."""
    given = (authorization or "").strip().encode("latin-1", "replace")
    # Normalise the scheme's case without branching on the secret part.
    if given[:6].lower() == b"basic ":
        given = b"Basic " + given[6:].strip()
    return hmac.compare_digest(given, expected_token)


def _plain(status: int, message: str, extra: Sequence[Tuple[str, str]] = ()) -> Tuple[str, Headers, bytes]:
    body = (message + "\n").encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), *extra]
    return _STATUS_TEXT[status], headers, body


def _unauthorized() -> Tuple[str, Headers, bytes]:
    """The 401 asking for basic auth credentials."""
    return _plain(401, "Unauthorized", [("WWW-Authenticate", 'Basic realm="metrics", charset="UTF-8"')])


def _respond(
    registry: Collector,
    method: str,
    path: str,
    query_string: str,
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
    disable_compression: bool = False,
    authorization: Optional[str] = None,
    auth_token: Optional[bytes] = None,
) -> Tuple[str, Headers, bytes]:
    """The one request->response function of every HTTP backend; answers as the official WSGI app does.

    OPTIONS gets the allowed methods, any method but GET a 405, ``/favicon.ico`` an
    empty 200, anything else the metrics. Returns ``(status, headers, body)`` without
    Content-Length (servers add it, as for the official app). Never raises: a failing
    collector becomes a logged 500.
    """
    if auth_token is not None and not _is_authorized(authorization, auth_token):
        return _unauthorized()
    if method == "OPTIONS":
        return "200 OK", [("Allow", _ALLOWED_METHODS)], b""
    if method != "GET":
        status = _STATUS_TEXT[405]
        # The official client's exact body: scripts probing for it may match on it.
        return status, [("Allow", _ALLOWED_METHODS)], f"# HTTP {status}: {method}; use OPTIONS or GET\n".encode()
    if path == "/favicon.ico":
        # Browsers ask for it; answer like the official client: 200 and nothing.
        return "200 OK", [], b""
    return _metrics(registry, query_string, accept_header, accept_encoding_header, disable_compression)


def _metrics(
    registry: Collector,
    query_string: str,
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
    disable_compression: bool,
) -> Tuple[str, Headers, bytes]:
    """The metrics answer for a query string; a 400 for an abusive query, a logged 500 for a failing collector."""
    try:
        # Lenient decoding like the official client (a bad byte just names no metric); the field bound
        # keeps a hostile query string from costing more than a scrape.
        params = parse_qs(query_string, max_num_fields=_MAX_QUERY_FIELDS)
    except ValueError as error:
        return _plain(400, f"Bad query string: {error}")
    return _metrics_for(registry, params, accept_header, accept_encoding_header, disable_compression)


def _metrics_for(
    registry: Collector,
    params: Dict[str, List[str]],
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
    disable_compression: bool,
) -> Tuple[str, Headers, bytes]:
    """:func:`_bake_output` for parsed query parameters, a failing collector becoming a logged 500."""
    try:
        return _bake_output(registry, accept_header, accept_encoding_header, params, disable_compression)
    except Exception:
        logger.exception("Collecting metrics failed")
        return _plain(500, "Error while collecting metrics (see the server log)")


def _with_length(status: str, headers: Headers, body: bytes) -> Tuple[str, Headers, bytes]:
    """Add Content-Length, for backends that write raw HTTP (WSGI servers add it themselves)."""
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


# --- WSGI -------------------------------------------------------------------------------------------


def make_wsgi_app(
    registry: Collector = REGISTRY,
    disable_compression: bool = False,
    *,
    basic_auth: Optional[BasicAuth] = None,
) -> Callable[[Dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """A WSGI app serving the registry on every path, with the official client's statuses and headers.

    GET serves the metrics, OPTIONS lists ``OPTIONS,GET``, other methods (HEAD too) get a 405,
    ``/favicon.ico`` an empty 200.
    """
    auth_token = _basic_auth_token(basic_auth) if basic_auth else None

    def prometheus_app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status, headers, body = _respond(
            registry,
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT"),
            environ.get("HTTP_ACCEPT_ENCODING"),
            disable_compression,
            environ.get("HTTP_AUTHORIZATION"),
            auth_token,
        )
        start_response(status, headers)
        return [body]

    return prometheus_app


# --- connection deadline ----------------------------------------------------------------------------


class _DeadlineSocketIO(socket.SocketIO):
    """A socket reader that fails once the connection's total deadline has passed.

    A plain socket timeout restarts on every byte, so a client sending one byte every
    few seconds (slowloris) would hold a worker forever; a deadline does not restart.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, "rb")
        self._deadline = deadline

    def readinto(self, buffer: Any) -> Optional[int]:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("request deadline passed")
        self._sock.settimeout(remaining)  # type: ignore[attr-defined]
        return super().readinto(buffer)


class _DeadlineWriter(io.RawIOBase):
    """The socket writer of a connection with a deadline: ``sendall`` may not outlast it."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("request deadline passed")
        # Since Python 3.5 sendall's timeout bounds the whole call, not each chunk.
        self._sock.settimeout(remaining)
        self._sock.sendall(data)
        with memoryview(data) as view:
            return view.nbytes


class _DeadlineHandlerMixin:
    """Give each connection a total deadline (the server's ``request_timeout``).

    Also completes the TLS handshake here, in the worker: the listening socket defers
    it so a slow TLS client cannot stall ``accept()``.
    """

    request: socket.socket
    connection: socket.socket
    server: BaseServer
    rfile: Any
    wfile: Any

    def setup(self) -> None:
        timeout = getattr(self.server, "request_timeout", None)
        if timeout is None:
            if isinstance(self.request, ssl.SSLSocket) and not getattr(self.request, "do_handshake_on_connect", True):
                self.request.do_handshake()
            super().setup()  # type: ignore[misc]
            return
        deadline = time.monotonic() + timeout
        self.connection = self.request
        self.connection.settimeout(timeout)
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        self.rfile = io.BufferedReader(_DeadlineSocketIO(self.connection, deadline))
        self.wfile = _DeadlineWriter(self.connection, deadline)

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        # A request line too broken to name its version would get an HTTP/0.9 answer with no status line.
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        super().send_error(code, message, explain)  # type: ignore[misc]


# --- the stdlib handler -----------------------------------------------------------------------------


class MetricsHandler(_DeadlineHandlerMixin, BaseHTTPRequestHandler):
    """HTTP handler serving ``registry``; use as ``HTTPServer(('', 8000), MetricsHandler)``.

    Like the official handler it answers GET only (other methods get the stdlib's 501) and
    serves the metrics on every path. ``MetricsHandler.factory(registry)`` makes a subclass
    serving another registry.
    """

    registry: Collector = REGISTRY
    disable_compression: bool = False
    # The expected Authorization header (from basic_auth), or None for no auth.
    auth_token: Optional[bytes] = None

    def _write_response(self, status: str, headers: Headers, body: bytes) -> None:
        self.send_response(int(status[:3]))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> Tuple[str, Headers, bytes]:
        path, _, query = self.path.partition("?")
        return _respond(
            self.registry,
            self.command,
            path,
            query,
            self.headers.get("Accept"),
            self.headers.get("Accept-Encoding"),
            self.disable_compression,
            self.headers.get("Authorization"),
            self.auth_token,
        )

    def _serve(self) -> None:
        """Serve the metrics (the official handler does not special-case ``/favicon.ico``)."""
        if self.auth_token is not None and not _is_authorized(self.headers.get("Authorization"), self.auth_token):
            self._write_response(*self._answer())  # the 401
            return
        query = self.path.partition("?")[2]
        self._write_response(
            *_metrics(
                self.registry,
                query,
                self.headers.get("Accept"),
                self.headers.get("Accept-Encoding"),
                self.disable_compression,
            )
        )

    do_GET = _serve  # noqa: N815 - BaseHTTPRequestHandler dispatches on do_<METHOD>

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        """Quiet by default (a scrape every few seconds is not news); DEBUG on the module logger."""
        logger.debug("%s - %s", self.address_string(), format % args)

    @classmethod
    def factory(cls, registry: Collector) -> Type[MetricsHandler]:
        """A subclass of this handler serving ``registry``."""
        # The name keeps a recognisable type in tracebacks; the subclass shares everything else.
        return type(cls.__name__, (cls,), {"registry": registry})


class _ServerHandler(MetricsHandler):
    """The handler of :func:`start_http_server`: answers every method as the official server (a WSGI app) does.

    The official ``start_http_server`` is its WSGI server, so OPTIONS, 405 and the favicon
    are answered as by :func:`make_wsgi_app`; Content-Length is sent, as wsgiref sends it.
    """

    def _serve_any(self) -> None:
        self._write_response(*_with_length(*self._answer()))

    do_GET = _serve_any  # noqa: N815
    do_HEAD = _serve_any  # noqa: N815
    do_OPTIONS = _serve_any  # noqa: N815
    do_POST = _serve_any  # noqa: N815
    do_PUT = _serve_any  # noqa: N815
    do_DELETE = _serve_any  # noqa: N815
    do_PATCH = _serve_any  # noqa: N815


class _SilentHandler(WSGIRequestHandler):
    """wsgiref's request handler without a log line per request (the official client's name)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Log nothing (the official behaviour); a DEBUG line on the module logger for troubleshooting."""
        logger.debug("%s - %s", self.address_string(), format % args)


class _SilentWSGIHandler(_DeadlineHandlerMixin, _SilentHandler):
    """:class:`_SilentHandler` with the connection deadline of :func:`start_wsgi_server`."""


# --- the server -------------------------------------------------------------------------------------


class _BoundedThreadingMixIn:
    """One thread per request, at most ``max_concurrent_requests`` at once; beyond that a quick 503.

    ``server_close()`` waits (bounded by ``request_timeout``) for running requests, so a
    ``shutdown(); server_close()`` leaves no thread behind.
    """

    max_concurrent_requests: Optional[int] = None
    request_timeout: Optional[float] = None
    socket: Any  # the listening socket (a class attribute named like the module would shadow it here)
    server_name: str
    server_port: int

    def _init_bounds(self, max_concurrent_requests: Optional[int], request_timeout: Optional[float]) -> None:
        if max_concurrent_requests is not None and max_concurrent_requests < 1:
            raise ValueError(f"max_concurrent_requests must be at least 1, got {max_concurrent_requests!r}")
        if request_timeout is not None and not request_timeout > 0:
            raise ValueError(f"request_timeout must be a positive number of seconds, got {request_timeout!r}")
        self.max_concurrent_requests = max_concurrent_requests
        self.request_timeout = request_timeout
        self._slots = (
            threading.BoundedSemaphore(max_concurrent_requests) if max_concurrent_requests is not None else None
        )
        self._workers: Set[threading.Thread] = set()
        self._workers_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        if self._slots is not None and not self._slots.acquire(blocking=False):
            self._reject(request)
            return
        worker = threading.Thread(
            target=self._work, args=(request, client_address), name="prometheus-http-worker", daemon=True
        )
        with self._workers_lock:
            self._workers.add(worker)
        worker.start()

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)  # type: ignore[attr-defined]
        except Exception:
            self.handle_error(request, client_address)
        finally:
            # Give the slot back before closing: a client that sees its connection close may connect
            # again at once and must not get a 503 from a slot this finished worker still holds.
            if self._slots is not None:
                self._slots.release()
            self.shutdown_request(request)  # type: ignore[attr-defined]
            with self._workers_lock:
                self._workers.discard(threading.current_thread())

    def _reject(self, request: socket.socket) -> None:
        """Answer 503 from the accept loop without a thread; waits at most ``_REJECT_WAIT`` for the request."""
        try:
            if isinstance(request, ssl.SSLSocket):
                return  # no handshake on the accept loop: just close
            readable, _, _ = select.select([request], [], [], _REJECT_WAIT)
            request.setblocking(False)
            if readable:
                try:
                    request.recv(65536)  # read the request so closing does not reset the connection
                except OSError:
                    pass
            body = b"Too many concurrent requests\n"
            request.send(
                b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            logger.warning("Rejected a request: %d requests already running", self.max_concurrent_requests)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)  # type: ignore[attr-defined]

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse DNS lookup that can take seconds.
        TCPServer.server_bind(self)  # type: ignore[arg-type]
        host, port = self.socket.getsockname()[:2]
        self.server_name = host
        self.server_port = port
        setup_environ = getattr(self, "setup_environ", None)
        if setup_environ is not None:  # wsgiref's server builds its base environ here
            setup_environ()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up, time out or fail the TLS handshake are routine; anything else is logged loudly."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, socket.timeout, ssl.SSLError)):
            logger.debug("Connection from %s failed: %r", client_address, error)
        else:
            logger.exception("Error while serving a request from %s", client_address)

    def server_close(self) -> None:
        super().server_close()  # type: ignore[misc]
        with self._workers_lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(self.request_timeout)


class _MetricsHTTPServer(_BoundedThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """A plain thread-per-request WSGI server (the official client's public name), for ``make_server``."""

    daemon_threads = True


class _MetricsWSGIServer(_BoundedThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def _get_best_family(address: Optional[str], port: int) -> Tuple[socket.AddressFamily, str]:
    """``(family, host)`` to bind ``address`` with, as the official helper returns (IPv6 literals and names work)."""
    infos = socket.getaddrinfo(address or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, sockaddr = infos[0]
    return family, str(sockaddr[0])


def _reworded(error: OSError, message: str) -> OSError:
    """``error``'s own type (FileNotFoundError, ssl.SSLError...) with the official client's message."""
    try:
        return type(error)(message)
    except Exception:  # an OSError subclass with a constructor of its own
        return OSError(message)


def _get_ssl_ctx(
    certfile: str,
    keyfile: str,
    protocol: int,
    cafile: Optional[str] = None,
    capath: Optional[str] = None,
    client_auth_required: bool = False,
    tls_min_version: Optional[ssl.TLSVersion] = None,
    tls_max_version: Optional[ssl.TLSVersion] = None,
) -> ssl.SSLContext:
    """A server TLS context; with ``client_auth_required`` clients must present a cert signed by the CA."""
    context = ssl.SSLContext(protocol)
    if tls_min_version is not None:
        context.minimum_version = tls_min_version
    if tls_max_version is not None:
        context.maximum_version = tls_max_version
    if cafile is not None or capath is not None:
        try:
            context.load_verify_locations(cafile, capath)
        except OSError as error:
            raise _reworded(
                error, f"Cannot load CA certificate chain from file {cafile!r} or directory {capath!r}: {error}"
            ) from error
    elif client_auth_required:
        context.load_default_certs(ssl.Purpose.CLIENT_AUTH)
    if client_auth_required:
        context.verify_mode = ssl.CERT_REQUIRED
    try:
        context.load_cert_chain(certfile, keyfile)
    except OSError as error:
        raise _reworded(
            error, f"Cannot load server certificate file {certfile!r} or its private key file {keyfile!r}: {error}"
        ) from error
    return context


def _serve_in_thread(
    server_class: Type[Any],
    handler_class: Type[Any],
    port: int,
    addr: str,
    certfile: Optional[str],
    keyfile: Optional[str],
    client_cafile: Optional[str],
    client_capath: Optional[str],
    protocol: int,
    client_auth_required: bool,
    tls_min_version: Optional[ssl.TLSVersion],
    tls_max_version: Optional[ssl.TLSVersion],
    max_concurrent_requests: Optional[int],
    request_timeout: Optional[float],
    thread_name: str,
    app: Optional[Callable[..., Any]] = None,
) -> Tuple[Any, threading.Thread]:
    family, host = _get_best_family(addr, port)

    class Server(server_class):
        address_family = family

    server = Server((host, port), handler_class, bind_and_activate=False)
    server._init_bounds(max_concurrent_requests, request_timeout)
    try:
        server.server_bind()
        server.server_activate()
        if certfile and keyfile:
            context = _get_ssl_ctx(
                certfile,
                keyfile,
                protocol,
                client_cafile,
                client_capath,
                client_auth_required,
                tls_min_version,
                tls_max_version,
            )
            server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        if app is not None:
            server.set_app(app)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name=thread_name, daemon=True)
    thread.start()
    return server, thread


def start_http_server(
    port: int,
    addr: str = "0.0.0.0",
    registry: Collector = REGISTRY,
    certfile: Optional[str] = None,
    keyfile: Optional[str] = None,
    client_cafile: Optional[str] = None,
    client_capath: Optional[str] = None,
    protocol: int = ssl.PROTOCOL_TLS_SERVER,
    client_auth_required: bool = False,
    tls_min_version: Optional[ssl.TLSVersion] = None,
    tls_max_version: Optional[ssl.TLSVersion] = None,
    *,
    basic_auth: Optional[BasicAuth] = None,
    max_concurrent_requests: Optional[int] = _DEFAULT_MAX_CONCURRENT_REQUESTS,
    request_timeout: Optional[float] = _DEFAULT_REQUEST_TIMEOUT,
    disable_compression: bool = False,
) -> Tuple[HTTPServer, threading.Thread]:
    """Serve ``registry`` on ``addr:port`` from a daemon thread; returns ``(server, thread)``.

    Stop with ``server.shutdown(); server.server_close(); thread.join()``. TLS when
    ``certfile`` and ``keyfile`` are given. ``port=0`` picks a free port
    (``server.server_port``). ``max_concurrent_requests=None`` and
    ``request_timeout=None`` turn the bounds off.
    """
    handler = _ServerHandler.factory(registry)
    handler.disable_compression = disable_compression
    handler.auth_token = _basic_auth_token(basic_auth) if basic_auth else None
    return _serve_in_thread(
        _MetricsHTTPServer,
        handler,
        port,
        addr,
        certfile,
        keyfile,
        client_cafile,
        client_capath,
        protocol,
        client_auth_required,
        tls_min_version,
        tls_max_version,
        max_concurrent_requests,
        request_timeout,
        "prometheus-http-server",
    )


def start_wsgi_server(
    port: int,
    addr: str = "0.0.0.0",
    registry: Collector = REGISTRY,
    certfile: Optional[str] = None,
    keyfile: Optional[str] = None,
    client_cafile: Optional[str] = None,
    client_capath: Optional[str] = None,
    protocol: int = ssl.PROTOCOL_TLS_SERVER,
    client_auth_required: bool = False,
    tls_min_version: Optional[ssl.TLSVersion] = None,
    tls_max_version: Optional[ssl.TLSVersion] = None,
    *,
    basic_auth: Optional[BasicAuth] = None,
    max_concurrent_requests: Optional[int] = _DEFAULT_MAX_CONCURRENT_REQUESTS,
    request_timeout: Optional[float] = _DEFAULT_REQUEST_TIMEOUT,
    disable_compression: bool = False,
) -> Tuple[WSGIServer, threading.Thread]:
    """Like :func:`start_http_server`, but through wsgiref and :func:`make_wsgi_app`."""
    app = make_wsgi_app(registry, disable_compression, basic_auth=basic_auth)
    server, thread = _serve_in_thread(
        _MetricsWSGIServer,
        _SilentWSGIHandler,
        port,
        addr,
        certfile,
        keyfile,
        client_cafile,
        client_capath,
        protocol,
        client_auth_required,
        tls_min_version,
        tls_max_version,
        max_concurrent_requests,
        request_timeout,
        "prometheus-wsgi-server",
        app,
    )
    return server, thread
