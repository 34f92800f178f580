"""OpenMetrics 1.0 exposition: golden text next to the families that make it."""

from __future__ import annotations

from typing import Iterable

import pytest

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    InstrumentMetric,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from prometheus_client.openmetrics.exposition import (
    ALLOWUTF8,
    CONTENT_TYPE_LATEST,
    DOTS,
    ESCAPING_HEADER_TAG,
    UNDERSCORES,
    VALUES,
    escape_label_name,
    escape_metric_name,
    generate_latest,
)
from prometheus_client.registry import CollectorRegistry
from prometheus_client.samples import BucketSpan, Exemplar, LabelSet, NativeHistogram, Timestamp


class _Families:
    def __init__(self, *families: Metric) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return iter(self.families)


def om(*families: Metric, escaping: str = UNDERSCORES, version: str = "1.0.0") -> str:
    return generate_latest(_Families(*families), escaping, version).decode("utf-8")  # type: ignore[arg-type]


def test_public_constants_match_the_official_client() -> None:
    assert CONTENT_TYPE_LATEST == "application/openmetrics-text; version=1.0.0; charset=utf-8"
    assert (ALLOWUTF8, UNDERSCORES, DOTS, VALUES) == ("allow-utf-8", "underscores", "dots", "values")
    assert ESCAPING_HEADER_TAG == "escaping"


def test_empty_registry_is_just_eof() -> None:
    assert generate_latest(CollectorRegistry()) == b"# EOF\n"


def test_counter_with_unit_created_and_exemplar() -> None:
    family = CounterMetricFamily("data", "Data sent.", labels=["peer"], unit="bytes")
    family.add_metric(["a"], 10, created=1600000000.5, exemplar=Exemplar({"trace_id": "abc"}, 2, 1600000001.25))
    family.add_metric(["b"], 1e6, exemplar=Exemplar({}, 1))
    assert om(family) == (
        "# HELP data_bytes Data sent.\n"
        "# TYPE data_bytes counter\n"
        "# UNIT data_bytes bytes\n"
        'data_bytes_total{peer="a"} 10.0 # {trace_id="abc"} 2.0 1600000001.25\n'
        'data_bytes_created{peer="a"} 1.6000000005e+09\n'
        'data_bytes_total{peer="b"} 1e+06 # {} 1.0\n'
        "# EOF\n"
    )


def test_every_type_keeps_its_openmetrics_name() -> None:
    families = [
        GaugeMetricFamily("g", "G.", value=-2.5),
        SummaryMetricFamily("s", "S.", count_value=1, sum_value=0.5),
        HistogramMetricFamily(
            "h", "H.", buckets=[("0.1", 1, Exemplar({"t": "x"}, 0.05, Timestamp(5, 1))), ("+Inf", 2)], sum_value=1
        ),
        GaugeHistogramMetricFamily("gh", "GH.", buckets=[("+Inf", 3)], gsum_value=4),
        InfoMetricFamily("i", "I.", value={"v": "1"}),
        StateSetMetricFamily("st", "ST.", value={"a": True}),
        UnknownMetricFamily("u", "U.", value=float("nan")),
    ]
    assert om(*families) == (
        "# HELP g G.\n# TYPE g gauge\ng -2.5\n"
        "# HELP s S.\n# TYPE s summary\ns_count 1.0\ns_sum 0.5\n"
        "# HELP h H.\n# TYPE h histogram\n"
        'h_bucket{le="0.1"} 1.0 # {t="x"} 0.05 5.000000001\n'
        'h_bucket{le="+Inf"} 2.0\nh_count 2.0\nh_sum 1.0\n'
        "# HELP gh GH.\n# TYPE gh gaugehistogram\n"
        'gh_bucket{le="+Inf"} 3.0\ngh_gcount 3.0\ngh_gsum 4.0\n'
        '# HELP i I.\n# TYPE i info\ni_info{v="1"} 1.0\n'
        '# HELP st ST.\n# TYPE st stateset\nst{st="a"} 1.0\n'
        "# HELP u U.\n# TYPE u unknown\nu NaN\n"
        "# EOF\n"
    )


def test_timestamps_are_seconds_as_given() -> None:
    family = GaugeMetricFamily("g", "G.", labels=["a"])
    family.add_metric(["x"], 1, timestamp=1600000000.125)
    family.add_metric(["y"], 2, timestamp=Timestamp(1600000000, 500))
    family.add_metric(["z"], float("-inf"), timestamp=0)
    assert om(family) == (
        "# HELP g G.\n# TYPE g gauge\n"
        'g{a="x"} 1.0 1600000000.125\n'
        'g{a="y"} 2.0 1600000000.000000500\n'
        'g{a="z"} -Inf 0\n'
        "# EOF\n"
    )


def test_help_escapes_backslash_newline_and_quote() -> None:
    family = GaugeMetricFamily("g", 'a\\b\n"c"', labels=["l"])
    family.add_metric(['x\\y\n"z"'], 1)
    assert om(family) == (
        '# HELP g a\\\\b\\n\\"c\\"\n# TYPE g gauge\ng{l="x\\\\y\\n\\"z\\""} 1.0\n# EOF\n'
    )


def test_exemplar_on_a_gauge_is_rejected_naming_the_metric() -> None:
    family = Metric("g", "G.", "gauge")
    family.add_sample("g", {}, 1, exemplar=Exemplar({"a": "b"}, 1))
    with pytest.raises(ValueError, match="'g'"):
        om(family)


def test_instrument_series_with_exemplar_and_cached_labels() -> None:
    labels = LabelSet({"path": "/"})
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None), ("_created", None)])
    family.add_series(labels, [4.0, 1.5], [Exemplar({"trace": "t"}, 1.0), None])
    expected = (
        '# HELP c C.\n# TYPE c counter\nc_total{path="/"} 4.0 # {trace="t"} 1.0\nc_created{path="/"} 1.5\n# EOF\n'
    )
    assert om(family) == expected
    assert labels.body is not None  # rendered once, kept for the next scrape
    assert om(family) == expected


def _utf8_family() -> Metric:
    family = Metric("my.metric", "Dotted.", "counter")
    family.add_sample("my.metric_total", {"lab.el": "x"}, 1)
    return family


@pytest.mark.parametrize(
    "escaping,expected",
    [
        (
            ALLOWUTF8,
            '# HELP "my.metric" Dotted.\n# TYPE "my.metric" counter\n{"my.metric_total","lab.el"="x"} 1.0\n# EOF\n',
        ),
        (UNDERSCORES, '# HELP my_metric Dotted.\n# TYPE my_metric counter\nmy_metric_total{lab_el="x"} 1.0\n# EOF\n'),
        (
            DOTS,
            "# HELP my_dot_metric Dotted.\n# TYPE my_dot_metric counter\n"
            'my_dot_metric__total{lab_dot_el="x"} 1.0\n# EOF\n',
        ),
        (
            VALUES,
            "# HELP U__my_2e_metric Dotted.\n# TYPE U__my_2e_metric counter\n"
            'U__my_2e_metric__total{U__lab_2e_el="x"} 1.0\n# EOF\n',
        ),
    ],
)
def test_utf8_names_under_each_escaping_scheme(escaping: str, expected: str) -> None:
    assert om(_utf8_family(), escaping=escaping) == expected


def test_dots_and_values_escape_the_whole_sample_name_as_officially() -> None:
    # The official client escapes the sample name whole, suffix included ("__total"), and under
    # "values" prefixes every sample name with U__, legacy or not.
    family = Metric("a_b", "AB.", "counter")
    family.add_sample("a_b_total", {}, 1)
    family.add_sample("a_b_other", {}, 2)
    assert om(family, escaping=DOTS) == (
        "# HELP a__b AB.\n# TYPE a__b counter\na__b__total 1.0\na__b__other 2.0\n# EOF\n"
    )
    assert om(family, escaping=VALUES) == (
        "# HELP a_b AB.\n# TYPE a_b counter\nU__a__b__total 1.0\nU__a__b__other 2.0\n# EOF\n"
    )


def test_colons_become_underscores_on_openmetrics_sample_lines_only() -> None:
    # Official quirk: HELP/TYPE keep the colon, sample lines use the label character set.
    family = GaugeMetricFamily("job:rate", "Rule.", value=1)
    assert om(family) == "# HELP job:rate Rule.\n# TYPE job:rate gauge\njob_rate 1.0\n# EOF\n"
    assert om(family, escaping=DOTS) == "# HELP job:rate Rule.\n# TYPE job:rate gauge\njob__rate 1.0\n# EOF\n"
    assert om(family, escaping=ALLOWUTF8) == "# HELP job:rate Rule.\n# TYPE job:rate gauge\njob:rate 1.0\n# EOF\n"


@pytest.mark.parametrize(
    "name,escaping,expected",
    [
        ("ok_name", UNDERSCORES, "ok_name"),
        ("ok_name", DOTS, "ok__name"),
        ("ok_name", VALUES, "ok_name"),
        ("ok_name", ALLOWUTF8, "ok_name"),
        ("a:b", UNDERSCORES, "a:b"),
        ("9lives", UNDERSCORES, "_lives"),
        ("9lives", VALUES, "U___39_lives"),
        ("héllo.wörld", UNDERSCORES, "h_llo_w_rld"),
        ("héllo.wörld", DOTS, "h__llo_dot_w__rld"),
        ("héllo.wörld", VALUES, "U__h_e9_llo_2e_w_f6_rld"),
        ('say "hi"', ALLOWUTF8, '"say \\"hi\\""'),
        ("", VALUES, ""),
    ],
)
def test_escape_metric_name(name: str, escaping: str, expected: str) -> None:
    assert escape_metric_name(name, escaping) == expected


@pytest.mark.parametrize(
    "name,escaping,expected",
    [("a:b", UNDERSCORES, "a_b"), ("a:b", ALLOWUTF8, '"a:b"'), ("le", DOTS, "le"), ("x.y", VALUES, "U__x_2e_y")],
)
def test_escape_label_name_does_not_allow_colons(name: str, escaping: str, expected: str) -> None:
    assert escape_label_name(name, escaping) == expected


def _native_family() -> Metric:
    family = Metric("nh", "NH.", "histogram")
    native = NativeHistogram(
        24, 100, 0, 0.001, 4,
        pos_spans=(BucketSpan(0, 2), BucketSpan(1, 2)), pos_deltas=(2, 1, -3, 3),
        neg_spans=(BucketSpan(0, 1),), neg_deltas=(1,),
        nh_exemplars=(Exemplar({"t": "a"}, 0.5, 10.0),),
    )
    family.add_sample("nh", {"k": "v"}, None, native_histogram=native)  # type: ignore[arg-type]
    return family


def test_native_histograms_are_left_out_of_openmetrics_1() -> None:
    assert om(_native_family()) == "# HELP nh NH.\n# TYPE nh histogram\n# EOF\n"


def test_native_histograms_are_written_in_openmetrics_2() -> None:
    assert om(_native_family(), version="2.0.0") == (
        "# HELP nh NH.\n# TYPE nh histogram\n"
        'nh{k="v"} {count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,'
        "negative_spans:[0:1],negative_deltas:[1],positive_spans:[0:2,1:2],positive_deltas:[2,1,-3,3]}"
        ' # {t="a"} 0.5 10.0\n'
        "# EOF\n"
    )


def test_failure_in_a_later_family_returns_nothing_partial() -> None:
    good = GaugeMetricFamily("good", "Good.", value=1)
    bad = Metric("bad", "Bad.", "gauge")
    bad.add_sample("bad", {"k": "v"}, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'bad'.*'x'"):
        om(good, bad)
