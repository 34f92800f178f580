"""The Prometheus text format 0.0.4 parser."""

from __future__ import annotations

import io

import pytest

from prometheus_client.metrics_core import Metric
from prometheus_client.parser import parse_labels, text_fd_to_metric_families, text_string_to_metric_families
from prometheus_client.samples import Sample


def parse(text: str) -> list:
    return list(text_string_to_metric_families(text))


def family(name: str, doc: str, typ: str, samples: list) -> Metric:
    metric = Metric(name, doc, typ)
    metric.samples = samples
    return metric


def test_counter_with_total_in_family_name_is_reported_without_it():
    text = "# HELP a_total A help.\n# TYPE a_total counter\na_total 1\n"
    assert parse(text) == [family("a", "A help.", "counter", [Sample("a_total", {}, 1)])]


def test_counter_samples_without_total_are_renamed():
    assert parse("# TYPE a counter\na 1\n") == [family("a", "", "counter", [Sample("a_total", {}, 1)])]


def test_untyped_is_reported_as_unknown():
    assert parse("# TYPE g untyped\ng 1\n") == [family("g", "", "unknown", [Sample("g", {}, 1)])]


def test_sample_without_metadata_is_its_own_unknown_family():
    assert parse("a 1\nb{x=\"y\"} 2\n") == [
        family("a", "", "unknown", [Sample("a", {}, 1)]),
        family("b", "", "unknown", [Sample("b", {"x": "y"}, 2)]),
    ]


def test_histogram_groups_bucket_count_and_sum_and_splits_other_names():
    text = (
        "# TYPE h histogram\n"
        'h_bucket{le="1"} 1\n'
        'h_bucket{le="+Inf"} 2\n'
        "h_count 2\n"
        "h_sum 3\n"
        "x 1\n"
    )
    h, x = parse(text)
    assert h.type == "histogram"
    assert [s.name for s in h.samples] == ["h_bucket", "h_bucket", "h_count", "h_sum"]
    assert x == family("x", "", "unknown", [Sample("x", {}, 1)])


def test_summary_groups_quantiles_count_and_sum():
    text = '# TYPE s summary\ns{quantile="0.5"} 1\ns_count 2\ns_sum 3\n'
    assert parse(text) == [
        family(
            "s",
            "",
            "summary",
            [Sample("s", {"quantile": "0.5"}, 1), Sample("s_count", {}, 2), Sample("s_sum", {}, 3)],
        )
    ]


def test_help_escapes_backslash_and_newline_only():
    [metric] = parse("# HELP g a\\\\b\\nc \\q\ng 1\n")
    assert metric.documentation == "a\\b\nc \\q"


def test_label_value_escapes():
    [metric] = parse('g{a="\\n\\"\\\\"} 1\n')
    assert metric.samples[0].labels == {"a": '\n"\\'}


def test_special_values_and_millisecond_timestamps():
    [metric] = parse("# TYPE g gauge\ng NaN\ng +Inf\ng -Inf 1500\ng 1e3 -5\n")
    values = [s.value for s in metric.samples]
    assert values[0] != values[0]
    assert values[1:] == [float("inf"), float("-inf"), 1000.0]
    assert [s.timestamp for s in metric.samples] == [None, None, 1.5, -0.005]


def test_whitespace_comments_trailing_comma_and_blank_lines_are_tolerated():
    text = "# a comment\n\n  g{a=\"b\" , c = \"d\",}   1  \r\n#another\n"
    assert parse(text) == [family("g", "", "unknown", [Sample("g", {"a": "b", "c": "d"}, 1)])]


def test_utf8_quoted_metric_and_label_names():
    text = '# TYPE "my.metric" gauge\n{"my.metric","a.b"="c"} 1\n'
    assert parse(text) == [family("my.metric", "", "gauge", [Sample("my.metric", {"a.b": "c"}, 1)])]


def test_fd_variant_reads_file_objects():
    assert list(text_fd_to_metric_families(io.StringIO("a 1\n"))) == parse("a 1\n")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("# TYPE g foo\ng 1\n", "foo"),
        ("g 0x10\n", "0x10"),
        ("g 1_000\n", "1_000"),
        ('g{a="b" c="d"} 1\n', "'a'"),
        ("g{a=b} 1\n", "'a'"),
        ("g 1 abc\n", "abc"),
        ("g\n", "Missing value"),
        ("g 1 2 3\n", "'3'"),
        ('g{a="1} 1\n', "Unterminated"),
        ('g{a="1",a="2"} 1\n', "Duplicate"),
    ],
)
def test_malformed_lines_raise_value_error_naming_the_line(text, fragment):
    with pytest.raises(ValueError) as info:
        parse("ok 1\n" + text)
    assert "line 2" in str(info.value)
    assert fragment in str(info.value)


def test_parse_labels():
    assert parse_labels('a="1", b="x\\"y"') == {"a": "1", "b": 'x"y'}
    with pytest.raises(ValueError, match="Invalid labels"):
        parse_labels('a="1" b')
