"""The strict OpenMetrics 1.0 parser."""

from __future__ import annotations

import io

import pytest

from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import text_fd_to_metric_families, text_string_to_metric_families
from prometheus_client.samples import Exemplar, Sample, Timestamp


def parse(text: str) -> list:
    return list(text_string_to_metric_families(text))


def family(name: str, doc: str, typ: str, samples: list, unit: str = "") -> Metric:
    metric = Metric(name, doc, typ, unit)
    metric.samples = samples
    return metric


def test_counter_with_created_help_and_exemplar():
    text = (
        "# TYPE a counter\n# HELP a A \\\"help\\\".\n"
        'a_total{x="y"} 1 # {trace_id="ab"} 0.5 123.25\n'
        'a_created{x="y"} 123.5\n# EOF\n'
    )
    assert parse(text) == [
        family(
            "a",
            'A "help".',
            "counter",
            [
                Sample("a_total", {"x": "y"}, 1, None, Exemplar({"trace_id": "ab"}, 0.5, Timestamp(123, 250000000))),
                Sample("a_created", {"x": "y"}, 123.5),
            ],
        )
    ]


def test_timestamps_keep_nanoseconds():
    [metric] = parse("a 1 1520879607.789000001\n# EOF\n")
    assert metric.samples[0].timestamp == Timestamp(1520879607, 789000001)


def test_unit_is_kept_when_it_is_a_suffix_of_the_name():
    text = "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF"
    assert parse(text) == [family("a_seconds", "", "gauge", [Sample("a_seconds", {}, 1)], unit="seconds")]


def test_every_type_parses():
    text = """# TYPE h histogram
h_bucket{le="1.0"} 1 # {a="b"} 0.5
h_bucket{le="+Inf"} 2
h_count 2
h_sum 3
h_created 5
# TYPE g gaugehistogram
g_bucket{le="+Inf"} 2
g_gcount 2
g_gsum -3
# TYPE i info
i_info{a="b"} 1
# TYPE s stateset
s{s="a"} 1
s{s="b"} 0
# TYPE q summary
q{quantile="0.5"} 1
q_count 1
q_sum 2
# TYPE u unknown
u 1
# EOF
"""
    assert [(m.name, m.type, len(m.samples)) for m in parse(text)] == [
        ("h", "histogram", 5),
        ("g", "gaugehistogram", 3),
        ("i", "info", 1),
        ("s", "stateset", 2),
        ("q", "summary", 3),
        ("u", "unknown", 1),
    ]


def test_utf8_quoted_names():
    text = '# TYPE "my.metric" gauge\n# HELP "my.metric" hi\n{"my.metric","a.b"="c"} 1\n# EOF\n'
    assert parse(text) == [family("my.metric", "hi", "gauge", [Sample("my.metric", {"a.b": "c"}, 1)])]


def test_empty_exposition():
    assert parse("# EOF\n") == []


def test_fd_variant():
    assert list(text_fd_to_metric_families(io.StringIO("a 1\n# EOF\n"))) == parse("a 1\n# EOF\n")


BAD = [
    ("a 1\n", "EOF"),
    ("a 1\n# EOF\nb 1\n", "after # EOF"),
    ("a 1\n# EOF\n\n", "after # EOF"),
    ("a 1\n\n# EOF\n", "Blank"),
    ("# random comment\na 1\n# EOF\n", "random"),
    ("# TYPE a gauge\na 1\n# TYPE a gauge\n# EOF\n", "after its samples"),
    ("# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF\n", "More than one TYPE"),
    ("# HELP a x\n# HELP a y\na 1\n# EOF\n", "More than one HELP"),
    ("# TYPE a gauge\nb 1\na 1\n# EOF\n", "Clashing"),
    ("# TYPE a counter\na 1\n# EOF\n", "_total"),
    ("# TYPE a counter\na_total NaN\n# EOF\n", "NaN"),
    ("# TYPE a counter\na_total -1\n# EOF\n", "negative"),
    ('# TYPE h histogram\nh_bucket{le="1.0"} 1\n# EOF\n', "+Inf"),
    ('# TYPE h histogram\nh_bucket{le="1.0"} 3\nh_bucket{le="+Inf"} 2\n# EOF\n', "decrease"),
    ('# TYPE h histogram\nh_bucket{le="2.0"} 1\nh_bucket{le="1.0"} 1\nh_bucket{le="+Inf"} 2\n# EOF\n', "order"),
    ('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n# EOF\n', "+Inf bucket"),
    ('# TYPE h histogram\nh_bucket{le="inf"} 2\n# EOF\n', "'inf'"),
    ('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\n# EOF\n', "without _count"),
    ('# TYPE s summary\ns{quantile="1.5"} 2\n# EOF\n', "between 0 and 1"),
    ("# TYPE a gauge\na 1 # {} 1\n# EOF\n", "exemplars"),
    ('# TYPE a counter\na_total 1 # {a="' + "x" * 128 + '"} 1\n# EOF\n', "128"),
    ("# TYPE a counter\n# UNIT a seconds\na_total 1\n# EOF\n", "suffix"),
    ("# TYPE a_s info\n# UNIT a_s s\na_s_info 1\n# EOF\n", "unit"),
    ("# TYPE a info\na_info 2\n# EOF\n", "value 1"),
    ('# TYPE a stateset\na{a="x"} 2\n# EOF\n', "0 or 1"),
    ("a 1\na 2\n# EOF\n", "Duplicate"),
    ("a 1 2\na 1 1\n# EOF\n", "increase"),
    ('a{x="1"} 1\na{x="2"} 1\na{x="1"} 1\n# EOF\n', "grouping"),
    ('a{a="b",} 1\n# EOF\n', "Trailing comma"),
    ("a  1\n# EOF\n", "single spaces"),
    ('a{a="x\\qy"} 1\n# EOF\n', "escape"),
    ("a 1 NaN\n# EOF\n", "timestamp"),
    ("a 0x1\n# EOF\n", "0x1"),
    ("a 1\r\n# EOF\n", "number"),
]


@pytest.mark.parametrize("text, fragment", BAD)
def test_invalid_exposition_raises_value_error_naming_the_problem(text, fragment):
    with pytest.raises(ValueError) as info:
        parse(text)
    assert fragment in str(info.value)
    assert "line " in str(info.value)


def test_error_names_the_offending_line_number():
    with pytest.raises(ValueError, match="line 3"):
        parse("# TYPE a gauge\na 1\na x\n# EOF\n")


def test_non_string_input_raises_value_error():
    with pytest.raises(ValueError):
        parse(b"a 1\n# EOF\n")  # type: ignore[arg-type]
