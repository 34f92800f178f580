"""GraphiteBridge: plaintext lines (paths and tags), push errors, the periodic pusher."""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Iterator, List

import pytest

from prometheus_client.bridge.graphite import GraphiteBridge, _sanitize
from prometheus_client.metrics import Counter, Gauge, Histogram
from prometheus_client.registry import CollectorRegistry


class LineReceiver:
    """A TCP listener on 127.0.0.1 that collects everything sent to it, one connection at a time."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.payloads: List[bytes] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                chunks = []
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                self.payloads.append(b"".join(chunks))

    def wait_for_payloads(self, count: int, timeout: float = 5.0) -> List[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.payloads) < count:
            assert time.monotonic() < deadline, f"got {len(self.payloads)} payloads, wanted {count}"
            time.sleep(0.005)
        return self.payloads

    def close(self) -> None:
        self._stopping.set()
        try:  # wakes the accept() at once (it fails), instead of at its next 0.05 s timeout
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def receiver() -> Iterator[LineReceiver]:
    server = LineReceiver()
    yield server
    server.close()


@pytest.fixture
def labelled_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    gauge = Gauge("labels", "help", ["b", "a"], registry=registry)
    gauge.labels(b="c/d", a="x.y").set(1)
    return registry


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_push_sends_labels_as_path_parts_sorted_by_name(
    receiver: LineReceiver, labelled_registry: CollectorRegistry
) -> None:
    bridge = GraphiteBridge(("127.0.0.1", receiver.port), registry=labelled_registry, _timer=lambda: 1434898897.5)
    bridge.push()
    assert receiver.wait_for_payloads(1) == [b"labels.a.x_y.b.c_d 1.0 1434898897\n"]


def test_push_with_tags_sends_graphite_tags(receiver: LineReceiver, labelled_registry: CollectorRegistry) -> None:
    bridge = GraphiteBridge(
        ("127.0.0.1", receiver.port), registry=labelled_registry, _timer=lambda: 1434898897.5, tags=True
    )
    bridge.push(prefix="pre.fix")
    assert receiver.wait_for_payloads(1) == [b"pre.fix.labels;a=x_y;b=c_d 1.0 1434898897\n"]


def test_lines_for_counter_and_prefix(registry: CollectorRegistry) -> None:
    counter = Counter("requests", "help", registry=registry)
    counter.inc(2)
    bridge = GraphiteBridge(("127.0.0.1", 1), registry=registry, _timer=lambda: 1000.0)
    lines = bridge.lines(prefix="app")
    assert "app.requests_total 2.0 1000\n" in lines
    assert all(line.startswith("app.requests_") for line in lines)


def test_special_values_are_written_as_floats(registry: CollectorRegistry) -> None:
    Gauge("g", "h", ["k"], registry=registry).labels("inf").set(float("inf"))
    bridge = GraphiteBridge(("127.0.0.1", 1), registry=registry, _timer=lambda: 5.0)
    assert bridge.lines() == ["g.k.inf inf 5\n"]


def test_native_histogram_samples_are_left_out_and_classic_ones_sent(registry: CollectorRegistry) -> None:
    histogram = Histogram("lat", "h", registry=registry, buckets=(1.0,), native_histogram_bucket_factor=2)
    histogram.observe(0.5)
    Histogram("only", "h", registry=registry, buckets=(), native_histogram_bucket_factor=2).observe(1.0)
    bridge = GraphiteBridge(("127.0.0.1", 1), registry=registry, _timer=lambda: 5.0)
    assert [line for line in bridge.lines() if not line.startswith("lat_created ")] == [
        "lat_bucket.le.1_0 1.0 5\n", "lat_bucket.le._Inf 1.0 5\n", "lat_count 1.0 5\n", "lat_sum 0.5 5\n",
    ]


@pytest.mark.parametrize(
    "raw, clean",
    [("a.b", "a_b"), ("a b/c:d", "a_b_c_d"), ("keep-this_9", "keep-this_9"), ("é;=~", "____"), ("", "")],
)
def test_sanitize_replaces_everything_outside_word_characters_and_dash(raw: str, clean: str) -> None:
    assert _sanitize(raw) == clean


def test_push_to_closed_port_raises_error_naming_the_address(labelled_registry: CollectorRegistry) -> None:
    port = closed_port()
    bridge = GraphiteBridge(("127.0.0.1", port), registry=labelled_registry, timeout_seconds=5)
    with pytest.raises(ConnectionRefusedError, match=f"cannot push to Graphite at 127.0.0.1:{port}"):
        bridge.push()


def test_start_pushes_now_and_periodically(receiver: LineReceiver, labelled_registry: CollectorRegistry) -> None:
    bridge = GraphiteBridge(("127.0.0.1", receiver.port), registry=labelled_registry)
    handle = bridge.start(interval=0.02, prefix="p")
    try:
        payloads = receiver.wait_for_payloads(3)
    finally:
        handle.stop()
    assert all(p.startswith(b"p.labels.a.x_y.b.c_d 1.0 ") for p in payloads)
    assert not handle.is_running


def test_start_twice_with_same_arguments_returns_the_running_pusher(
    receiver: LineReceiver, labelled_registry: CollectorRegistry
) -> None:
    bridge = GraphiteBridge(("127.0.0.1", receiver.port), registry=labelled_registry)
    first = bridge.start(interval=3600, prefix="p")
    try:
        assert bridge.start(interval=3600.0, prefix="p") is first
        pushers = [t for t in threading.enumerate() if t.name.startswith("Graphite pusher")]
        assert len(pushers) == 1
        with pytest.raises(RuntimeError, match="call stop"):
            bridge.start(interval=10, prefix="p")
    finally:
        bridge.stop()
    assert not first.is_running
    second = bridge.start(interval=3600, prefix="q")  # a stopped bridge can start again
    second.stop()
    assert second is not first


def test_periodic_pusher_logs_errors_and_delivers_once_carbon_is_up(
    labelled_registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    port = closed_port()
    bridge = GraphiteBridge(("127.0.0.1", port), registry=labelled_registry, timeout_seconds=1)
    with caplog.at_level(logging.ERROR, logger="prometheus_client"):
        handle = bridge.start(interval=0.02)
        server = None
        try:
            deadline = time.monotonic() + 5
            while handle.failures < 2:
                assert time.monotonic() < deadline
                time.sleep(0.005)
            server = LineReceiver(port)
            server.wait_for_payloads(1)
        finally:
            handle.stop()
            if server is not None:
                server.close()
    assert handle.is_running is False
    assert any(f"Graphite pusher to 127.0.0.1:{port} failed" in r.getMessage() for r in caplog.records)
    assert any("cannot push to Graphite" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
