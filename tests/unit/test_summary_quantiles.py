"""Summary(..., objectives=...): quantile series over a sliding window through the real instrument."""

from __future__ import annotations

import math
import random
import sys
import threading
import time
from bisect import bisect_left, bisect_right
from collections import deque
from typing import Deque, List, Tuple

import pytest

from prometheus_client import CollectorRegistry, Summary, generate_latest, metrics
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

OBJECTIVES = {0.5: 0.05, 0.9: 0.01, 0.99: 0.001}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """The window clock of Summaries created from now on, set by the test (seconds)."""
    now = [1000.0]
    monkeypatch.setattr(Summary, "_quantile_clock", staticmethod(lambda: now[0]))
    monkeypatch.setattr(metrics, "_created_override", False)  # no _created lines in the golden text
    return now


def test_text_and_openmetrics_put_quantiles_before_count_and_sum(clock: List[float]) -> None:
    registry = CollectorRegistry()
    summary = Summary("rpc_seconds", "RPC time.", ["method"], registry=registry, objectives=OBJECTIVES)
    for i in range(1, 101):
        summary.labels("get").observe(i)
    # 49 for the median: within 0.05 * 100 ranks of 50, as promised (values are dropped even this early).
    Summary("idle_seconds", "Never observed.", registry=registry, objectives={0.5: 0.05})
    expected = (
        "# HELP rpc_seconds RPC time.\n"
        "# TYPE rpc_seconds summary\n"
        'rpc_seconds{method="get",quantile="0.5"} 49.0\n'
        'rpc_seconds{method="get",quantile="0.9"} 90.0\n'
        'rpc_seconds{method="get",quantile="0.99"} 99.0\n'
        'rpc_seconds_count{method="get"} 100.0\n'
        'rpc_seconds_sum{method="get"} 5050.0\n'
        "# HELP idle_seconds Never observed.\n"
        "# TYPE idle_seconds summary\n"
        'idle_seconds{quantile="0.5"} NaN\n'
        "idle_seconds_count 0.0\n"
        "idle_seconds_sum 0.0\n"
    )
    assert generate_latest(registry).decode() == expected
    assert generate_openmetrics(registry).decode() == expected + "# EOF\n"


def test_without_objectives_a_summary_is_unchanged(clock: List[float]) -> None:
    registry = CollectorRegistry()
    plain = Summary("plain_seconds", "Plain.", registry=registry)
    empty = Summary("empty_seconds", "Empty objectives.", registry=registry, objectives={})
    plain.observe(2)
    empty.observe(2)
    assert generate_latest(registry).decode() == (
        "# HELP plain_seconds Plain.\n# TYPE plain_seconds summary\nplain_seconds_count 1.0\nplain_seconds_sum 2.0\n"
        "# HELP empty_seconds Empty objectives.\n# TYPE empty_seconds summary\n"
        "empty_seconds_count 1.0\nempty_seconds_sum 2.0\n"
    )
    assert type(plain).observe is Summary.observe and "observe" not in plain.__dict__


def test_positional_arguments_are_the_official_ones_and_objectives_keyword_only() -> None:
    registry = CollectorRegistry()
    summary = Summary("pos_seconds", "Doc.", ("a",), "ns", "sub", "seconds", registry)
    assert summary._name == "ns_sub_pos_seconds"
    with pytest.raises(TypeError):
        Summary("x", "Doc.", (), "", "", "", registry, None, OBJECTIVES)  # type: ignore[misc]


def test_count_and_sum_are_all_time_while_quantiles_follow_the_window(clock: List[float]) -> None:
    registry = CollectorRegistry()
    summary = Summary("job_seconds", "Jobs.", registry=registry, objectives={0.5: 0.01}, max_age=60, age_buckets=3)
    for _ in range(10):
        summary.observe(1.0)
    clock[0] += 30
    summary.observe(3.0)
    assert registry.get_sample_value("job_seconds", {"quantile": "0.5"}) == 1.0
    clock[0] += 40  # the first observations are now more than 60 s old
    assert registry.get_sample_value("job_seconds", {"quantile": "0.5"}) == 3.0
    clock[0] += 60
    assert math.isnan(registry.get_sample_value("job_seconds", {"quantile": "0.5"}))  # type: ignore[arg-type]
    assert registry.get_sample_value("job_seconds_count") == 11
    assert registry.get_sample_value("job_seconds_sum") == 13
    summary.observe(5.0)
    assert registry.get_sample_value("job_seconds", {"quantile": "0.5"}) == 5.0


def test_labels_remove_clear_and_time(clock: List[float]) -> None:
    registry = CollectorRegistry()
    summary = Summary("op_seconds", "Ops.", ["op"], registry=registry, objectives={0.99: 0.001})
    summary.labels("a").observe(7)
    summary.labels(op="b").observe(8)
    with summary.labels("c").time():
        pass
    assert registry.get_sample_value("op_seconds", {"op": "a", "quantile": "0.99"}) == 7
    assert registry.get_sample_value("op_seconds", {"op": "b", "quantile": "0.99"}) == 8
    assert 0 <= registry.get_sample_value("op_seconds", {"op": "c", "quantile": "0.99"}) < 1  # type: ignore[operator]
    summary.remove("a")
    assert registry.get_sample_value("op_seconds", {"op": "a", "quantile": "0.99"}) is None
    summary.labels("a").observe(1)  # a new child: nothing of the removed one remains
    assert registry.get_sample_value("op_seconds", {"op": "a", "quantile": "0.99"}) == 1
    assert registry.get_sample_value("op_seconds_count", {"op": "a"}) == 1
    summary.clear()
    assert registry.get_sample_value("op_seconds_count", {"op": "b"}) is None
    with pytest.raises(ValueError, match="missing label values"):
        summary.observe(1)


def test_a_subclass_with_its_own_init_passes_objectives_to_children(clock: List[float]) -> None:
    class TeamSummary(Summary):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            kwargs.setdefault("namespace", "team")
            super().__init__(*args, **kwargs)

    registry = CollectorRegistry()
    summary = TeamSummary("wait_seconds", "Wait.", ["queue"], registry=registry, objectives={0.5: 0.05})
    summary.labels("q").observe(4)
    assert registry.get_sample_value("team_wait_seconds", {"queue": "q", "quantile": "0.5"}) == 4


def test_threads_lose_no_observation_and_ended_threads_are_folded(clock: List[float]) -> None:
    registry = CollectorRegistry()
    summary = Summary("work_seconds", "Work.", registry=registry, objectives={0.0: 0.01, 0.5: 0.01, 1.0: 0.01})
    per_thread = 5000
    start = threading.Barrier(4)

    def work(offset: int) -> None:
        start.wait()
        for i in range(per_thread):
            summary.observe(offset * per_thread + i)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    # Scrape while the threads observe: what a scrape takes is never merged twice.
    while any(thread.is_alive() for thread in threads):
        generate_latest(registry)
    for thread in threads:
        thread.join()
    total = 4 * per_thread
    assert registry.get_sample_value("work_seconds_count") == total
    assert registry.get_sample_value("work_seconds_sum") == total * (total - 1) / 2
    assert registry.get_sample_value("work_seconds", {"quantile": "0.0"}) == 0
    assert registry.get_sample_value("work_seconds", {"quantile": "1.0"}) == total - 1
    median = registry.get_sample_value("work_seconds", {"quantile": "0.5"})
    assert abs(median - total / 2) <= 0.01 * total + 1  # type: ignore[operator]
    assert summary._window._window.count == total  # every observation is in the window exactly once
    assert summary._count.get() == total and summary._sum.get() == total * (total - 1) / 2
    if sys.implementation.name == "cpython":
        assert summary._cells == {}  # each ended thread's cell was folded into the window


def test_invalid_settings_raise_value_error_naming_the_value() -> None:
    registry = CollectorRegistry()
    with pytest.raises(ValueError, match="1.5"):
        Summary("a_seconds", "A.", registry=registry, objectives={1.5: 0.01})
    with pytest.raises(ValueError, match="-0.2"):
        Summary("a_seconds", "A.", registry=registry, objectives={0.5: -0.2})
    with pytest.raises(ValueError, match="max_age.*0"):
        Summary("a_seconds", "A.", registry=registry, objectives=OBJECTIVES, max_age=0)
    with pytest.raises(ValueError, match="age_buckets.*-3"):
        Summary("a_seconds", "A.", registry=registry, objectives=OBJECTIVES, age_buckets=-3)
    assert list(registry.collect()) == []  # nothing was registered


def test_multiprocess_mode_refuses_objectives_and_suggests_a_histogram(mp_dir: str) -> None:
    registry = CollectorRegistry()
    with pytest.raises(ValueError, match="cannot be merged across processes.*Histogram"):
        Summary("mp_seconds", "MP.", registry=registry, objectives=OBJECTIVES)
    Summary("mp_plain_seconds", "Plain summaries still work.", registry=registry).observe(1)


def test_observations_leave_after_max_age_on_the_real_clock() -> None:
    registry = CollectorRegistry()
    # Four slices of 0.05 s: an observation counts for 0.15 to 0.2 s, long enough to be read right away.
    summary = Summary("real_seconds", "Real.", registry=registry, objectives={0.5: 0.05}, max_age=0.2, age_buckets=4)
    summary.observe(2.5)
    assert registry.get_sample_value("real_seconds", {"quantile": "0.5"}) == 2.5
    time.sleep(0.25)
    assert math.isnan(registry.get_sample_value("real_seconds", {"quantile": "0.5"}))  # type: ignore[arg-type]
    assert registry.get_sample_value("real_seconds_count") == 1


def test_frequent_scrapes_across_rotations_stay_within_the_objectives(clock: List[float]) -> None:
    # Scrapes every 3 s take small batches; slices rotate every 24 s. Compare with the exact window.
    registry = CollectorRegistry()
    summary = Summary("s_seconds", "S.", registry=registry, objectives=OBJECTIVES, max_age=120, age_buckets=5)
    rnd = random.Random(9)
    kept: Deque[Tuple[float, float]] = deque()
    start = clock[0]
    for step in range(30_000):  # 50 observations a second for 600 s
        clock[0] = start + step / 50
        value = rnd.lognormvariate(0, 1) * (1 if step < 15_000 else 3)
        summary.observe(value)
        kept.append((clock[0], value))
        if step % 150 == 149:
            oldest = (clock[0] // 24 - 4) * 24
            while kept and kept[0][0] < oldest:
                kept.popleft()
            window = sorted(v for _, v in kept)
            quantiles, count, _ = summary._window.snapshot(list(summary._cells.values()))
            assert summary._window._window.count == len(window) and count == step + 1
            n = len(window)
            for (quantile, error), value in zip(sorted(OBJECTIVES.items()), quantiles):
                first, last = bisect_left(window, value) + 1, bisect_right(window, value)
                target = quantile * n
                distance = 0.0 if first <= target <= last else min(abs(target - first), abs(target - last))
                assert distance <= error * n + 1, (step, quantile)
