"""The Graphite bridge against a real carbon-cache: plain paths, tags, and a carbon that starts late."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import List

import pytest

from prometheus_client.bridge.graphite import GraphiteBridge
from prometheus_client.metrics import Gauge
from prometheus_client.registry import CollectorRegistry

from . import realstack
from .realstack import Carbon, MissingBinary, free_port


def values(points: List[tuple]) -> List[float]:
    return [value for _, value in points]


@pytest.fixture
def gauge_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("queue_depth", "Jobs waiting", ["queue"], registry=registry).labels("mail.out").set(42)
    return registry


def test_carbon_stores_pushed_samples_as_path_parts(carbon: Carbon, gauge_registry: CollectorRegistry) -> None:
    started = time.time() - 5
    GraphiteBridge(("127.0.0.1", carbon.line_port), registry=gauge_registry).push(prefix="app")
    path = carbon.whisper_path("app.queue_depth.queue.mail_out")
    assert values(carbon.wait_for_points(path, since=started)) == [42.0]


def test_carbon_stores_pushed_samples_as_tagged_series(carbon: Carbon, gauge_registry: CollectorRegistry) -> None:
    started = time.time() - 5
    GraphiteBridge(("127.0.0.1", carbon.line_port), registry=gauge_registry, tags=True).push()
    path = carbon.tagged_whisper_path("queue_depth;queue=mail_out")
    assert values(carbon.wait_for_points(path, since=started)) == [42.0]


def require_carbon() -> None:
    """Fail (CI=true) or skip when carbon-cache is not installed, as the shared fixtures do."""
    try:
        realstack.find_binary("carbon-cache")
    except MissingBinary as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{error} (CI=true: integration servers must be installed)", pytrace=False)
        pytest.skip(str(error))


def start_carbon_on_line_port(workdir: Path, port: int, monkeypatch: pytest.MonkeyPatch) -> Carbon:
    """Start carbon with its line receiver on a port chosen earlier (Carbon picks its ports itself)."""
    ports = iter([port])
    monkeypatch.setattr(realstack, "free_port", lambda: next(ports, None) or free_port())
    try:
        return Carbon(workdir)
    finally:
        monkeypatch.undo()


def test_periodic_pusher_retries_until_carbon_starts(
    tmp_path_factory: pytest.TempPathFactory,
    gauge_registry: CollectorRegistry,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_carbon()  # before the pusher starts
    workdir = tmp_path_factory.mktemp("late_carbon")
    port = free_port()
    bridge = GraphiteBridge(("127.0.0.1", port), registry=gauge_registry, timeout_seconds=2)
    server = None
    with caplog.at_level(logging.ERROR, logger="prometheus_client"):
        handle = bridge.start(interval=0.2, prefix="late")
        try:
            deadline = time.monotonic() + 10
            while handle.failures < 2:
                assert time.monotonic() < deadline, "the pusher did not retry"
                time.sleep(0.05)
            server = start_carbon_on_line_port(workdir, port, monkeypatch)
            path = server.whisper_path("late.queue_depth.queue.mail_out")
            assert 42.0 in values(server.wait_for_points(Path(path), timeout=20))
        finally:
            bridge.stop()
            if server is not None:
                server.stop()
    assert any(f"Graphite pusher to 127.0.0.1:{port} failed" in r.getMessage() for r in caplog.records)
    assert any("cannot push to Graphite at 127.0.0.1" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
