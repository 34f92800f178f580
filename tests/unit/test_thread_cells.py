"""Per-thread cells of threads that have ended are folded: nothing left behind, nothing lost."""

from __future__ import annotations

import gc
import platform
import threading

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary

# CPython frees an ended thread's thread-local data at once, which is when its cells fold; PyPy frees it
# at its next garbage collection (documented): collect there before looking.
FOLD_NOW = gc.collect if platform.python_implementation() != "CPython" else (lambda: None)


def run_in_thread(work, stack_size: int = 0) -> None:
    if stack_size:
        threading.stack_size(stack_size)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    finally:
        if stack_size:
            threading.stack_size(0)


def test_cells_of_ended_threads_fold_into_the_base_cell(registry):
    counter = Counter("c", "h", ["k"], registry=registry)
    gauge = Gauge("g", "h", registry=registry)
    summary = Summary("s", "h", registry=registry)
    histogram = Histogram("h", "h", registry=registry, buckets=[1])
    for n in range(50):
        def work(n: int = n) -> None:
            counter.labels(str(n % 5)).inc()
            gauge.inc(2)
            gauge.dec(1)
            summary.observe(n)
            histogram.observe(n % 2)

        run_in_thread(work)
    FOLD_NOW()
    # Only the base cell is left in each child (the main thread never wrote).
    assert all(set(counter.labels(str(k))._cells) == {0} for k in range(5))
    assert set(gauge._cells) == {0} and set(summary._cells) == {0} and set(histogram._cells) == {0}
    assert sum(registry.get_sample_value("c_total", {"k": str(k)}) for k in range(5)) == 50
    assert registry.get_sample_value("g") == 50
    assert registry.get_sample_value("s_count") == 50 and registry.get_sample_value("s_sum") == sum(range(50))
    assert registry.get_sample_value("h_bucket", {"le": "1.0"}) == 50
    assert registry.get_sample_value("h_count") == 50


def test_a_set_after_threads_ended_still_wins(registry):
    gauge = Gauge("g", "h", registry=registry)
    run_in_thread(lambda: gauge.inc(5))
    FOLD_NOW()
    gauge.set(1)
    run_in_thread(lambda: gauge.inc(2))
    FOLD_NOW()
    assert registry.get_sample_value("g") == 3


def test_live_threads_keep_their_cells_while_scraped():
    registry = CollectorRegistry()
    counter = Counter("c", "h", registry=registry)
    stop = threading.Event()
    workers_done = threading.Barrier(5)

    def work() -> None:
        for _ in range(20_000):
            counter.inc()
        workers_done.wait()
        stop.wait()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    workers_done.wait()
    assert registry.get_sample_value("c_total") == 80_000
    stop.set()
    for thread in threads:
        thread.join()
    FOLD_NOW()
    assert registry.get_sample_value("c_total") == 80_000
    assert set(counter._cells) == {0}


def test_short_threads_with_unreused_ids_leave_only_the_base_cell(registry):
    # Varied stack sizes keep thread ids from being reused, as in a pool that recycles its workers: a cell
    # not folded stays behind under its own id. (tests/stress runs 20,000 threads and measures memory.)
    counter = Counter("c", "h", ["k"], registry=registry)
    children = [counter.labels(str(i)) for i in range(50)]
    threads = 200
    for n in range(threads):
        def work(n: int = n) -> None:
            for j in range(5):
                children[(n + j) % 50].inc()

        run_in_thread(work, stack_size=(256 + (n % 16) * 64) * 1024)
    FOLD_NOW()
    FOLD_NOW()  # PyPy runs the finalisers found by one collection at the next
    assert registry.get_sample_value("c_total", {"k": "0"}) == threads * 5 / 50
    assert sum(registry.get_sample_value("c_total", {"k": str(k)}) for k in range(50)) == threads * 5
    assert max(len(child._cells) for child in children) <= 2  # the base cell (and one being torn down)


def test_the_main_thread_records_no_cell_while_other_threads_do(registry):
    from prometheus_client import _thread_cells

    assert threading.current_thread() is threading.main_thread()
    counter = Counter("c", "help", ["k"], registry=registry)
    for key in range(200):
        counter.labels(str(key)).inc()  # the main thread's first write to each child
    assert not any(child in _thread_cells._record.cells.children for child in counter._metrics.values())
    recorded = []

    def work() -> None:
        for key in range(200):
            counter.labels(str(key)).inc()
        recorded.append(sum(child in _thread_cells._record.cells.children for child in counter._metrics.values()))

    run_in_thread(work)
    FOLD_NOW()
    assert recorded == [200]
    assert sum(registry.get_sample_value("c_total", {"k": str(k)}) for k in range(200)) == 400
    # The worker's cells folded into the base cell; the main thread's own cells stay where they are.
    assert all(set(child._cells) <= {0, threading.get_ident()} for child in counter._metrics.values())
