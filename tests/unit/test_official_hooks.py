"""The semi-private attributes and methods of the official client that published libraries use."""

from __future__ import annotations

import enum
import warnings
from typing import Iterable

import pytest

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, generate_latest
from prometheus_client.samples import Sample


def test_value_objects_answer_get_in_single_process_mode(registry):
    counter = Counter("c", "h", ["a"], registry=registry)
    counter.labels("x").inc(3)
    gauge = Gauge("g", "h", registry=registry)
    gauge.set(7)
    summary = Summary("s", "h", registry=registry)
    summary.observe(4)
    summary.observe(1)
    histogram = Histogram("h", "h", registry=registry, buckets=[1, 2])
    histogram.observe(1.5)
    histogram.observe(0.5)
    histogram.observe(9)
    assert counter.labels("x")._value.get() == 3.0
    assert gauge._value.get() == 7.0
    assert (summary._count.get(), summary._sum.get()) == (2.0, 5.0)
    assert [bucket.get() for bucket in histogram._buckets] == [1.0, 1.0, 1.0]  # per bucket, not cumulative
    assert histogram._sum.get() == 11.0
    gauge._value.set(2)
    assert registry.get_sample_value("g") == 2.0


def test_kwargs_and_children_by_label_tuple(registry):
    histogram = Histogram("h", "h", ["route"], registry=registry, buckets=[1])
    child = histogram.labels("/a")
    assert histogram._kwargs == {"buckets": [1]} and child._kwargs == {"buckets": [1]}
    assert Counter("plain", "h", registry=registry)._kwargs == {}
    assert list(histogram._metrics) == [("/a",)] and histogram._metrics[("/a",)] is child


def test_overriding_child_samples_changes_the_exposition(registry):
    class QuantileSummary(Summary):
        def _child_samples(self) -> Iterable[Sample]:
            return [*super()._child_samples(), Sample("", {"quantile": "0.5"}, 42.0, None, None)]

    summary = QuantileSummary("q", "Quantiles.", ["k"], registry=registry)
    summary.labels("a").observe(1)
    text = generate_latest(registry).decode()
    assert 'q{k="a",quantile="0.5"} 42.0' in text
    assert 'q_count{k="a"} 1.0' in text


def test_str_enum_members_and_none_convert_with_str(registry):
    class Method(str, enum.Enum):
        GET = "GET"

    counter = Counter("c", "h", ["m"], registry=registry)
    counter.labels("GET").inc()
    member_child = counter.labels(Method.GET)
    assert member_child is counter.labels(str(Method.GET))
    assert (member_child is counter.labels("GET")) == (str(Method.GET) == "GET")
    counter.labels(None).inc()
    assert registry.get_sample_value("c_total", {"m": "None"}) == 1.0


def test_timer_keeps_its_duration(registry):
    histogram = Histogram("h", "h", registry=registry)
    timer = histogram.time()
    assert timer.duration is None
    with timer:
        pass
    assert isinstance(timer.duration, float) and timer.duration >= 0
    assert registry.get_sample_value("h_sum") == timer.duration


def test_dev_is_a_deprecated_spelling_of_dec(registry):
    gauge = Gauge("g", "h", registry=registry)
    with pytest.warns(DeprecationWarning, match="dec"):
        gauge.dev(10)
    assert registry.get_sample_value("g") == -10.0
    labelled = Gauge("l", "h", ["a"], registry=registry)
    with warnings.catch_warnings(), pytest.raises(ValueError, match="gauge metric is missing label values"):
        labelled.dev(1)


def test_parent_update_names_the_official_problem_first():
    counter = Counter("c", "h", ["a"], registry=CollectorRegistry())
    with pytest.raises(ValueError, match="^counter metric is missing label values"):
        counter.inc()
