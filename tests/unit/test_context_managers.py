"""Timing helpers as decorators on sync and async functions, keeping signatures."""

from __future__ import annotations

import asyncio
import inspect
import time

import pytest

from prometheus_client import Counter, Gauge, Histogram, Summary


def test_decorators_keep_name_docstring_and_signature(registry):
    histogram = Histogram("h", "help", registry=registry)

    @histogram.time()
    def handler(request: str, *, retries: int = 3) -> str:
        """Handle a request."""
        return request

    assert handler.__name__ == "handler"
    assert handler.__doc__ == "Handle a request."
    assert str(inspect.signature(handler)) == "(request: 'str', *, retries: 'int' = 3) -> 'str'"


def test_async_time_measures_awaited_work(registry):
    summary = Summary("s", "help", registry=registry)

    @summary.time()
    async def slow() -> int:
        await asyncio.sleep(0.05)
        return 7

    assert inspect.iscoroutinefunction(slow)
    assert asyncio.run(slow()) == 7
    assert registry.get_sample_value("s_count") == 1.0
    assert registry.get_sample_value("s_sum") >= 0.04


def test_async_count_exceptions(registry):
    counter = Counter("errors", "help", registry=registry)

    @counter.count_exceptions(RuntimeError)
    async def broken() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("x")

    with pytest.raises(RuntimeError):
        asyncio.run(broken())
    assert registry.get_sample_value("errors_total") == 1.0


def test_async_track_inprogress_covers_the_await(registry):
    gauge = Gauge("g", "help", registry=registry)

    async def main() -> tuple:
        release = asyncio.Event()

        @gauge.track_inprogress()
        async def work() -> None:
            await release.wait()

        tasks = asyncio.gather(work(), work())
        await asyncio.sleep(0.01)
        during = registry.get_sample_value("g")
        release.set()
        await tasks
        return during, registry.get_sample_value("g")

    assert asyncio.run(main()) == (2.0, 0.0)


def test_timer_decorator_is_reentrant(registry):
    histogram = Histogram("h", "help", registry=registry)

    @histogram.time()
    def recurse(n: int) -> int:
        return 0 if n == 0 else 1 + recurse(n - 1)

    assert recurse(3) == 3
    assert registry.get_sample_value("h_count") == 4.0


def test_timer_records_even_when_block_raises(registry):
    histogram = Histogram("h", "help", registry=registry)
    with pytest.raises(KeyError):
        with histogram.time():
            raise KeyError
    assert registry.get_sample_value("h_count") == 1.0


def test_original_camelcase_api_names_work(registry):
    counter = Counter("c", "help", registry=registry)
    gauge = Gauge("g", "help", registry=registry)

    @counter.countExceptions()
    def fail() -> None:
        raise ValueError

    with pytest.raises(ValueError):
        fail()

    @gauge.trackInprogress()
    def work() -> float:
        return registry.get_sample_value("g")

    assert work() == 1.0
    gauge.setToCurrentTime()
    assert abs(registry.get_sample_value("g") - time.time()) < 5
    gauge.setToCurrentTime("legacy-argument")
    gauge.dec(gauge_value := registry.get_sample_value("g"))
    assert registry.get_sample_value("g") == 0.0 and gauge_value > 0
    assert registry.get_sample_value("c_total") == 1.0
