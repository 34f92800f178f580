"""Socket I/O with one total deadline per connection, for the request handlers of the bounded server.

A plain socket timeout restarts on every byte, so a client sending one byte every few
seconds (slowloris) would hold a worker forever; a deadline does not restart. Nothing here
knows HTTP: the handler mixin only replaces ``socketserver``'s ``setup()``.

This module may import the standard library's socket, ssl and io; nothing of this package.
"""

from __future__ import annotations

import io
import socket
import ssl
import time
from socketserver import BaseServer
from typing import Any, Optional


class DeadlineReader(socket.SocketIO):
    """A socket reader that fails once the connection's deadline (a ``time.monotonic()`` value) has passed."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, "rb")
        self._deadline = deadline

    def readinto(self, buffer: Any) -> Optional[int]:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("request deadline passed")
        self._sock.settimeout(remaining)  # type: ignore[attr-defined]
        return super().readinto(buffer)


class DeadlineWriter(io.RawIOBase):
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


class DeadlineHandlerMixin:
    """Give each connection of a ``socketserver`` handler a total deadline: the server's ``request_timeout``.

    Also completes a deferred TLS handshake here, in the worker: the listening socket defers
    it so a slow TLS client cannot stall ``accept()``. A server without ``request_timeout``
    (a plain ``HTTPServer``) gets the usual buffered socket files.
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
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, deadline))
        self.wfile = DeadlineWriter(self.connection, deadline)
