"""Hostile clients against the built-in servers, small and quick: idle, trickling, half-open, TLS-silent, floods.

No worker is taken before a whole request head has arrived; waiting connections are bounded in
time (``header_timeout``) and number (``max_pending_connections``, the oldest dropped); a
request beyond ``max_concurrent_requests`` gets a 503 from the accept loop without blocking it,
with fds above 1024 too. The 30-second runs at scale are in tests/integration/test_http_hostile.py.
"""

from __future__ import annotations

import http.client
import os
import selectors
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from typing import Any, Callable, Iterator, List, Optional, Tuple

import pytest

from prometheus_client._deadline_io import MAX_HEAD_BYTES, is_head_complete
from prometheus_client._http_server import ServerLimits, start_http_server, start_wsgi_server
from prometheus_client.metrics_core import GaugeMetricFamily
from prometheus_client.registry import CollectorRegistry

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

BODY = b"# HELP held Held\n# TYPE held gauge\nheld 1.0\n"


class Collector:
    """Serves one gauge; with ``hold`` set, each scrape waits for ``release`` (so a test can fill the workers)."""

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def collect(self) -> Any:
        if self.hold:
            self.entered.release()
            self.release.wait(10)
        yield GaugeMetricFamily("held", "Held", value=1)


def _server_threads() -> List[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("prometheus-")]


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as exits:
        yield exits
    deadline = time.monotonic() + 5
    while _server_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _server_threads() == []


def serve(
    stack: ExitStack,
    collector: Optional[Collector] = None,
    start: Callable[..., Any] = start_http_server,
    **options: Any,
) -> Tuple[Any, int]:
    registry = CollectorRegistry()
    registry.register(collector or Collector())
    server, thread = start(0, "127.0.0.1", registry, **options)

    def stop() -> None:
        if collector is not None:
            collector.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)

    stack.callback(stop)
    return server, server.server_port


def connect(stack: ExitStack, port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    stack.callback(sock.close)
    return sock


def scrape(port: int, context: Optional[ssl.SSLContext] = None, timeout: float = 5) -> Tuple[int, bytes, float]:
    """(status, body, seconds taken)."""
    started = time.monotonic()
    if context is not None:
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, context=context, timeout=timeout
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        connection.close()


def is_closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` (EOF or reset) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def any_closed_by_server(socks: List[socket.socket], within: float) -> bool:
    """Whether the server closes any of ``socks`` within ``within`` seconds (all watched at once)."""
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        readable = [key.fileobj for key, _ in selector.select(within)]
    # Nothing is sent to these clients: readable means EOF or a reset, which is_closed_by_server confirms.
    return any(is_closed_by_server(sock, within=1) for sock in readable)  # type: ignore[arg-type]


def wait_until(condition: Callable[[], bool], timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# --- where a head ends -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head, is_complete",
    [
        (b"", False),
        (b"GET /metrics HTTP/1.1\r\nHost: x\r\n", False),
        (b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", True),
        (b"GET /metrics HTTP/1.0\n\n", True),  # bare newlines, as the stdlib parser accepts
        (b"GET /metrics HTTP/1.0\r\n\r\n", True),
        (b"GET /\r\n", True),  # HTTP/0.9: the request line is all
        (b"garbage\r\n", True),  # one word: a 400 from the line alone
        (b"GET /metrics HTTP/1.1", False),
        (b"G" * MAX_HEAD_BYTES, True),  # too long for the parser: it answers 414 itself
    ],
    ids=["empty", "headers-unfinished", "crlf", "lf", "no-headers", "http-0.9", "one-word", "no-newline", "huge"],
)
def test_a_head_is_complete_when_the_stdlib_parser_would_stop_reading(head: bytes, is_complete: bool) -> None:
    assert is_head_complete(head) is is_complete


# --- idle, trickling and half-open clients ---------------------------------------------------------


@pytest.mark.parametrize("start", [start_http_server, start_wsgi_server], ids=["http", "wsgi"])
def test_idle_and_half_open_connections_take_no_worker(stack: ExitStack, start: Callable[..., Any]) -> None:
    _, port = serve(stack, start=start, max_concurrent_requests=1)
    for _ in range(50):
        connect(stack, port)  # never sends a byte
    for _ in range(5):
        connect(stack, port).sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # a head never finished
    for _ in range(5):
        connect(stack, port).shutdown(socket.SHUT_WR)  # half-open: closed its side without a byte
    status, body, seconds = scrape(port)
    assert (status, body) == (200, BODY)
    assert seconds < 1


def test_a_connection_without_a_whole_head_is_closed_at_the_header_timeout(stack: ExitStack) -> None:
    _, port = serve(stack, limits=ServerLimits(header_timeout=0.15))
    idle = connect(stack, port)
    trickling = connect(stack, port)
    started = time.monotonic()
    trickling.sendall(b"GET /metrics HTTP/1.1\r\n")
    for _ in range(2):
        time.sleep(0.04)
        trickling.sendall(b"X")  # bytes keep coming, the deadline does not move
    assert is_closed_by_server(trickling, within=2)
    assert is_closed_by_server(idle, within=2)
    assert 0.12 < time.monotonic() - started < 1.5


def test_the_header_timeout_never_outlasts_the_request_timeout(stack: ExitStack) -> None:
    _, port = serve(stack, request_timeout=0.15)  # header_timeout stays 10 s
    started = time.monotonic()
    assert is_closed_by_server(connect(stack, port), within=3)
    assert time.monotonic() - started < 1.5


def test_beyond_max_pending_connections_the_oldest_waiting_one_is_dropped(stack: ExitStack) -> None:
    server, port = serve(stack, limits=ServerLimits(max_pending_connections=3))
    oldest = connect(stack, port)
    others = []
    for _ in range(3):
        time.sleep(0.02)  # accepted in this order
        others.append(connect(stack, port))
    assert is_closed_by_server(oldest, within=2)
    assert not any_closed_by_server(others, within=0.05)
    assert scrape(port)[0] == 200  # a scrape arriving now pushes out an idle one, not itself


def test_a_half_closed_client_after_its_request_line_is_answered_as_the_stdlib_would(stack: ExitStack) -> None:
    _, port = serve(stack)
    sock = connect(stack, port)
    sock.sendall(b"GET /metrics HTTP/1.0\r\n")
    sock.shutdown(socket.SHUT_WR)  # EOF ends the headers for the stdlib parser
    answer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    assert answer.startswith(b"HTTP/1.0 200 OK\r\n")
    assert answer.endswith(BODY)


# --- TLS ------------------------------------------------------------------------------------------


def test_tls_clients_that_never_send_a_client_hello_block_no_scrape(
    stack: ExitStack, self_signed_cert: Tuple[str, str]
) -> None:
    cert, key = self_signed_cert
    _, port = serve(stack, certfile=cert, keyfile=key, max_concurrent_requests=1)
    for _ in range(100):
        connect(stack, port)
    half_hello = connect(stack, port)
    half_hello.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a ClientHello cut short
    status, body, seconds = scrape(port, ssl.create_default_context(cafile=cert))
    assert (status, body) == (200, BODY)
    assert seconds < 1


def test_a_stalled_tls_handshake_is_closed_at_the_header_timeout(
    stack: ExitStack, self_signed_cert: Tuple[str, str]
) -> None:
    cert, key = self_signed_cert
    _, port = serve(stack, certfile=cert, keyfile=key, limits=ServerLimits(header_timeout=0.15))
    started = time.monotonic()
    assert is_closed_by_server(connect(stack, port), within=3)
    assert time.monotonic() - started < 1.5


def test_tls_rejection_beyond_the_bound_is_a_503_after_the_handshake(
    stack: ExitStack, self_signed_cert: Tuple[str, str]
) -> None:
    cert, key = self_signed_cert
    held = Collector(hold=True)
    _, port = serve(stack, held, certfile=cert, keyfile=key, max_concurrent_requests=1)
    context = ssl.create_default_context(cafile=cert)
    holder = threading.Thread(target=scrape, args=(port, context))
    holder.start()
    try:
        assert held.entered.acquire(timeout=5)
        status, body, seconds = scrape(port, context)
        assert (status, body, seconds < 1) == (503, b"Too many concurrent requests\n", True)
    finally:
        held.release.set()
        holder.join(10)


# --- the rejection path and floods ----------------------------------------------------------------


@pytest.fixture
def many_fds() -> Iterator[None]:
    """Over 1,024 fds open in this process, so every socket the server accepts has a number above 1024."""
    if resource is None:
        pytest.skip("no resource module")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1400
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the hard fd limit ({hard}) is below {wanted}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert max(fds) > 1024
        yield
    finally:
        for fd in fds:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_503_path_works_with_fds_above_1024(stack: ExitStack, many_fds: None) -> None:
    held = Collector(hold=True)
    _, port = serve(stack, held, max_concurrent_requests=1)
    holder = threading.Thread(target=scrape, args=(port,))
    holder.start()
    try:
        assert held.entered.acquire(timeout=5)
        probe = connect(stack, port)
        assert probe.fileno() > 1024
        for _ in range(3):
            status, _, seconds = scrape(port)
            assert (status, seconds < 1) == (503, True)
    finally:
        held.release.set()
        holder.join(10)
    # The accept loop is alive and the slot comes back (the holder may have its answer a moment before
    # its worker gives the slot back: under PyPy that moment is long enough to see).
    deadline = time.monotonic() + 5
    while scrape(port)[0] != 200:
        assert time.monotonic() < deadline, "the slot never came back"
        time.sleep(0.01)


def test_a_flood_of_complete_requests_gets_503s_not_more_threads(stack: ExitStack) -> None:
    held = Collector(hold=True)
    _, port = serve(stack, held, max_concurrent_requests=4)
    flood = [connect(stack, port) for _ in range(200)]
    for sock in flood:
        sock.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
    for _ in range(4):
        assert held.entered.acquire(timeout=5)
    workers_seen = _server_threads().count("prometheus-http-worker")
    answered: List[bytes] = []
    with selectors.DefaultSelector() as selector:
        for sock in flood:
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + 5
        while len(answered) < 196 and time.monotonic() < deadline:
            workers_seen = max(workers_seen, _server_threads().count("prometheus-http-worker"))
            for key, _ in selector.select(0.1):
                selector.unregister(key.fileobj)
                answered.append(key.fileobj.recv(12))  # type: ignore[union-attr]
        assert workers_seen == 4
        assert answered == [b"HTTP/1.0 503"] * 196
        assert selector.select(0.1) == []  # the 4 held requests are still being served
    held.release.set()
    assert wait_until(lambda: "prometheus-http-worker" not in _server_threads())
    assert scrape(port)[0] == 200


@pytest.mark.skipif(shutil.which("ss") is None or not sys.platform.startswith("linux"), reason="needs Linux ss")
@pytest.mark.parametrize("backlog", [None, 300], ids=["default-4096", "configured"])
def test_the_listen_backlog_is_large_by_default_and_configurable(stack: ExitStack, backlog: Optional[int]) -> None:
    _, port = serve(stack, limits=ServerLimits() if backlog is None else ServerLimits(listen_backlog=backlog))
    listing = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, timeout=10, check=True
    ).stdout.split()
    with open("/proc/sys/net/core/somaxconn") as somaxconn:
        # Send-Q of a listening socket: its backlog (the stdlib's default would be 5).
        assert int(listing[2]) == min(backlog or 4096, int(somaxconn.read()))


def test_out_of_fds_the_oldest_waiting_connection_makes_room(stack: ExitStack) -> None:
    """A server process at its fd limit drops a waiting connection to accept a new one (no busy loop, no crash)."""
    if resource is None:
        pytest.skip("no resource module")
    # The server process is forked (a new interpreter would add only its start-up, 0.3 s on PyPy); it lowers
    # its own limit to 20 fds above what it has open once serving, and serves until the test ends.
    port_reader, port_writer = os.pipe()
    end_reader, end_writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(port_reader)
            os.close(end_writer)
            server, _ = start_http_server(0, "127.0.0.1", limits=ServerLimits(max_pending_connections=None))
            used = len(os.listdir("/proc/self/fd"))
            resource.setrlimit(resource.RLIMIT_NOFILE, (used + 20, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
            os.write(port_writer, f"{server.server_port}\n".encode())
            os.read(end_reader, 1)  # returns when the test closes its end
            code = 0
        finally:
            os._exit(code)
    os.close(port_writer)
    os.close(end_reader)
    try:
        with os.fdopen(port_reader, "rb") as answer:
            port = int(answer.readline())
        for _ in range(60):
            connect(stack, port)  # three times what the server process has fds for
        status, _, seconds = scrape(port)
        assert (status, seconds < 2) == (200, True)
        assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # still running
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(end_writer)


def test_new_limits_are_checked_and_limits_excludes_the_two_keywords() -> None:
    for bad in ({"header_timeout": 0}, {"max_pending_connections": 0}, {"listen_backlog": 0}):
        with pytest.raises(ValueError, match=f"^{next(iter(bad))} must be"):
            ServerLimits(**bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not both"):
        start_http_server(0, "127.0.0.1", CollectorRegistry(), max_concurrent_requests=2, limits=ServerLimits())
    assert _server_threads() == []
