"""Native histogram workloads: ``observe()`` on a native histogram, against the official classic one.

The official client 0.26 has no native histogram instrument, so its side of each workload observes
into a classic ``Histogram`` with the default buckets: the question these answer is whether turning
native buckets on costs more than what an application pays today. Joined into ``WORKLOADS`` by
``bench/workloads.py``; run one with ``bench/run.py -w native_histogram_observe -r 3``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Dict

from workloads import Result, observe_cost, workload

# Latencies spread over four decades, as a service's request durations are.
_VALUES = [0.0001 * (1.013 ** (i % 997)) * (1 + (i % 7) / 10) for i in range(1000)]


def _histogram(pc: ModuleType, registry: Any, keep_classic: bool) -> Any:
    native: Dict[str, Any] = {"native_histogram_bucket_factor": 1.1, "native_histogram_max_bucket_number": 160}
    if not keep_classic:
        native["buckets"] = ()
    try:
        return pc.Histogram("bench_latency_seconds", "Latency.", registry=registry, **native)
    except TypeError:  # The official client: no native arguments; its classic histogram is the yardstick.
        return pc.Histogram("bench_latency_seconds", "Latency.", registry=registry)


def _observe_cost(pc: ModuleType, keep_classic: bool) -> Result:
    registry = pc.CollectorRegistry()
    histogram = _histogram(pc, registry, keep_classic)
    seconds = observe_cost(histogram.observe, list(_VALUES), 100_000)
    native = [s.native_histogram for m in registry.collect() for s in m.samples if s.native_histogram]
    info: Dict[str, Any] = {"native": bool(native)}
    if native:
        info["schema"] = native[0].schema
        info["count"] = native[0].count_value
    return seconds, info


@workload()
def native_histogram_observe(pc: ModuleType) -> Result:
    """Histogram.observe(v), native buckets only (factor 1.1); official: its classic default buckets."""
    return _observe_cost(pc, keep_classic=False)


@workload()
def native_histogram_observe_with_classic(pc: ModuleType) -> Result:
    """Histogram.observe(v), native (factor 1.1) and the default classic buckets; official: classic only."""
    return _observe_cost(pc, keep_classic=True)
