"""A rolling upgrade: a directory written by the official client 0.26 is collected by ours, losing nothing.

The official client runs from its own venv (``tests.compat.official``: made by scripts/test.sh, or on demand
outside CI) in real worker processes; both collectors then read the same directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.values import close_all_multiprocess_files

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import os, sys
from prometheus_client import Counter, Gauge, Histogram, Summary
assert "site-packages" in Counter.__module__ or "site-packages" in sys.modules["prometheus_client"].__file__
seed = int(sys.argv[1])
requests = Counter("app_requests", "Requests.", ["method", "code"])
for i in range(40):
    requests.labels(("GET", "POST")[i % 2], str(200 + i % 3)).inc(seed)
latency = Histogram("app_latency_seconds", "Latency.", ["route"], buckets=[0.1, 1, 10])
for i in range(25):
    latency.labels("/r%d" % (i % 4)).observe(i * 0.37 * seed)
Summary("app_size_bytes", "Sizes.").observe(100 * seed)
for mode in ("all", "liveall", "min", "max", "sum", "livesum", "mostrecent"):
    Gauge("app_gauge_" + mode, "Gauge " + mode, ["shard"], multiprocess_mode=mode).labels("a").set(seed * 1.5)
print(os.getpid())
"""

COLLECT = """
import sys
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
registry = CollectorRegistry()
MultiProcessCollector(registry, path=sys.argv[1])
sys.stdout.write(generate_latest(registry).decode())
"""


@pytest.fixture(scope="module")
def official_python() -> str:
    sys.path.insert(0, str(ROOT))
    from tests.compat.official import find_or_make

    try:
        return find_or_make()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


def _official(python: str, code: str, *args: str, directory: str) -> str:
    done = subprocess.run(
        [python, "-I", "-c", textwrap.dedent(code), *args], capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "PROMETHEUS_MULTIPROC_DIR": directory}, cwd="/",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ours(directory: str) -> str:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return generate_latest(registry).decode()


def _families(text: str) -> List[List[str]]:
    """The exposition split into families, each a sorted list of lines (HELP and TYPE first)."""
    families: List[List[str]] = []
    for line in text.splitlines():
        if line.startswith("# HELP"):
            families.append([])
        families[-1].append(line)
    return sorted([block[:2] + sorted(block[2:]) for block in families])


def test_official_directory_collects_to_the_official_output(tmp_path, official_python, monkeypatch):
    directory = str(tmp_path)
    pids = [_official(official_python, WORKER, str(seed), directory=directory).strip() for seed in (1, 2)]
    assert all(os.path.exists(os.path.join(directory, f"counter_{pid}.db")) for pid in pids)
    expected = _official(official_python, COLLECT, directory, directory=directory)
    assert "app_requests_total" in expected
    assert _families(_ours(directory)) == _families(expected)


def test_upgrade_in_place_adds_our_workers_and_folds_the_old_ones(tmp_path, official_python, monkeypatch):
    directory = str(tmp_path)
    old_pid = _official(official_python, WORKER, "3", directory=directory).strip()
    before = _official(official_python, COLLECT, directory, directory=directory)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", directory)
    try:
        Counter("app_requests", "Requests.", ["method", "code"], registry=None).labels("GET", "200").inc(1000)
        mark_process_dead(int(old_pid), directory)  # the old worker exited: its files are folded
        assert not any(name.endswith(f"_{old_pid}.db") for name in os.listdir(directory))
        after = _ours(directory)
    finally:
        close_all_multiprocess_files()
    old_value = next(
        float(line.rsplit(" ", 1)[1]) for line in before.splitlines()
        if line.startswith('app_requests_total{code="200",method="GET"}')
    )
    assert f'app_requests_total{{code="200",method="GET"}} {old_value + 1000}' in after
    # Everything else the old worker wrote is still there, unchanged (live gauges go with their worker).
    unchanged = [
        block for block in _families(before)
        if "app_requests" not in block[0] and "app_gauge_live" not in block[0]
        and "app_gauge_all" not in block[0]
    ]
    after_families = _families(after)
    for block in unchanged:
        assert block in after_families
