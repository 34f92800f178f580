"""Multiprocess-mode workloads: the update cost and the scrape cost of a directory of worker files.

Each workload takes the imported ``prometheus_client`` module (ours or the official one) and returns
``(seconds, info)`` like those in ``workloads.py``, whose ``WORKLOADS`` table they join when that module
is importable. Run standalone to compare both implementations side by side::

    python bench/workloads_multiprocess.py [--official /tmp/official/bin/python] [--ours /work/main]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Tuple

Result = Tuple[float, Dict[str, Any]]

PROCESSES = 40
HISTOGRAMS = 200


def _best_per_op(statement: Callable[[], Any], number: int, repeat: int = 5) -> float:
    return min(timeit.Timer(statement).repeat(repeat=repeat, number=number)) / number


def _fresh_directory() -> str:
    directory = tempfile.mkdtemp(prefix="bench-mp-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    return directory


def _use_process(prometheus_client: ModuleType, pid: Optional[int]) -> None:
    """Make instruments created from now on write the files of the fake process ``pid`` (None: this one).

    Through ``values.ValueClass``, the seam both clients read when a child is created.
    """
    values = prometheus_client.values
    values.ValueClass = values.MultiProcessValue() if pid is None else values.MultiProcessValue(lambda: pid)


def _use_default_store(prometheus_client: ModuleType) -> None:
    """The storage a worker gets from PROMETHEUS_MULTIPROC_DIR alone, as users run it.

    Ours reads the variable when an instrument is created, so there is nothing to do. The official
    client reads it when ``values`` is imported, which the harness did before setting it: give it the
    value class it would have picked then.
    """
    values = prometheus_client.values
    if not hasattr(values, "value_class_for_new_metric"):
        values.ValueClass = values.MultiProcessValue()


def mp_populate_10k_children(prometheus_client: ModuleType) -> Result:
    """Create 10,000 labelled children (two labels) of a Counter in one worker, and increment each once."""
    directory = _fresh_directory()
    try:
        import prometheus_client.values  # noqa: F401

        _use_default_store(prometheus_client)
        counter = prometheus_client.Counter("bench_mp_children", "help", ["route", "code"], registry=None)
        start = time.perf_counter()
        for i in range(10_000):
            counter.labels(f"/route/{i}", "200").inc()
        return time.perf_counter() - start, {}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def mp_populate_10k_children_4_threads(prometheus_client: ModuleType) -> Result:
    """The same 10,000 children created by 4 threads at once (2,500 each) in one worker."""
    import threading

    directory = _fresh_directory()
    try:
        import prometheus_client.values  # noqa: F401

        _use_default_store(prometheus_client)
        counter = prometheus_client.Counter("bench_mp_children", "help", ["route", "code"], registry=None)
        barrier = threading.Barrier(5)

        def populate(offset: int) -> None:
            barrier.wait()
            for i in range(offset, 10_000, 4):
                counter.labels(f"/route/{i}", "200").inc()

        threads = [threading.Thread(target=populate, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        barrier.wait()
        start = time.perf_counter()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start, {}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def mp_child_inc(prometheus_client: ModuleType) -> Result:
    """inc() on an existing labelled child in multiprocess mode (default storage)."""
    directory = _fresh_directory()
    try:
        import prometheus_client.values  # noqa: F401

        _use_default_store(prometheus_client)
        child = prometheus_client.Counter("bench_mp_child", "help", ["route"], registry=None).labels("/a")
        child.inc()
        return _best_per_op(child.inc, 200_000), {}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def mp_counter_inc(prometheus_client: ModuleType) -> Result:
    """Counter.inc() in multiprocess mode (a file-backed value)."""
    directory = _fresh_directory()
    try:
        import prometheus_client.values  # noqa: F401 - make the submodule an attribute

        _use_process(prometheus_client, None)
        counter = prometheus_client.Counter("bench_mp_counter", "help", registry=None)
        counter.inc()
        seconds = _best_per_op(counter.inc, 200_000)
        return seconds, {}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def mp_collect_40x200_histograms(prometheus_client: ModuleType) -> Result:
    """Collect a directory of 40 processes' files, each with 200 labelled histograms."""
    directory = _fresh_directory()
    try:
        import prometheus_client.multiprocess as multiprocess
        import prometheus_client.values  # noqa: F401

        for pid in range(1000, 1000 + PROCESSES):
            _use_process(prometheus_client, pid)
            histogram = prometheus_client.Histogram("bench_mp_seconds", "help", ["route"], registry=None)
            for route in range(HISTOGRAMS):
                histogram.labels(f"/route/{route}").observe(0.01 * (route % 50))
        collector = multiprocess.MultiProcessCollector(None, path=directory)

        def scrape() -> int:
            return sum(len(family.samples) for family in collector.collect())

        samples = scrape()
        seconds = min(timeit.Timer(scrape).repeat(repeat=5, number=1))
        return seconds, {"samples": samples}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


LOCAL_WORKLOADS: Dict[str, Callable[[ModuleType], Result]] = {
    "mp_counter_inc": mp_counter_inc,
    "mp_child_inc": mp_child_inc,
    "mp_populate_10k_children": mp_populate_10k_children,
    "mp_populate_10k_children_4_threads": mp_populate_10k_children_4_threads,
    "mp_collect_40x200_histograms": mp_collect_40x200_histograms,
}

try:  # join the harness's table when run from bench/
    from workloads import workload  # type: ignore[import-not-found]

    workload("op")(mp_counter_inc)
    workload("op")(mp_child_inc)
    workload("total")(mp_populate_10k_children)
    workload("total")(mp_populate_10k_children_4_threads)
    workload("total")(mp_collect_40x200_histograms)
except ImportError:
    pass


def _worker(name: str) -> None:
    import prometheus_client

    seconds, info = LOCAL_WORKLOADS[name](prometheus_client)
    print(json.dumps({"seconds": seconds, "info": info}))


def _run(python: str, pythonpath: str, name: str) -> Dict[str, Any]:
    env = dict(os.environ)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env["PYTHONPATH"] = pythonpath
    output = subprocess.run(
        [python, os.path.abspath(__file__), "--worker", name], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", default="/tmp/official/bin/python", help="python with the official client")
    parser.add_argument("--ours", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--python", default=sys.executable, help="python to run ours with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("names", nargs="*", default=list(LOCAL_WORKLOADS))
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return 0
    for name in args.names:
        ours, official = [], []
        for _ in range(args.rounds):  # interleaved, so machine noise hits both sides alike
            ours.append(_run(args.python, args.ours, name)["seconds"])
            official.append(_run(args.official, "", name)["seconds"])
        ours.sort()
        official.sort()
        ours_median, official_median = ours[len(ours) // 2], official[len(official) // 2]
        print(
            f"{name:32s} ours {ours_median * 1e6:12.2f} us  official {official_median * 1e6:12.2f} us  "
            f"ratio {ours_median / official_median:.3f}"
        )
    return 0


if __name__ == "__main__":
    time.sleep(0)
    sys.exit(main(sys.argv[1:]))
