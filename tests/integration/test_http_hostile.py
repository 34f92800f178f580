"""Hostile clients against start_http_server, at scale, for 30 s: every real scrape must still be answered.

Three processes on loopback: the server (a subprocess, so the official client can be put in the
same harness), the hostile clients (a subprocess running this file with ``hostile``: 1,000 idle
connections that never send a byte and 200 that send one byte a second, each reconnecting as
soon as the server drops it) and the scrapers (20 threads here, scraping back to back).

The official client, under the same load, for comparison (not a test: it fails it)::

    .venv/py3.11/bin/python tests/integration/test_http_hostile.py compare [--seconds 30]

Figures measured on the development machine are in docs/http.md ("Hostile clients").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import selectors
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List, Optional, Sequence, Tuple

try:
    import resource
except ImportError:  # Windows: no fd limit to raise, and no /proc to count in
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_PYTHON = Path("/work/official-venv/bin/python")
IDLE_CLIENTS = 1000
SLOW_CLIENTS = 200
SCRAPERS = 20
SECONDS = 30.0
FDS_NEEDED = 4096  # each of the server and hostile processes holds ~1,250 sockets; headroom for churn

# The server under test: start_http_server on a free port with the default registry; prints the port,
# serves until a line on stdin, then stops and prints what it left open (fds, threads) as JSON.
SERVER_CODE = r"""
import json, os, sys, threading
try:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, int(sys.argv[1])), hard))
except ImportError:
    pass
from prometheus_client import Counter, start_http_server
Counter("scrapes_seen", "Scrapes seen").inc()
tls = dict(certfile=sys.argv[2], keyfile=sys.argv[3]) if len(sys.argv) > 3 else {}
def fds():
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1
fds_before = fds()
server, thread = start_http_server(0, "127.0.0.1", **tls)
print(server.server_port, flush=True)
sys.stdin.readline()
server.shutdown()
server.server_close()
thread.join(10)
print(json.dumps({
    "fds_before": fds_before,
    "fds_after": fds(),
    "cpu_seconds": round(sum(os.times()[:2]), 1),
    "threads": sorted(t.name for t in threading.enumerate() if t is not threading.main_thread()),
}), flush=True)
"""


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's soft fd limit towards ``wanted`` (never above the hard limit); the new soft limit."""
    if resource is None:
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- the hostile clients (run in their own process) ------------------------------------------------


def run_hostile(port: int, idle: int, slow: int, seconds: float) -> Dict[str, int]:
    """Hold ``idle`` silent and ``slow`` byte-a-second connections open for ``seconds``, reconnecting when dropped."""
    raise_fd_limit(FDS_NEEDED)
    selector = selectors.DefaultSelector()
    kinds: Dict[socket.socket, str] = {}
    sent: Dict[socket.socket, int] = {}
    counts = {"connects": 0, "dropped_by_server": 0, "connect_errors": 0}
    trickle = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4096

    def open_one(kind: str) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex(("127.0.0.1", port))
        if code not in (0, 115, 36, 10035):  # 0, EINPROGRESS (Linux, macOS), WSAEWOULDBLOCK
            counts["connect_errors"] += 1
        selector.register(sock, selectors.EVENT_READ)
        kinds[sock] = kind
        sent[sock] = 0
        counts["connects"] += 1

    def reopen(sock: socket.socket) -> None:
        kind = kinds.pop(sock)
        sent.pop(sock, None)
        selector.unregister(sock)
        sock.close()
        counts["dropped_by_server"] += 1
        open_one(kind)

    for _ in range(idle):
        open_one("idle")
    for _ in range(slow):
        open_one("slow")
    deadline = time.monotonic() + seconds
    next_byte = time.monotonic() + 1.0
    try:
        while time.monotonic() < deadline:
            for key, _ in selector.select(0.1):
                sock = key.fileobj  # type: ignore[assignment]
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    reopen(sock)  # type: ignore[arg-type]
            if time.monotonic() >= next_byte:
                next_byte += 1.0
                for sock, kind in list(kinds.items()):
                    if kind == "slow":
                        try:
                            sock.send(trickle[sent[sock] : sent[sock] + 1])
                            sent[sock] += 1
                        except (BlockingIOError, OSError):
                            pass  # still connecting, or dropped: the read side notices
    finally:
        for sock in kinds:
            sock.close()
        selector.close()
    return counts


@dataclass
class Hostile:
    """The hostile-client subprocess; ``counts`` once it has finished."""

    process: "subprocess.Popen[str]"
    counts: Dict[str, int] = field(default_factory=dict)

    def wait(self) -> Dict[str, int]:
        out, _ = self.process.communicate(timeout=SECONDS + 60)
        self.counts = json.loads(out.strip().splitlines()[-1])
        return self.counts


def start_hostile(port: int, seconds: float, idle: int = IDLE_CLIENTS, slow: int = SLOW_CLIENTS) -> Hostile:
    command = [sys.executable, __file__, "hostile", str(port), str(idle), str(slow), str(seconds)]
    return Hostile(subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=str(ROOT)))


# --- the server and the scrapers -------------------------------------------------------------------


@dataclass
class Server:
    process: "subprocess.Popen[str]"
    port: int

    def stop(self) -> Dict[str, Any]:
        """Ask the server to shut down; what it left open (``fds_before``, ``fds_after``, ``threads``).

        ``{}`` if it has not stopped within 30 s (the official server's shutdown() waits forever
        while its accept() is stuck in a TLS handshake); it is killed then.
        """
        try:
            out, _ = self.process.communicate("stop\n", timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            return {}
        lines = out.strip().splitlines()
        return json.loads(lines[-1]) if lines else {}

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def start_server(python: Sequence[str], cwd: str, tls: Optional[Tuple[str, str]]) -> Server:
    command = [*python, "-c", SERVER_CODE, str(FDS_NEEDED), *(tls or ())]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=cwd)
    stdout: IO[str] = process.stdout  # type: ignore[assignment]
    line = stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        process.wait(10)
        raise RuntimeError(f"server did not start: {line!r}")
    return Server(process, int(line))


def ours() -> Tuple[List[str], str]:
    return [sys.executable], str(ROOT)  # -c puts the working directory (the checkout) first on sys.path


def official() -> Tuple[List[str], str]:
    # -I: not the working directory's prometheus_client (ours), the official venv's.
    return [str(OFFICIAL_PYTHON), "-I"], tempfile.gettempdir()


@dataclass
class Scrapes:
    """What the scrapers saw: a status (0: no answer) and seconds per scrape."""

    statuses: List[int] = field(default_factory=list)
    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)

    @property
    def answered_200(self) -> int:
        return self.statuses.count(200)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("inf")

    def summary(self) -> str:
        return (
            f"{self.answered_200}/{len(self.statuses)} scrapes answered 200, "
            f"p50 {self.percentile(0.5) * 1000:.1f} ms, p99 {self.percentile(0.99) * 1000:.1f} ms, "
            f"max {max(self.latencies, default=float('inf')) * 1000:.1f} ms"
            + (f"; errors: {sorted(set(self.errors))[:3]}" if self.errors else "")
        )


def scrape_for(port: int, seconds: float, cafile: Optional[str], scrapers: int = SCRAPERS) -> Scrapes:
    """``scrapers`` threads scraping back to back (a 10 s timeout each) for ``seconds``."""
    scrapes = Scrapes()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    context = ssl.create_default_context(cafile=cafile) if cafile else None

    def scrape_loop() -> None:
        while time.monotonic() < stop_at:
            started = time.monotonic()
            if context is not None:
                connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                    "127.0.0.1", port, context=context, timeout=10
                )
            else:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status, error = 0, ""
            try:
                connection.request("GET", "/metrics")
                response = connection.getresponse()
                body = response.read()
                status = response.status if b"scrapes_seen_total" in body or response.status != 200 else -1
            except Exception as problem:  # a refused, reset or timed-out scrape is data here
                error = type(problem).__name__
            finally:
                connection.close()
            with lock:
                scrapes.statuses.append(status)
                scrapes.latencies.append(time.monotonic() - started)
                if error:
                    scrapes.errors.append(error)
            time.sleep(0.01)

    threads = [threading.Thread(target=scrape_loop, name=f"scraper-{i}") for i in range(scrapers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    return scrapes


def make_self_signed_cert(folder: Path) -> Tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, by the openssl CLI (Debian's ``openssl`` package)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise FileNotFoundError("the openssl CLI is needed for the TLS scenario")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return str(cert), str(key)


@dataclass
class Outcome:
    scrapes: Scrapes
    hostile: Dict[str, int]
    server_report: Dict[str, Any]


def run_scenario(
    implementation: Tuple[List[str], str], tls: Optional[Tuple[str, str]], seconds: float = SECONDS
) -> Outcome:
    """The hostile load plus the scrapers against one server, for ``seconds``; everything stopped after."""
    python, cwd = implementation
    server = start_server(python, cwd, tls)
    hostile: Optional[Hostile] = None
    try:
        hostile = start_hostile(server.port, seconds + 2)
        time.sleep(2.0)  # let the hostile connections pile up first
        scrapes = scrape_for(server.port, seconds, tls[0] if tls else None)
        counts = hostile.wait()
        report = server.stop()
        return Outcome(scrapes, counts, report)
    finally:
        if hostile is not None and hostile.process.poll() is None:
            hostile.process.kill()
            hostile.process.wait(10)
        if hostile is not None and hostile.process.stdout is not None:
            hostile.process.stdout.close()
        server.kill()


# --- the tests ----------------------------------------------------------------------------------------

if __name__ != "__main__":
    import pytest

    pytestmark = [
        pytest.mark.slow,
        pytest.mark.skipif(resource is None or not os.path.isdir("/proc/self/fd"), reason="needs rlimits and /proc"),
    ]

    @pytest.fixture(scope="module")
    def enough_fds() -> None:
        if raise_fd_limit(FDS_NEEDED) < IDLE_CLIENTS + SLOW_CLIENTS + 300:  # what the subprocesses will get
            pytest.skip(f"the hard fd limit is too low for {IDLE_CLIENTS + SLOW_CLIENTS} connections")

    @pytest.fixture(scope="module")
    def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[str, str]]:
        try:
            yield make_self_signed_cert(tmp_path_factory.mktemp("tls"))
        except FileNotFoundError as error:
            if os.environ.get("CI") == "true":
                pytest.fail(str(error))
            pytest.skip(str(error))

    def _check(outcome: Outcome) -> None:
        scrapes = outcome.scrapes
        assert len(scrapes.statuses) > 100, scrapes.summary()
        assert scrapes.answered_200 == len(scrapes.statuses), scrapes.summary()
        assert scrapes.percentile(0.99) < 1.0, scrapes.summary()
        # The load really was there: every hostile connection was made, and the server dropped them.
        assert outcome.hostile["connects"] >= IDLE_CLIENTS + SLOW_CLIENTS, outcome.hostile
        assert outcome.hostile["dropped_by_server"] > 0, outcome.hostile
        # The server left nothing open: no thread, no socket beyond what it had before starting.
        report = outcome.server_report
        assert report["threads"] == [], report
        assert report["fds_after"] <= report["fds_before"], report

    def test_scrapes_are_answered_while_1000_idle_and_200_slow_clients_hold_connections(enough_fds: None) -> None:
        outcome = run_scenario(ours(), tls=None)
        print(f"\nplain HTTP, ours: {outcome.scrapes.summary()}; hostile: {outcome.hostile}")
        _check(outcome)

    def test_tls_scrapes_are_answered_while_1000_clients_never_handshake_and_200_trickle(
        enough_fds: None, certificate: Tuple[str, str]
    ) -> None:
        outcome = run_scenario(ours(), tls=certificate)
        print(f"\nTLS, ours: {outcome.scrapes.summary()}; hostile: {outcome.hostile}")
        _check(outcome)


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    hostile = commands.add_parser("hostile", help="run the hostile clients (the tests start this)")
    for name, kind in (("port", int), ("idle", int), ("slow", int), ("seconds", float)):
        hostile.add_argument(name, type=kind)
    compare = commands.add_parser("compare", help="the scenarios against ours and the official client")
    compare.add_argument("--seconds", type=float, default=SECONDS)
    arguments = parser.parse_args(argv)
    if arguments.command == "hostile":
        print(json.dumps(run_hostile(arguments.port, arguments.idle, arguments.slow, arguments.seconds)), flush=True)
        return
    raise_fd_limit(FDS_NEEDED)
    with tempfile.TemporaryDirectory() as folder:
        cert = make_self_signed_cert(Path(folder))
        for label, implementation in (("ours", ours()), ("official", official())):
            for scenario, tls in (("plain HTTP", None), ("TLS", cert)):
                outcome = run_scenario(implementation, tls, arguments.seconds)
                print(f"{scenario}, {label}: {outcome.scrapes.summary()}; hostile: {outcome.hostile}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
