"""write_to_textfile and the periodic textfile writer: atomic replace, errors, cleanup."""

from __future__ import annotations

import logging
import os
import stat
import time
from pathlib import Path
from typing import Iterable, List

import pytest

from prometheus_client import _textfile
from prometheus_client._textfile import TextfileWriter, start_textfile_writer, write_to_textfile
from prometheus_client.metrics import Gauge
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import CollectorRegistry


@pytest.fixture
def gauge_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("raid_status", "1 if the RAID array is OK", registry=registry).set(1)
    return registry


def files_in(directory: Path) -> List[str]:
    return sorted(p.name for p in directory.iterdir())


def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_writes_prometheus_text(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    target = tmp_path / "raid.prom"
    write_to_textfile(str(target), gauge_registry)
    assert target.read_text() == (
        "# HELP raid_status 1 if the RAID array is OK\n# TYPE raid_status gauge\nraid_status 1.0\n"
    )
    assert files_in(tmp_path) == ["raid.prom"]


def test_accepts_path_objects_and_replaces_existing_file(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    target = tmp_path / "raid.prom"
    target.write_text("old\n")
    write_to_textfile(target, gauge_registry)
    assert target.read_text().endswith("raid_status 1.0\n")
    assert files_in(tmp_path) == ["raid.prom"]


def test_file_mode_follows_umask_so_other_users_can_read(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    old_umask = os.umask(0o022)
    try:
        write_to_textfile(tmp_path / "raid.prom", gauge_registry)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "raid.prom").stat().st_mode) == 0o644


def test_default_escaping_allows_utf8_names_and_can_be_changed(tmp_path: Path) -> None:
    class Dotted:
        def collect(self) -> Iterable[Metric]:
            yield GaugeMetricFamily("my.metric", "h", value=1)

    registry = CollectorRegistry()
    registry.register(Dotted())
    write_to_textfile(tmp_path / "a.prom", registry)
    assert (tmp_path / "a.prom").read_text() == '# HELP "my.metric" h\n# TYPE "my.metric" gauge\n{"my.metric"} 1.0\n'
    write_to_textfile(tmp_path / "b.prom", registry, escaping="underscores")
    assert (tmp_path / "b.prom").read_text() == "# HELP my_metric h\n# TYPE my_metric gauge\nmy_metric 1.0\n"


def test_parent_that_is_a_file_raises_error_naming_the_path(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("")
    target = blocker / "raid.prom"
    with pytest.raises(NotADirectoryError) as raised:
        write_to_textfile(str(target), gauge_registry)
    assert str(target) in str(raised.value)
    assert files_in(tmp_path) == ["not_a_dir"]


def test_missing_directory_raises_file_not_found_naming_the_path(
    tmp_path: Path, gauge_registry: CollectorRegistry
) -> None:
    target = tmp_path / "missing" / "raid.prom"
    with pytest.raises(FileNotFoundError, match="raid.prom"):
        write_to_textfile(target, gauge_registry)


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_keeps_old_file_and_removes_temp_file(
    tmp_path: Path, gauge_registry: CollectorRegistry, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "raid.prom"
    target.write_text("old content\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_textfile.os, failing, fail)
    with pytest.raises(OSError) as raised:
        write_to_textfile(target, gauge_registry)
    monkeypatch.undo()
    assert raised.value.errno == 28
    assert str(target) in str(raised.value) and "No space left on device" in str(raised.value)
    assert target.read_text() == "old content\n"
    assert files_in(tmp_path) == ["raid.prom"]


def test_failing_collector_leaves_old_file_and_no_temp_file(tmp_path: Path) -> None:
    class Broken:
        def collect(self) -> Iterable[Metric]:
            raise RuntimeError("collector broke")

    registry = CollectorRegistry()
    registry.register(Broken())
    target = tmp_path / "raid.prom"
    target.write_text("old content\n")
    with pytest.raises(RuntimeError, match="collector broke"):
        write_to_textfile(target, registry)
    assert target.read_text() == "old content\n"
    assert files_in(tmp_path) == ["raid.prom"]


def test_temp_file_goes_to_tmpdir_and_never_ends_in_prom(
    tmp_path: Path, gauge_registry: CollectorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    sources: List[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        sources.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(_textfile.os, "replace", spy)
    write_to_textfile(tmp_path / "raid.prom", gauge_registry, tmpdir=str(staging))
    assert len(sources) == 1
    assert Path(sources[0]).parent == staging
    assert not sources[0].endswith(".prom") and Path(sources[0]).name.startswith(".")
    assert (tmp_path / "raid.prom").exists() and files_in(staging) == []


def test_periodic_writer_writes_at_start_and_rewrites(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    gauge = Gauge("progress", "h", registry=registry)
    target = tmp_path / "progress.prom"
    writer = start_textfile_writer(target, registry, interval=0.01)
    try:
        assert "progress 0.0" in target.read_text()  # written before start returned
        gauge.set(7)
        wait_for(lambda: "progress 7.0" in target.read_text())
    finally:
        writer.stop()
    assert files_in(tmp_path) == ["progress.prom"]


def test_stop_writes_last_values_unless_told_not_to(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    gauge = Gauge("progress", "h", registry=registry)
    target = tmp_path / "progress.prom"
    writer = start_textfile_writer(target, registry, interval=3600)
    gauge.set(3)
    writer.stop()
    assert "progress 3.0" in target.read_text()
    assert not writer.is_running

    writer = start_textfile_writer(target, registry, interval=3600)
    gauge.set(4)
    writer.stop(write_last=False)
    assert "progress 3.0" in target.read_text()


def test_writer_is_a_context_manager(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    target = tmp_path / "raid.prom"
    with start_textfile_writer(target, gauge_registry, interval=3600) as writer:
        assert isinstance(writer, TextfileWriter) and writer.is_running
    assert not writer.is_running


def test_bad_path_fails_at_start(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    with pytest.raises(FileNotFoundError, match="raid.prom"):
        start_textfile_writer(tmp_path / "missing" / "raid.prom", gauge_registry, interval=0.01)


def test_periodic_write_errors_are_logged_and_retried(
    tmp_path: Path, gauge_registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "textfiles"
    directory.mkdir()
    target = directory / "raid.prom"
    with caplog.at_level(logging.ERROR, logger="prometheus_client"):
        writer = start_textfile_writer(target, gauge_registry, interval=0.01)
        try:
            target.unlink()
            directory.rmdir()  # now every write fails
            wait_for(lambda: writer.failures >= 2)
            directory.mkdir()  # and the next tick succeeds again
            wait_for(lambda: target.exists())
        finally:
            writer.stop(write_last=False)
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"textfile writer for {target} failed" in m for m in messages)


def test_readers_never_see_a_partial_file_while_it_is_rewritten(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    gauge = Gauge("big", "h", ["n"], registry=registry)
    for n in range(500):  # ~15 kB, more than one write() chunk
        gauge.labels(str(n)).set(n)
    target = tmp_path / "big.prom"
    write_to_textfile(target, registry)
    expected = target.read_text()
    writer = start_textfile_writer(target, registry, interval=0.001)
    try:
        for _ in range(300):
            assert target.read_text() == expected
    finally:
        writer.stop()
    assert writer.failures == 0


def test_next_write_removes_temp_files_of_killed_writers(tmp_path: Path, gauge_registry: CollectorRegistry) -> None:
    import signal

    target = tmp_path / "metrics.prom"
    # A real writer process (forked: a new interpreter would add only its start-up), killed with SIGKILL
    # while its temporary file exists: it hangs before the rename.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)

            def hang(*args: object, **kwargs: object) -> None:
                os.write(write_end, b"writing\n")
                time.sleep(60)

            os.replace = hang  # type: ignore[assignment]  # in the child only
            _textfile.write_bytes_atomically(str(target), b"x 1\n")
        finally:
            os._exit(1)
    os.close(write_end)
    try:
        assert os.read(read_end, 64) == b"writing\n"
        left = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
        assert len(left) == 1
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
    in_use = tmp_path / f".metrics.prom.{os.getpid()}.1.deadbeef.tmp"  # this process's own: kept
    in_use.write_bytes(b"")
    write_to_textfile(str(target), gauge_registry)
    assert sorted(os.listdir(tmp_path)) == sorted(["metrics.prom", in_use.name])
