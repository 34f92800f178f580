"""Garbage collector statistics of CPython, per generation."""

from __future__ import annotations

import gc
import platform
from typing import Iterable

from .metrics_core import CounterMetricFamily, Metric
from .registry import REGISTRY, Collector, CollectorRegistry


class GCCollector(Collector):
    """Collects ``python_gc_*`` counters from :func:`gc.get_stats`.

    Registers only on CPython, where ``gc.get_stats`` is meaningful; elsewhere it is inert.
    """

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        if not hasattr(gc, "get_stats") or platform.python_implementation() != "CPython":
            return
        if registry:
            registry.register(self)

    def collect(self) -> Iterable[Metric]:
        collected = CounterMetricFamily(
            "python_gc_objects_collected", "Objects collected during gc", labels=["generation"]
        )
        uncollectable = CounterMetricFamily(
            "python_gc_objects_uncollectable", "Uncollectable objects found during GC", labels=["generation"]
        )
        collections = CounterMetricFamily(
            "python_gc_collections", "Number of times this generation was collected", labels=["generation"]
        )
        for generation, stat in enumerate(gc.get_stats()):
            label = [str(generation)]
            collected.add_metric(label, stat["collected"])
            uncollectable.add_metric(label, stat["uncollectable"])
            collections.add_metric(label, stat["collections"])
        return [collected, uncollectable, collections]


GC_COLLECTOR = GCCollector()
"""The collector registered on the default registry at import."""
