"""PeriodicTask: drift-free schedule, skipped ticks, retries after errors, prompt stop."""

from __future__ import annotations

import logging
import threading
import time
from typing import List

import pytest

from prometheus_client._periodic import PeriodicTask


def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_runs_immediately_then_every_interval() -> None:
    calls: List[float] = []
    task = PeriodicTask(lambda: calls.append(time.monotonic()), 0.02).start()
    try:
        wait_for(lambda: len(calls) >= 5)
    finally:
        task.stop()
    assert task.runs >= 5 and task.failures == 0


def test_run_immediately_false_waits_one_interval() -> None:
    calls: List[int] = []
    task = PeriodicTask(lambda: calls.append(1), 30.0, run_immediately=False).start()
    time.sleep(0.05)
    task.stop()
    assert calls == []


def test_stop_returns_promptly_without_sleeping_out_the_interval() -> None:
    task = PeriodicTask(lambda: None, 3600.0).start()
    wait_for(lambda: task.runs == 1)
    started = time.monotonic()
    task.stop()
    assert time.monotonic() - started < 1.0
    assert not task.is_running


def test_stop_waits_for_a_running_call_to_finish() -> None:
    entered, release = threading.Event(), threading.Event()
    finished: List[bool] = []

    def slow() -> None:
        entered.set()
        release.wait(5)
        finished.append(True)

    task = PeriodicTask(slow, 3600.0).start()
    assert entered.wait(5)
    threading.Timer(0.05, release.set).start()
    task.stop()
    assert finished == [True]


def test_exceptions_are_logged_with_the_task_name_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    outcomes: List[str] = []

    def flaky() -> None:
        if len(outcomes) < 2:
            outcomes.append("fail")
            raise ConnectionRefusedError("target down")
        outcomes.append("ok")

    with caplog.at_level(logging.ERROR, logger="prometheus_client"):
        task = PeriodicTask(flaky, 0.01, name="test pusher").start()
        try:
            wait_for(lambda: "ok" in outcomes)
        finally:
            task.stop()
    assert outcomes[:3] == ["fail", "fail", "ok"]
    assert task.failures == 2
    failures = [r for r in caplog.records if "test pusher failed" in r.getMessage()]
    assert len(failures) == 2
    assert failures[0].exc_info is not None and "target down" in str(failures[0].exc_info[1])


def test_schedule_does_not_drift_with_slow_runs() -> None:
    # Each run takes 40% of the interval; a scheduler that sleeps `interval` after each run would
    # need 0.63 s from the first run to the tenth, a drift-free one 0.45 s plus the lateness of that one
    # tick (noise does not add up when each tick is placed from the start).
    calls: List[float] = []

    def work() -> None:
        calls.append(time.monotonic())
        time.sleep(0.02)

    task = PeriodicTask(work, 0.05).start()
    try:
        wait_for(lambda: len(calls) >= 10)
    finally:
        task.stop()
    assert calls[9] - calls[0] < 0.6


def test_missed_ticks_are_skipped_not_bunched() -> None:
    task = PeriodicTask(lambda: None, 1.0)
    # A run of tick 3 that ended at t=7.5 (start 0) goes on to tick 8, not 4, 5, 6, 7.
    assert task._next_tick(3, 0.0, 7.5) == 8
    # A run that ended exactly on its deadline, or slightly before (clock rounding), moves on by one.
    assert task._next_tick(3, 0.0, 3.0) == 4
    assert task._next_tick(3, 0.0, 2.9999999) == 4


def test_slow_run_skips_ticks_in_real_time() -> None:
    calls: List[float] = []

    def work() -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(0.125)  # misses ticks 1 and 2 of a 0.05 s schedule

    task = PeriodicTask(work, 0.05).start()
    try:
        wait_for(lambda: len(calls) >= 2)
    finally:
        task.stop()
    # The second call is tick 3 (0.15 s), not an immediate catch-up right after 0.125 s.
    assert calls[1] - calls[0] >= 0.145


def test_stop_from_inside_the_function_does_not_deadlock() -> None:
    holder: List[PeriodicTask] = []
    task = PeriodicTask(lambda: holder[0].stop(), 0.01)
    holder.append(task)
    task.start()
    wait_for(lambda: not task._thread.is_alive())  # type: ignore[union-attr]
    assert task.runs == 1


def test_start_twice_raises() -> None:
    task = PeriodicTask(lambda: None, 3600.0).start()
    try:
        with pytest.raises(RuntimeError, match="already started"):
            task.start()
    finally:
        task.stop()


def test_thread_is_a_daemon_named_after_the_task() -> None:
    task = PeriodicTask(lambda: None, 3600.0, name="my writer").start()
    try:
        assert task._thread is not None and task._thread.daemon and task._thread.name == "my writer"
    finally:
        task.stop()


@pytest.mark.parametrize("interval", [0, -1, float("nan"), float("inf")])
def test_rejects_non_positive_or_non_finite_interval(interval: float) -> None:
    with pytest.raises(ValueError, match="interval"):
        PeriodicTask(lambda: None, interval)


def test_rejects_non_numeric_interval_and_non_callable() -> None:
    with pytest.raises(TypeError, match="'soon'"):
        PeriodicTask(lambda: None, "soon")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        PeriodicTask(42, 1.0)  # type: ignore[arg-type]
