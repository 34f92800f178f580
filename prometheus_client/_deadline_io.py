"""Connections with deadlines: the loop that holds a connection until its request head is complete,
then socket I/O with one total deadline per connection for the worker that serves it.

:class:`HeadGate` runs in the server's accept thread. It accepts non-blocking sockets, does their
TLS handshake without blocking and reads the request head; only a connection whose head has
arrived is handed on (to a worker, or to a quick 503). Idle, slow and half-open clients cost
an fd and a few bytes each, never a worker: a short deadline (``header_timeout``) covers
handshake and head, and beyond ``max_pending_connections`` the oldest is dropped. The
selector is the platform's best (epoll on Linux), so fds above 1024 are fine.

A plain socket timeout restarts on every byte, so a client sending one byte every few seconds
(slowloris) would hold a worker forever; the workers' deadline does not restart. Nothing here
knows HTTP beyond where a request head ends.

This module may import the standard library's socket, ssl, io and selectors; nothing of this package.
"""

from __future__ import annotations

import collections
import errno
import io
import logging
import selectors
import socket
import ssl
import time
from socketserver import BaseServer
from typing import Any, Callable, Dict, Optional, Tuple

try:
    import resource
except ImportError:  # Windows: no fd limit to respect
    resource = None  # type: ignore[assignment]

logger = logging.getLogger("prometheus_client.http")

# The stdlib reads a request line or header line of at most 65536 bytes; past that it answers 414/431
# itself, so a head this long is handed on whole or not and the worker's parser decides.
MAX_HEAD_BYTES = 65536 + 2
# Accepts per wake-up: enough to drain a burst quickly, few enough that reads are not starved.
_ACCEPT_BATCH = 256
# After accept() fails for lack of fds with nothing left to drop, the listener rests this long.
_FD_EXHAUSTED_PAUSE = 0.1
# Errors of accept() that mean "out of fds or memory": drop a waiting connection and try again.
_RESOURCE_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})

# (connection, client address, the bytes read so far, when it was accepted (time.monotonic()))
HeadReady = Callable[[socket.socket, Any, bytes, float], None]


def within_fd_limit(max_pending_connections: Optional[int]) -> Optional[int]:
    """The cap on waiting connections, never above half this process's fd limit (the rest keeps its fds)."""
    if max_pending_connections is None or resource is None:
        return max_pending_connections
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_pending_connections
    return max(1, min(max_pending_connections, soft // 2))


def is_head_complete(head: bytes) -> bool:
    """Whether ``head`` holds all the stdlib request parser reads before it answers (or gives up).

    That is the request line and, for a three-word request line, the headers up to the blank
    line; a request line of any other shape is answered (400, or HTTP/0.9) from the line alone.
    """
    line_end = head.find(b"\n")
    if line_end < 0:
        return len(head) >= MAX_HEAD_BYTES
    if len(head[:line_end].split()) != 3:
        return True
    return head.find(b"\n\n", line_end) >= 0 or head.find(b"\n\r\n", line_end) >= 0 or len(head) >= MAX_HEAD_BYTES


class _Waiting:
    """A connection the gate holds: its socket, address, bytes so far, and what it waits for."""

    __slots__ = ("sock", "address", "accepted_at", "deadline", "head", "is_handshaking", "events")

    def __init__(self, sock: socket.socket, address: Any, accepted_at: float, deadline: float) -> None:
        self.sock = sock
        self.address = address
        self.accepted_at = accepted_at
        self.deadline = deadline
        self.head = b""
        self.is_handshaking = isinstance(sock, ssl.SSLSocket)
        self.events = selectors.EVENT_READ


def close_quietly(sock: socket.socket) -> None:
    """Close ``sock``, ignoring the errors a connection the peer already dropped may raise."""
    try:
        sock.close()
    except OSError:
        pass


class HeadGate:
    """Accepts connections from ``listener`` and calls ``on_head`` for each that has sent a whole request head.

    ``run()`` loops until ``is_stopping()`` is true (checked after every wake-up; a byte on
    ``wake_reader`` wakes it at once). Every connection still waiting is closed when it returns.
    ``listener`` may be a TLS socket made with ``do_handshake_on_connect=False``: the gate does
    the handshake. ``on_head`` runs in the loop's thread and must not block.
    """

    def __init__(
        self,
        listener: socket.socket,
        wake_reader: socket.socket,
        on_head: HeadReady,
        header_timeout: Optional[float],
        max_pending_connections: Optional[int],
        is_accepted: Callable[[socket.socket, Any], bool] = lambda sock, address: True,
    ) -> None:
        self._listener = listener
        self._wake_reader = wake_reader
        self._on_head = on_head
        self._header_timeout = header_timeout if header_timeout is not None else float("inf")
        self._max_pending = within_fd_limit(max_pending_connections)
        self._is_accepted = is_accepted
        # Oldest first: deadlines are accept time plus one constant, so the oldest also expires first.
        self._waiting: Dict[socket.socket, _Waiting] = collections.OrderedDict()
        self._selector = selectors.DefaultSelector()
        self._listener_paused_until: Optional[float] = None

    def run(self, is_stopping: Callable[[], bool], poll_interval: float, each_turn: Callable[[], None]) -> None:
        listener = self._listener
        listener.setblocking(False)
        selector = self._selector
        try:
            selector.register(listener, selectors.EVENT_READ, None)
            selector.register(self._wake_reader, selectors.EVENT_READ, None)
            while not is_stopping():
                ready = selector.select(self._next_timeout(poll_interval))
                if is_stopping():
                    break
                try:
                    self._turn(ready, listener)
                except Exception:  # a bug must not stop the server: log it and keep accepting
                    logger.exception("Error in the HTTP accept loop")
                each_turn()
        finally:
            for waiting in list(self._waiting.values()):
                close_quietly(waiting.sock)
            self._waiting.clear()
            selector.close()

    def _turn(self, ready: Any, listener: socket.socket) -> None:
        is_listener_ready = False
        # Heads first, accepts last: a burst of new connections must not push out (by the cap)
        # one whose head arrived in this same turn.
        for key, _events in ready:
            waiting: Optional[_Waiting] = key.data
            if waiting is not None:
                if self._waiting.get(waiting.sock) is waiting:  # not dropped earlier in this turn
                    self._advance(waiting)
            elif key.fileobj is listener:
                is_listener_ready = True
            else:
                self._drain_wake()
        if is_listener_ready:
            self._accept_burst()
        self._expire()

    def _next_timeout(self, poll_interval: float) -> float:
        timeout = poll_interval
        now = time.monotonic()
        if self._waiting:
            oldest = next(iter(self._waiting.values()))
            timeout = min(timeout, oldest.deadline - now)
        if self._listener_paused_until is not None:
            timeout = min(timeout, self._listener_paused_until - now)
        return max(timeout, 0.0)

    def _drain_wake(self) -> None:
        try:
            self._wake_reader.recv(4096)
        except OSError:
            pass

    # --- accepting ---------------------------------------------------------------------------------

    def _accept_burst(self) -> None:
        for _ in range(_ACCEPT_BATCH):
            try:
                sock, address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                if error.errno not in _RESOURCE_ERRNOS:
                    # ECONNABORTED and friends: that client gave up; a TLS wrap that failed; try the next.
                    logger.debug("accept() failed: %r", error)
                    continue
                if self._waiting:
                    self._drop(next(iter(self._waiting.values())), "out of file descriptors")
                    continue
                logger.warning("accept() failed, pausing %.1f s: %r", _FD_EXHAUSTED_PAUSE, error)
                self._pause_listener()
                return
            self._admit(sock, address)

    def _admit(self, sock: socket.socket, address: Any) -> None:
        try:
            if not self._is_accepted(sock, address):
                close_quietly(sock)
                return
            sock.setblocking(False)
            now = time.monotonic()
            waiting = _Waiting(sock, address, now, now + self._header_timeout)
            self._selector.register(sock, selectors.EVENT_READ, waiting)
        except Exception as error:  # an unusable socket or a verify_request that raised: that client only
            logger.debug("Could not take a connection from %s: %r", address, error)
            close_quietly(sock)
            return
        self._waiting[sock] = waiting
        # A scraper sends its request right after connecting: it is often here already, and read now
        # it cannot be pushed out by the connections accepted after it.
        self._advance(waiting)
        if self._max_pending is not None and len(self._waiting) > self._max_pending:
            self._drop(next(iter(self._waiting.values())), "too many connections waiting")

    def _pause_listener(self) -> None:
        self._selector.unregister(self._listener)
        self._listener_paused_until = time.monotonic() + _FD_EXHAUSTED_PAUSE

    # --- reading heads -----------------------------------------------------------------------------

    def _advance(self, waiting: _Waiting) -> None:
        """Handshake and read as far as the socket allows without blocking; never raises."""
        try:
            self._read_head(waiting)
        except Exception:  # a bug must cost one connection, not the accept loop
            logger.exception("Error while reading a request head from %s", waiting.address)
            if self._waiting.get(waiting.sock) is waiting:
                self._drop(waiting, None)

    def _read_head(self, waiting: _Waiting) -> None:
        sock = waiting.sock
        try:
            if waiting.is_handshaking:
                sock.do_handshake()  # type: ignore[attr-defined]
                waiting.is_handshaking = False
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    if waiting.head:  # half-closed after a partial head: the parser sees the EOF, as the stdlib's would
                        self._hand_on(waiting)
                    else:
                        self._drop(waiting, None)
                    return
                waiting.head += chunk
                if is_head_complete(waiting.head):
                    self._hand_on(waiting)
                    return
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError):
            self._wait_for(waiting, selectors.EVENT_READ)
        except ssl.SSLWantWriteError:
            self._wait_for(waiting, selectors.EVENT_WRITE)
        except (OSError, ValueError) as error:  # reset, handshake failed (plain HTTP to TLS, bad client cert)...
            logger.debug("Connection from %s failed before its request: %r", waiting.address, error)
            self._drop(waiting, None)

    def _wait_for(self, waiting: _Waiting, events: int) -> None:
        if waiting.events != events:
            self._selector.modify(waiting.sock, events, waiting)
            waiting.events = events

    def _hand_on(self, waiting: _Waiting) -> None:
        self._forget(waiting)
        try:
            self._on_head(waiting.sock, waiting.address, waiting.head, waiting.accepted_at)
        except Exception:
            logger.exception("Error while handing on a request from %s", waiting.address)
            close_quietly(waiting.sock)

    # --- dropping ----------------------------------------------------------------------------------

    def _expire(self) -> None:
        now = time.monotonic()
        while self._waiting:
            oldest = next(iter(self._waiting.values()))
            if oldest.deadline > now:
                break
            self._drop(oldest, "no request head within header_timeout")
        if self._listener_paused_until is not None and now >= self._listener_paused_until:
            self._listener_paused_until = None
            self._selector.register(self._listener, selectors.EVENT_READ, None)

    def _forget(self, waiting: _Waiting) -> None:
        self._waiting.pop(waiting.sock, None)
        try:
            self._selector.unregister(waiting.sock)
        except (KeyError, ValueError, OSError):
            pass

    def _drop(self, waiting: _Waiting, reason: Optional[str]) -> None:
        self._forget(waiting)
        close_quietly(waiting.sock)
        if reason is not None:
            logger.debug("Closed the connection from %s: %s", waiting.address, reason)


def send_without_blocking(sock: socket.socket, data: bytes) -> bool:
    """Send ``data`` on a non-blocking socket if it fits in the send buffer now; never raises."""
    try:
        sock.setblocking(False)
        return sock.send(data) == len(data)
    except (OSError, ValueError):
        return False


# --- the workers' side: one deadline for the whole connection --------------------------------------


class DeadlineReader(socket.SocketIO):
    """A socket reader that fails once the connection's deadline (a ``time.monotonic()`` value) has passed.

    ``head``, bytes already read from the socket (by :class:`HeadGate`), is returned first.
    ``deadline=None``: no deadline (a blocking socket).
    """

    def __init__(self, sock: socket.socket, deadline: Optional[float], head: bytes = b"") -> None:
        super().__init__(sock, "rb")
        self._deadline = deadline
        self._head = head

    def readinto(self, buffer: Any) -> Optional[int]:
        if self._head:
            with memoryview(buffer) as view:
                count = min(len(view), len(self._head))
                view[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        if self._deadline is not None:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout("request deadline passed")
            self._sock.settimeout(remaining)  # type: ignore[attr-defined]
        return super().readinto(buffer)


class DeadlineWriter(io.RawIOBase):
    """The socket writer of a connection with a deadline: ``sendall`` may not outlast it."""

    def __init__(self, sock: socket.socket, deadline: Optional[float]) -> None:
        self._sock = sock
        self._deadline = deadline

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self._deadline is not None:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout("request deadline passed")
            # Since Python 3.5 sendall's timeout bounds the whole call, not each chunk.
            self._sock.settimeout(remaining)
        self._sock.sendall(data)
        with memoryview(data) as view:
            return view.nbytes


# What a server that gates its connections hands the handler: (head bytes read, accepted at), or None.
Handoff = Optional[Tuple[bytes, float]]


class DeadlineHandlerMixin:
    """Give each connection of a ``socketserver`` handler a total deadline: the server's ``request_timeout``.

    The deadline counts from accept. A connection that a :class:`HeadGate` held arrives with
    its head read (and its TLS handshake done): the server's ``take_handoff(request)`` returns
    ``(head, accepted_at)``. Otherwise a deferred TLS handshake is completed here, in the worker.
    A server with neither (a plain ``HTTPServer``) gets the usual buffered socket files.
    """

    request: socket.socket
    connection: socket.socket
    server: BaseServer
    rfile: Any
    wfile: Any

    def setup(self) -> None:
        take_handoff = getattr(self.server, "take_handoff", None)
        handoff: Handoff = take_handoff(self.request) if take_handoff is not None else None
        timeout = getattr(self.server, "request_timeout", None)
        if timeout is None and handoff is None:
            if isinstance(self.request, ssl.SSLSocket) and not getattr(self.request, "do_handshake_on_connect", True):
                self.request.do_handshake()
            super().setup()  # type: ignore[misc]
            return
        head, accepted_at = handoff if handoff is not None else (b"", time.monotonic())
        deadline = accepted_at + timeout if timeout is not None else None
        self.connection = self.request
        self.connection.settimeout(max(deadline - time.monotonic(), 0.001) if deadline is not None else None)
        if handoff is None and isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, deadline, head))
        self.wfile = DeadlineWriter(self.connection, deadline)
