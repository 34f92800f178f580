"""Benchmark workloads, each run in a fresh process against one implementation of prometheus_client.

A workload is a function taking the imported ``prometheus_client`` module and returning
``(seconds, info)``: seconds per operation (``unit="op"``) or for the whole job (``unit="total"``), and
a dict of extra facts to report (a result to check, a peak memory in bytes under ``peak_bytes``...).

To add one, write a function here and decorate it with ``@workload(...)``; ``bench/run.py`` picks it up.
Give it its own ``CollectorRegistry`` so nothing else is registered, and make it take about a second.
"""

from __future__ import annotations

import threading
import time
import timeit
import tracemalloc
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Tuple

Result = Tuple[float, Dict[str, Any]]


@dataclass(frozen=True)
class Workload:
    name: str
    function: Callable[[ModuleType], Result]
    unit: str  # "op": seconds per operation; "total": seconds for the whole job
    description: str
    rounds: Optional[int] = None  # at most this many rounds, for a workload too slow for the default


WORKLOADS: Dict[str, Workload] = {}


def workload(
    unit: str = "op", rounds: Optional[int] = None
) -> Callable[[Callable[[ModuleType], Result]], Callable[[ModuleType], Result]]:
    """Register a workload under its function name; its docstring's first line describes it.

    ``rounds`` caps the rounds run of it (``make bench`` runs 5), for a workload whose round is slow.
    """

    def register(function: Callable[[ModuleType], Result]) -> Callable[[ModuleType], Result]:
        doc = (function.__doc__ or function.__name__).strip().splitlines()[0]
        WORKLOADS[function.__name__] = Workload(function.__name__, function, unit, doc, rounds)
        return function

    return register


def per_op(statement: Callable[[], Any], number: int, repeat: int = 5, with_gc: bool = False) -> float:
    """Seconds per call of ``statement``: the best of ``repeat`` timeit runs of ``number`` calls each.

    The best run is the one least disturbed by the rest of the machine (the timeit convention); the
    harness then takes the median over fresh processes. timeit turns the garbage collector off while
    timing; ``with_gc=True`` keeps it on, as it is in a live server.
    """
    timer = timeit.Timer(statement, setup="import gc; gc.enable()" if with_gc else "pass")
    return min(timer.repeat(repeat=repeat, number=number)) / number


def observe_cost(observe: Callable[[float], Any], values: List[float], number: int) -> float:
    """Seconds per ``observe(v)``, ``v`` taken in turn from ``values``, less the cost of taking it."""
    position = [0]
    size = len(values)

    def one() -> None:
        i = position[0] = (position[0] + 1) % size
        observe(values[i])

    def baseline() -> None:
        i = position[0] = (position[0] + 1) % size
        values[i]

    return per_op(one, number) - per_op(baseline, number)


def peak_memory(function: Callable[[], Any]) -> int:
    """Peak bytes allocated by Python while ``function`` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- instruments ------------------------------------------------------------------------------------


@workload()
def counter_inc(pc: ModuleType) -> Result:
    """Counter.inc() on a counter without labels."""
    registry = pc.CollectorRegistry()
    counter = pc.Counter("bench_counter", "A counter.", registry=registry)
    seconds = per_op(counter.inc, 200_000)
    return seconds, {"value": registry.get_sample_value("bench_counter_total")}


@workload()
def gauge_set(pc: ModuleType) -> Result:
    """Gauge.set(v) on a gauge without labels."""
    registry = pc.CollectorRegistry()
    gauge = pc.Gauge("bench_gauge", "A gauge.", registry=registry)
    set_value = gauge.set
    seconds = per_op(lambda: set_value(3.5), 200_000)
    return seconds, {"value": registry.get_sample_value("bench_gauge")}


@workload()
def labels_inc(pc: ModuleType) -> Result:
    """counter.labels('GET', '/api').inc() on an existing child with 2 labels."""
    registry = pc.CollectorRegistry()
    counter = pc.Counter("bench_requests", "Requests.", ["method", "path"], registry=registry)
    counter.labels("GET", "/api").inc()
    labels = counter.labels
    seconds = per_op(lambda: labels("GET", "/api").inc(), 100_000)
    return seconds, {}


@workload()
def histogram_observe(pc: ModuleType) -> Result:
    """Histogram.observe(v) with the default buckets, values spread across them."""
    registry = pc.CollectorRegistry()
    histogram = pc.Histogram("bench_latency_seconds", "Latency.", registry=registry)
    values = [0.001 * (i % 997) * 1.7 for i in range(1000)]
    seconds = observe_cost(histogram.observe, values, 100_000)  # only observe(): the harness's part is taken off
    return seconds, {"count": registry.get_sample_value("bench_latency_seconds_count")}


# --- exposition ---------------------------------------------------------------------------------------


def build_registry(pc: ModuleType, series: int) -> Any:
    """A registry exposing about ``series`` sample lines: labelled counters, gauges and histograms.

    A third of the lines come from each type. A counter child gives 2 lines (_total, _created), a gauge
    child 1, a histogram child with 4 buckets 7 (4 buckets, _count, _sum, _created).
    """
    registry = pc.CollectorRegistry()
    per_type = series // 3
    families = 10
    counters = [
        pc.Counter(f"bench_requests_{i}", "Requests served.", ["method", "path"], registry=registry)
        for i in range(families)
    ]
    gauges = [
        pc.Gauge(f"bench_temperature_{i}", "A temperature.", ["room"], registry=registry) for i in range(families)
    ]
    histograms = [
        pc.Histogram(
            f"bench_duration_seconds_{i}", "Durations.", ["handler"], buckets=(0.1, 1.0, 10.0), registry=registry
        )
        for i in range(families)
    ]
    for n in range(per_type // 2):
        counters[n % families].labels("GET" if n % 2 else "POST", f"/path/{n}").inc(n)
    for n in range(per_type):
        gauges[n % families].labels(f"room-{n}").set(n * 0.5)
    for n in range(per_type // 7):
        child = histograms[n % families].labels(f"handler_{n}")
        child.observe(0.05)
        child.observe(n % 20)
    return registry


def exposition(pc: ModuleType, series: int, number: int, with_gc: bool = False) -> Result:
    registry = build_registry(pc, series)
    generate = pc.generate_latest
    output = generate(registry)
    lines = sum(1 for line in output.splitlines() if line and not line.startswith(b"#"))
    seconds = per_op(lambda: generate(registry), number, repeat=3, with_gc=with_gc)
    peak = peak_memory(lambda: generate(registry))
    return seconds, {"series": lines, "bytes": len(output), "peak_bytes": peak}


@workload()
def generate_latest_10k(pc: ModuleType) -> Result:
    """generate_latest() of a registry with ~10k series (counters, gauges, histograms with labels)."""
    return exposition(pc, 10_000, 5)


@workload()
def generate_latest_100k(pc: ModuleType) -> Result:
    """generate_latest() of a registry with ~100k series (counters, gauges, histograms with labels)."""
    return exposition(pc, 100_000, 1)


@workload(unit="total")
def registry_memory_100k(pc: ModuleType) -> Result:
    """Time to build the ~100k-series registry; memory columns: what a second one keeps after a scrape."""
    started = time.perf_counter()
    build_registry(pc, 100_000)
    seconds = time.perf_counter() - started
    # Measured on a second build, so that tracemalloc's own cost stays out of the timing above.
    tracemalloc.start()
    try:
        registry = build_registry(pc, 100_000)
        pc.generate_latest(registry)  # caches made by the first scrape count as kept
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return seconds, {"peak_bytes": kept}


@workload()
def generate_latest_10k_with_gc(pc: ModuleType) -> Result:
    """generate_latest_10k with the garbage collector on, as in a live server."""
    return exposition(pc, 10_000, 5, with_gc=True)


@workload()
def generate_latest_100k_with_gc(pc: ModuleType) -> Result:
    """generate_latest_100k with the garbage collector on, as in a live server."""
    return exposition(pc, 100_000, 1, with_gc=True)


# --- concurrency --------------------------------------------------------------------------------------


@workload(unit="total")
def threads_2x1M_inc(pc: ModuleType) -> Result:  # noqa: N802 - the name says the job
    """2 threads x 1,000,000 Counter.inc() on one counter; the total must be exactly 2,000,000."""
    registry = pc.CollectorRegistry()
    counter = pc.Counter("bench_shared", "Shared counter.", registry=registry)
    per_thread = 1_000_000
    start_line = threading.Barrier(3)

    def work() -> None:
        inc = counter.inc
        start_line.wait()
        for _ in range(per_thread):
            inc()

    threads: List[threading.Thread] = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    start_line.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    value = registry.get_sample_value("bench_shared_total")
    return seconds, {"value": value, "exact": value == 2 * per_thread}


# --- more workloads in bench/workloads_*.py -------------------------------------------------------------


def _load_extensions() -> None:
    """Import every bench/workloads_*.py so their ``@workload`` functions join ``WORKLOADS``.

    Those modules do ``from workloads import workload``; this module is already in sys.modules by then.
    """
    import importlib
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    sys.modules.setdefault("workloads", sys.modules[__name__])
    for path in sorted(here.glob("workloads_*.py")):
        importlib.import_module(path.stem)


_load_extensions()
