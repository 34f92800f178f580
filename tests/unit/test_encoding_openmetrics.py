"""OpenMetrics 1.0 exposition: golden text next to the families that make it."""

from __future__ import annotations

from typing import Iterable, Mapping

import pytest

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


@pytest.mark.parametrize("labels", [LabelSet({"path": "/"}), SeriesLabels(("path",), ("/",))])
def test_instrument_series_with_exemplar(labels: Mapping[str, str]) -> None:
    family = InstrumentMetric("c", "C.", "counter", layout=[("_total", None), ("_created", None)])
    family.add_series(labels, [4.0, 1.5], [Exemplar({"trace": "t"}, 1.0), None])
    expected = (
        '# HELP c C.\n# TYPE c counter\nc_total{path="/"} 4.0 # {trace="t"} 1.0\nc_created{path="/"} 1.5\n# EOF\n'
    )
    assert om(family) == expected
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


# ---------------------------------------------------------------------------
# Escaping matrix: names with dots, underscores, a leading digit, a colon, unicode and a reserved
# ("__") label name, label values and HELP needing escapes, in both formats and every scheme.
# The bytes were recorded from the official client 0.26.0 (/work/compare_families/make_goldens.py).


def _matrix_families() -> list:
    c = CounterMetricFamily("a.b_c", "Help \\ and\nnew \"q\"", labels=["l.x", "__r", "z1"])
    c.add_metric(["v\\\n\"", "r", "ü"], 1, created=1700000000.5, exemplar=Exemplar({"t.id": "x"}, 0.5, 12))
    g = GaugeMetricFamily("1x:y", "G", labels=["le"], unit="sec")
    g.add_metric(["+Inf"], -1234567.0, timestamp=1.25)
    i = InfoMetricFamily("ünï", "I", value={"k": "v"})
    s = StateSetMetricFamily("s_t", "S", value={"b": True, "a": False})
    gh = GaugeHistogramMetricFamily("g.h", "GH", buckets=[("1", 1), ("+Inf", 2)])
    return [c, g, i, s, gh]


_GOLDEN = {
    ('underscores', 'text'): (
        b'# HELP a_b_c_total Help \\\\ and\\nnew "q"\n'
        b'# TYPE a_b_c_total counter\n'
        b'a_b_c_total{__r="r",l_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0\n'
        b'# HELP a_b_c_created Help \\\\ and\\nnew "q"\n'
        b'# TYPE a_b_c_created gauge\n'
        b'a_b_c_created{__r="r",l_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP _x:y_sec G\n'
        b'# TYPE _x:y_sec gauge\n'
        b'_x:y_sec{le="+Inf"} -1234567.0 1250\n'
        b'# HELP _n__info I\n'
        b'# TYPE _n__info gauge\n'
        b'_n__info{k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t gauge\n'
        b's_t{s_t="a"} 0.0\n'
        b's_t{s_t="b"} 1.0\n'
    ),
    ('underscores', 'om'): (
        b'# HELP a_b_c Help \\\\ and\\nnew \\"q\\"\n'
        b'# TYPE a_b_c counter\n'
        b'a_b_c_total{__r="r",l_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0 # {t.id="x"} 0.5 12\n'
        b'a_b_c_created{__r="r",l_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP _x:y_sec G\n'
        b'# TYPE _x:y_sec gauge\n'
        b'# UNIT _x:y_sec sec\n'
        b'_x_y_sec{le="+Inf"} -1234567.0 1.25\n'
        b'# HELP _n_ I\n'
        b'# TYPE _n_ info\n'
        b'_n__info{k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t stateset\n'
        b's_t{s_t="a"} 0.0\n'
        b's_t{s_t="b"} 1.0\n'
        b'# HELP g_h GH\n'
        b'# TYPE g_h gaugehistogram\n'
        b'g_h_bucket{le="1"} 1.0\n'
        b'g_h_bucket{le="+Inf"} 2.0\n'
        b'g_h_gcount 2.0\n'
        b'g_h_gsum \n'
        b'# EOF\n'
    ),
    ('dots', 'text'): (
        b'# HELP a_dot_b__c__total Help \\\\ and\\nnew "q"\n'
        b'# TYPE a_dot_b__c__total counter\n'
        b'a_dot_b__c__total{____r="r",l_dot_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0\n'
        b'# HELP a_dot_b__c__created Help \\\\ and\\nnew "q"\n'
        b'# TYPE a_dot_b__c__created gauge\n'
        b'a_dot_b__c__created{____r="r",l_dot_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP __x:y__sec G\n'
        b'# TYPE __x:y__sec gauge\n'
        b'__x:y__sec{le="+Inf"} -1234567.0 1250\n'
        b'# HELP __n____info I\n'
        b'# TYPE __n____info gauge\n'
        b'__n____info{k="v"} 1.0\n'
        b'# HELP s__t S\n'
        b'# TYPE s__t gauge\n'
        b's__t{s__t="a"} 0.0\n'
        b's__t{s__t="b"} 1.0\n'
    ),
    ('dots', 'om'): (
        b'# HELP a_dot_b__c Help \\\\ and\\nnew \\"q\\"\n'
        b'# TYPE a_dot_b__c counter\n'
        b'a_dot_b__c__total{____r="r",l_dot_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0 # {t.id="x"} 0.5 12\n'
        b'a_dot_b__c__created{____r="r",l_dot_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP __x:y__sec G\n'
        b'# TYPE __x:y__sec gauge\n'
        b'# UNIT __x:y__sec sec\n'
        b'__x__y__sec{le="+Inf"} -1234567.0 1.25\n'
        b'# HELP __n__ I\n'
        b'# TYPE __n__ info\n'
        b'__n____info{k="v"} 1.0\n'
        b'# HELP s__t S\n'
        b'# TYPE s__t stateset\n'
        b's__t{s__t="a"} 0.0\n'
        b's__t{s__t="b"} 1.0\n'
        b'# HELP g_dot_h GH\n'
        b'# TYPE g_dot_h gaugehistogram\n'
        b'g_dot_h__bucket{le="1"} 1.0\n'
        b'g_dot_h__bucket{le="+Inf"} 2.0\n'
        b'g_dot_h__gcount 2.0\n'
        b'g_dot_h__gsum \n'
        b'# EOF\n'
    ),
    ('values', 'text'): (
        b'# HELP U__a_2e_b__c__total Help \\\\ and\\nnew "q"\n'
        b'# TYPE U__a_2e_b__c__total counter\n'
        b'U__a_2e_b__c__total{U______r="r",U__l_2e_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0\n'
        b'# HELP U__a_2e_b__c__created Help \\\\ and\\nnew "q"\n'
        b'# TYPE U__a_2e_b__c__created gauge\n'
        b'U__a_2e_b__c__created{U______r="r",U__l_2e_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP U___31_x:y__sec G\n'
        b'# TYPE U___31_x:y__sec gauge\n'
        b'U___31_x:y__sec{le="+Inf"} -1234567.0 1250\n'
        b'# HELP U___fc_n_ef___info I\n'
        b'# TYPE U___fc_n_ef___info gauge\n'
        b'U___fc_n_ef___info{k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t gauge\n'
        b's_t{s_t="a"} 0.0\n'
        b's_t{s_t="b"} 1.0\n'
    ),
    ('values', 'om'): (
        b'# HELP U__a_2e_b__c Help \\\\ and\\nnew \\"q\\"\n'
        b'# TYPE U__a_2e_b__c counter\n'
        b'U__a_2e_b__c__total{U______r="r",U__l_2e_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0 # {t.id="x"} 0.5 12\n'
        b'U__a_2e_b__c__created{U______r="r",U__l_2e_x="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP U___31_x:y__sec G\n'
        b'# TYPE U___31_x:y__sec gauge\n'
        b'# UNIT U___31_x:y__sec sec\n'
        b'U___31_x_3a_y__sec{le="+Inf"} -1234567.0 1.25\n'
        b'# HELP U___fc_n_ef_ I\n'
        b'# TYPE U___fc_n_ef_ info\n'
        b'U___fc_n_ef___info{k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t stateset\n'
        b'U__s__t{s_t="a"} 0.0\n'
        b'U__s__t{s_t="b"} 1.0\n'
        b'# HELP U__g_2e_h GH\n'
        b'# TYPE U__g_2e_h gaugehistogram\n'
        b'U__g_2e_h__bucket{le="1"} 1.0\n'
        b'U__g_2e_h__bucket{le="+Inf"} 2.0\n'
        b'U__g_2e_h__gcount 2.0\n'
        b'U__g_2e_h__gsum \n'
        b'# EOF\n'
    ),
    ('allow-utf-8', 'text'): (
        b'# HELP "a.b_c_total" Help \\\\ and\\nnew "q"\n'
        b'# TYPE "a.b_c_total" counter\n'
        b'{"a.b_c_total","__r"="r","l.x"="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0\n'
        b'# HELP "a.b_c_created" Help \\\\ and\\nnew "q"\n'
        b'# TYPE "a.b_c_created" gauge\n'
        b'{"a.b_c_created","__r"="r","l.x"="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP "1x:y_sec" G\n'
        b'# TYPE "1x:y_sec" gauge\n'
        b'{"1x:y_sec",le="+Inf"} -1234567.0 1250\n'
        b'# HELP "\xc3\xbcn\xc3\xaf_info" I\n'
        b'# TYPE "\xc3\xbcn\xc3\xaf_info" gauge\n'
        b'{"\xc3\xbcn\xc3\xaf_info",k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t gauge\n'
        b's_t{s_t="a"} 0.0\n'
        b's_t{s_t="b"} 1.0\n'
    ),
    ('allow-utf-8', 'om'): (
        b'# HELP "a.b_c" Help \\\\ and\\nnew \\"q\\"\n'
        b'# TYPE "a.b_c" counter\n'
        b'{"a.b_c_total","__r"="r","l.x"="v\\\\\\n\\"",z1="\xc3\xbc"} 1.0 # {t.id="x"} 0.5 12\n'
        b'{"a.b_c_created","__r"="r","l.x"="v\\\\\\n\\"",z1="\xc3\xbc"} 1.7000000005e+09\n'
        b'# HELP "1x:y_sec" G\n'
        b'# TYPE "1x:y_sec" gauge\n'
        b'# UNIT "1x:y_sec" sec\n'
        b'{"1x:y_sec",le="+Inf"} -1234567.0 1.25\n'
        b'# HELP "\xc3\xbcn\xc3\xaf" I\n'
        b'# TYPE "\xc3\xbcn\xc3\xaf" info\n'
        b'{"\xc3\xbcn\xc3\xaf_info",k="v"} 1.0\n'
        b'# HELP s_t S\n'
        b'# TYPE s_t stateset\n'
        b's_t{s_t="a"} 0.0\n'
        b's_t{s_t="b"} 1.0\n'
        b'# HELP "g.h" GH\n'
        b'# TYPE "g.h" gaugehistogram\n'
        b'{"g.h_bucket",le="1"} 1.0\n'
        b'{"g.h_bucket",le="+Inf"} 2.0\n'
        b'{"g.h_gcount"} 2.0\n'
        b'{"g.h_gsum"} \n'
        b'# EOF\n'
    ),
}


@pytest.mark.parametrize("escaping,fmt", sorted(_GOLDEN))
def test_escaping_matrix_matches_the_official_bytes(escaping: str, fmt: str) -> None:
    from prometheus_client.exposition import generate_latest as text_latest

    class Families:
        def __init__(self, families: list) -> None:
            self.families = families

        def collect(self) -> list:
            return self.families

    families = _matrix_families()
    if fmt == "text":
        # The gauge histogram without gsum is left out: the text format cannot encode its None gsum.
        assert text_latest(Families(families[:4]), escaping=escaping) == _GOLDEN[(escaping, fmt)]
    else:
        assert generate_latest(Families(families), escaping=escaping) == _GOLDEN[(escaping, fmt)]


def test_gauge_histogram_without_gsum_fails_in_text_with_the_family() -> None:
    from prometheus_client.exposition import generate_latest as text_latest

    family = GaugeHistogramMetricFamily("gh", "GH", buckets=[("+Inf", 2)])
    registry = CollectorRegistry()
    registry.register(_Static(family))
    with pytest.raises(TypeError) as info:
        text_latest(registry)
    try:
        float(None)  # type: ignore[arg-type]
    except TypeError as error:  # this interpreter's wording of the same error
        expected = str(error)
    assert info.value.args == (expected, family)


class _Static:
    def __init__(self, *families: Metric) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


_NOT_EXEMPLAR = "has exemplars, but is not a histogram bucket or counter"


@pytest.mark.parametrize(
    "family,message",
    [
        (lambda: _with_sample("gauge", "g"), "Metric g " + _NOT_EXEMPLAR),
        (lambda: _with_sample("counter", "c_created"), "Metric c " + _NOT_EXEMPLAR),
        (lambda: _with_sample("histogram", "c_sum"), "Metric c " + _NOT_EXEMPLAR),
    ],
)
def test_misplaced_exemplars_raise_value_error_with_the_family(family, message) -> None:
    metric = family()
    with pytest.raises(ValueError) as info:
        generate_latest(_Static(metric))
    assert info.value.args[0].startswith(message)
    assert info.value.args[-1] is metric


def _with_sample(typ: str, sample: str) -> Metric:
    name = sample.split("_")[0]
    metric = Metric(name, "H", typ)
    metric.add_sample(sample, {}, 1, exemplar=Exemplar({"a": "b"}, 1))
    return metric


def test_changed_type_is_written_as_it_is() -> None:
    family = GaugeMetricFamily("g", "G", value=1)
    family.type = "untyped"
    assert generate_latest(_Static(family)) == b"# HELP g G\n# TYPE g untyped\ng 1.0\n# EOF\n"
