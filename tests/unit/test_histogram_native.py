"""Histogram with native buckets: arguments, exposition in every format, labels, threads, multiprocess refusal."""

from __future__ import annotations

import math
import re
import threading
import time
from typing import Any, Dict, List, Optional, Sequence

import pytest

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.samples import NativeHistogram
from tests.unit.test_native_histogram import decode

CREATED = re.compile(rb"(_created(?:\{[^}]*\})? )[0-9.e+]+")
EXEMPLAR_TIME = re.compile(rb"( # \{[^}]*\} [0-9.e+-]+) [0-9.]+")


def om2(registry: CollectorRegistry) -> bytes:
    return generate_openmetrics(registry, version="2.0.0")


def native_samples(registry: CollectorRegistry) -> List[NativeHistogram]:
    return [s.native_histogram for m in registry.collect() for s in m.samples if s.native_histogram is not None]


def stable(body: bytes) -> bytes:
    """Exposition text with creation and exemplar times blanked out."""
    return EXEMPLAR_TIME.sub(rb"\1 T", CREATED.sub(rb"\1T", body))


# -- construction ------------------------------------------------------------------------------


def test_native_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Histogram("h", "h", [], "", "", "", None, None, (1.0,), 1.1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [({"native_histogram_bucket_factor": 1.0}, "native_histogram_bucket_factor"),
     ({"native_histogram_zero_threshold": -1}, "native_histogram_zero_threshold"),
     ({"native_histogram_max_bucket_number": -3}, "native_histogram_max_bucket_number"),
     ({"native_histogram_min_reset_duration": -1}, "native_histogram_min_reset_duration"),
     ({"native_histogram_max_zero_threshold": math.nan}, "native_histogram_max_zero_threshold")],
)
def test_bad_native_arguments_raise_value_error_naming_them(arguments: Dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        Histogram("h", "h", registry=None, **arguments)


def test_empty_buckets_without_native_arguments_still_fail_as_officially() -> None:
    with pytest.raises(ValueError, match="at least two buckets"):
        Histogram("h", "h", registry=None, buckets=())


def test_native_histograms_are_refused_in_multiprocess_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="not supported in multiprocess mode.*classic buckets"):
        Histogram("h", "h", registry=None, native_histogram_bucket_factor=1.1)
    classic = Histogram("h", "h", registry=None, buckets=(1.0,))  # classic histograms are unchanged
    classic.observe(0.5)


# -- drop-in -----------------------------------------------------------------------------------


def test_without_native_arguments_the_output_is_the_classic_one() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("lat", "Latency.", ["l"], registry=registry, buckets=(0.5, 1.0))
    histogram.labels("a").observe(0.7)
    assert native_samples(registry) == []
    expected = (
        b'# HELP lat Latency.\n# TYPE lat histogram\nlat_bucket{l="a",le="0.5"} 0.0\n'
        b'lat_bucket{l="a",le="1.0"} 1.0\nlat_bucket{l="a",le="+Inf"} 1.0\nlat_count{l="a"} 1.0\n'
        b'lat_sum{l="a"} 0.7\nlat_created{l="a"} T\n'
    )
    assert stable(generate_openmetrics(registry)) == expected + b"# EOF\n"
    assert stable(om2(registry)) == expected + b"# EOF\n"


# -- exposition --------------------------------------------------------------------------------


def _native_and_classic() -> CollectorRegistry:
    registry = CollectorRegistry()
    histogram = Histogram("lat", "Latency.", ["l"], registry=registry, buckets=(1.0,),
                          native_histogram_bucket_factor=1.1)
    for value in (0.5, 1.0, 1.5, 3.0, -2.0, 0.0):
        histogram.labels("a").observe(value)
    return registry


def test_openmetrics_2_writes_the_native_sample_before_the_classic_ones() -> None:
    assert stable(om2(_native_and_classic())) == (
        b"# HELP lat Latency.\n# TYPE lat histogram\n"
        b'lat{l="a"} {count:6,sum:4.0,schema:3,zero_threshold:2.938735877055719e-39,zero_count:1,'
        b"negative_spans:[8:1],negative_deltas:[1],"
        b"positive_spans:[-8:1,7:1,4:1,7:1],positive_deltas:[1,0,0,0]}\n"
        b'lat_bucket{l="a",le="1.0"} 4.0\nlat_bucket{l="a",le="+Inf"} 6.0\nlat_count{l="a"} 6.0\n'
        b'lat_sum{l="a"} 4.0\nlat_created{l="a"} T\n# EOF\n'
    )


def test_formats_without_native_histograms_show_only_the_classic_samples() -> None:
    registry = _native_and_classic()
    classic_only = CollectorRegistry()
    histogram = Histogram("lat", "Latency.", ["l"], registry=classic_only, buckets=(1.0,))
    for value in (0.5, 1.0, 1.5, 3.0, -2.0, 0.0):
        histogram.labels("a").observe(value)
    assert stable(generate_latest(registry)) == stable(generate_latest(classic_only))
    assert stable(generate_openmetrics(registry)) == stable(generate_openmetrics(classic_only))


def test_native_only_histogram_has_one_sample_per_child() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("d", "D.", registry=registry, buckets=(), native_histogram_bucket_factor=2)
    histogram.observe(3.0)
    histogram.observe(0.25)
    assert om2(registry) == (
        b"# HELP d D.\n# TYPE d histogram\n"
        b"d {count:2,sum:3.25,schema:0,zero_threshold:2.938735877055719e-39,zero_count:0,"
        b"positive_spans:[-2:1,3:1],positive_deltas:[1,0]}\n# EOF\n"
    )
    assert generate_latest(registry) == b"# HELP d D.\n# TYPE d histogram\n"
    assert generate_openmetrics(registry) == b"# HELP d D.\n# TYPE d histogram\n# EOF\n"
    assert histogram._sum.get() == 3.25


def test_an_empty_native_histogram_has_no_spans() -> None:
    registry = CollectorRegistry()
    Histogram("d", "D.", registry=registry, buckets=(), native_histogram_zero_threshold=0.001)
    assert om2(registry) == (
        b"# HELP d D.\n# TYPE d histogram\n"
        b"d {count:0,sum:0.0,schema:3,zero_threshold:0.001,zero_count:0}\n# EOF\n"
    )


def test_openmetrics_2_output_parses_back_to_the_same_native_histograms() -> None:
    registry = _native_and_classic()
    histogram = Histogram("wide", "W.", registry=registry, buckets=(), native_histogram_bucket_factor=1.01)
    for value in (1e-9, 0.004, 17.0, 17.0, -1e6, math.inf, 1e300):
        histogram.observe(value)
    exposed = {(s.name, tuple(sorted(s.labels.items()))): s.native_histogram
               for m in registry.collect() for s in m.samples if s.native_histogram}
    parsed = {(s.name, tuple(sorted((s.labels or {}).items()))): s.native_histogram
              for m in text_string_to_metric_families(om2(registry).decode()) for s in m.samples
              if s.native_histogram}
    assert parsed.keys() == exposed.keys()
    for key, native in exposed.items():
        back = parsed[key]
        assert back is not None and native is not None
        assert back._replace(nh_exemplars=None) == native._replace(nh_exemplars=None)


def test_classic_and_native_counts_agree() -> None:
    registry = _native_and_classic()
    (native,) = native_samples(registry)
    assert native.count_value == registry.get_sample_value("lat_count", {"l": "a"})


# -- labels, remove, clear, time, exemplars ----------------------------------------------------


def test_each_labelled_child_has_its_own_native_buckets() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("h", "H.", ["route"], registry=registry, buckets=(), native_histogram_bucket_factor=2)
    histogram.labels("a").observe(1.0)
    histogram.labels(route="b").observe(4.0)
    histogram.labels("b").observe(4.0)
    by_route = {s.labels["route"]: s.native_histogram for m in registry.collect() for s in m.samples}
    assert by_route["a"] is not None and by_route["b"] is not None
    assert decode(by_route["a"].pos_spans, by_route["a"].pos_deltas) == {0: 1}
    assert decode(by_route["b"].pos_spans, by_route["b"].pos_deltas) == {2: 2}
    histogram.remove("a")
    assert [s.labels for m in registry.collect() for s in m.samples] == [{"route": "b"}]
    histogram.clear()
    assert [s for m in registry.collect() for s in m.samples] == []
    with pytest.raises(ValueError, match="missing label values"):
        histogram.observe(1.0)


def test_time_observes_the_duration() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("t", "T.", registry=registry, buckets=(), native_histogram_bucket_factor=1.1)
    with histogram.time():
        time.sleep(0.01)

    @histogram.time()
    def work() -> None:
        pass

    work()
    (native,) = native_samples(registry)
    assert native.count_value == 2
    assert 0.01 <= native.sum_value < 1


def test_exemplars_go_with_the_native_sample_and_the_classic_bucket() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("e", "E.", registry=registry, buckets=(1.0,), native_histogram_bucket_factor=2)
    histogram.observe(0.5, {"trace_id": "abc"})
    body = stable(om2(registry))
    assert b'e {count:1,sum:0.5,schema:0,zero_threshold:2.938735877055719e-39,zero_count:0,' \
           b'positive_spans:[-1:1],positive_deltas:[1]} # {trace_id="abc"} 0.5 T\n' in body
    assert b'e_bucket{le="1.0"} 1.0 # {trace_id="abc"} 0.5 T\n' in body
    with pytest.raises(ValueError):  # exemplar labels are checked as for classic histograms
        histogram.observe(0.5, {"t": "x" * 200})


def test_reset_over_budget_starts_classic_buckets_and_created_over_too() -> None:
    registry = CollectorRegistry()
    histogram = Histogram("r", "R.", registry=registry, buckets=(10.0,), native_histogram_bucket_factor=2,
                          native_histogram_max_bucket_number=2, native_histogram_min_reset_duration=1e-9)
    created = registry.get_sample_value("r_created")
    histogram.observe(1.0)
    histogram.observe(2.0)
    time.sleep(0.001)
    histogram.observe(4.0)  # a third bucket: over budget, so everything starts over with this observation
    (native,) = native_samples(registry)
    assert native.count_value == 1 and native.sum_value == 4.0
    assert registry.get_sample_value("r_count") == 1.0
    assert registry.get_sample_value("r_sum") == 4.0
    assert registry.get_sample_value("r_created") > created  # type: ignore[operator]


# -- threads -----------------------------------------------------------------------------------


def _bucket_total(native: NativeHistogram) -> int:
    return native.zero_count + sum(decode(native.pos_spans, native.pos_deltas).values()) + sum(
        decode(native.neg_spans, native.neg_deltas).values())


@pytest.mark.parametrize("limit", [None, 12])
def test_threads_lose_no_observation_and_scrapes_always_agree_with_their_buckets(limit: Optional[int]) -> None:
    registry = CollectorRegistry()
    histogram = Histogram("c", "C.", registry=registry, buckets=(), native_histogram_bucket_factor=1.01,
                          native_histogram_max_bucket_number=limit, native_histogram_max_zero_threshold=0.01)
    observers, per_thread = 6, 4000
    # Integers and their negatives (with a few zeros): the sum is exact whatever the order.
    values: Sequence[float] = [float((i * 7919) % 2001 - 1000) for i in range(per_thread)]
    start = threading.Barrier(observers + 2)
    stop = threading.Event()
    problems: List[str] = []

    def observe() -> None:
        start.wait()
        for value in values:
            histogram.observe(value)

    def scrape() -> None:
        start.wait()
        while not stop.is_set():
            for native in native_samples(registry):
                if native.count_value != _bucket_total(native):
                    problems.append(f"count {native.count_value} != buckets {_bucket_total(native)}")
            body = om2(registry)
            if not body.endswith(b"# EOF\n"):
                problems.append("bad body")

    workers = [threading.Thread(target=observe) for _ in range(observers)]
    scrapers = [threading.Thread(target=scrape) for _ in range(2)]
    for thread in workers + scrapers:
        thread.start()
    for thread in workers:
        thread.join()
    stop.set()
    for thread in scrapers:
        thread.join()
    assert problems == []
    (native,) = native_samples(registry)
    assert native.count_value == observers * per_thread == _bucket_total(native)
    assert native.sum_value == observers * sum(values)
    if limit:
        assert native.schema < 6 or native.zero_threshold > 2.0 ** -128


def test_cells_of_ended_threads_are_folded_and_keep_their_counts() -> None:
    import gc

    registry = CollectorRegistry()
    histogram = Histogram("f", "F.", registry=registry, buckets=(1.0,), native_histogram_bucket_factor=2)
    for _ in range(200):
        worker = threading.Thread(target=lambda: (histogram.observe(0.5), histogram.observe(-3.0)))
        worker.start()
        worker.join()
    gc.collect()
    native_cells = histogram._native._current.cells  # type: ignore[union-attr]
    assert len(native_cells) <= 3  # the base cell, and threads whose fold waits for their id to be free
    (native,) = native_samples(registry)
    assert native.count_value == 400 == _bucket_total(native)
    assert decode(native.neg_spans, native.neg_deltas) == {2: 200}
    assert registry.get_sample_value("f_count") == 400.0
