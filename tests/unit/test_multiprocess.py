"""Multiprocess mode: file-backed values, the collector, damaged files, compaction and fork."""

from __future__ import annotations

import logging
import os
import struct
from typing import Callable, Optional

import pytest

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary, values
from prometheus_client._mmap_dict import HEADER_SIZE, MmapedDict, mmap_key
from prometheus_client._multiprocess_values import MultiProcessValue, close_all_multiprocess_files
from prometheus_client.multiprocess import MultiProcessCollector, compact, mark_process_dead
from tests.unit.multiprocess_helpers import collected, fork_running


@pytest.fixture
def as_worker(monkeypatch):
    """``as_worker(n)``: instruments created afterwards write the files of worker ``n``.

    Through the official seam (``values.ValueClass = MultiProcessValue(lambda: n)``, what uWSGI users do
    to name files by a stable worker id): for the tests that need a chosen identity (folding, reuse).
    Tests of how processes combine run real processes instead (:func:`in_child`).
    """

    def use(worker_id: int) -> None:
        monkeypatch.setattr(values, "ValueClass", MultiProcessValue(lambda: worker_id))

    return use


def in_child(work: Callable[[], None]) -> int:
    """Run ``work`` in a forked child process on the default storage path; return the child's pid."""
    pid = fork_running(work)
    _, status = os.waitpid(pid, 0)
    assert status == 0, f"child {pid} failed"
    return pid


def value(directory: str, name: str, **labels: str) -> Optional[float]:
    return collected(directory).get((name, tuple(sorted(labels.items()))))


def test_counters_histograms_and_summaries_are_summed_over_processes(mp_dir):
    for amount in (1.0, 2.5):
        def work(amount: float = amount) -> None:
            Counter("requests", "Requests.", ["path"], registry=None).labels("/a").inc(amount)
            Histogram("latency", "Latency.", registry=None, buckets=[1, 2]).observe(amount)
            Summary("size", "Size.", registry=None).observe(amount)

        in_child(work)
    assert collected(mp_dir) == {
        ("requests_total", (("path", "/a"),)): 3.5,
        ("latency_bucket", (("le", "1.0"),)): 1.0,
        ("latency_bucket", (("le", "2.0"),)): 1.0,
        ("latency_bucket", (("le", "+Inf"),)): 2.0,
        ("latency_count", ()): 2.0,
        ("latency_sum", ()): 3.5,
        ("size_count", ()): 2.0,
        ("size_sum", ()): 3.5,
    }


@pytest.mark.parametrize(
    "mode, expected",
    [("sum", 7.0), ("livesum", 7.0), ("min", 3.0), ("livemin", 3.0), ("max", 4.0), ("livemax", 4.0),
     ("mostrecent", 3.0), ("livemostrecent", 3.0)],
)
def test_gauge_modes_combine_processes(mp_dir, mode, expected):
    for number in (4.0, 3.0):  # the second set is the most recent
        in_child(lambda number=number: Gauge("g", "G.", registry=None, multiprocess_mode=mode).set(number))
    assert collected(mp_dir) == {("g", ()): expected}  # live modes too: nobody marked the children dead


@pytest.mark.parametrize("mode", ["all", "liveall"])
def test_gauge_all_modes_keep_one_series_per_pid(mp_dir, mode):
    pids = [
        in_child(lambda number=number: Gauge("g", "G.", registry=None, multiprocess_mode=mode).set(number))
        for number in (1.0, 2.0)
    ]
    assert collected(mp_dir) == {("g", (("pid", str(pids[0])),)): 1.0, ("g", (("pid", str(pids[1])),)): 2.0}


def test_collector_family_matches_official_shape(mp_dir):
    Counter("jobs", "Jobs done.", registry=None).inc(2)
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    [family] = list(registry.collect())
    assert (family.name, family.documentation, family.type) == ("jobs", "Jobs done.", "counter")
    assert [(s.name, s.labels, s.value) for s in family.samples] == [("jobs_total", {}, 2.0)]


def test_collector_requires_an_existing_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.delenv("prometheus_multiproc_dir", raising=False)
    with pytest.raises(ValueError, match="PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(None)
    missing = str(tmp_path / "nope")
    with pytest.raises(ValueError, match="nope"):
        MultiProcessCollector(None, path=missing)


def test_directory_set_after_import_applies_to_instruments_created_after(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    before = Counter("before", "Made before.", registry=None)
    directory = str(tmp_path)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", directory)
    after = Counter("after", "Made after.", registry=None)
    before.inc()
    after.inc()
    assert collected(directory) == {("after_total", ()): 1.0}
    assert before._get() == 1.0  # stays a single-process counter
    close_all_multiprocess_files()


@pytest.mark.parametrize("content", [b"", b"PMPM", b"\x00" * 100, b"garbage that is not a metrics file at all!!!"])
def test_unreadable_file_is_skipped_with_a_warning_naming_it(mp_dir, caplog, content):
    Counter("ok", "Still served.", registry=None).inc()
    bad = os.path.join(mp_dir, "counter_999.db")
    with open(bad, "wb") as f:
        f.write(content)
    with caplog.at_level(logging.WARNING, logger="prometheus_client.multiprocess"):
        assert collected(mp_dir) == {("ok_total", ()): 1.0}
    assert "counter_999.db" in caplog.text


def test_damaged_tail_keeps_the_records_before_it(mp_dir, caplog):
    def work() -> None:
        counter = Counter("c", "C.", ["n"], registry=None)
        counter.labels("a").inc(1)
        counter.labels("b").inc(2)

    pid = in_child(work)
    path = os.path.join(mp_dir, f"counter_{pid}.db")
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        used = struct.unpack_from("<Q", data, 8)[0]
        first_length = struct.unpack_from("<I", data, HEADER_SIZE)[0]
        # Corrupt the second record's length so it runs past the end of the used region.
        struct.pack_into("<I", data, HEADER_SIZE + first_length, used * 4)
        f.seek(0)
        f.write(data)
    with caplog.at_level(logging.WARNING, logger="prometheus_client.multiprocess"):
        assert collected(mp_dir) == {("c_total", (("n", "a"),)): 1.0}
    assert f"counter_{pid}.db" in caplog.text


def test_writer_replaces_its_own_corrupt_file(mp_dir, as_worker, caplog):
    with open(os.path.join(mp_dir, "counter_888.db"), "wb") as f:
        f.write(b"\x00" * 10)
    as_worker(888)
    with caplog.at_level(logging.WARNING, logger="prometheus_client.multiprocess"):
        Counter("c", "C.", registry=None).inc(5)
    assert collected(mp_dir) == {("c_total", ()): 5.0}
    assert "counter_888.db" in caplog.text


def test_remove_and_clear_hide_the_series_and_a_new_child_starts_at_zero(mp_dir):
    counter = Counter("c", "C.", ["k"], registry=None)
    counter.labels("a").inc(3)
    counter.labels("b").inc(4)
    counter.remove("a")
    assert collected(mp_dir) == {("c_total", (("k", "b"),)): 4.0}
    counter.labels("a").inc(1)
    assert value(mp_dir, "c_total", k="a") == 1.0
    counter.clear()
    assert collected(mp_dir) == {}
    histogram = Histogram("h", "H.", ["k"], registry=None, buckets=[1])
    histogram.labels("x").observe(0.5)
    histogram.remove_by_labels({"k": "x"})
    assert collected(mp_dir) == {}


def test_exemplars_are_stored_and_collected(mp_dir):
    counter = Counter("c", "C.", registry=None)
    counter.inc(2, exemplar={"trace_id": "abc"})
    histogram = Histogram("h", "H.", registry=None, buckets=[1])
    histogram.observe(0.5, exemplar={"trace_id": "def"})
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    exemplars = {
        sample.name + str(sorted(sample.labels.items())): sample.exemplar
        for family in registry.collect()
        for sample in family.samples
        if sample.exemplar
    }
    assert [(e.labels, e.value) for e in exemplars.values()] in (
        [({"trace_id": "abc"}, 2.0), ({"trace_id": "def"}, 0.5)],
        [({"trace_id": "def"}, 0.5), ({"trace_id": "abc"}, 2.0)],
    )
    assert counter._value.get_exemplar().labels == {"trace_id": "abc"}


def test_info_and_enum_work_in_process_and_warn_they_are_not_exported(mp_dir):
    registry = CollectorRegistry()
    with pytest.warns(UserWarning, match="'build' is not exported in multiprocess mode"):
        build = Info("build", "Build.", registry=registry)
    with pytest.warns(UserWarning, match="'state' is not exported in multiprocess mode"):
        state = Enum("state", "State.", states=["a", "b"], registry=registry)
    build.info({"version": "1"})
    state.state("b")
    assert registry.get_sample_value("build_info", {"version": "1"}) == 1.0  # in this process's registry
    assert collected(mp_dir) == {}  # but in no file


def test_file_grows_past_its_initial_size(mp_dir):
    counter = Counter("c", "C.", ["k"], registry=None)
    children = [counter.labels("x" * 100 + str(i)) for i in range(1000)]  # ~ 200 KiB of records
    for child in children:
        child.inc()
    children[0].inc()
    totals = collected(mp_dir)
    assert len(totals) == 1000
    assert sum(totals.values()) == 1001.0


def test_mark_process_dead_folds_counters_and_drops_live_gauges(mp_dir, as_worker):
    for pid in (401, 402, 403):
        as_worker(pid)
        Counter("c", "C.", registry=None).inc(pid - 400)
        Histogram("h", "H.", registry=None, buckets=[1]).observe(0.5)
        Gauge("live", "L.", registry=None, multiprocess_mode="livesum").set(1)
        Gauge("every", "E.", registry=None).set(pid)
    before = collected(mp_dir)
    mark_process_dead(401, mp_dir)
    mark_process_dead(402, mp_dir)
    after = collected(mp_dir)
    assert after[("c_total", ())] == before[("c_total", ())] == 6.0
    assert after[("h_count", ())] == 3.0
    assert after[("live", ())] == 1.0  # only the live process's
    assert after[("every", (("pid", "401"),))] == 401.0  # 'all' keeps dead processes' series
    names = sorted(os.listdir(mp_dir))
    assert "counter_401.db" not in names and "counter_402.db" not in names
    assert "counter_aggregate.db" in names and "counter_403.db" in names


def test_compact_folds_every_pid_not_listed_as_live(mp_dir, as_worker):
    for pid in range(500, 510):
        as_worker(pid)
        Counter("c", "C.", registry=None).inc()
    assert compact(mp_dir, live_pids=[509]) == 9
    assert collected(mp_dir) == {("c_total", ()): 10.0}
    assert sorted(n for n in os.listdir(mp_dir) if n.startswith("counter")) == [
        "counter_509.db", "counter_aggregate.db"
    ]


def test_fold_interrupted_after_rename_counts_each_number_once(mp_dir, as_worker, monkeypatch):
    for pid in (601, 602):
        as_worker(pid)
        Counter("c", "C.", registry=None).inc(10)
    real_unlink = os.unlink

    def crash(path, *args, **kwargs):
        if os.path.basename(str(path)).startswith("counter_6"):
            raise KeyboardInterrupt("killed between rename and delete")
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", crash)
    with pytest.raises(KeyboardInterrupt):
        mark_process_dead(601, mp_dir)
    monkeypatch.setattr(os, "unlink", real_unlink)
    assert "counter_601.db" in os.listdir(mp_dir)  # folded but not yet deleted
    assert collected(mp_dir) == {("c_total", ()): 20.0}
    mark_process_dead(602, mp_dir)  # finishes the interrupted fold first
    assert collected(mp_dir) == {("c_total", ()): 20.0}
    assert sorted(n for n in os.listdir(mp_dir) if n.endswith(".db")) == ["counter_aggregate.db"]


def test_fold_interrupted_before_rename_changes_nothing(mp_dir, as_worker, monkeypatch):
    as_worker(701)
    Counter("c", "C.", registry=None).inc(3)
    monkeypatch.setattr(os, "replace", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        mark_process_dead(701, mp_dir)
    monkeypatch.undo()
    assert collected(mp_dir) == {("c_total", ()): 3.0}


def test_reused_pid_does_not_append_to_a_folded_file(mp_dir, as_worker, monkeypatch):
    as_worker(801)
    Counter("c", "C.", registry=None).inc(5)
    close_all_multiprocess_files()
    real_unlink = os.unlink
    monkeypatch.setattr(os, "unlink", lambda p, *a, **k: None if "counter_801" in str(p) else real_unlink(p))
    mark_process_dead(801, mp_dir)  # folded; the delete "did not happen"
    monkeypatch.setattr(os, "unlink", real_unlink)
    as_worker(801)  # a new process with the same pid
    Counter("c", "C.", registry=None).inc(1)
    assert collected(mp_dir) == {("c_total", ()): 6.0}


def test_child_after_fork_writes_its_own_pid_file(mp_dir):
    counter = Counter("forked", "F.", registry=None)
    counter.inc(1)  # the parent already has its file open
    pid = os.fork()
    if pid == 0:  # child
        try:
            counter.inc(10)
            Counter("child_only", "C.", registry=None).inc(2)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert status == 0
    assert sorted(n for n in os.listdir(mp_dir) if n.startswith("counter")) == sorted(
        [f"counter_{os.getpid()}.db", f"counter_{pid}.db"]
    )
    child_file = MmapedDict(os.path.join(mp_dir, f"counter_{pid}.db"), read_mode=True)
    child_values = {key: v for key, v, _, _ in child_file.read_all_values()}
    assert child_values[mmap_key("forked", "forked_total", [], [], "F.")] == 10.0
    assert collected(mp_dir) == {("forked_total", ()): 11.0, ("child_only_total", ()): 2.0}
    assert counter._get() == 1.0


def test_mmaped_dict_round_trips_values(tmp_path):
    path = str(tmp_path / "counter_1.db")
    d = MmapedDict(path)
    d.write_value("k1", 1.5, 10.0)
    d.write_value("k2", 2.5, 20.0)
    d.close()
    assert list(MmapedDict.read_all_values_from_file(path)) == [
        ("k1", 1.5, 10.0, HEADER_SIZE),
        ("k2", 2.5, 20.0, HEADER_SIZE + 32 + 8),
    ]
    reopened = MmapedDict(path)
    assert reopened.read_value("k2") == (2.5, 20.0)
    reopened.close()
