"""Multiprocess mode on the default path, as users run it: threads, processes, overlapping scrapes, fds.

Nothing here replaces the storage choice: instruments pick it themselves from PROMETHEUS_MULTIPROC_DIR
(or from ``values.ValueClass`` where a test is about that seam).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, List, Tuple

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, generate_latest, values
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from tests.unit.multiprocess_helpers import children_under_a_256_file_limit, collected, fork_running

ROOT = Path(__file__).resolve().parents[2]


def scrape_text(directory: str) -> bytes:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


THREADS = 8
CHILDREN = 300


def test_threads_creating_children_with_exemplars_lose_nothing_while_scraped(mp_dir):
    counters = [Counter(f"c{i}", "Per thread.", ["k"], registry=None) for i in range(THREADS)]
    shared = Counter("shared", "All threads.", ["k"], registry=None)
    histogram = Histogram("h", "All threads.", ["k"], registry=None, buckets=[1, 2])
    gauge = Gauge("g", "Summed.", ["k"], registry=None, multiprocess_mode="sum")
    start = threading.Barrier(THREADS + 2)
    done = threading.Event()
    scrape_errors: List[BaseException] = []

    # Scrapes are paced by the writers' progress, not run in a tight loop: spinning scrapers starve the
    # writers under PyPy's GIL (seconds, a thousand scrapes) and add no interleaving by it. Each scrape
    # still runs while the writers go on creating children and growing the files.
    progressed = threading.Event()

    def work(i: int) -> None:
        start.wait()
        for j in range(CHILDREN):
            counters[i].labels(str(j)).inc()
            shared.labels(str(j % 7)).inc(1, exemplar={"thread": str(i)} if j % 10 == 0 else None)
            histogram.labels(str(j % 5)).observe(j % 3, exemplar={"j": str(j)} if j % 50 == 0 else None)
            gauge.labels(str(j % 3)).inc(2)
            if j % 50 == 0:
                progressed.set()

    def scrape_while_working() -> None:
        start.wait()
        try:
            while not done.is_set():
                progressed.clear()
                collected(mp_dir)
                progressed.wait()
        except BaseException as error:  # pragma: no cover - reported below
            scrape_errors.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    scrapers = [threading.Thread(target=scrape_while_working) for _ in range(2)]
    for thread in workers + scrapers:
        thread.start()
    for thread in workers:
        thread.join()
    done.set()
    progressed.set()
    for thread in scrapers:
        thread.join()
    assert not scrape_errors

    totals = collected(mp_dir)
    for i in range(THREADS):
        series = {key: v for key, v in totals.items() if key[0] == f"c{i}_total"}
        assert len(series) == CHILDREN
        assert set(series.values()) == {1.0}
    assert sum(v for key, v in totals.items() if key[0] == "shared_total") == THREADS * CHILDREN
    assert sum(v for key, v in totals.items() if key[0] == "h_count") == THREADS * CHILDREN
    assert sum(v for key, v in totals.items() if key[0] == "g") == 2 * THREADS * CHILDREN
    # Concurrent collectors see the same thing.
    texts: List[bytes] = []
    readers = [threading.Thread(target=lambda: texts.append(scrape_text(mp_dir))) for _ in range(4)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert len(set(texts)) == 1


def test_an_exemplar_on_one_child_leaves_the_other_children_intact(mp_dir):
    counter = Counter("c", "h", ["k"], registry=None)
    a = counter.labels("a")
    b = counter.labels("b")
    a.inc()
    b.inc(5)
    a.inc(exemplar={"t": "1"})
    assert collected(mp_dir) == {("c_total", (("k", "a"),)): 2.0, ("c_total", (("k", "b"),)): 5.0}


def test_processes_with_threads_give_exact_totals(mp_dir):
    counter = Counter("jobs", "Jobs.", ["kind"], registry=None)
    summary = Summary("size", "Sizes.", ["kind"], registry=None)
    processes, threads, updates = 4, 4, 500

    def work() -> None:
        def loop() -> None:
            for j in range(updates):
                counter.labels(str(j % 11)).inc()
                summary.labels(str(j % 4)).observe(1.5)

        pool = [threading.Thread(target=loop) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()

    pids = []
    for _ in range(processes):
        pids.append(fork_running(work))
    for _ in range(20):
        collected(mp_dir)  # scrape while the workers write
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert status == 0
    totals = collected(mp_dir)
    expected = processes * threads * updates
    assert sum(v for key, v in totals.items() if key[0] == "jobs_total") == expected
    assert sum(v for key, v in totals.items() if key[0] == "size_count") == expected
    assert sum(v for key, v in totals.items() if key[0] == "size_sum") == 1.5 * expected
    assert len({key for key in totals if key[0] == "jobs_total"}) == 11


def test_overlapping_first_scrapes_of_a_process_count_each_record_once(mp_dir):
    # The files of a new directory are unknown to this process's shared layouts (keyed by path), so these are
    # first scrapes here as in a fresh interpreter: four start at once and parse the same 20,000 records.
    counter = Counter("many", "Many children.", ["k"], registry=None)
    for j in range(20000):
        counter.labels(str(j)).inc()
    start = threading.Barrier(4)
    totals: List[float] = []

    def scrape() -> None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=mp_dir)
        start.wait()
        totals.append(sum(s.value for f in registry.collect() for s in f.samples))

    threads = [threading.Thread(target=scrape) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    totals.append(sum(collected(mp_dir).values()))
    assert totals == [20000.0] * 5


def test_five_thousand_children_under_a_256_file_limit(mp_dir):
    # 5,000 children: twenty times the fd limit, and files grown past their first size (the
    # 50,000-child run is in tests/stress).
    total, extra_fds = children_under_a_256_file_limit(mp_dir, 5000)
    assert total == 5000.0
    # One file per kind, each with its fd and one mapping per doubling of its size: not one per child.
    assert extra_fds < 40


def test_children_share_one_open_file_per_kind(mp_dir):
    counter = Counter("c", "C.", ["k"], registry=None)
    counter.labels("first").inc()
    fds_before = len(os.listdir("/proc/self/fd"))
    for j in range(500):  # ~70 KiB of records: grows the file once past its initial 64 KiB
        counter.labels(str(j)).inc()
    assert len(os.listdir("/proc/self/fd")) - fds_before <= 2
    assert sorted(n for n in os.listdir(mp_dir) if n.endswith(".db")) == [f"counter_{os.getpid()}.db"]


def test_subclass_with_default_namespace_exports_one_prefix(mp_dir):
    class ServiceCounter(Counter):
        def __init__(self, name: str, documentation: str, labelnames=(), namespace: str = "ns",
                     subsystem: str = "sub", **kwargs) -> None:
            super().__init__(name, documentation, labelnames, namespace=namespace, subsystem=subsystem, **kwargs)

    requests = ServiceCounter("requests", "Requests.", ["code"], registry=None)
    requests.labels("200").inc()
    assert collected(mp_dir) == {("ns_sub_requests_total", (("code", "200"),)): 1.0}


def test_assigned_value_class_names_files_by_worker_id(mp_dir, monkeypatch):
    before = Counter("before", "Made before.", registry=None)
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 4242))
    after = Counter("after", "Made after.", ["k"], registry=None)
    after.labels("x").inc(3)
    before.inc(1)
    names = sorted(n for n in os.listdir(mp_dir) if n.endswith(".db"))
    assert names == sorted([f"counter_{os.getpid()}.db", "counter_4242.db"])
    assert collected(mp_dir) == {("after_total", (("k", "x"),)): 3.0, ("before_total", ()): 1.0}


def test_assigned_single_process_value_class_is_used_too(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    class Recording(values.MutexValue):
        made: List[str] = []

        def __init__(self, typ, metric_name, name, *args, **kwargs) -> None:
            super().__init__(typ, metric_name, name, *args, **kwargs)
            Recording.made.append(name)

    monkeypatch.setattr(values, "ValueClass", Recording)
    registry = CollectorRegistry()
    counter = Counter("c", "C.", registry=registry)
    counter.inc(2)
    assert Recording.made == ["c_total"]
    assert counter._value.get() == 2.0
    assert registry.get_sample_value("c_total") == 2.0


# -- files of the official client (rolling upgrade) -----------------------------------------------


def official_layout(records: List[Tuple[str, float, float]]) -> bytes:
    """A file as the official client's MmapedDict lays it out (its documented format)."""
    body = b""
    for key, value, timestamp in records:
        encoded = key.encode("utf-8")
        padding = 8 - (len(encoded) + 4) % 8
        body += struct.pack("i", len(encoded)) + encoded + b" " * padding + struct.pack("dd", value, timestamp)
    used = 8 + len(body)
    data = struct.pack("i", used) + b"\0" * 4 + body
    return data + b"\0" * (4096 - len(data))


def official_key(metric: str, sample: str, labels: Dict[str, str], help_text: str) -> str:
    return json.dumps([metric, sample, labels, help_text], sort_keys=True)


def test_files_written_by_the_official_client_are_collected(mp_dir):
    with open(os.path.join(mp_dir, "counter_11.db"), "wb") as f:
        f.write(official_layout([
            (official_key("req", "req_total", {"code": "200"}, "Requests."), 7.0, 0.0),
            (official_key("req", "req_created", {"code": "200"}, "Requests."), 1.7e9, 0.0),
        ]))
    with open(os.path.join(mp_dir, "histogram_11.db"), "wb") as f:
        f.write(official_layout([
            (official_key("lat", "lat_bucket", {"le": "1.0"}, "Latency."), 2.0, 0.0),
            (official_key("lat", "lat_bucket", {"le": "+Inf"}, "Latency."), 1.0, 0.0),
            (official_key("lat", "lat_sum", {}, "Latency."), 3.5, 0.0),
        ]))
    with open(os.path.join(mp_dir, "gauge_all_11.db"), "wb") as f:
        f.write(official_layout([(official_key("temp", "temp", {}, "Temp."), 21.5, 0.0)]))
    Counter("req", "Requests.", ["code"], registry=None).labels("200").inc(3)  # one of ours beside them
    totals = collected(mp_dir)
    assert totals[("req_total", (("code", "200"),))] == 10.0
    assert totals[("lat_bucket", (("le", "1.0"),))] == 2.0
    assert totals[("lat_bucket", (("le", "+Inf"),))] == 3.0
    assert totals[("lat_count", ())] == 3.0
    assert totals[("lat_sum", ())] == 3.5
    assert totals[("temp", (("pid", "11"),))] == 21.5


def test_official_client_files_are_folded_when_their_worker_dies(mp_dir):
    with open(os.path.join(mp_dir, "counter_12.db"), "wb") as f:
        f.write(official_layout([(official_key("req", "req_total", {}, "Requests."), 4.0, 0.0)]))
    Counter("req", "Requests.", registry=None).inc(1)
    mark_process_dead(12, mp_dir)
    assert "counter_12.db" not in os.listdir(mp_dir)
    assert collected(mp_dir) == {("req_total", ()): 5.0}


def test_a_reused_pid_carries_over_the_official_files_values(mp_dir, monkeypatch):
    with open(os.path.join(mp_dir, "counter_13.db"), "wb") as f:
        f.write(official_layout([
            (official_key("req", "req_total", {}, "Requests."), 4.0, 0.0),
            (official_key("other", "other_total", {}, "Other."), 9.0, 0.0),
        ]))
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 13))
    Counter("req", "Requests.", registry=None).inc(1)
    assert collected(mp_dir) == {("req_total", ()): 5.0, ("other_total", ()): 9.0}


def test_a_damaged_official_file_contributes_what_precedes_the_damage(mp_dir, caplog):
    data = bytearray(official_layout([
        (official_key("req", "req_total", {"k": "a"}, "R."), 1.0, 0.0),
        (official_key("req", "req_total", {"k": "b"}, "R."), 2.0, 0.0),
    ]))
    first_record = 4 + len(official_key("req", "req_total", {"k": "a"}, "R.").encode())
    first_record += 8 - first_record % 8 + 16
    struct.pack_into("i", data, 8 + first_record, 10_000)  # second key length runs past 'used'
    with open(os.path.join(mp_dir, "counter_14.db"), "wb") as f:
        f.write(bytes(data))
    assert collected(mp_dir) == {("req_total", (("k", "a"),)): 1.0}


# -- files changing or damaged under the collector, writers killed mid-write -----------------------


def test_a_file_truncated_in_place_while_collecting_never_kills_the_collector(mp_dir, monkeypatch):
    # In this process (a fresh interpreter only added its start-up, 0.3 s on PyPy): the victim's file is
    # written through the official seam under another worker's id, then closed and damaged over and over.
    counter = Counter("kept", "Kept.", ["k"], registry=None)
    for i in range(300):
        counter.labels(str(i)).inc()
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 999999))
    victim_counter = Counter("victim", "Victim.", ["k"], registry=None)
    for i in range(300):
        victim_counter.labels(str(i)).inc()
    victim = os.path.join(mp_dir, "counter_999999.db")
    with open(victim, "rb") as f:
        pristine = f.read()
    values.close_all_multiprocess_files()
    stop = threading.Event()

    def truncate_forever() -> None:
        while not stop.is_set():
            with open(victim, "wb") as f:  # rewritten and truncated in place, over and over
                f.write(pristine)
            with open(victim, "r+b") as f:
                f.truncate(100)
            os.truncate(victim, 0)

    thread = threading.Thread(target=truncate_forever)
    thread.start()
    totals = set()
    try:
        for _ in range(1000):
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=mp_dir)
            families = list(registry.collect())
            kept = sum(s.value for f in families for s in f.samples if s.name == "kept_total")
            damaged = sum(s.value for f in families for s in f.samples if s.name == "victim_total")
            totals.add((kept, damaged <= 300))
    finally:
        stop.set()
        thread.join()
    # The other worker's values exact in every one of the 1,000 collects; the victim's never more than it had.
    assert totals == {(300.0, True)}


def test_a_record_with_a_deeply_nested_key_is_skipped_with_a_log(mp_dir, caplog):
    Counter("ok", "Served.", registry=None).inc()
    from prometheus_client._mmap_dict import MmapedDict

    crafted = MmapedDict(os.path.join(mp_dir, "counter_424242.db"))
    crafted.write_value("[" * 100_000 + "]" * 100_000, 5.0, 0.0)
    crafted.write_value(json.dumps(["bad", "bad_total", {}, "h"]), 7.0, 0.0)
    crafted.close()
    with caplog.at_level("WARNING", logger="prometheus_client.multiprocess"):
        totals = collected(mp_dir)
    assert totals == {("ok_total", ()): 1.0, ("bad_total", ()): 7.0}
    assert "counter_424242.db" in caplog.text


def test_temporary_files_of_killed_writers_are_removed_by_the_next_fold(mp_dir):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = [f".counter_{dead}.db.{dead}.1f2e.tmp", f".counter_aggregate.db.{dead}.tmp"]
    alive = f".counter_1.db.{os.getpid()}.abcd.tmp"  # this process's: in use
    for name in [*stale, alive]:
        open(os.path.join(mp_dir, name), "wb").close()
    Counter("c", "C.", registry=None).inc()
    mark_process_dead(int(dead), mp_dir)
    names = os.listdir(mp_dir)
    assert not any(name in names for name in stale)
    assert alive in names


def test_a_lock_taken_without_blocking_still_excludes_and_is_taken_once_free():
    from prometheus_client._multiprocess_values import _acquire_holding_the_gil

    lock = threading.Lock()
    shared = {"inside": 0, "most": 0, "count": 0}

    def work() -> None:
        for _ in range(2000):
            if not lock.acquire(False):
                _acquire_holding_the_gil(lock)
            try:
                shared["inside"] += 1
                shared["most"] = max(shared["most"], shared["inside"])
                shared["count"] += 1
                shared["inside"] -= 1
            finally:
                lock.release()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared == {"inside": 0, "most": 1, "count": 8000}
    assert not lock.locked()
