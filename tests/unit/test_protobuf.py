"""The protobuf exposition: our bytes decoded by the ``protobuf`` package, and read back by our parser.

Families come from custom collectors (every type, native histograms, exemplars, timestamps) and
from the instruments. ``tests/protobuf_schema.py`` builds metrics.proto from its field numbers.
"""

from __future__ import annotations

import math
import string
import struct
from typing import Any, Dict, Iterable, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary
from prometheus_client._protobuf import CONTENT_TYPE_PROTOBUF, encode_protobuf
from prometheus_client._protobuf_wire import DecodeError
from prometheus_client.exposition import choose_encoder, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from prometheus_client.parser import parse_protobuf, text_string_to_metric_families
from prometheus_client.samples import BucketSpan, Exemplar, NativeHistogram, Sample
from tests.protobuf_schema import decode


class Families:
    """A collector yielding the given families."""

    def __init__(self, *families: Metric) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return iter(self.families)


def _native(**changes: Any) -> NativeHistogram:
    # Observations 0 (zero bucket), 1.0 x2 (bucket 0), 1.5 (bucket 1 at schema 1: (2^0.5, 2]), -3 (negative bucket 4).
    values = dict(
        count_value=5, sum_value=0.5, schema=1, zero_threshold=0.001, zero_count=1,
        pos_spans=(BucketSpan(0, 2),), neg_spans=(BucketSpan(4, 1),), pos_deltas=(2, -1), neg_deltas=(1,),
    )  # fmt: skip
    values.update(changes)
    return NativeHistogram(**values)  # type: ignore[arg-type]


def _native_family(nh: NativeHistogram, labels: Any = None, exemplar: Any = None) -> Metric:
    family = Metric("request_seconds", "Request time.", "histogram")
    family.add_sample("request_seconds", labels or {}, None, None, exemplar, nh)  # type: ignore[arg-type]
    return family


def _round_trip(*families: Metric) -> List[Metric]:
    return list(parse_protobuf(encode_protobuf(Families(*families))))


# --- against the independent decoder -------------------------------------------------------------


def test_counter_decodes_with_created_timestamp_and_exemplar() -> None:
    family = CounterMetricFamily("jobs", "Jobs done.", labels=["queue"])
    family.add_metric(["fast"], 7, created=1700000000.25)
    family.samples[0] = family.samples[0]._replace(exemplar=Exemplar({"trace_id": "abc"}, 1.0, 1700000001.5))
    [decoded] = decode(encode_protobuf(Families(family)))
    assert (decoded.name, decoded.help, decoded.type) == ("jobs_total", "Jobs done.", 0)
    [metric] = decoded.metric
    assert [(pair.name, pair.value) for pair in metric.label] == [("queue", "fast")]
    assert metric.counter.value == 7.0
    assert (metric.counter.created_timestamp.seconds, metric.counter.created_timestamp.nanos) == (1700000000, 250000000)
    exemplar = metric.counter.exemplar
    assert [(pair.name, pair.value) for pair in exemplar.label] == [("trace_id", "abc")]
    assert (exemplar.value, exemplar.timestamp.seconds, exemplar.timestamp.nanos) == (1.0, 1700000001, 500000000)
    assert not metric.HasField("timestamp_ms")


def test_gauge_untyped_info_and_stateset_decode() -> None:
    gauge = GaugeMetricFamily("temperature_celsius", "T.", labels=["room"], unit="celsius")
    gauge.add_metric(["b"], -1.5, timestamp=12.5)
    gauge.add_metric(["a"], float("inf"))
    unknown = UnknownMetricFamily("mystery", "M.", value=3)
    info = InfoMetricFamily("build", "Build.", value={"version": "1.2"})
    stateset = StateSetMetricFamily("door", "Door.", value={"open": True, "shut": False})
    gauge_decoded, unknown_decoded, info_decoded, state_decoded = decode(
        encode_protobuf(Families(gauge, unknown, info, stateset))
    )
    assert (gauge_decoded.name, gauge_decoded.type, gauge_decoded.unit) == ("temperature_celsius", 1, "celsius")
    first, second = gauge_decoded.metric
    assert (first.gauge.value, first.timestamp_ms, first.label[0].value) == (-1.5, 12500, "b")
    assert math.isinf(second.gauge.value) and not second.HasField("timestamp_ms")
    assert (unknown_decoded.type, unknown_decoded.metric[0].untyped.value) == (3, 3.0)
    assert (info_decoded.name, info_decoded.type, info_decoded.metric[0].gauge.value) == ("build_info", 1, 1.0)
    assert [(pair.name, pair.value) for pair in info_decoded.metric[0].label] == [("version", "1.2")]
    assert state_decoded.type == 1
    assert [(m.label[0].value, m.gauge.value) for m in state_decoded.metric] == [("open", 1.0), ("shut", 0.0)]


def test_summary_decodes_with_quantiles() -> None:
    family = SummaryMetricFamily("latency_seconds", "L.", labels=["path"])
    family.add_metric(["/"], count_value=4, sum_value=2.5)
    family.add_sample("latency_seconds", {"path": "/", "quantile": "0.5"}, 0.4)
    family.add_sample("latency_seconds", {"path": "/", "quantile": "0.99"}, 1.1)
    [decoded] = decode(encode_protobuf(Families(family)))
    assert decoded.type == 2
    [metric] = decoded.metric
    assert [(pair.name, pair.value) for pair in metric.label] == [("path", "/")]
    assert (metric.summary.sample_count, metric.summary.sample_sum) == (4, 2.5)
    assert [(q.quantile, q.value) for q in metric.summary.quantile] == [(0.5, 0.4), (0.99, 1.1)]


def test_classic_histogram_decodes_without_the_implied_inf_bucket() -> None:
    family = HistogramMetricFamily("size_bytes", "S.", labels=["kind"])
    exemplar = Exemplar({"id": "x"}, 90.0, 5.0)
    family.add_metric(["a"], [("10", 1), ("100", 3, exemplar), ("+Inf", 4)], sum_value=250.0)
    [decoded] = decode(encode_protobuf(Families(family)))
    assert decoded.type == 4
    histogram = decoded.metric[0].histogram
    assert (histogram.sample_count, histogram.sample_sum) == (4, 250.0)
    assert [(b.cumulative_count, b.upper_bound) for b in histogram.bucket] == [(1, 10.0), (3, 100.0)]
    assert histogram.bucket[1].exemplar.value == 90.0
    assert not histogram.HasField("schema")


def test_gauge_histogram_decodes_with_gcount_and_gsum() -> None:
    family = GaugeHistogramMetricFamily("queue_size", "Q.", buckets=[("1", 2), ("+Inf", 5)], gsum_value=7.5)
    [decoded] = decode(encode_protobuf(Families(family)))
    assert decoded.type == 5
    histogram = decoded.metric[0].histogram
    assert (histogram.sample_count, histogram.sample_sum) == (5, 7.5)
    assert [(b.cumulative_count, b.upper_bound) for b in histogram.bucket] == [(2, 1.0)]


def test_native_histogram_decodes_field_by_field() -> None:
    exemplar = Exemplar({"trace_id": "t"}, 1.5, 1700000000.0)
    [decoded] = decode(encode_protobuf(Families(_native_family(_native(nh_exemplars=(exemplar,)), {"a": "b"}))))
    assert (decoded.name, decoded.type) == ("request_seconds", 4)
    histogram = decoded.metric[0].histogram
    assert (histogram.sample_count, histogram.sample_sum, histogram.schema) == (5, 0.5, 1)
    assert (histogram.zero_threshold, histogram.zero_count) == (0.001, 1)
    assert [(s.offset, s.length) for s in histogram.positive_span] == [(0, 2)]
    assert list(histogram.positive_delta) == [2, -1]
    assert [(s.offset, s.length) for s in histogram.negative_span] == [(4, 1)]
    assert list(histogram.negative_delta) == [1]
    assert [(e.value, e.timestamp.seconds) for e in histogram.exemplars] == [(1.5, 1700000000)]
    assert len(histogram.bucket) == 0


def test_negative_schema_and_offsets_use_zigzag() -> None:
    nh = _native(schema=-4, pos_spans=(BucketSpan(-3, 1), BucketSpan(2, 1)), pos_deltas=(1, 0), neg_spans=None,
                 neg_deltas=None, zero_count=3, count_value=5)  # fmt: skip
    histogram = decode(encode_protobuf(Families(_native_family(nh))))[0].metric[0].histogram
    assert histogram.schema == -4
    assert [(s.offset, s.length) for s in histogram.positive_span] == [(-3, 1), (2, 1)]


def test_empty_native_histogram_gets_the_no_op_span() -> None:
    nh = NativeHistogram(0, 0.0, 3, 0.0, 0)
    histogram = decode(encode_protobuf(Families(_native_family(nh))))[0].metric[0].histogram
    assert [(s.offset, s.length) for s in histogram.positive_span] == [(0, 0)]
    assert _round_trip(_native_family(nh))[0].samples[0].native_histogram == nh


def test_float_counts_use_the_float_fields() -> None:
    family = HistogramMetricFamily("weights", "W.", buckets=[("1", 0.5), ("+Inf", 2.5)], sum_value=1.0)
    histogram = decode(encode_protobuf(Families(family)))[0].metric[0].histogram
    assert (histogram.sample_count_float, histogram.bucket[0].cumulative_count_float) == (2.5, 0.5)


def test_native_and_classic_buckets_share_one_metric() -> None:
    family = _native_family(_native(), {"a": "b"})
    family.add_sample("request_seconds_bucket", {"a": "b", "le": "1.0"}, 3)
    family.add_sample("request_seconds_bucket", {"a": "b", "le": "+Inf"}, 5)
    family.add_sample("request_seconds_count", {"a": "b"}, 5)
    family.add_sample("request_seconds_sum", {"a": "b"}, 0.5)
    [decoded] = decode(encode_protobuf(Families(family)))
    [metric] = decoded.metric
    assert metric.histogram.schema == 1 and [b.upper_bound for b in metric.histogram.bucket] == [1.0]
    assert _round_trip(family) == [family]


def test_instruments_decode() -> None:
    registry = CollectorRegistry()
    Counter("hits", "Hits.", ["path"], registry=registry).labels("/").inc(3)
    Gauge("depth", "Depth.", registry=registry).set(4)
    histogram = Histogram("wait_seconds", "Wait.", buckets=(0.5, 1.0), registry=registry)
    histogram.observe(0.7)
    Summary("work_seconds", "Work.", registry=registry).observe(2)
    Info("version", "Version.", registry=registry).info({"v": "1"})
    Enum("phase", "Phase.", states=["a", "b"], registry=registry).state("b")
    decoded = {family.name: family for family in decode(encode_protobuf(registry))}
    assert sorted(decoded) == ["depth", "hits_total", "phase", "version_info", "wait_seconds", "work_seconds"]
    assert decoded["hits_total"].metric[0].counter.value == 3.0
    assert decoded["hits_total"].metric[0].counter.HasField("created_timestamp")
    wait = decoded["wait_seconds"].metric[0].histogram
    assert [(b.cumulative_count, b.upper_bound) for b in wait.bucket] == [(0, 0.5), (1, 1.0)]
    assert (wait.sample_count, wait.sample_sum) == (1, 0.7)
    assert decoded["work_seconds"].metric[0].summary.sample_count == 1
    assert [m.gauge.value for m in decoded["phase"].metric] == [0.0, 1.0]


def test_instrument_exemplars_are_written() -> None:
    registry = CollectorRegistry()
    counter = Counter("hits", "Hits.", ["path"], registry=registry)
    counter.labels("/").inc(2, exemplar={"trace_id": "abc"})
    counter.labels("/other").inc()
    histogram = Histogram("wait_seconds", "Wait.", buckets=(0.5, 1.0), registry=registry)
    histogram.observe(0.7, exemplar={"trace_id": "def"})
    decoded = {family.name: family for family in decode(encode_protobuf(registry))}
    first, second = decoded["hits_total"].metric
    assert [(p.name, p.value) for p in first.counter.exemplar.label] == [("trace_id", "abc")]
    assert first.counter.exemplar.value == 2.0 and first.counter.exemplar.timestamp.seconds > 0
    assert not second.counter.HasField("exemplar") and second.counter.value == 1.0
    wait = decoded["wait_seconds"].metric[0].histogram
    assert [b.HasField("exemplar") for b in wait.bucket] == [False, True]
    assert wait.bucket[1].exemplar.value == 0.7
    # A second scrape (label bytes and message heads remembered) writes the same bytes.
    assert encode_protobuf(registry) == encode_protobuf(registry)


def test_utf8_names_follow_the_escaping_scheme() -> None:
    family = GaugeMetricFamily("my.metric", "M.", labels=["a.b"])
    family.add_metric(["v"], 1)
    [underscores] = decode(encode_protobuf(Families(family)))
    [utf8] = decode(encode_protobuf(Families(family), escaping="allow-utf-8"))
    assert (underscores.name, underscores.metric[0].label[0].name) == ("my_metric", "a_b")
    assert (utf8.name, utf8.metric[0].label[0].name) == ("my.metric", "a.b")


def test_samples_that_fit_no_field_go_out_as_untyped_families() -> None:
    family = Metric("odd", "Odd.", "counter")
    family.add_sample("odd_total", {}, 1)
    family.add_sample("odd_extra", {}, 2)
    counter, extra = decode(encode_protobuf(Families(family)))
    assert (counter.name, extra.name, extra.type, extra.metric[0].untyped.value) == ("odd_total", "odd_extra", 3, 2.0)


def test_empty_families_are_left_out() -> None:
    registry = CollectorRegistry()
    Counter("never", "Never.", ["a"], registry=registry)
    assert encode_protobuf(registry) == b""


def test_a_bad_value_fails_with_the_family_attached() -> None:
    family = GaugeMetricFamily("broken", "B.")
    family.add_sample("broken", {}, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError) as raised:
        encode_protobuf(Families(family))
    assert raised.value.args[-1] is family


def test_negotiation_answers_the_prometheus_native_histogram_accept_header() -> None:
    accept = (
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
        "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
        "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    )
    encoder, content_type = choose_encoder(accept)
    assert content_type == CONTENT_TYPE_PROTOBUF
    registry = CollectorRegistry()
    Gauge("g", "G.", registry=registry).set(1)
    assert encoder(registry) == encode_protobuf(registry)
    # Lower weight than text: text wins.
    assert choose_encoder(accept.replace("delimited,", "delimited;q=0.1,"))[1].startswith("application/openmetrics")


# --- read back by our parser ---------------------------------------------------------------------


def test_every_custom_type_reads_back_equal() -> None:
    counter = CounterMetricFamily("c", "C.", labels=["l"])
    counter.add_metric(["x"], 2, created=1700000000.5, timestamp=3.0)
    counter.samples[0] = counter.samples[0]._replace(exemplar=Exemplar({"t": "1"}, 1.0, 2.5))
    gauge = GaugeMetricFamily("g_bytes", "G.", value=1e300, unit="bytes")
    summary = SummaryMetricFamily("s", "S.", labels=["p"])
    summary.add_sample("s", {"p": "/", "quantile": "0.5"}, 0.4)
    summary.add_metric(["/"], count_value=4, sum_value=2.5)
    summary.add_sample("s_created", {"p": "/"}, 1600000000.125)
    histogram = HistogramMetricFamily("h", "H.", buckets=[("0.5", 1), ("+Inf", 3, Exemplar({"a": "b"}, 9.0))],
                                      sum_value=4.0)  # fmt: skip
    gauge_histogram = GaugeHistogramMetricFamily("gh", "GH.", buckets=[("1.0", 2), ("+Inf", 5)], gsum_value=7.5)
    unknown = UnknownMetricFamily("u", "U.", value=-0.0)
    native = _native_family(_native(nh_exemplars=(Exemplar({"trace_id": "t"}, 1.5, 1700000000.0),)), {"a": "b"})
    families = [counter, gauge, summary, histogram, gauge_histogram, unknown, native]
    assert _round_trip(*families) == families


def test_info_and_stateset_read_back_as_gauges_as_from_the_text_format() -> None:
    info = InfoMetricFamily("build", "Build.", value={"version": "1.2"})
    stateset = StateSetMetricFamily("door", "Door.", value={"open": True, "shut": False})
    text = list(text_string_to_metric_families(generate_latest(Families(info, stateset)).decode()))
    assert _round_trip(info, stateset) == text


def test_instruments_read_back_as_their_samples() -> None:
    registry = CollectorRegistry()
    Counter("hits", "Hits.", ["path"], registry=registry).labels("/").inc(3)
    Gauge("depth", "Depth.", ["a", "b"], registry=registry).labels("1", "2").set(4)
    Histogram("wait_seconds", "Wait.", ["x"], buckets=(0.5, 1.0), registry=registry).labels("y").observe(0.7)
    Summary("work_seconds", "Work.", registry=registry).observe(2)
    expected = list(registry.collect())
    assert list(parse_protobuf(encode_protobuf(registry))) == expected


def _names(longest_rest: int) -> st.SearchStrategy[str]:
    """[a-z][a-z0-9_]{0,longest_rest}, built from two parts: st.from_regex draws the same names at twice the cost."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(string.ascii_lowercase),
        st.text(alphabet=string.ascii_lowercase + string.digits + "_", max_size=longest_rest),
    )


# Three fifths of the profile's budget (tests/conftest.py), scaled with it as every other property is:
# 60 examples on CPython, 21 on PyPy (where Hypothesis's own engine is slowest).
ROUND_TRIP_EXAMPLES = 3 * settings.default.max_examples // 5


@settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None)
@given(
    labels=st.dictionaries(_names(8), st.text(max_size=12), max_size=4),
    value=st.floats(allow_nan=False),
    count=st.integers(min_value=0, max_value=2**53),
    schema=st.integers(min_value=-4, max_value=8),
    offsets=st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=4),
    deltas=st.lists(st.integers(min_value=-(2**40), max_value=2**40), min_size=1, max_size=8),
)
def test_round_trip_property(
    labels: Any, value: float, count: int, schema: int, offsets: List[int], deltas: List[int]
) -> None:
    gauge = GaugeMetricFamily("g", "G.", labels=sorted(labels))
    gauge.add_metric([labels[k] for k in sorted(labels)], value)
    spans = tuple(BucketSpan(offset, 1) for offset in offsets)
    nh = NativeHistogram(count, value, schema, 0.0, 0, spans, None, tuple(deltas[: len(spans)]) + (0,) * (
        len(spans) - len(deltas[: len(spans)])), None)  # fmt: skip
    native = _native_family(nh, dict(labels))
    assert _round_trip(gauge, native) == [gauge, native]


def test_nan_values_read_back_as_nan() -> None:
    [family] = _round_trip(GaugeMetricFamily("g", "G.", value=float("nan")))
    assert math.isnan(family.samples[0].value)


def test_truncated_bytes_raise_decode_error() -> None:
    data = encode_protobuf(Families(GaugeMetricFamily("g", "G.", value=1)))
    with pytest.raises(DecodeError):
        list(parse_protobuf(data[:-3]))
    with pytest.raises(ValueError):
        list(parse_protobuf(b"\x05\x0a\x02"))


def test_packed_deltas_are_read_too() -> None:
    # positive_delta (13) packed: length-delimited, zigzag 2 and -1 -> 4, 1.
    histogram = b"\x08\x03\x11" + struct.pack("<d", 1.0) + b"\x28\x00\x31" + struct.pack("<d", 0.0)
    histogram += b"\x62\x04\x08\x00\x10\x02" + b"\x6a\x02\x04\x01"
    metric = b"\x3a" + bytes([len(histogram)]) + histogram
    family = b"\x0a\x01h\x12\x00\x18\x04\x22" + bytes([len(metric)]) + metric
    [parsed] = parse_protobuf(bytes([len(family)]) + family)
    assert parsed.samples == [
        Sample("h", {}, None, None, None, NativeHistogram(3, 1.0, 0, 0.0, 0, (BucketSpan(0, 2),), None, (2, -1), None))  # type: ignore[arg-type]
    ]


_LABEL_NAMES = _names(6).filter(lambda n: n not in ("le", "quantile"))
_LABELS = st.dictionaries(_LABEL_NAMES, st.text(max_size=8), max_size=3)


@settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None)
@given(
    labels=_LABELS,
    bounds=st.lists(st.floats(min_value=-1e9, max_value=1e9), min_size=1, max_size=5, unique=True),
    increments=st.lists(st.integers(min_value=0, max_value=2**40), min_size=6, max_size=6),
    total=st.floats(allow_nan=False),
    counter_value=st.floats(min_value=0, allow_infinity=False),
    # Epoch times: a Timestamp keeps nanoseconds, finer than a double there (not near zero).
    created=st.floats(min_value=1e8, max_value=4e9),
    quantiles=st.lists(st.tuples(st.floats(0, 1), st.floats(allow_nan=False)), max_size=3, unique_by=lambda q: q[0]),
)
def test_classic_types_round_trip_property(
    labels: Any, bounds: List[float], increments: List[int], total: float, counter_value: float, created: float,
    quantiles: Any,
) -> None:  # fmt: skip
    from prometheus_client.utils import floatToGoString

    names = sorted(labels)
    values = [labels[name] for name in names]
    buckets = []
    running = 0
    for bound, increment in zip(sorted(bounds) + [math.inf], increments):
        running += increment
        buckets.append((floatToGoString(bound), running))
    histogram = HistogramMetricFamily("h", "H.", labels=names)
    histogram.add_metric(values, buckets, sum_value=total)
    if not histogram.samples[-1].name.endswith("_sum"):
        return  # a first bound below zero: the official shape has no _count/_sum, nothing to carry them
    counter = CounterMetricFamily("c", "C.", labels=names)
    counter.add_metric(values, counter_value, created=created)
    summary = SummaryMetricFamily("s", "S.", labels=names)
    for quantile, value in quantiles:
        summary.add_sample("s", dict(labels, quantile=floatToGoString(quantile)), value)
    summary.add_metric(values, count_value=running, sum_value=total)
    assert _round_trip(histogram, counter, summary) == [histogram, counter, summary]


def test_an_inf_bucket_that_differs_from_the_count_is_written() -> None:
    family = Metric("odd_hist", "O.", "histogram")
    family.add_sample("odd_hist_bucket", {"le": "1.0"}, 1)
    family.add_sample("odd_hist_bucket", {"le": "+Inf"}, 2)
    family.add_sample("odd_hist_count", {}, 3)
    family.add_sample("odd_hist_sum", {}, 4.0)
    histogram = decode(encode_protobuf(Families(family)))[0].metric[0].histogram
    assert [(b.cumulative_count, b.upper_bound) for b in histogram.bucket] == [(1, 1.0), (2, math.inf)]
    assert _round_trip(family) == [family]


def test_bytes_kept_between_scrapes_follow_values_removals_and_recreated_children() -> None:
    registry = CollectorRegistry()
    counter = Counter("kept", "Kept.", ["k"], registry=registry)
    gauge = Gauge("kept_g", "Kept.", ["k"], registry=registry)

    def values() -> Dict[Tuple[str, str], float]:
        return {
            (s.name, s.labels["k"]): s.value
            for family in parse_protobuf(encode_protobuf(registry))
            for s in family.samples
        }

    counter.labels("a").inc(2)
    gauge.labels("a").set(5)
    first = values()
    counter.labels("a").inc(3)
    gauge.labels("a").set(-1)
    counter.labels("b").inc()
    second = values()
    assert second[("kept_total", "a")] == 5 and second[("kept_g", "a")] == -1 and second[("kept_total", "b")] == 1
    assert second[("kept_created", "a")] == first[("kept_created", "a")]
    counter.remove("a")
    assert ("kept_total", "a") not in values()
    counter.labels("a").inc(7)  # a new child under the same labels: its own value and creation time
    third = values()
    assert third[("kept_total", "a")] == 7
    assert third[("kept_created", "a")] == counter.labels("a")._created != first[("kept_created", "a")]
