"""The quantile estimator (prometheus_client._quantiles): its invariant, accuracy, window and validation.

Streams here are 2*10^4..10^5 observations so the file runs in about a second; the 10^6-observation
runs of the specification live in tests/integration/test_quantiles_accuracy.py (the full 3.11 suite).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from typing import Dict, List, Sequence

import pytest

from prometheus_client._quantiles import (
    EMPTY,
    QuantileSettings,
    RankSummary,
    SlidingQuantiles,
    merge_summaries,
    query,
    summarize_sorted,
)

DEFAULT_OBJECTIVES = {0.5: 0.05, 0.9: 0.01, 0.99: 0.001}


def rank_error(exact: Sequence[float], value: float, quantile: float) -> float:
    """Distance, in ranks, from quantile * n to the ranks ``value`` holds in the sorted ``exact``."""
    n = len(exact)
    first, last = bisect_left(exact, value) + 1, bisect_right(exact, value)
    assert first <= last, f"{value} was never observed"
    target = quantile * n
    return 0.0 if first <= target <= last else min(abs(target - first), abs(target - last))


def streams(n: int, seed: int = 7) -> Dict[str, List[float]]:
    rnd = random.Random(seed)
    uniform = [rnd.random() for _ in range(n)]
    return {
        "uniform": uniform,
        "lognormal": [rnd.lognormvariate(0, 1.5) for _ in range(n)],
        "bimodal": [rnd.gauss(0, 1) if rnd.random() < 0.7 else rnd.gauss(50, 0.1) for _ in range(n)],
        "sorted": sorted(uniform),
        "reverse_sorted": sorted(uniform, reverse=True),
        "few_values": [float(rnd.randrange(5)) for _ in range(n)],
    }


def assert_invariant(summary: RankSummary, exact: Sequence[float], settings: QuantileSettings) -> None:
    """Bounds contain a true rank of each value, ends are exact, neighbours keep the allowed gap."""
    n = summary.count
    assert n == len(exact)
    assert summary.values[0] == exact[0] and summary.values[-1] == exact[-1]
    assert summary.lower[0] == summary.upper[0] == 1 and summary.lower[-1] == summary.upper[-1] == n
    for value, lower, upper in zip(summary.values, summary.lower, summary.upper):
        # Some rank the value holds lies within the bounds.
        assert lower <= upper
        assert bisect_left(exact, value) + 1 <= upper and lower <= bisect_right(exact, value)
    a, b = settings.low_slope, settings.high_slope
    for k in range(len(summary) - 1):
        left, right = summary.lower[k], summary.upper[k + 1]
        assert right - left - 1 <= 2 * min(a * left, b * (n - right + 1)) + 1e-9


def test_settings_reject_bad_objectives_naming_the_value() -> None:
    for objectives, fragment in [
        ({1.5: 0.01}, "1.5"),
        ({-0.1: 0.01}, "-0.1"),
        ({0.5: 0.0}, "0.0"),
        ({0.5: 2}, "2"),
        ({0.5: "x"}, "'x'"),
        ([0.5], "[0.5]"),
    ]:
        with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
            QuantileSettings.from_arguments(objectives, 600, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_age.*-1"):
        QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, -1, 5)
    with pytest.raises(ValueError, match="age_buckets.*0"):
        QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, 600, 0)
    with pytest.raises(ValueError, match="age_buckets.*2.5"):
        QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, 600, 2.5)  # type: ignore[arg-type]


def test_settings_sort_objectives_and_derive_slopes() -> None:
    settings = QuantileSettings.from_arguments({0.99: 0.001, 0.1: 0.01, 0.5: 0.05}, 60, 3)
    assert settings.objectives == ((0.1, 0.01), (0.5, 0.05), (0.99, 0.001))
    assert settings.low_slope == pytest.approx(0.1)
    assert settings.high_slope == pytest.approx(0.1)
    assert settings.slice_seconds == 20


def test_summary_of_sorted_observations_keeps_the_invariant() -> None:
    settings = QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, 600, 5)
    for data in streams(5000).values():
        exact = sorted(data)
        summary = summarize_sorted(exact, settings.low_slope, settings.high_slope)
        assert_invariant(summary, exact, settings)
        assert len(summary) < 200


def test_merges_in_any_order_keep_true_bounds_and_the_invariant() -> None:
    settings = QuantileSettings.from_arguments({0.05: 0.005, 0.5: 0.05, 0.99: 0.001}, 600, 5)
    a, b = settings.low_slope, settings.high_slope
    rnd = random.Random(3)
    for data in streams(20_000).values():
        pieces: List[RankSummary] = []
        for start in range(0, len(data), 700):
            pieces.append(summarize_sorted(sorted(data[start:start + 700]), a / 4, b / 4))
        # Merge in a shuffled, uneven tree: the invariant does not depend on the order.
        while len(pieces) > 1:
            rnd.shuffle(pieces)
            pieces.append(merge_summaries(pieces.pop(), pieces.pop(), a, b))
        assert_invariant(pieces[0], sorted(data), settings)


@pytest.mark.parametrize("name", ["uniform", "lognormal", "bimodal", "sorted", "reverse_sorted", "few_values"])
def test_every_quantile_is_within_its_objective(name: str) -> None:
    settings = QuantileSettings.from_arguments({0.01: 0.001, **DEFAULT_OBJECTIVES, 0.999: 0.0001}, 600, 5)
    data = streams(50_000)[name]
    window = SlidingQuantiles(settings, clock=lambda: 0.0)
    for start in range(0, len(data), 1024):
        window.add(data[start:start + 1024])
    exact = sorted(data)
    for (quantile, error), value in zip(settings.objectives, window.quantiles()):
        # The bound proven in docs/instrumenting.md: within error * n, plus one rank of rounding.
        assert rank_error(exact, value, quantile) <= error * len(exact) + 1, (name, quantile, value)


def test_quantiles_zero_and_one_are_the_exact_minimum_and_maximum() -> None:
    settings = QuantileSettings.from_arguments({0.0: 0.01, 1.0: 0.01}, 600, 5)
    window = SlidingQuantiles(settings, clock=lambda: 0.0)
    data = streams(10_000)["lognormal"]
    window.add(data)
    assert window.quantiles() == [min(data), max(data)]


def test_empty_window_gives_nan_and_nan_observations_are_ignored() -> None:
    settings = QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, 600, 5)
    window = SlidingQuantiles(settings, clock=lambda: 0.0)
    assert all(math.isnan(v) for v in window.quantiles())
    window.add([math.nan, 1.0, math.nan])
    assert window.quantiles() == [1.0, 1.0, 1.0]
    assert math.isnan(query(EMPTY, 0.5, 0.05))


def test_observations_leave_the_window_after_max_age() -> None:
    now = [0.0]
    settings = QuantileSettings.from_arguments({0.5: 0.01}, max_age=100, age_buckets=4)  # slices of 25 s
    window = SlidingQuantiles(settings, clock=lambda: now[0])
    window.add([1.0] * 1000)  # slice 0: [0, 25)
    now[0] = 60.0
    window.add([2.0] * 10)  # slice 2
    assert window.quantiles() == [1.0]
    now[0] = 99.9  # slice 3: slice 0 is still in the window (it counts for 75 to 100 s)
    assert window.quantiles() == [1.0]
    now[0] = 100.0  # slice 4: slice 0 has left
    assert window.quantiles() == [2.0]
    now[0] = 175.0  # slice 7: everything has left
    assert math.isnan(window.quantiles()[0])
    window.add([3.0])
    assert window.quantiles() == [3.0]


def test_buffered_cells_are_taken_once_and_expire_with_their_slice() -> None:
    now = [0.0]
    settings = QuantileSettings.from_arguments({0.5: 0.01}, max_age=10, age_buckets=2)
    window = SlidingQuantiles(settings, clock=lambda: now[0])
    cell = window.open_cell()
    buffer = cell[0]
    buffer.extend([5.0] * 3)  # type: ignore[attr-defined]
    assert window.snapshot([cell]) == ([5.0], 3, 15.0)
    assert buffer == []  # taken by the snapshot: the owner's next flush merges only what follows
    buffer.extend([7.0] * 5)  # type: ignore[attr-defined]
    window.flush(cell)
    assert cell[0] == [] and cell[0] is not buffer
    assert window.snapshot([cell]) == ([7.0], 8, 50.0)
    now[0] = 9.9
    assert window.quantiles([cell]) == [7.0]  # slice 0, [0, 5), counts until max_age after its start
    now[0] = 10.0
    quantiles, count, total = window.snapshot([cell])
    assert math.isnan(quantiles[0]) and (count, total) == (8, 50.0)  # count and sum are all-time


def test_memory_stays_bounded_however_long_the_stream() -> None:
    now = [0.0]
    settings = QuantileSettings.from_arguments(DEFAULT_OBJECTIVES, max_age=60, age_buckets=5)
    window = SlidingQuantiles(settings, clock=lambda: now[0])
    rnd = random.Random(11)
    sizes = []
    for batch in range(600):  # 6 * 10^5 observations over 600 s: ten windows
        now[0] = float(batch)
        window.add([rnd.lognormvariate(0, 1) for _ in range(1000)])
        sizes.append(window.memory_entries())
        assert window.pending_observations() < settings.age_buckets * 4096
    # Bounded: the later windows hold no more entries than the first (a few hundred, 24 bytes each).
    assert max(sizes[300:]) <= 1.2 * max(sizes[:120]) and max(sizes) < 2000
