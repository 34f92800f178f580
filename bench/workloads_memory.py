"""Memory and the paths the other workloads leave out: large registries, scrapes under load, new children.

Memory here is RSS, read from the kernel in the workload's own fresh process (``/proc/self/statm``), after
``gc.collect()``, as the difference from a baseline taken once ``prometheus_client`` is imported: what a
user sees in ``top``, with the allocator's slack and fragmentation counted. tracemalloc alone would miss
both. Each row reports it under ``peak_bytes``, the key of the harness's memory column.

Rows (each names what its time and memory columns hold in its docstring):

* ``registry_86k_*``: the registry of issue #11, 40k labelled counters, 40k labelled gauges and 6k
  labelled histograms with the default buckets (228k exposition lines): building it, holding it after
  one scrape, and ``labels(method=..., status=...).inc()`` on it.
* ``scaling_10k``, ``scaling_100k``, ``scaling_1m``: memory held and scrape time as the series count
  grows (``scripts/plot_scaling.py`` draws them from ``bench/results.json``).
* ``scrape_under_4_writers``, ``updates_under_scrapes``: one scenario, 4 threads updating while the main
  thread scrapes; one row per figure, the scrape time and the time per update (1 / throughput).
* ``create_100k_children_kwargs``: 100k new children through keyword labels.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import threading
import time
from types import ModuleType
from typing import Any, Callable, Dict, List, Tuple

from workloads import build_registry, per_op, workload  # type: ignore[import-not-found]

Result = Tuple[float, Dict[str, Any]]

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """This process's resident set size now, after a full collection (so garbage does not count).

    ``/proc/self/statm`` where there is one (Linux); elsewhere the peak RSS that ``getrusage`` keeps,
    which is the same figure for a process that has only grown.
    """
    gc.collect()
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except OSError:
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return maxrss if os.uname().sysname == "Darwin" else maxrss * 1024


def _mib(size: int) -> float:
    return round(size / 2**20, 1)


# --- the registry of issue #11 ------------------------------------------------------------------------

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
STATUSES = tuple(str(code) for code in range(200, 400))  # 5 x 200 = 1000 children per counter family
FAMILIES = 40
HISTOGRAM_FAMILIES = 6
CHILDREN_PER_FAMILY = len(METHODS) * len(STATUSES)


def build_issue_registry(pc: ModuleType) -> Any:
    """40 counter families x 1000 children (method, status), 40 gauge families x 1000 children (host,
    shard), 6 histogram families x 1000 children (handler) with the default 15 buckets: 40k counters,
    40k gauges and 6k histograms, 80k + 40k + 108k = 228k exposition lines. Every child is updated once.
    """
    registry = pc.CollectorRegistry()
    for family in range(FAMILIES):
        counter = pc.Counter(f"app_requests_{family}", "Requests served.", ["method", "status"], registry=registry)
        for method in METHODS:
            for status in STATUSES:
                counter.labels(method, status).inc()
    for family in range(FAMILIES):
        gauge = pc.Gauge(f"app_queue_depth_{family}", "Queue depth.", ["host", "shard"], registry=registry)
        for n in range(CHILDREN_PER_FAMILY):
            gauge.labels(f"host-{n % 50}", f"shard-{n}").set(n)
    for family in range(HISTOGRAM_FAMILIES):
        histogram = pc.Histogram(f"app_latency_seconds_{family}", "Latency.", ["handler"], registry=registry)
        for n in range(CHILDREN_PER_FAMILY):
            histogram.labels(f"/api/v1/handler/{n}").observe(0.001 * (n % 500))
    return registry


@workload(unit="total")
def registry_86k_build(pc: ModuleType) -> Result:
    """Build the issue #11 registry (40k counters, 40k gauges, 6k histograms); memory: RSS it adds."""
    before = rss_bytes()
    started = time.perf_counter()
    registry = build_issue_registry(pc)
    seconds = time.perf_counter() - started
    added = rss_bytes() - before
    return seconds, {"peak_bytes": added, "rss_added_mib": _mib(added), "families": len(registry._collector_to_names)}


@workload(unit="total")
def registry_86k_scrape(pc: ModuleType) -> Result:
    """The issue #11 registry: time of its first scrape; memory: RSS held after it (build included)."""
    before = rss_bytes()
    registry = build_issue_registry(pc)
    built = rss_bytes()
    started = time.perf_counter()
    output = pc.generate_latest(registry)
    seconds = time.perf_counter() - started
    lines = output.count(b"\n") - output.count(b"\n#") - (1 if output.startswith(b"#") else 0)
    del output
    held = rss_bytes() - before
    return seconds, {"peak_bytes": held, "scrape_adds_mib": _mib(held - (built - before)), "lines": lines}


@workload()
def registry_86k_labels_kwargs_inc(pc: ModuleType) -> Result:
    """counter.labels(method=..., status=...).inc() on an existing child of the issue #11 registry."""
    registry = build_issue_registry(pc)
    counter = registry._names_to_collectors["app_requests_7_total"]
    labels = counter.labels
    seconds = per_op(lambda: labels(method="POST", status="201").inc(), 100_000)
    return seconds, {"value": registry.get_sample_value("app_requests_7_total", {"method": "POST", "status": "201"})}


# --- growth with the series count ---------------------------------------------------------------------


def scaling(pc: ModuleType, series: int, scrapes: int) -> Result:
    """Memory held by a registry of ``series`` lines after one scrape, and the median of later scrapes."""
    before = rss_bytes()
    started = time.perf_counter()
    registry = build_registry(pc, series)
    build_seconds = time.perf_counter() - started
    generate = pc.generate_latest
    size = len(generate(registry))  # the first scrape: caches it makes are held from now on
    held = rss_bytes() - before
    timings: List[float] = []
    for _ in range(scrapes):
        started = time.perf_counter()
        generate(registry)
        timings.append(time.perf_counter() - started)
    info = {"peak_bytes": held, "series": series, "bytes": size, "build_s": round(build_seconds, 3)}
    return statistics.median(timings), info


@workload()
def scaling_10k(pc: ModuleType) -> Result:
    """Scrape time of the ~10k-series registry (workloads.build_registry); memory: RSS held after a scrape."""
    return scaling(pc, 10_000, 9)


@workload()
def scaling_100k(pc: ModuleType) -> Result:
    """The same with ~100k series."""
    return scaling(pc, 100_000, 3)


@workload(rounds=3)
def scaling_1m(pc: ModuleType) -> Result:
    """The same with ~1,000,000 series (3 rounds: a round of the official client takes ~15 s)."""
    return scaling(pc, 1_000_000, 1)


# --- scraping while threads update ---------------------------------------------------------------------

WRITERS = 4
SCRAPE_SERIES = 10_000
SCRAPE_WINDOW = 1.5  # seconds of scraping under load


def scrape_under_writers(pc: ModuleType) -> Dict[str, float]:
    """4 threads update children of the ~10k-series registry while this thread scrapes it for ~1.5 s.

    Each writer loops over its own share of counter, gauge and histogram children (inc, set, observe).
    Returns the median scrape time and the writers' total updates per second over the same window.
    """
    registry = build_registry(pc, SCRAPE_SERIES)
    families = list(registry._collector_to_names)
    children: List[Callable[[], None]] = []
    for family in families:
        for child in family._metrics.values():
            if isinstance(child, pc.Counter):
                children.append(child.inc)
            elif isinstance(child, pc.Gauge):
                children.append(child.inc)
            else:
                observe = child.observe
                children.append(lambda observe=observe: observe(0.5))  # type: ignore[misc]
    # Each writer's children in chunks of 500, taken in turn (no list is built while timing).
    chunk = 500
    shares = [children[index::WRITERS] for index in range(WRITERS)]
    chunks = [[share[i : i + chunk] for i in range(0, len(share), chunk)] for share in shares]
    counts = [0] * WRITERS
    stop = threading.Event()
    start_line = threading.Barrier(WRITERS + 1)

    def write(index: int) -> None:
        mine = chunks[index]
        done = 0
        start_line.wait()
        while not stop.is_set():
            for updates in mine:
                for update in updates:
                    update()
                done += len(updates)
                if stop.is_set():
                    break
        counts[index] = done

    threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    generate = pc.generate_latest
    generate(registry)
    start_line.wait()
    started = time.perf_counter()
    timings: List[float] = []
    while time.perf_counter() - started < SCRAPE_WINDOW:
        scrape_started = time.perf_counter()
        generate(registry)
        timings.append(time.perf_counter() - scrape_started)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"scrape": statistics.median(timings), "scrapes": len(timings), "updates_per_s": sum(counts) / elapsed}


@workload()
def scrape_under_4_writers(pc: ModuleType) -> Result:
    """generate_latest() of ~10k series while 4 threads update its children (median scrape)."""
    figures = scrape_under_writers(pc)
    return figures["scrape"], {"scrapes": figures["scrapes"], "updates_per_s": round(figures["updates_per_s"])}


@workload()
def updates_under_scrapes(pc: ModuleType) -> Result:
    """The same scenario: time per update of the 4 writers together (1 / their throughput)."""
    figures = scrape_under_writers(pc)
    return 1 / figures["updates_per_s"], {
        "updates_per_s": round(figures["updates_per_s"]),
        "scrape_ms": round(figures["scrape"] * 1000, 2),
    }


# --- new children ---------------------------------------------------------------------------------------


@workload(unit="total")
def create_100k_children_kwargs(pc: ModuleType) -> Result:
    """100k new children of one counter through labels(method=..., path=...).inc(); memory: RSS added."""
    registry = pc.CollectorRegistry()
    counter = pc.Counter("app_calls", "Calls.", ["method", "path"], registry=registry)
    paths = [f"/api/item/{n}" for n in range(100_000)]
    labels = counter.labels
    before = rss_bytes()
    started = time.perf_counter()
    for n, path in enumerate(paths):
        labels(method=METHODS[n % 5], path=path).inc()
    seconds = time.perf_counter() - started
    added = rss_bytes() - before
    return seconds, {"peak_bytes": added, "children": len(counter._metrics)}
