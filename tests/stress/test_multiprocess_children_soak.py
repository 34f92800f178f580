"""Soak: 50,000 multiprocess children under a 256-file limit (the fast version, with 5,000, is in
tests/unit/test_multiprocess_store.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mp_dir(tmp_path) -> str:
    """An empty directory for the child process's files (this process writes none)."""
    directory = tmp_path / "mp"
    directory.mkdir()
    return str(directory)


def run_python(code: str, env: Dict[str, str], timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_fifty_thousand_children_under_a_256_file_limit(mp_dir):
    out = run_python(
        """
        import json, os, resource
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        from prometheus_client import CollectorRegistry, Counter, Histogram
        from prometheus_client.multiprocess import MultiProcessCollector
        counter = Counter("c", "C.", ["k"], registry=None)
        histogram = Histogram("h", "H.", ["k"], registry=None, buckets=[1])
        fds_at_start = len(os.listdir("/proc/self/fd"))
        for j in range(50000):
            counter.labels(str(j)).inc()
            if j % 10 == 0:
                histogram.labels(str(j)).observe(0.5)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        total = sum(s.value for f in registry.collect() for s in f.samples if s.name == "c_total")
        print(json.dumps([total, len(os.listdir("/proc/self/fd")) - fds_at_start]))
        """,
        {"PROMETHEUS_MULTIPROC_DIR": mp_dir},
    )
    total, extra_fds = json.loads(out)
    assert total == 50000.0
    # One file per kind, each with its fd and one mapping per doubling of its size: not one per child.
    assert extra_fds < 40


