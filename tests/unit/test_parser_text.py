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
    "text, official_message",
    [
        ("g 0x10\n", "could not convert string to float: '0x10'"),
        ("g 1_000\n", "Invalid value: '1_000'"),
        ('g{a="b" c="d"} 1\n', 'Invalid labels: a="b" c="d"'),
        ("g{a=b} 1\n", "Invalid labels: a=b"),
        ("g 1 abc\n", "could not convert string to float: 'abc'"),
        ("g\n", "invalid metric name:g"),
        ('g{a="1} 1\n', "could not convert string to float"),
        ('g{a="1",a="2"} 1\n', 'Invalid labels: a="1",a="2"'),
        ('g{__a="1"} 1\n', 'Invalid labels: __a="1"'),
        ("# HELP a.b doc\na 1\n", ""),
        ("# TYPE a\na 1\n", ""),
        ('b{c="d"}{e="f"} 2\n', "could not convert string to float: '{e=\"f\"}'"),
    ],
)
def test_malformed_lines_raise_the_official_message_then_the_line_number(text, official_message):
    with pytest.raises(ValueError) as info:
        parse("ok 1\n" + text)
    assert str(info.value).startswith(official_message)
    assert "line " in str(info.value)


def test_unknown_type_is_rejected_by_metric():
    with pytest.raises(ValueError, match="^Invalid metric type: foo"):
        parse("# TYPE g foo\ng 1\n")


def test_empty_and_leading_commas_in_label_sets_are_accepted():
    assert parse("b{,} 2\n") == [family("b", "", "unknown", [Sample("b", {}, 2)])]
    assert parse('b{,c="d"} 2\n') == [family("b", "", "unknown", [Sample("b", {"c": "d"}, 2)])]
    with pytest.raises(ValueError, match='^Invalid labels: c="d",,e="f"'):
        parse('b{c="d",,e="f"} 2\n')


def test_only_first_and_last_fields_count_as_value_and_timestamp():
    # As officially: 'a 1 # {t="x"} 5' is value 1 at 5 ms; the middle is ignored.
    assert parse('a 1 # {t="x"} 5\n') == [family("a", "", "unknown", [Sample("a", {}, 1, 0.005)])]
    assert parse("a 1 2 3 4\n") == [family("a", "", "unknown", [Sample("a", {}, 1, 0.004)])]


def test_each_undescribed_sample_is_its_own_family():
    assert parse("a 1\na 2\n") == [
        family("a", "", "unknown", [Sample("a", {}, 1)]),
        family("a", "", "unknown", [Sample("a", {}, 2)]),
    ]


def test_name_in_label_set_may_come_anywhere_and_as___name__():
    assert parse('{c="d","a.b"} 2\n') == [family("a.b", "", "unknown", [Sample("a.b", {"c": "d"}, 2)])]
    assert parse('{__name__="x"} 2\n') == [family("x", "", "unknown", [Sample("x", {}, 2)])]
    with pytest.raises(ValueError, match="^metric name specified more than once"):
        parse('a{__name__="x"} 2\n')


def test_unknown_escapes_are_kept_literally():
    [metric] = parse('b{c="\\\\ \\n \\" \\t"} 2\n')
    assert metric.samples[0].labels == {"c": '\\ \n " \\t'}


def test_comment_without_space_after_hash_is_not_metadata():
    assert parse("#HELP a x\na 1\n") == [family("a", "", "unknown", [Sample("a", {}, 1)])]


def test_big_integers_stay_int():
    [metric] = parse("a 12345678901234567890\n")
    assert metric.samples[0].value == 12345678901234567890 and isinstance(metric.samples[0].value, int)


@pytest.mark.parametrize(
    "text, official_type, official_message",
    [
        ("a 1 " + "9" * 400 + "\n", OverflowError, "integer division result too large for a float"),
        ('a{b="c", ="d"} 1\n', IndexError, "string index out of range"),
    ],
)
def test_official_non_value_errors_are_also_value_errors(text, official_type, official_message):
    with pytest.raises(official_type) as info:
        parse(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(official_message)
    assert str(info.value).endswith("(line 1)")


def test_parse_labels_raises_value_errors_only():
    with pytest.raises(ValueError, match='^Invalid labels: a="b"}'):
        parse_labels('a="b"}')  # The official client loops forever here.
    with pytest.raises(IndexError) as info:
        parse_labels('a="b", ="c"')
    assert isinstance(info.value, ValueError)


def test_non_string_input_raises_type_error_as_officially():
    with pytest.raises(TypeError):
        parse(b"a 1\n")  # type: ignore[arg-type]


def test_parse_labels():
    assert parse_labels('a="1", b="x\\"y"') == {"a": "1", "b": 'x"y'}
    with pytest.raises(ValueError, match="Invalid labels"):
        parse_labels('a="1" b')
def _shape(families: list) -> list:
    return [(f.name, f.type, f.documentation, f.unit, [repr(s) for s in f.samples]) for f in families]


# Recorded from the official client 0.26.0: families as (name, type, help, unit, sample reprs),
# or ("ValueError", the official message, which must start ours).
GOLDEN = [
    ('', []),
    ('a 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1.5 1000\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1.5, timestamp=1.0, exemplar=None, native_histogram=None)"])]),
    ('a 1 1000.5\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=1.0005, exemplar=None, native_histogram=None)"])]),
    ('a 1 1 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=0.001, exemplar=None, native_histogram=None)"])]),
    ('a 1 2 3 4\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=0.004, exemplar=None, native_histogram=None)"])]),
    ('a\t1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('  a   1   \n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\r\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a\n', ('ValueError', 'invalid metric name:a')),
    ('a \n', ('ValueError', 'invalid metric name:a')),
    ('a abc\n', ('ValueError', "could not convert string to float: 'abc'")),
    ('a NaN\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=nan, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a +Inf\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a -inf\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=-inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1e3\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1000.0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 0x10\n', ('ValueError', "could not convert string to float: '0x10'")),
    ('a 1_0\n', ('ValueError', "Invalid value: '1_0'")),
    ('a 1 NaN\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=nan, exemplar=None, native_histogram=None)"])]),
    ('b{,} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{c="d",} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{,c="d"} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{c="d",,e="f"} 2\n', ('ValueError', 'Invalid labels: c="d",,e="f"')),
    ('b{ c = "d" , e = "f" } 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c': 'd', 'e': 'f'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('b {c="d"} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{c="d"}2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('b{c="d",c="e"} 2\n', ('ValueError', 'Invalid labels: c="d",c="e"')),
    ('b{c=d} 2\n', ('ValueError', 'Invalid labels: c=d')),
    ('b{c="d} 2\n', ('ValueError', 'could not convert string to float: \'{c="d}\'')),
    ('b{c="\\\\ \\n \\" \\t"} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ['Sample(name=\'b\', labels={\'c\': \'\\\\ \\n " \\\\t\'}, value=2, timestamp=None, exemplar=None, '
        'native_histogram=None)'])]),
    ('b{"c.d"="e"} 2\n',
     [('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={'c.d': 'e'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('b{__c="e"} 2\n', ('ValueError', 'Invalid labels: __c="e"')),
    ('b{__name__="x"} 2\n', ('ValueError', 'metric name specified more than once')),
    ('{__name__="x"} 2\n',
     [('x',
       'unknown',
       '',
       '',
       ["Sample(name='x', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('{"a.b"} 2\n',
     [('a.b',
       'unknown',
       '',
       '',
       ["Sample(name='a.b', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('{"a.b",c="d"} 2\n',
     [('a.b',
       'unknown',
       '',
       '',
       ["Sample(name='a.b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('{c="d","a.b"} 2\n',
     [('a.b',
       'unknown',
       '',
       '',
       ["Sample(name='a.b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('{"a.b" , c="d"} 2\n',
     [('a.b',
       'unknown',
       '',
       '',
       ["Sample(name='a.b', labels={'c': 'd'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('"a.b" 2\n', ('ValueError', 'invalid metric name:"a.b" 2')),
    ('a.b 2\n', ('ValueError', 'invalid metric name:a.b 2')),
    ('{} 2\n', ('ValueError', '')),
    ('# HELP a help text\n# TYPE a counter\na 1\n',
     [('a',
       'counter',
       'help text',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a help text\n# TYPE a counter\na_total 1\n',
     [('a', 'counter', 'help text', '', []),
      ('a_total',
       'unknown',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a_total counter\na_total 1\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a counter\n# HELP a help\na 1\n',
     [('a',
       'counter',
       'help',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a x \\\\ \\n \\" \\t\na 1\n',
     [('a',
       'unknown',
       'x \\ \n \\" \\t',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a x\n# HELP a y\na 1\n',
     [('a',
       'unknown',
       'y',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gauge\n# TYPE a counter\na 1\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a\na 1\n', ('ValueError', '')),
    ('# TYPE a foo\na 1\n', ('ValueError', 'Invalid metric type: foo')),
    ('# TYPE a untyped\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gauge\na 1\n# TYPE a gauge\na 2\n',
     [('a',
       'gauge',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# a comment\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('#\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('#HELP a x\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# UNIT a s\na 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a summary\na{quantile="0.5"} 1\na_count 1\na_sum 2\n',
     [('a',
       'summary',
       '',
       '',
       ["Sample(name='a', labels={'quantile': '0.5'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 1\na_count 1\na_sum 2\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 1\na_created 1\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)']),
      ('a_created',
       'unknown',
       '',
       '',
       ["Sample(name='a_created', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gauge\na 1\nb 2\na 3\n',
     [('a',
       'gauge',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"]),
      ('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"]),
      ('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=3, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\na 2\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"]),
      ('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\nb 2\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"]),
      ('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gauge\nb 1\n',
     [('a', 'gauge', '', '', []),
      ('b',
       'unknown',
       '',
       '',
       ["Sample(name='b', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP "a.b" doc\n# TYPE "a.b" gauge\n{"a.b"} 1\n',
     [('a.b',
       'gauge',
       'doc',
       '',
       ["Sample(name='a.b', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE "a.b" counter\n{"a.b"} 1\n',
     [('a.b',
       'counter',
       '',
       '',
       ["Sample(name='a.b_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a.b doc\na 1\n', ('ValueError', '')),
    ('a 1 # {t="x"} 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=0.001, exemplar=None, native_histogram=None)"])]),
    ('a{b="c"} 1 # {t="x"} 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'c'}, value=1, timestamp=0.001, exemplar=None, "
        'native_histogram=None)'])]),
    ('\n\n a 1 \n\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="}"} 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': '}'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="{"} 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': '{'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="c"} 1 2\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'c'}, value=1, timestamp=0.002, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{b="c"}\n', ('ValueError', "could not convert string to float: ''")),
    ('{\n', ('ValueError', '')),
    ('}\n', ('ValueError', 'invalid metric name:}')),
    ('a{\n', ('ValueError', "could not convert string to float: '{'")),
    ('# TYPE a info\na_info 1\n',
     [('a', 'info', '', '', []),
      ('a_info',
       'unknown',
       '',
       '',
       ["Sample(name='a_info', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a stateset\na{a="x"} 1\n',
     [('a',
       'stateset',
       '',
       '',
       ["Sample(name='a', labels={'a': 'x'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 1\n',
     [('a', 'gaugehistogram', '', '', []),
      ('a_bucket',
       'unknown',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a 12345678901234567890\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=12345678901234567890, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 12345678901234567890\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=1.2345678901234568e+16, exemplar=None, "
        'native_histogram=None)'])]),
    ('a -0\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="é"} 1\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'é'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('é 1\n', ('ValueError', 'invalid metric name:é 1')),
]


@pytest.mark.parametrize("text, expected", GOLDEN)
def test_same_result_as_the_official_client(text, expected):
    if isinstance(expected, tuple):
        with pytest.raises(ValueError) as info:
            parse(text)
        assert str(info.value).startswith(expected[1])
    else:
        assert _shape(parse(text)) == expected


# parse_labels results recorded from the official client 0.26.0 (both modes agree on these).
PARSE_LABELS = [
    ('a="x,y",b="}"', {"a": "x,y", "b": "}"}),
    ('a="\\\\",b="\\""', {"a": "\\", "b": '"'}),
    ('a="l1\nl2",b="\\q"', {"a": "l1\nl2", "b": "\\q"}),
    ('a:b="1"', {"a:b": "1"}),
    ('__name__="x",a="1"', {"__name__": "x", "a": "1"}),
    ('a="1\\\\"', {"a": "1\\"}),
    ('a="1\\\\\\"2"', {"a": '1\\"2'}),
    ('a="1",__b="2"', 'Invalid labels: a="1",__b="2"'),
    ('a="1",a="2"', 'Invalid labels: a="1",a="2"'),
]


@pytest.mark.parametrize("openmetrics", [False, True])
@pytest.mark.parametrize("text, expected", PARSE_LABELS)
def test_parse_labels_like_the_official_client(text, expected, openmetrics):
    if isinstance(expected, str):
        with pytest.raises(ValueError) as info:
            parse_labels(text, openmetrics)
        assert str(info.value).startswith(expected)
    else:
        assert parse_labels(text, openmetrics) == expected
