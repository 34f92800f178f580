"""Summary workloads: ours with quantile objectives against the official client's plain Summary.

The official 0.26 Summary has no quantiles, so each workload gives ours three objectives (p50 +-0.05,
p90 +-0.01, p99 +-0.001) and the official client none: the ratio says what quantiles cost here
against what a Summary costs there. Joined to ``WORKLOADS`` by bench/workloads.py.
"""

from __future__ import annotations

import random
import tracemalloc
from types import ModuleType
from typing import Any, Dict

from workloads import Result, observe_cost, per_op, workload

OBJECTIVES = {0.5: 0.05, 0.9: 0.01, 0.99: 0.001}
CHILDREN = 1000


def _summary(pc: ModuleType, name: str, labelnames: Any = ()) -> Any:
    """A Summary with OBJECTIVES where the client has them (ours), else a plain one (the official)."""
    registry = pc.CollectorRegistry()
    try:
        return pc.Summary(name, "Latency.", labelnames, registry=registry, objectives=OBJECTIVES), registry
    except TypeError:
        return pc.Summary(name, "Latency.", labelnames, registry=registry), registry


def _latencies(count: int) -> list:
    rnd = random.Random(42)
    return [rnd.lognormvariate(-3, 1) for _ in range(count)]


@workload()
def summary_observe_objectives(pc: ModuleType) -> Result:
    """Summary.observe(v): ours with 3 objectives vs the official plain Summary (log-normal values)."""
    summary, registry = _summary(pc, "bench_latency_seconds")
    seconds = observe_cost(summary.observe, list(_latencies(4096)), 200_000)
    info: Dict[str, Any] = {"count": registry.get_sample_value("bench_latency_seconds_count")}
    p99 = registry.get_sample_value("bench_latency_seconds", {"quantile": "0.99"})
    if p99 is not None:
        info["p99"] = round(p99, 4)
    return seconds, info


def _children(pc: ModuleType, observations: int) -> Any:
    summary, registry = _summary(pc, "bench_rpc_seconds", ["handler"])
    values = _latencies(observations)
    for n in range(CHILDREN):
        observe = summary.labels(f"handler_{n}").observe
        for value in values:
            observe(value)
    return summary, registry


@workload()
def summary_scrape_1000_objectives(pc: ModuleType) -> Result:
    """generate_latest() of 1,000 Summary children (2,000 observations each): ours with 3 objectives."""
    tracemalloc.start()
    summary, registry = _children(pc, 2000)
    generate = pc.generate_latest
    output = generate(registry)  # the first scrape takes in what the children buffered
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    seconds = per_op(lambda: generate(registry), 10, repeat=5)
    return seconds, {"bytes": len(output), "bytes_per_child": held // CHILDREN}


@workload()
def summary_observe_and_scrape_1000_objectives(pc: ModuleType) -> Result:
    """10 new observations in each of 1,000 Summary children, then generate_latest(): ours with objectives."""
    summary, registry = _children(pc, 200)
    observers = [summary.labels(f"handler_{n}").observe for n in range(CHILDREN)]
    values = _latencies(10)
    generate = pc.generate_latest

    def cycle() -> None:
        for observe in observers:
            for value in values:
                observe(value)
        generate(registry)

    return per_op(cycle, 5, repeat=5), {}
