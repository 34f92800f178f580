"""No lost update under concurrency, and consistent reads while writers run."""

from __future__ import annotations

import os
import platform
import sys
import threading

import pytest

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.values import close_all_multiprocess_files
from tests.unit.sample_values import sample_key, sample_values

# The switch interval of the races below that shorten it. CPython hands the GIL over no more than ~12,000
# times a second however short it is set; PyPy at 1 us does ~58,000 (each hand-off costly: 80 scrapes took
# 0.7 s) and at 10 us ~34,000: still more than CPython's at 1 us, for a tenth of the time.
SHORT_SWITCH_INTERVAL = 1e-6 if platform.python_implementation() == "CPython" else 1e-5


def run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_threads_lose_no_counter_increment(registry):
    counter = Counter("c", "help", registry=registry)
    per_thread = 200_000

    def work() -> None:
        inc = counter.inc
        for _ in range(per_thread):
            inc()

    # A short switch interval makes the interpreter switch threads far more often.
    old = sys.getswitchinterval()
    sys.setswitchinterval(SHORT_SWITCH_INTERVAL)
    try:
        run_threads(2, work)
    finally:
        sys.setswitchinterval(old)
    assert registry.get_sample_value("c_total") == 2 * per_thread


def test_many_threads_on_labelled_children_lose_nothing(registry):
    counter = Counter("c", "help", ["k"], registry=registry)

    def work() -> None:
        for i in range(20_000):
            counter.labels(str(i % 4)).inc()

    run_threads(8, work)
    total = sum(registry.get_sample_value("c_total", {"k": str(k)}) for k in range(4))
    assert total == 8 * 20_000


def test_gauge_inc_and_dec_from_threads_balance(registry):
    gauge = Gauge("g", "help", registry=registry)

    def up() -> None:
        for _ in range(50_000):
            gauge.inc()

    def down() -> None:
        for _ in range(50_000):
            gauge.dec()

    threads = [threading.Thread(target=f) for f in (up, down, up, down)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert registry.get_sample_value("g") == 0.0


def test_histogram_observations_from_threads_all_counted(registry):
    histogram = Histogram("h", "help", buckets=[1, 2], registry=registry)
    summary = Summary("s", "help", registry=registry)

    def work() -> None:
        for i in range(30_000):
            histogram.observe(i % 3)
            summary.observe(1)

    run_threads(4, work)
    assert registry.get_sample_value("h_count") == 120_000
    assert registry.get_sample_value("h_bucket", {"le": "1.0"}) == 80_000
    assert registry.get_sample_value("s_count") == 120_000
    assert registry.get_sample_value("s_sum") == 120_000


def test_scrapes_during_increments_never_go_backwards(registry):
    counter = Counter("c", "help", registry=registry)
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            counter.inc()

    writers = [threading.Thread(target=work) for _ in range(2)]
    for thread in writers:
        thread.start()
    try:
        readings = [registry.get_sample_value("c_total") for _ in range(300)]
    finally:
        stop.set()
        for thread in writers:
            thread.join()
    assert readings == sorted(readings)
    assert readings[-1] > 0


def test_children_created_concurrently_are_one_child(registry):
    counter = Counter("c", "help", ["k"], registry=registry)
    barrier = threading.Barrier(8)
    children = []

    def work() -> None:
        barrier.wait()
        child = counter.labels("same")
        child.inc()
        children.append(child)

    run_threads(8, work)
    assert all(child is children[0] for child in children)
    assert registry.get_sample_value("c_total", {"k": "same"}) == 8


@pytest.mark.parametrize("mode", ["single-process", "multiprocess"])
def test_racing_creations_of_many_children_keep_one_child_and_every_update(mode, tmp_path, monkeypatch):
    # Children of our own instruments are made outside the parent's lock: a thread losing the race
    # for a key must get the winner's child, and no update may land on a dropped copy.
    if mode == "multiprocess":
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    registry = CollectorRegistry()
    counter = Counter("c", "help", ["k"], registry=None if mode == "multiprocess" else registry)
    histogram = Histogram("h", "help", ["k"], buckets=[1, 2], registry=None if mode == "multiprocess" else registry)
    threads, keys = 4, [str(n) for n in range(150)]
    barrier = threading.Barrier(threads)
    seen: list = []

    def work() -> None:
        barrier.wait()
        mine = []
        for key in keys:
            child = counter.labels(key)
            child.inc()
            histogram.labels(k=key).observe(1.5)
            mine.append(child)
        seen.append(mine)

    try:
        run_threads(threads, work)
        assert all(mine[i] is seen[0][i] for mine in seen for i in range(len(keys)))
        if mode == "multiprocess":
            MultiProcessCollector(registry, path=str(tmp_path))
        values = sample_values(registry)
        for k in keys:
            assert values[sample_key("c_total", k=k)] == threads
            assert values[sample_key("h_bucket", k=k, le="2.0")] == threads
            assert values[sample_key("h_count", k=k)] == threads
    finally:
        close_all_multiprocess_files()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # the scenario itself
def test_fork_while_other_thread_updates_does_not_deadlock_child(registry):
    counter = Counter("c", "help", ["k"], registry=registry)
    stop = threading.Event()

    def churn() -> None:
        i = 0
        while not stop.is_set():
            counter.labels(str(i % 50)).inc()
            i += 1

    thread = threading.Thread(target=churn)
    thread.start()
    try:
        pids = []
        for _ in range(5):
            pid = os.fork()
            if pid == 0:  # child: must be able to update, create children and collect
                try:
                    counter.labels("new-in-child").inc()
                    ok = registry.get_sample_value("c_total", {"k": "new-in-child"}) == 1.0
                    os._exit(0 if ok else 1)
                except BaseException:
                    os._exit(2)
            pids.append(pid)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
    finally:
        stop.set()
        thread.join()


def test_concurrent_scrapes_with_different_escapings_never_mix_cached_text(registry):
    from prometheus_client.exposition import generate_latest

    gauge = Gauge("g", "help", ["région"], registry=registry)
    for i in range(200):
        gauge.labels(str(i)).set(i)
    expected = {
        escaping: generate_latest(registry, escaping=escaping) for escaping in ("underscores", "allow-utf-8")
    }
    assert expected["underscores"] != expected["allow-utf-8"]
    wrong = []

    def scrape(escaping: str) -> None:
        # 50 scrapes a thread at the shortest switch interval that still pays (SHORT_SWITCH_INTERVAL): each
        # scrape of 200 series is cut many times (200 cost seconds on PyPy for no interleaving more).
        for _ in range(50):
            if generate_latest(registry, escaping=escaping) != expected[escaping]:
                wrong.append(escaping)

    old = sys.getswitchinterval()
    sys.setswitchinterval(SHORT_SWITCH_INTERVAL)
    try:
        threads = [threading.Thread(target=scrape, args=(e,)) for e in ("underscores", "allow-utf-8") * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == []
