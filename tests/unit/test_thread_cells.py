"""Per-thread cells of threads that have ended are folded: nothing left behind, nothing lost."""

from __future__ import annotations

import gc
import platform
import threading
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary
from tests.unit.sample_values import sample_key, sample_values

# CPython frees an ended thread's thread-local data at once, which is when its cells fold; PyPy frees it
# at its next garbage collection (documented): collect there before looking.
FOLD_NOW = gc.collect if platform.python_implementation() != "CPython" else (lambda: None)


def threads_with_cells(box) -> set:
    """The threads that own ``box`` or keep a cell of their own in it (0 stands for no thread)."""
    return ({box[0]} | set(box[1] or ())) - {0}


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
    # Only the base is left in each child (the main thread never wrote).
    for box in [*(counter.labels(str(k))._cells for k in range(5)), gauge._cells, summary._cells, histogram._cells]:
        assert threads_with_cells(box) == set()
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
    assert threads_with_cells(counter._cells) == set()


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
    values = sample_values(registry)
    assert values[sample_key("c_total", k="0")] == threads * 5 / 50
    assert sum(values[sample_key("c_total", k=str(k))] for k in range(50)) == threads * 5
    assert max(len(threads_with_cells(child._cells)) for child in children) <= 1  # one being torn down, at most


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
    values = sample_values(registry)
    assert sum(values[sample_key("c_total", k=str(k))] for k in range(200)) == 400
    # The worker's cells folded into the base; the main thread keeps owning the boxes it claimed.
    assert all(threads_with_cells(child._cells) == {threading.get_ident()} for child in counter._metrics.values())


def test_threads_claiming_new_children_at_once_lose_no_update(registry):
    # Every child starts unowned: the first write claims it; the others make their own cells meanwhile.
    counter = Counter("c", "h", ["k"], registry=registry)
    histogram = Histogram("h", "h", ["k"], registry=registry, buckets=[1])
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        for key in range(300):
            counter.labels(str(key)).inc()
            histogram.labels(str(key)).observe(0.5)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    FOLD_NOW()
    values = sample_values(registry)
    for n in range(300):
        assert values[sample_key("c_total", k=str(n))] == 4
        assert values[sample_key("h_bucket", k=str(n), le="1.0")] == 4
        assert threads_with_cells(counter.labels(str(n))._cells) == set()


def test_owners_ending_while_another_thread_writes_lose_no_update(registry):
    # Short-lived threads claim the box in turn and fold when they end, while one thread writes throughout.
    counter = Counter("c", "h", registry=registry)
    gauge = Gauge("g", "h", registry=registry)
    stop = threading.Event()
    steady_count = []

    def steady() -> None:
        count = 0
        while not stop.is_set():
            counter.inc()
            gauge.dec()
            count += 1
            # Hands the GIL over now and then: else each start and join of a short thread waits out the
            # switch interval of this spinning writer (1-2 s for the 200 on CPython, up to 1.2 s on PyPy).
            # A real sleep, however short: PyPy's sleep(0) keeps the GIL. It still writes dozens of times
            # during each short thread's life.
            if count % 64 == 0:
                time.sleep(1e-6)
        steady_count.append(count)

    writer = threading.Thread(target=steady)
    writer.start()
    for _ in range(200):
        run_in_thread(lambda: [(counter.inc(), gauge.inc()) for _ in range(50)])
    stop.set()
    writer.join()
    FOLD_NOW()
    assert registry.get_sample_value("c_total") == 200 * 50 + steady_count[0]
    assert registry.get_sample_value("g") == 200 * 50 - steady_count[0]
    assert threads_with_cells(counter._cells) == set() and threads_with_cells(gauge._cells) == set()


def test_sets_racing_with_the_owners_updates_leave_it_counting_from_the_last_set(registry):
    gauge = Gauge("g", "h", registry=registry)
    racing = threading.Event()
    racing_done = threading.Event()
    last_set = threading.Event()

    def owner() -> None:
        gauge.inc()  # claims the box
        racing.set()
        for _ in range(200_000):
            gauge.inc()
        racing_done.set()
        last_set.wait()
        for _ in range(1000):
            gauge.inc()

    thread = threading.Thread(target=owner)
    thread.start()
    racing.wait()
    while not racing_done.is_set():
        gauge.set(-1_000_000)  # each set swaps the owner's box for a new one while it adds
        value = registry.get_sample_value("g")
        # Whatever the order of the racing updates, the value is the set one plus whole increments.
        assert value is not None and -1_000_000 <= value <= -800_000 and value == int(value)
    gauge.set(100)
    last_set.set()
    thread.join()
    FOLD_NOW()
    assert registry.get_sample_value("g") == 1100  # no update after the last set lost, none before it kept
    assert threads_with_cells(gauge._cells) == set()
