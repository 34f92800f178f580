"""The built-in servers: ``start_http_server``, ``start_wsgi_server`` and the handlers they run.

Beyond the official client, both servers bound their worker threads
(``max_concurrent_requests``; one more connection gets a quick 503), give every connection
a total deadline (``request_timeout``; slow clients cannot hold a worker) and can require
HTTP basic auth. ``shutdown()`` returns at once: a wake-up socket interrupts the accept
loop instead of waiting out its poll interval.

This module may import ``http.server``, ``socketserver``, ``wsgiref``, ``select`` and the
other HTTP modules of this package; no other backend imports it.
"""

from __future__ import annotations

import logging
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import TCPServer, ThreadingMixIn
from typing import Any, Callable, Dict, Optional, Set, Tuple, Type
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ._deadline_io import DeadlineHandlerMixin, HeadGate, send_without_blocking
from ._http_response import BasicAuth, Request, ResponseSettings, respond, respond_with_metrics
from ._http_tls import TLSSettings
from ._http_types import Headers, Response
from ._wsgi import make_wsgi_app
from .registry import REGISTRY, Collector

logger = logging.getLogger("prometheus_client.http")

_DEFAULT_MAX_CONCURRENT_REQUESTS = 64
_DEFAULT_REQUEST_TIMEOUT = 30.0
_DEFAULT_HEADER_TIMEOUT = 10.0
_DEFAULT_MAX_PENDING_CONNECTIONS = 4096  # and never above half the process's fd limit
_DEFAULT_LISTEN_BACKLOG = 4096  # the kernel caps it (Linux: net.core.somaxconn, 4096 since 5.4)

_REJECTION_BODY = b"Too many concurrent requests\n"
_REJECTION = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_REJECTION_BODY), _REJECTION_BODY)
)


@dataclass(frozen=True)
class ServerLimits:
    """How much one server takes on, and how long it waits for each client.

    - ``max_concurrent_requests``: requests served at once (a thread each); one more gets a 503.
    - ``request_timeout``: seconds from connect to the last byte of the answer, for each connection.
    - ``header_timeout``: seconds from connect until the TLS handshake and the whole request head
      are done; until then the connection holds no thread.
    - ``max_pending_connections``: connections still handshaking or sending their head; one more
      drops the oldest of them. Never more than half the process's fd limit (``RLIMIT_NOFILE``).
    - ``listen_backlog``: the ``listen()`` backlog, for bursts of connections.

    ``None`` turns a bound off (the official client has none of them); ``listen_backlog`` is
    always a number. Checked on construction.
    """

    max_concurrent_requests: Optional[int] = _DEFAULT_MAX_CONCURRENT_REQUESTS
    request_timeout: Optional[float] = _DEFAULT_REQUEST_TIMEOUT
    header_timeout: Optional[float] = _DEFAULT_HEADER_TIMEOUT
    max_pending_connections: Optional[int] = _DEFAULT_MAX_PENDING_CONNECTIONS
    listen_backlog: int = _DEFAULT_LISTEN_BACKLOG

    def __post_init__(self) -> None:
        for name in ("max_concurrent_requests", "max_pending_connections"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int) and value >= 1):
                raise ValueError(f"{name} must be at least 1, got {value!r}")
        for name in ("request_timeout", "header_timeout"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        if not (isinstance(self.listen_backlog, int) and self.listen_backlog >= 1):
            raise ValueError(f"listen_backlog must be at least 1, got {self.listen_backlog!r}")


@dataclass(frozen=True)
class ServerSettings:
    """Where a server listens, its limits, and its TLS (None: plain HTTP)."""

    port: int
    addr: str = "0.0.0.0"
    limits: ServerLimits = ServerLimits()
    tls: Optional[TLSSettings] = None


class _RejectionLog:
    """One warning per burst of 503s, not one per request: a flood must not become a flood of log lines."""

    interval = 10.0

    def __init__(self) -> None:
        self._since_last = 0
        self._last_logged = -float("inf")

    def count(self, bound: Optional[int]) -> None:
        self._since_last += 1
        now = time.monotonic()
        if now - self._last_logged >= self.interval:
            logger.warning("Rejected %d request(s) with 503: %s requests already running", self._since_last, bound)
            self._since_last = 0
            self._last_logged = now


def _with_length(status: str, headers: Headers, body: bytes) -> Response:
    """Add Content-Length, for a handler that writes raw HTTP (WSGI servers add it themselves)."""
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


# --- request handlers -------------------------------------------------------------------------------


class _DeadlineHTTPHandlerMixin(DeadlineHandlerMixin):
    """The connection deadline, and a status line on every error answer."""

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        # A request line too broken to name its version would get an HTTP/0.9 answer with no status line.
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        super().send_error(code, message, explain)  # type: ignore[misc]


class MetricsHandler(_DeadlineHTTPHandlerMixin, BaseHTTPRequestHandler):
    """HTTP handler serving ``registry``; use as ``HTTPServer(('', 8000), MetricsHandler)``.

    Like the official handler it answers GET only (other methods get the stdlib's 501) and
    serves the metrics on every path. ``MetricsHandler.factory(registry)`` makes a subclass
    serving another registry.
    """

    registry: Collector = REGISTRY
    # Our extras (compression, basic auth); None: the official behaviour. The registry attribute wins.
    response_settings: Optional[ResponseSettings] = None

    def _settings(self) -> ResponseSettings:
        settings = self.response_settings
        if settings is None:
            return ResponseSettings(self.registry)
        if settings.registry is not self.registry:  # a subclass set registry, as the official docs do
            return replace(settings, registry=self.registry)
        return settings

    def _request(self) -> Request:
        path, _, query = self.path.partition("?")
        return Request(
            method=self.command,
            path=path,
            query_string=query,
            accept=self.headers.get("Accept"),
            accept_encoding=self.headers.get("Accept-Encoding"),
            authorization=self.headers.get("Authorization"),
        )

    def _write_response(self, status: str, headers: Headers, body: bytes) -> None:
        self.send_response(int(status[:3]))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        # The client may have the whole answer now and ask again at once: its slot must be free by then.
        release_slot = getattr(self.server, "release_slot", None)
        if release_slot is not None:
            release_slot(self.request)

    def _serve(self) -> None:
        """Serve the metrics (the official handler does not special-case ``/favicon.ico``)."""
        self._write_response(*respond_with_metrics(self._request(), self._settings()))

    do_GET = _serve  # noqa: N815 - BaseHTTPRequestHandler dispatches on do_<METHOD>

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        """Quiet by default (a scrape every few seconds is not news); DEBUG on the module logger."""
        logger.debug("%s - %s", self.address_string(), format % args)

    @classmethod
    def factory(cls, registry: Collector) -> Type[MetricsHandler]:
        """A subclass of this handler serving ``registry``."""
        # The name keeps a recognisable type in tracebacks; the subclass shares everything else.
        return type(cls.__name__, (cls,), {"registry": registry})

    @classmethod
    def _with_settings(cls, settings: ResponseSettings) -> Type[MetricsHandler]:
        """A subclass of this handler serving ``settings.registry`` with the settings' extras."""
        return type(cls.__name__, (cls,), {"registry": settings.registry, "response_settings": settings})


class _ServerHandler(MetricsHandler):
    """The handler of :func:`start_http_server`: answers every method as the official server (a WSGI app) does.

    The official ``start_http_server`` is its WSGI server, so OPTIONS, 405 and the favicon
    are answered as by :func:`make_wsgi_app`; Content-Length is sent, as wsgiref sends it.
    """

    def _serve_any(self) -> None:
        self._write_response(*_with_length(*respond(self._request(), self._settings())))

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


class _SilentWSGIHandler(_DeadlineHTTPHandlerMixin, _SilentHandler):
    """:class:`_SilentHandler` with the connection deadline of :func:`start_wsgi_server`."""


# --- the servers ------------------------------------------------------------------------------------


class _BoundedThreadingMixIn:
    """A :class:`HeadGate` in the accept thread, then one thread per request, at most ``max_concurrent_requests``.

    No worker is taken before a connection has sent its whole request head (and finished its
    TLS handshake): idle and slow clients wait in the gate, bounded by ``header_timeout`` and
    ``max_pending_connections``. A complete request beyond ``max_concurrent_requests`` gets a
    503 written without blocking from the accept thread. ``server_close()`` waits (bounded by
    ``request_timeout``) for running requests, so a ``shutdown(); server_close()`` leaves no
    thread behind. ``shutdown()`` wakes the accept loop through a socket pair, so it returns
    without waiting out ``poll_interval``.
    """

    max_concurrent_requests: Optional[int] = None
    request_timeout: Optional[float] = None
    header_timeout: Optional[float] = _DEFAULT_HEADER_TIMEOUT
    max_pending_connections: Optional[int] = _DEFAULT_MAX_PENDING_CONNECTIONS
    request_queue_size = _DEFAULT_LISTEN_BACKLOG  # socketserver's listen() backlog (its default is 5)
    socket: Any  # the listening socket (a class attribute named like the module would shadow it here)
    server_name: str
    server_port: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._slots: Optional[threading.BoundedSemaphore] = None
        self._holding: Set[Any] = set()  # requests holding a slot
        self._workers: Set[threading.Thread] = set()
        self._workers_lock = threading.Lock()
        self._handoffs: Dict[Any, Tuple[bytes, float]] = {}
        self._is_shutdown_requested = False
        self._is_shut_down = threading.Event()
        self._wake_lock = threading.Lock()
        self._wake_writer: Optional[socket.socket] = None
        self._rejections = _RejectionLog()
        super().__init__(*args, **kwargs)

    def _init_bounds(self, max_concurrent_requests: Optional[int], request_timeout: Optional[float]) -> None:
        """:meth:`_apply_limits` from the two numbers, for code that builds a server itself (the integration tests)."""
        self._apply_limits(ServerLimits(max_concurrent_requests, request_timeout))

    def _apply_limits(self, limits: ServerLimits) -> None:
        """Bound workers, waiting connections and time as ``limits`` say; call before listening."""
        self.max_concurrent_requests = limits.max_concurrent_requests
        self.request_timeout = limits.request_timeout
        self.header_timeout = limits.header_timeout
        self.max_pending_connections = limits.max_pending_connections
        self.request_queue_size = limits.listen_backlog
        self._slots = (
            threading.BoundedSemaphore(limits.max_concurrent_requests)
            if limits.max_concurrent_requests is not None
            else None
        )

    def _gate_deadline(self) -> Optional[float]:
        """Seconds a connection may wait in the gate: ``header_timeout``, and never past ``request_timeout``."""
        bounds = [b for b in (self.header_timeout, self.request_timeout) if b is not None]
        return min(bounds) if bounds else None

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept connections until :meth:`shutdown`, as ``socketserver`` does, woken at once by it."""
        wake_reader, wake_writer = socket.socketpair()
        with self._wake_lock:
            self._wake_writer = wake_writer
        self._is_shut_down.clear()
        try:
            gate = HeadGate(
                self.socket,
                wake_reader,
                self._on_head,
                self._gate_deadline(),
                self.max_pending_connections,
                self.verify_request,  # type: ignore[attr-defined]
            )
            gate.run(lambda: self._is_shutdown_requested, poll_interval, self.service_actions)  # type: ignore[attr-defined]
        finally:
            with self._wake_lock:
                self._wake_writer = None
            wake_writer.close()
            wake_reader.close()
            self._is_shutdown_requested = False
            self._is_shut_down.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and wait until it has returned (call it from another thread)."""
        self._is_shutdown_requested = True
        with self._wake_lock:
            if self._wake_writer is not None:
                try:
                    self._wake_writer.send(b"\0")
                except OSError:
                    pass  # the loop is leaving anyway
        self._is_shut_down.wait()

    def take_handoff(self, request: Any) -> Optional[Tuple[bytes, float]]:
        """``(head, accepted_at)`` of a connection the gate handed on, for the handler's ``setup()``; None otherwise."""
        return self._handoffs.pop(request, None)

    def _on_head(self, request: socket.socket, client_address: Any, head: bytes, accepted_at: float) -> None:
        """Called by the gate (in the accept thread) when ``request`` has sent its whole head."""
        if self._slots is not None:
            if not self._slots.acquire(blocking=False):
                self._reject(request)
                return
            self._holding.add(request)
        self._handoffs[request] = (head, accepted_at)
        self._start_worker(request, client_address)

    def process_request(self, request: Any, client_address: Any) -> None:
        """socketserver's entry (``handle_request()``): a connection whose head the worker reads itself."""
        if self._slots is not None:
            if not self._slots.acquire(blocking=False):
                self._reject(request)
                return
            self._holding.add(request)
        self._start_worker(request, client_address)

    def release_slot(self, request: Any) -> None:
        """Give back the slot ``request`` holds, once: when its answer is written, or when its worker ends."""
        try:
            self._holding.remove(request)  # atomic: of two callers, one gives the slot back
        except KeyError:
            return
        if self._slots is not None:
            self._slots.release()

    def _start_worker(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._work, args=(request, client_address), name="prometheus-http-worker", daemon=True
        )
        with self._workers_lock:
            self._workers.add(worker)
        try:
            worker.start()
        except BaseException:  # no thread to be had (RuntimeError: can't start new thread): this request only
            with self._workers_lock:
                self._workers.discard(worker)
            self._handoffs.pop(request, None)
            self.release_slot(request)
            self._reject(request)
            logger.warning("Could not start a worker thread", exc_info=True)

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)  # type: ignore[attr-defined]
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self._handoffs.pop(request, None)  # setup() never ran (the handler failed to start)
            # Give the slot back before closing (if the answer did not already): a client that sees its
            # connection close may connect again at once and must not get a 503 from a finished worker.
            self.release_slot(request)
            self.shutdown_request(request)  # type: ignore[attr-defined]
            with self._workers_lock:
                self._workers.discard(threading.current_thread())

    def _reject(self, request: socket.socket) -> None:
        """Answer 503 from the accept thread without blocking; the request head, if any, was read by the gate.

        Never raises and never waits: if the answer does not fit in the socket's send buffer at once
        (or a TLS record cannot be written now), the connection is just closed.
        """
        try:
            send_without_blocking(request, _REJECTION)
            self._rejections.count(self.max_concurrent_requests)
        finally:
            try:
                self.shutdown_request(request)  # type: ignore[attr-defined]
            except (OSError, ValueError):
                pass

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


def _start_server(
    server_class: Type[Any],
    handler_class: Type[Any],
    settings: ServerSettings,
    thread_name: str,
    app: Optional[Callable[..., Any]] = None,
) -> Tuple[Any, threading.Thread]:
    """Bind, listen, wrap in TLS if asked and serve from a daemon thread; nothing is left open on failure."""
    family, host = _get_best_family(settings.addr, settings.port)

    class Server(server_class):
        address_family = family

    server = Server((host, settings.port), handler_class, bind_and_activate=False)
    try:
        server._apply_limits(settings.limits)
        server.server_bind()
        server.server_activate()
        if settings.tls is not None:
            server.socket = settings.tls.context().wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        if app is not None:
            server.set_app(app)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name=thread_name, daemon=True)
    thread.start()
    return server, thread


def _limits(
    limits: Optional[ServerLimits], max_concurrent_requests: Optional[int], request_timeout: Optional[float]
) -> ServerLimits:
    """``limits``, or the defaults with the two bounds the keywords give; not both."""
    if limits is None:
        return ServerLimits(max_concurrent_requests, request_timeout)
    if (max_concurrent_requests, request_timeout) != (_DEFAULT_MAX_CONCURRENT_REQUESTS, _DEFAULT_REQUEST_TIMEOUT):
        raise TypeError("give limits=ServerLimits(...) or max_concurrent_requests/request_timeout, not both")
    return limits


def _tls_settings(
    certfile: Optional[str],
    keyfile: Optional[str],
    protocol: int,
    client_cafile: Optional[str],
    client_capath: Optional[str],
    client_auth_required: bool,
    tls_min_version: Optional[ssl.TLSVersion],
    tls_max_version: Optional[ssl.TLSVersion],
) -> Optional[TLSSettings]:
    """The TLS settings the public servers' arguments describe; None (plain HTTP) without a cert and key."""
    if not (certfile and keyfile):
        return None
    return TLSSettings(
        certfile, keyfile, protocol, client_cafile, client_capath, client_auth_required, tls_min_version,
        tls_max_version,
    )


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
    limits: Optional[ServerLimits] = None,
) -> Tuple[HTTPServer, threading.Thread]:
    """Serve ``registry`` on ``addr:port`` from a daemon thread; returns ``(server, thread)``.

    Stop with ``server.shutdown(); server.server_close(); thread.join()``. TLS when
    ``certfile`` and ``keyfile`` are given. ``port=0`` picks a free port
    (``server.server_port``). ``max_concurrent_requests=None`` and
    ``request_timeout=None`` turn the bounds off; ``limits=ServerLimits(...)`` sets every
    bound (header timeout, waiting connections, listen backlog) instead of those two.
    """
    response_settings = ResponseSettings(registry, disable_compression, basic_auth)
    tls = _tls_settings(
        certfile, keyfile, protocol, client_cafile, client_capath, client_auth_required, tls_min_version,
        tls_max_version,
    )
    settings = ServerSettings(port, addr, _limits(limits, max_concurrent_requests, request_timeout), tls)
    handler = _ServerHandler._with_settings(response_settings)
    server, thread = _start_server(_MetricsHTTPServer, handler, settings, "prometheus-http-server")
    return server, thread


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
    limits: Optional[ServerLimits] = None,
) -> Tuple[WSGIServer, threading.Thread]:
    """Like :func:`start_http_server`, but through wsgiref and :func:`make_wsgi_app`."""
    app = make_wsgi_app(registry, disable_compression, basic_auth=basic_auth)
    tls = _tls_settings(
        certfile, keyfile, protocol, client_cafile, client_capath, client_auth_required, tls_min_version,
        tls_max_version,
    )
    settings = ServerSettings(port, addr, _limits(limits, max_concurrent_requests, request_timeout), tls)
    server, thread = _start_server(_MetricsWSGIServer, _SilentWSGIHandler, settings, "prometheus-wsgi-server", app)
    return server, thread
