"""Prometheus text format 0.0.4: golden text next to the families that make it."""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from typing import Iterable, List, Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometheus_client._encoding import encode_text, format_value
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    InstrumentMetric,
    Metric,
    SeriesLabels,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from prometheus_client.registry import CollectorRegistry
from prometheus_client.samples import Exemplar, LabelSet, Timestamp
from prometheus_client.utils import floatToGoString


class _Families:
    """A collector yielding fixed families."""

    def __init__(self, *families: Metric) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return iter(self.families)


def text(*families: Metric, escaping: str = "underscores") -> str:
    return encode_text(_Families(*families), escaping).decode("utf-8")  # type: ignore[arg-type]


def test_counter_is_exposed_as_total_with_created_as_a_separate_gauge() -> None:
    family = CounterMetricFamily("requests", "Requests served.", labels=["method"])
    family.add_metric(["get"], 3, created=1600000000.5)
    family.add_metric(["post"], 0.5)
    assert text(family) == (
        "# HELP requests_total Requests served.\n"
        "# TYPE requests_total counter\n"
        'requests_total{method="get"} 3.0\n'
        'requests_total{method="post"} 0.5\n'
        "# HELP requests_created Requests served.\n"
        "# TYPE requests_created gauge\n"
        'requests_created{method="get"} 1.6000000005e+09\n'
    )


def test_gauge_values_negative_large_and_special() -> None:
    family = GaugeMetricFamily("temperature", "Temp.", labels=["sensor"])
    for sensor, value in [("a", -3.5), ("b", 1e6), ("c", 123456.0), ("d", float("nan")), ("e", float("inf")),
                          ("f", float("-inf")), ("g", 0.0001), ("h", 1e-05), ("i", -0.0), ("j", 12345678.9)]:
        family.add_metric([sensor], value)
    assert text(family) == (
        "# HELP temperature Temp.\n"
        "# TYPE temperature gauge\n"
        'temperature{sensor="a"} -3.5\n'
        'temperature{sensor="b"} 1e+06\n'
        'temperature{sensor="c"} 123456.0\n'
        'temperature{sensor="d"} NaN\n'
        'temperature{sensor="e"} +Inf\n'
        'temperature{sensor="f"} -Inf\n'
        'temperature{sensor="g"} 0.0001\n'
        'temperature{sensor="h"} 1e-05\n'
        'temperature{sensor="i"} -0.0\n'
        'temperature{sensor="j"} 1.23456789e+07\n'
    )


def test_integer_bool_and_numeric_string_values_are_floats() -> None:
    family = Metric("m", "M.", "gauge")
    family.add_sample("m", {"k": "int"}, 7)
    family.add_sample("m", {"k": "bool"}, True)
    family.add_sample("m", {"k": "str"}, "2.5")  # type: ignore[arg-type]
    family.add_sample("m", {"k": "big"}, 10**7)
    assert text(family) == (
        '# HELP m M.\n# TYPE m gauge\nm{k="int"} 7.0\nm{k="bool"} 1.0\nm{k="str"} 2.5\nm{k="big"} 1e+07\n'
    )


def test_summary_with_quantiles() -> None:
    family = SummaryMetricFamily("latency", "Latency.", count_value=4, sum_value=1.25)
    family.add_sample("latency", {"quantile": "0.5"}, 0.25)
    assert text(family) == (
        "# HELP latency Latency.\n"
        "# TYPE latency summary\n"
        "latency_count 4.0\n"
        "latency_sum 1.25\n"
        'latency{quantile="0.5"} 0.25\n'
    )


def test_histogram_labels_sorted_with_le() -> None:
    family = HistogramMetricFamily("size", "Size.", labels=["z", "a"])
    family.add_metric(["1", "2"], [("1.0", 1), ("+Inf", 3)], 5.5)
    assert text(family) == (
        "# HELP size Size.\n"
        "# TYPE size histogram\n"
        'size_bucket{a="2",le="1.0",z="1"} 1.0\n'
        'size_bucket{a="2",le="+Inf",z="1"} 3.0\n'
        'size_count{a="2",z="1"} 3.0\n'
        'size_sum{a="2",z="1"} 5.5\n'
    )


def test_gaugehistogram_is_a_histogram_with_gcount_and_gsum_gauges() -> None:
    family = GaugeHistogramMetricFamily("queue", "Queue.", buckets=[("1.0", 4), ("+Inf", 5)], gsum_value=7)
    assert text(family) == (
        "# HELP queue Queue.\n"
        "# TYPE queue histogram\n"
        'queue_bucket{le="1.0"} 4.0\n'
        'queue_bucket{le="+Inf"} 5.0\n'
        "# HELP queue_gcount Queue.\n"
        "# TYPE queue_gcount gauge\n"
        "queue_gcount 5.0\n"
        "# HELP queue_gsum Queue.\n"
        "# TYPE queue_gsum gauge\n"
        "queue_gsum 7.0\n"
    )


def test_info_stateset_and_unknown_types() -> None:
    info = InfoMetricFamily("build", "Build.", value={"version": "1.2"})
    state = StateSetMetricFamily("mode", "Mode.", value={"on": True, "off": False})
    unknown = UnknownMetricFamily("mystery", "Mystery.", value=2)
    assert text(info, state, unknown) == (
        "# HELP build_info Build.\n"
        "# TYPE build_info gauge\n"
        'build_info{version="1.2"} 1.0\n'
        "# HELP mode Mode.\n"
        "# TYPE mode gauge\n"
        'mode{mode="off"} 0.0\n'
        'mode{mode="on"} 1.0\n'
        "# HELP mystery Mystery.\n"
        "# TYPE mystery untyped\n"
        "mystery 2.0\n"
    )


def test_timestamps_are_integer_milliseconds_and_exemplars_are_dropped() -> None:
    family = Metric("t", "T.", "counter")
    family.add_sample("t_total", {}, 1, timestamp=1600000000.1234)
    family.add_sample("t_total", {"a": "b"}, 2, timestamp=Timestamp(12, 5000000))
    family.add_sample("t_total", {"a": "c"}, 3, exemplar=Exemplar({"trace": "x"}, 1.0))
    assert text(family) == (
        "# HELP t_total T.\n"
        "# TYPE t_total counter\n"
        "t_total 1.0 1600000000123\n"
        't_total{a="b"} 2.0 12005\n'
        't_total{a="c"} 3.0\n'
    )


def test_help_and_label_values_are_escaped() -> None:
    family = GaugeMetricFamily("g", 'Back\\slash\nnew "quoted"', labels=["v"])
    family.add_metric(['a\\b\n"c"'], 1)
    assert text(family) == (
        '# HELP g Back\\\\slash\\nnew "quoted"\n'
        "# TYPE g gauge\n"
        'g{v="a\\\\b\\n\\"c\\""} 1.0\n'
    )


def test_empty_help_keeps_the_space() -> None:
    assert text(GaugeMetricFamily("g", "", value=1)) == "# HELP g \n# TYPE g gauge\ng 1.0\n"


def test_empty_registry_gives_empty_bytes() -> None:
    assert encode_text(CollectorRegistry()) == b""


def _utf8_family() -> Metric:
    family = Metric("my.metric", "Dotted.", "gauge")
    family.add_sample("my.metric", {"le.vel": "x", "ok": "y"}, 1)
    family.add_sample("my.metric", {}, 2)
    return family


@pytest.mark.parametrize(
    "escaping,expected",
    [
        (
            "underscores",
            '# HELP my_metric Dotted.\n# TYPE my_metric gauge\nmy_metric{le_vel="x",ok="y"} 1.0\nmy_metric 2.0\n',
        ),
        (
            "allow-utf-8",
            '# HELP "my.metric" Dotted.\n# TYPE "my.metric" gauge\n'
            '{"my.metric","le.vel"="x",ok="y"} 1.0\n{"my.metric"} 2.0\n',
        ),
        (
            "dots",
            "# HELP my_dot_metric Dotted.\n# TYPE my_dot_metric gauge\n"
            'my_dot_metric{le_dot_vel="x",ok="y"} 1.0\nmy_dot_metric 2.0\n',
        ),
        (
            "values",
            "# HELP U__my_2e_metric Dotted.\n# TYPE U__my_2e_metric gauge\n"
            'U__my_2e_metric{U__le_2e_vel="x",ok="y"} 1.0\nU__my_2e_metric 2.0\n',
        ),
    ],
)
def test_utf8_names_under_each_escaping_scheme(escaping: str, expected: str) -> None:
    assert text(_utf8_family(), escaping=escaping) == expected


def test_unknown_escaping_scheme_leaves_names_as_they_are() -> None:
    # The official client does not reject an unknown scheme: it writes names unescaped.
    family = GaugeMetricFamily("g.x", "G.", labels=["l.y"])
    family.add_metric(["v"], 1)
    assert text(family, escaping="bogus") == '# HELP g.x G.\n# TYPE g.x gauge\ng.x{l.y="v"} 1.0\n'


def _instrument_histogram(labels: Mapping[str, str]) -> InstrumentMetric:
    layout = [("_bucket", ("le", "0.5")), ("_bucket", ("le", "+Inf")), ("_count", None), ("_sum", None),
              ("_created", None)]
    family = InstrumentMetric("lat", "Latency.", "histogram", layout=layout)
    family.add_series(
        labels,
        [1.0, 2.0, 2.0, 3.25, 1600000000.0],
        [None, Exemplar({"t": "1"}, 0.1), None, None, None],
    )
    return family


@pytest.mark.parametrize(
    "labels",
    [LabelSet({"route": "/a", "code": "200"}), SeriesLabels(("route", "code"), ("/a", "200"))],
    ids=["LabelSet", "SeriesLabels"],
)
def test_instrument_series_match_sample_path(labels: Mapping[str, str]) -> None:
    expected = (
        "# HELP lat Latency.\n"
        "# TYPE lat histogram\n"
        'lat_bucket{code="200",le="0.5",route="/a"} 1.0\n'
        'lat_bucket{code="200",le="+Inf",route="/a"} 2.0\n'
        'lat_count{code="200",route="/a"} 2.0\n'
        'lat_sum{code="200",route="/a"} 3.25\n'
        "# HELP lat_created Latency.\n"
        "# TYPE lat_created gauge\n"
        'lat_created{code="200",route="/a"} 1.6e+09\n'
    )
    assert text(_instrument_histogram(labels)) == expected
    assert text(_instrument_histogram(labels)) == expected
    # The same family read as Sample records gives the same text.
    as_samples = Metric("lat", "Latency.", "histogram")
    as_samples.samples = list(_instrument_histogram(labels).samples)
    assert text(as_samples) == expected


def test_series_labels_escape_values_and_sort_names_around_the_extra_label() -> None:
    layout = [("_bucket", ("le", "1.0")), ("_count", None)]
    family = InstrumentMetric("h", "H.", "histogram", layout=layout)
    family.add_series(SeriesLabels(("z", "a", "m"), ('q"x', "back\\slash", "new\nline")), [1.0, 1.0])
    family.add_series(SeriesLabels(("z", "a", "m"), ("1", "2", "3")), [2.0, 2.0])
    assert text(family) == (
        "# HELP h H.\n# TYPE h histogram\n"
        'h_bucket{a="back\\\\slash",le="1.0",m="new\\nline",z="q\\"x"} 1.0\n'
        'h_count{a="back\\\\slash",m="new\\nline",z="q\\"x"} 1.0\n'
        'h_bucket{a="2",le="1.0",m="3",z="1"} 2.0\n'
        'h_count{a="2",m="3",z="1"} 2.0\n'
    )


def test_series_labels_with_braces_in_names_and_values_under_utf8() -> None:
    family = InstrumentMetric("g", "G.", "gauge", layout=[("", None)])
    family.add_series(SeriesLabels(("b{}", "a"), ("{0}", "}{")), [1.0])
    assert text(family, escaping="allow-utf-8") == '# HELP g G.\n# TYPE g gauge\ng{a="}{","b{}"="{0}"} 1.0\n'
    assert text(family) == '# HELP g G.\n# TYPE g gauge\ng{a="}{",b__="{0}"} 1.0\n'


@pytest.mark.skipif(not hasattr(sys, "getrefcount"), reason="reference counts are CPython's (PyPy has a moving GC)")
def test_scrape_keeps_nothing_per_series() -> None:
    names, values = ("a", "b"), ("x", 'y"')
    labels = SeriesLabels(names, values)
    family = InstrumentMetric("h", "H.", "histogram", layout=[("_bucket", ("le", "1.0")), ("_count", None)])
    family.add_series(labels, [1.0, 1.0])
    before = [sys.getrefcount(item) for item in (labels, names, values)]
    for _ in range(2):
        assert text(family) == (
            '# HELP h H.\n# TYPE h histogram\nh_bucket{a="x",b="y\\"",le="1.0"} 1.0\nh_count{a="x",b="y\\""} 1.0\n'
        )
    # No table, plan or text keeps a reference to the series' labels once the scrape is over.
    assert [sys.getrefcount(item) for item in (labels, names, values)] == before


def test_instrument_series_with_plain_dict_labels_and_no_labels() -> None:
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None)])
    family.add_series({"b": "2", "a": "1"}, [5.0])
    family.add_series(LabelSet(), [1e6])
    assert text(family) == '# HELP c_total C.\n# TYPE c_total counter\nc_total{a="1",b="2"} 5.0\nc_total 1e+06\n'


def test_non_numeric_value_raises_value_error_naming_metric_and_sample() -> None:
    family = GaugeMetricFamily("g", "G.", labels=["a"])
    family.add_metric(["ok"], 1)
    family.add_metric(["bad"], "lots")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'g'.*'lots'") as info:
        text(family)
    assert "bad" in str(info.value)


def float_error(value: object) -> str:
    """The message float() gives for ``value`` on this interpreter (CPython and PyPy word them differently)."""
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as error:
        return str(error)
    raise AssertionError(f"float({value!r}) did not fail")


@pytest.mark.parametrize(
    "value,error",
    [(None, TypeError), ([1], TypeError), ({}, TypeError), ("", ValueError), ("x", ValueError),
     (10**400, OverflowError)],
)
def test_bad_values_raise_the_official_error_with_the_family_appended(value: object, error: type) -> None:
    message = float_error(value)
    family = Metric("g", "G.", "gauge")
    family.add_sample("g", {}, value)  # type: ignore[arg-type]
    with pytest.raises(error) as info:
        text(family)
    assert type(info.value) is error
    assert info.value.args == (message, family)


def test_instrument_series_non_numeric_value_names_metric() -> None:
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None), ("_created", None)])
    family.add_series(LabelSet({"a": "x"}), ["oops", 1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"'c_total'.*'oops'"):
        text(family)


def test_unknown_family_type_is_written_as_it_is() -> None:
    family = GaugeMetricFamily("g", "G.", value=1)
    family.type = "thermometer"
    assert text(family) == "# HELP g G.\n# TYPE g thermometer\ng 1.0\n"


def test_non_string_label_value_raises_attribute_error_with_the_family() -> None:
    family = Metric("g", "G.", "gauge")
    family.add_sample("g", {"a": 1}, 1)  # type: ignore[dict-item]
    with pytest.raises(AttributeError) as info:
        text(family)
    assert info.value.args == ("'int' object has no attribute 'replace'", family)


def test_documentation_that_is_not_a_str_fails_at_encode_time() -> None:
    family = GaugeMetricFamily("g", None, value=1)  # type: ignore[arg-type]
    with pytest.raises(AttributeError) as info:
        text(family)
    assert info.value.args == ("'NoneType' object has no attribute 'replace'", family)


def test_native_histogram_samples_are_left_out() -> None:
    from prometheus_client.samples import NativeHistogram

    family = Metric("nh", "NH.", "histogram")
    family.add_sample("nh", {}, None, native_histogram=NativeHistogram(3, 6, 0, 0.001, 1))  # type: ignore[arg-type]
    family.add_sample("nh_count", {}, 3)
    assert text(family) == "# HELP nh NH.\n# TYPE nh histogram\nnh_count 3.0\n"


# ---------------------------------------------------------------------------
# Float formatting against an independent reference of Go's 'g' / -1 format.


def _go_reference(value: float) -> str:
    """Go's ``FormatFloat(v, 'g', -1, 64)``: shortest digits, exponent form when it is < -4 or >= 6.

    Positional integral values keep a ``.0`` as the Python client has always printed.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0.0"
    digits_tuple = Decimal(repr(abs(value))).normalize().as_tuple()
    digits: List[str] = [str(d) for d in digits_tuple.digits]
    exponent = len(digits) + int(digits_tuple.exponent) - 1  # decimal exponent of the first digit
    if exponent < -4 or exponent >= 6:
        mantissa = digits[0] + ("." + "".join(digits[1:]) if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return sign + "0." + "0" * (-exponent - 1) + "".join(digits)
    whole = "".join(digits[: exponent + 1]).ljust(exponent + 1, "0")
    fraction = "".join(digits[exponent + 1:]) or "0"
    return f"{sign}{whole}.{fraction}"


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_format_value_matches_go_reference(value: float) -> None:
    # The official client writes negative values with Python's repr (no exponent above 1e6).
    expected = repr(value) if value < 0 and not math.isinf(value) else _go_reference(value)
    assert format_value(value) == expected
    assert format_value(value) == floatToGoString(value)


@pytest.mark.parametrize(
    "value,expected",
    [(1e6, "1e+06"), (999999.5, "999999.5"), (1.5e22, "1.5e+22"), (-1e6, "-1000000.0"),
     (-1.5e22, "-1.5e+22"), (-1234567.0, "-1234567.0"), (1e-5, "1e-05"), (0.001, "0.001"),
     (123456789012345680.0, "1.2345678901234568e+17"), (5e-324, "5e-324")],
)
def test_format_value_known_values(value: float, expected: str) -> None:
    assert format_value(value) == expected


def test_large_values_are_reformatted_when_they_change() -> None:
    from prometheus_client import Counter, generate_latest

    registry = CollectorRegistry()
    counter = Counter("big", "Big.", ["a"], registry=registry)
    child = counter.labels("x")
    child.inc(2e6)
    assert b'big_total{a="x"} 2e+06\n' in generate_latest(registry)
    child.inc(1)
    assert b'big_total{a="x"} 2.000001e+06\n' in generate_latest(registry)
    child.inc(float("inf"))
    assert b'big_total{a="x"} +Inf\n' in generate_latest(registry)


def test_instrument_series_bad_value_keeps_its_error_and_appends_the_family() -> None:
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None)])
    family.add_series(LabelSet({"a": "x"}), [None])  # type: ignore[list-item]
    with pytest.raises(TypeError) as info:
        text(family)
    assert info.value.args == (float_error(None), family)


def test_negative_and_huge_values_as_the_official_client_writes_them() -> None:
    family = GaugeMetricFamily("g", "G.", labels=["k"])
    for key, value in [("a", -1234567.0), ("b", 1234567.0), ("c", -1e22), ("d", 1e-7), ("e", 10**20)]:
        family.add_metric([key], value)
    assert text(family) == (
        "# HELP g G.\n# TYPE g gauge\n"
        'g{k="a"} -1234567.0\ng{k="b"} 1.234567e+06\ng{k="c"} -1e+22\ng{k="d"} 1e-07\ng{k="e"} 1e+20\n'
    )


def test_instrument_family_whose_samples_were_changed_encodes_the_changed_samples() -> None:
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None)])
    family.add_series(LabelSet({"a": "x"}), [1.0])
    family.samples.append(family.samples[0]._replace(value=2.0))
    assert text(family) == '# HELP c_total C.\n# TYPE c_total counter\nc_total{a="x"} 1.0\nc_total{a="x"} 2.0\n'


def test_unknown_escaping_scheme_is_rendered() -> None:
    family = InstrumentMetric("g", "G.", "gauge", layout=[("", None)])
    family.add_series(LabelSet({"a": "b"}), [1.0])
    family.add_series(SeriesLabels(("a",), ("c",)), [2.0])
    assert text(family, escaping="bogus") == '# HELP g G.\n# TYPE g gauge\ng{a="b"} 1.0\ng{a="c"} 2.0\n'


def test_samples_with_timestamps_and_exemplars_share_the_walk_with_plain_ones() -> None:
    family = Metric("c", "C.", "counter")
    family.add_sample("c_total", {"a": "1"}, 1.0)
    family.add_sample("c_total", {"a": "2"}, 2.0, timestamp=1.5, exemplar=Exemplar({"t": "x"}, 1.0))
    family.add_sample("c_created", {"a": "1"}, 1600000000.0)
    family.add_sample("c_total", {"a": "3"}, 3)
    assert text(family) == (
        "# HELP c_total C.\n# TYPE c_total counter\n"
        'c_total{a="1"} 1.0\nc_total{a="2"} 2.0 1500\nc_total{a="3"} 3.0\n'
        "# HELP c_created C.\n# TYPE c_created gauge\n"
        'c_created{a="1"} 1.6e+09\n'
    )


def test_large_value_texts_follow_the_values_between_scrapes() -> None:
    from prometheus_client._encoding import _LARGE_VALUE_TEXTS, _MIN_KEPT_LARGE_VALUES, _unpack_large_value_texts

    many = _MIN_KEPT_LARGE_VALUES

    def lines(values: List[float]) -> List[str]:
        family = InstrumentMetric("big_values_family", "B.", "gauge", layout=[("", None)])
        for index, value in enumerate(values):
            family.add_series(SeriesLabels(("i",), (str(index),)), [value])
        return [line.split(" ")[1] for line in text(family).splitlines()[2:]]

    def kept() -> List[float]:
        return list(_unpack_large_value_texts(_LARGE_VALUE_TEXTS.get("big_values_family"))[0])

    first = [1.6e9 + k for k in range(many)] + [5.0]
    assert lines(first) == [floatToGoString(v) for v in first]
    packed = _LARGE_VALUE_TEXTS["big_values_family"]
    assert kept() == first[:-1]
    assert lines(first) == [floatToGoString(v) for v in first]
    assert _LARGE_VALUE_TEXTS["big_values_family"] is packed  # all the same: nothing made anew
    changed = first[:3] + [3e6] + first[4:]
    assert lines(changed) == [floatToGoString(v) for v in changed] and kept() == changed[:-1]
    longer = changed[:-1] + [1234567.5, 1e16, 12345678.0]
    assert lines(longer) == [floatToGoString(v) for v in longer]
    assert kept() == changed[:-1] + [1234567.5, 12345678.0]  # 1e16 is past the fast path
    shorter = longer[: many + 1]
    assert lines(shorter) == [floatToGoString(v) for v in shorter] and kept() == shorter  # the first ones kept
    assert lines([7e6]) == ["7e+06"] and "big_values_family" not in _LARGE_VALUE_TEXTS  # too few to keep
    assert lines([7e6]) == ["7e+06"]


@given(st.floats(min_value=1e6, max_value=1e16, exclude_max=True))
def test_large_value_text_is_float_to_go_string(value: float) -> None:
    from prometheus_client._encoding import _large_value_text

    assert _large_value_text(value) == floatToGoString(value)


def test_concurrent_scrapes_while_children_come_and_go_write_each_creation_time_right() -> None:
    import threading

    from prometheus_client import Counter, generate_latest

    registry = CollectorRegistry()
    counter = Counter("churn", "C.", ["k"], registry=registry)
    for k in range(100):
        counter.labels(str(k)).inc()
    failures: List[str] = []
    stop = threading.Event()

    def churn() -> None:
        k = 100
        while not stop.is_set():
            counter.labels(str(k)).inc()
            counter.remove(str(k - 60))  # positions shift under the kept texts
            k += 1

    def scrape() -> None:
        for _ in range(40):
            for line in generate_latest(registry).decode().splitlines():
                if line.startswith("churn_created{"):
                    key = line.split('"')[1]
                    text = line.rsplit(" ", 1)[1]
                    try:
                        child = counter._metrics[(key,)]
                    except KeyError:
                        continue  # removed since
                    if text != floatToGoString(child._created):
                        failures.append(line)

    workers = [threading.Thread(target=churn)] + [threading.Thread(target=scrape) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers[1:]:
        worker.join()
    stop.set()
    workers[0].join()
    assert failures == []
