"""Reading a multiprocess directory back, for the multiprocess tests (the ``mp_dir`` fixture is in conftest)."""

from __future__ import annotations

import json
import os
from typing import Callable, Dict, Tuple

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.multiprocess import MultiProcessCollector

Samples = Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]


def children_under_a_256_file_limit(directory: str, children: int) -> Tuple[float, int]:
    """In a worker limited to 256 open files, make ``children`` counter children (and a histogram child
    every tenth) writing to ``directory``; (the collected counter total, fds the worker added).

    The worker is forked (a new interpreter would add only its start-up, 0.3 s on PyPy): the limit is set in
    the child, which starts with this process's few dozen fds and makes its own files under its own pid.
    """
    import resource

    read_end, write_end = os.pipe()

    def work() -> None:
        os.close(read_end)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        counter = Counter("c", "C.", ["k"], registry=None)
        histogram = Histogram("h", "H.", ["k"], registry=None, buckets=[1])
        fds_at_start = len(os.listdir("/proc/self/fd"))
        for j in range(children):
            counter.labels(str(j)).inc()
            if j % 10 == 0:
                histogram.labels(str(j)).observe(0.5)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        total = sum(s.value for f in registry.collect() for s in f.samples if s.name == "c_total")
        os.write(write_end, json.dumps([total, len(os.listdir("/proc/self/fd")) - fds_at_start]).encode())

    pid = fork_running(work)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        out = answer.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0, f"the worker failed (status {status})"
    total, extra_fds = json.loads(out)
    return total, extra_fds


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
