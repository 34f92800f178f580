"""Summary quantiles at the specification's scale, and promtool reading them.

10^6 observations per stream (uniform, log-normal, bimodal, sorted, reverse-sorted), fed through the
real instrument: every reported quantile's rank error is within its objective (plus one rank of
rounding, see docs/instrumenting.md), and the memory held stays a few hundred entries. This file is
part of the full suite, which CI runs once, on 3.11; tests/unit/test_quantiles.py checks the same at
10^5 on every interpreter.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from typing import Callable, Dict, List

import pytest

from prometheus_client import CollectorRegistry, Summary, generate_latest

N = 1_000_000
OBJECTIVES = {0.01: 0.001, 0.1: 0.01, 0.5: 0.05, 0.9: 0.01, 0.99: 0.001, 0.999: 0.0001}


def _streams() -> Dict[str, Callable[[], List[float]]]:
    def uniform() -> List[float]:
        rnd = random.Random(1)
        return [rnd.random() for _ in range(N)]

    def lognormal() -> List[float]:
        rnd = random.Random(2)
        return [rnd.lognormvariate(-3, 1.2) for _ in range(N)]

    def bimodal() -> List[float]:
        rnd = random.Random(3)
        return [rnd.gauss(0.05, 0.01) if rnd.random() < 0.8 else rnd.gauss(2.0, 0.3) for _ in range(N)]

    return {
        "uniform": uniform,
        "lognormal": lognormal,
        "bimodal": bimodal,
        "sorted": lambda: sorted(uniform()),
        "reverse_sorted": lambda: sorted(uniform(), reverse=True),
    }


@pytest.mark.parametrize("name", list(_streams()))
def test_every_quantile_of_a_million_observations_is_within_its_objective(name: str) -> None:
    data = _streams()[name]()
    registry = CollectorRegistry()
    summary = Summary("stream_seconds", "Stream.", registry=registry, objectives=OBJECTIVES, max_age=3600)
    observe = summary.observe
    for value in data:
        observe(value)
    exact = sorted(data)
    for quantile, error in sorted(OBJECTIVES.items()):
        value = registry.get_sample_value("stream_seconds", {"quantile": str(quantile)})
        assert value is not None
        first, last = bisect_left(exact, value) + 1, bisect_right(exact, value)
        target = quantile * N
        distance = 0.0 if first <= target <= last else min(abs(target - first), abs(target - last))
        assert distance <= error * N + 1, (name, quantile, value, distance)
    assert summary._window.memory_entries() < 1500  # 24 bytes each


def test_promtool_accepts_summary_quantiles(promtool) -> None:  # type: ignore[no-untyped-def]
    registry = CollectorRegistry()
    summary = Summary("request_seconds", "Requests.", ["path"], registry=registry,
                      objectives={0.5: 0.05, 0.9: 0.01, 0.99: 0.001})
    for i in range(5000):
        summary.labels("/a").observe(i / 1000)
    summary.labels("/idle")  # NaN quantiles
    text = generate_latest(registry)
    assert b'request_seconds{path="/a",quantile="0.99"}' in text
    code, output = promtool.check_metrics(text)
    assert code == 0, f"promtool rejected:\n{output}\n--- input ---\n{text.decode()}"
