"""Reading a multiprocess directory back, for the multiprocess tests (the ``mp_dir`` fixture is in conftest)."""

from __future__ import annotations

import os
from typing import Callable, Dict, Tuple

from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

Samples = Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]


def collected(directory: str) -> Samples:
    """(sample name, sorted labels) -> value, as MultiProcessCollector reads ``directory``."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in registry.collect()
        for sample in family.samples
    }


def fork_running(work: Callable[[], None]) -> int:
    """Fork a child that runs ``work`` and exits (status 0 if it returned); return its pid."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid
