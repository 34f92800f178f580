"""The strict OpenMetrics 1.0 parser."""

from __future__ import annotations

import io

import pytest

from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import text_fd_to_metric_families, text_string_to_metric_families
from prometheus_client.samples import BucketSpan, Exemplar, NativeHistogram, Sample, Timestamp


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
g_gsum 3
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


# Invalid expositions and the official client's message, which must start ours.
BAD = [
    ("a 1\n", "Missing # EOF at end"),
    ("a 1\n# EOF\nb 1\n", "Received line after # EOF: b 1"),
    ("a 1\n# EOF\n\n", "Received line after # EOF: "),
    ("a 1\n\n# EOF\n", "Received blank line"),
    ("# random comment\na 1\n# EOF\n", "Invalid line: # random comment"),
    ("# TYPE a gauge\na 1\n# TYPE a gauge\n# EOF\n", "Received metadata after samples: # TYPE a gauge"),
    ("# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF\n", "More than one TYPE for metric: # TYPE a gauge"),
    ("# HELP a x\n# HELP a y\na 1\n# EOF\n", "More than one HELP for metric: # HELP a y"),
    ("# TYPE a gauge\nb 1\na 1\n# EOF\n", "Clashing name: a"),
    ("# TYPE a counter\na 1\n# EOF\n", "Clashing name: a"),
    ("# TYPE a_created gauge\na_created 1\n# TYPE a counter\na_total 1\n# EOF\n", "Clashing name: a_created"),
    ("# TYPE a counter\na_total 1\n# TYPE a gauge\na 1\n# EOF\n", "Received metadata after samples: # TYPE a gauge"),
    ("# TYPE a counter\na_total NaN\n# EOF\n", "Counter-like samples cannot be NaN: a_total NaN"),
    ("# TYPE a counter\na_total -1\n# EOF\n", "Counter-like samples cannot be negative: a_total -1"),
    ('# TYPE h histogram\nh_bucket{le="1.0"} 1\n# EOF\n', "+Inf bucket missing: h"),
    ('# TYPE h histogram\nh_bucket{le="1.0"} 3\nh_bucket{le="+Inf"} 2\n# EOF\n', "Bucket values out of order: h"),
    (
        '# TYPE h histogram\nh_bucket{le="2.0"} 1\nh_bucket{le="1.0"} 1\nh_bucket{le="+Inf"} 2\n# EOF\n',
        "Buckets out of order: h",
    ),
    ('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\nh_sum 1\n# EOF\n', "Count does not match +Inf value: h"),
    ('# TYPE h histogram\nh_bucket{le="inf"} 2\n# EOF\n', 'Invalid le label: h_bucket{le="inf"} 2'),
    ('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\n# EOF\n', "_count must be present if _sum is present: h"),
    (
        '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 2\n# EOF\n',
        "_sum/_gsum must be present if _count is present: h",
    ),
    (
        '# TYPE h gaugehistogram\nh_bucket{le="+Inf"} 2\nh_gsum 1\n# EOF\n',
        "_gcount must be present if _gsum is present: h",
    ),
    (
        '# TYPE h histogram\nh_bucket{le="-1"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 1\n# EOF\n',
        "Cannot have _sum with negative buckets: h",
    ),
    (
        '# TYPE h gaugehistogram\nh_bucket{le="+Inf"} 2\nh_gcount 2\nh_gsum -1\n# EOF\n',
        "Cannot have negative _gsum with non-negative buckets: h",
    ),
    (
        '# TYPE h histogram\nh_bucket{le="+Inf"} 1.5\n# EOF\n',
        'Bucket value must be an integer: h_bucket{le="+Inf"} 1.5',
    ),
    ("# TYPE s summary\ns_count 1.5\ns_sum 1\n# EOF\n", "Count value must be an integer: s_count 1.5"),
    ('# TYPE s summary\ns{quantile="1.5"} 2\n# EOF\n', 'Invalid quantile label: s{quantile="1.5"} 2'),
    ('# TYPE s summary\ns{quantile="0.5"} -2\n# EOF\n', 'Quantile values cannot be negative: s{quantile="0.5"} -2'),
    (
        "# TYPE a gauge\na 1 # {} 1\n# EOF\n",
        "Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: a 1 # {} 1",
    ),
    ('# TYPE a counter\na_total 1 # {a="' + "x" * 128 + '"} 1\n# EOF\n', "Exemplar labels are too long: # {a="),
    ("# TYPE a counter\n# UNIT a seconds\na_total 1\n# EOF\n", "Unit does not match metric name: a"),
    ("# TYPE a_s info\n# UNIT a_s s\na_s_info 1\n# EOF\n", "Units not allowed for this metric type: a_s"),
    ("# TYPE a info\na_info 2\n# EOF\n", "Info samples can only have value one: a_info 2"),
    ('# TYPE a stateset\na{a="x"} 2\n# EOF\n', 'Stateset samples can only have values zero and one: a{a="x"} 2'),
    ('# TYPE a stateset\na{b="x"} 1\n# EOF\n', 'Stateset missing label: a{b="x"} 1'),
    ("a 1 2\na 1 1\n# EOF\n", "Timestamps went backwards within a group: a 1 1"),
    ("a 1 2\na 1\n# EOF\n", "Mix of timestamp presence within a group: a 1"),
    ('a{x="1"} 1\na{x="2"} 1\na{x="1"} 1\n# EOF\n', 'Invalid metric grouping: a{x="1"} 1'),
    ("# TYPE a untyped\n# EOF\n", "Invalid TYPE for metric: # TYPE a untyped"),
    ("# UNIT a\n# EOF\n", "Invalid line: # UNIT a"),
    ('a{,b="c"} 1\n# EOF\n', 'leading comma: ,b="c"'),
    ('a{b="c",,d="e"} 1\n# EOF\n', 'Invalid labels: b="c",,d="e"'),
    ('a{__b="c"} 1\n# EOF\n', 'Invalid labels: __b="c"'),
    ("a  1\n# EOF\n", "could not convert string to float: ''"),
    ("a 1 NaN\n# EOF\n", "Invalid timestamp: 'NaN'"),
    ("a 0x1\n# EOF\n", "could not convert string to float: '0x1'"),
    ("a 1\r\n# EOF\n", "Invalid value: '1\\r'"),
    (
        "# TYPE nh histogram\nnh_count {count:1,sum:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n",
        "('the sample name of a native histogram should have no suffixes', 'nh_count')",
    ),
    (
        '# TYPE nh histogram\nnh_sum{a="b"} {count:1,sum:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n',
        "('the sample name of a native histogram with labels should have no suffixes', 'nh_sum')",
    ),
    # As officially, a UTF-8 name needs metadata before its samples.
    ('{"a.b"} 1\n# EOF\n', ""),
]


@pytest.mark.parametrize("text, official_message", BAD)
def test_invalid_exposition_raises_the_official_message_then_the_line_number(text, official_message):
    with pytest.raises(ValueError) as info:
        parse(text)
    assert str(info.value).startswith(official_message)
    assert "(line " in str(info.value)


def test_error_names_the_offending_line_number():
    with pytest.raises(ValueError, match=r"line 3\)$"):
        parse("# TYPE a gauge\na 1\na x\n# EOF\n")


def test_non_string_input_raises_type_error_as_officially():
    with pytest.raises(TypeError):
        parse(b"a 1\n# EOF\n")  # type: ignore[arg-type]


NH = (
    "{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],"
    "negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}"
)
NH_VALUE = NativeHistogram(
    count_value=24,
    sum_value=100.0,
    schema=0,
    zero_threshold=0.001,
    zero_count=4,
    pos_spans=(BucketSpan(0, 2), BucketSpan(1, 2)),
    neg_spans=(BucketSpan(0, 2), BucketSpan(1, 2)),
    pos_deltas=(2, 1, -3, 3),
    neg_deltas=(2, 1, -2, 3),
)


def test_native_histogram_without_labels():
    [metric] = parse("# TYPE nh histogram\nnh " + NH + "\n# EOF\n")
    # As officially: value None, and labels None rather than {} when there is no label set.
    assert metric.samples == [Sample("nh", None, None, None, None, NH_VALUE)]  # type: ignore[arg-type]
    assert isinstance(metric.samples[0].native_histogram.count_value, int)


def test_native_histogram_with_labels_and_quoted_name():
    [metric] = parse('# TYPE nh histogram\nnh{a="b"} ' + NH + "\n# EOF\n")
    assert metric.samples == [Sample("nh", {"a": "b"}, None, None, None, NH_VALUE)]  # type: ignore[arg-type]
    [metric] = parse('# TYPE "nh" histogram\n{"nh",a="b"} ' + NH + "\n# EOF\n")
    assert metric.samples == [Sample("nh", {"a": "b"}, None, None, None, NH_VALUE)]  # type: ignore[arg-type]
    [metric] = parse('# TYPE nh histogram\n{"nh"} ' + NH + "\n# EOF\n")
    assert metric.samples[0].labels is None


def test_native_histogram_optional_fields_and_ignored_exemplars():
    [metric] = parse("# TYPE nh histogram\nnh {count:4,sum:10.5,schema:-1,zero_threshold:1e-3,zero_count:1}\n# EOF\n")
    assert metric.samples[0].native_histogram == NativeHistogram(4, 10.5, -1, 0.001, 1)
    # The official client accepts exemplars (and a timestamp) after the value and drops them.
    [metric] = parse('# TYPE nh histogram\nnh ' + NH + ' # {trace_id="x"} 1 123\n# EOF\n')
    assert metric.samples == [Sample("nh", None, None, None, None, NH_VALUE)]  # type: ignore[arg-type]


def test_native_histogram_beside_classic_buckets():
    text = (
        '# TYPE nh histogram\nnh{a="b"} ' + NH + '\nnh_bucket{a="b",le="+Inf"} 24\n'
        'nh_count{a="b"} 24\nnh_sum{a="b"} 100\n# EOF\n'
    )
    [metric] = parse(text)
    assert [s.name for s in metric.samples] == ["nh", "nh_bucket", "nh_count", "nh_sum"]
    assert metric.samples[1] == Sample("nh_bucket", {"a": "b", "le": "+Inf"}, 24)


def test_native_histogram_missing_field_is_a_key_error_and_a_value_error():
    with pytest.raises(KeyError) as info:
        parse("# TYPE nh histogram\nnh {sum:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n")
    assert isinstance(info.value, ValueError)
    assert str(info.value) == "'count' (line 2)"


def test_native_histogram_fields_are_read_in_the_official_order():
    with pytest.raises(ValueError, match="^invalid literal for int\\(\\) with base 10: 'um:1'"):
        parse("# TYPE nh histogram\nnh {count:um:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n")
    with pytest.raises(ValueError, match="^\\('the sample name of a native histogram should have no suffixes'"):
        parse("# TYPE nh histogram\nnh_count {nothing}\n# EOF\n")


def test_native_histogram_syntax_outside_histograms_is_a_bad_value():
    # Outside a histogram the braces read as a label set, as officially.
    with pytest.raises(ValueError, match="^Invalid labels: count:24,sum:100"):
        parse("# TYPE nh gauge\nnh " + NH + "\n# EOF\n")


def test_unknown_escapes_are_kept_literally():
    [metric] = parse('# HELP a x \\t y\na{b="\\t\\x"} 1\n# EOF\n')
    assert metric.documentation == "x \\t y"
    assert metric.samples[0].labels == {"b": "\\t\\x"}


def test_repeated_samples_at_one_timestamp_keep_the_first():
    assert parse("a 1\na 2\n# EOF\n") == [family("a", "", "unknown", [Sample("a", {}, 1)])]
    [metric] = parse("a 1 123\na 2 123\n# EOF\n")
    assert metric.samples == [Sample("a", {}, 1, Timestamp(123, 0))]
    [metric] = parse("# TYPE a info\na_info 1 1\na_info 1 0\n# EOF\n")
    assert [s.timestamp for s in metric.samples] == [Timestamp(1, 0), Timestamp(0, 0)]


def test_timestamps_are_timestamp_objects_unless_spelt_as_floats():
    stamps = [parse(f"a 1 {ts}\n# EOF\n")[0].samples[0].timestamp for ts in ("123", "1.5", "-1.5", "1e3", ".5")]
    assert stamps == [Timestamp(123, 0), Timestamp(1, 500000000), Timestamp(-1, 500000000), 1000.0, 0.5]
    assert [type(s) for s in stamps[3:]] == [float, float]


def test_spaces_in_label_sets_are_accepted_but_not_trailing_commas_as_officially():
    [metric] = parse('a{b="c", d = "e"} 1\n# EOF\n')
    assert metric.samples == [Sample("a", {"b": "c", "d": "e"}, 1)]
    with pytest.raises(ValueError, match='^Invalid labels: b="c",'):
        parse('a{b="c",} 1\n# EOF\n')


def test_labels_may_carry_the_name_as___name__():
    assert parse('{__name__="x"} 1\n# EOF\n') == [family("x", "", "unknown", [Sample("x", {}, 1)])]


@pytest.mark.parametrize(
    "text, official_type, official_message",
    [
        ("# TYPE nh histogram\nnh_total " + NH + "\n# EOF\n", TypeError, "must be real number, not NoneType"),
        ('a{b="c", ="d"} 1\n# EOF\n', IndexError, "string index out of range"),
        (' {a="b"} 1\n# EOF\n', IndexError, "string index out of range"),
        ("a 1 1.5\na 1 1e3\n# EOF\n", AttributeError, "'float' object has no attribute 'sec'"),
        ("# TYPE a counter\na_total 1" + "0" * 400 + "\n# EOF\n", OverflowError, "int too large to convert to float"),
    ],
)
def test_official_non_value_errors_are_also_value_errors(text, official_type, official_message):
    with pytest.raises(official_type) as info:
        parse(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(official_message)


def _shape(families: list) -> list:
    return [(f.name, f.type, f.documentation, f.unit, [repr(s) for s in f.samples]) for f in families]


# Recorded from the official client 0.26.0: families as (name, type, help, unit, sample reprs),
# or ("ValueError", the official message, which must start ours).
GOLDEN = [
    ('# EOF\n', []),
    ('# EOF', []),
    ('', ('ValueError', 'Missing # EOF at end')),
    ('a 1\n', ('ValueError', 'Missing # EOF at end')),
    ('a 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\n# EOF',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1\n# EOF\n\n', ('ValueError', 'Received line after # EOF: ')),
    ('a 1\n# EOF\nb 2\n', ('ValueError', 'Received line after # EOF: b 2')),
    ('a 1\n\n# EOF\n', ('ValueError', 'Received blank line')),
    ('# EOF\n# EOF\n', ('ValueError', 'Received line after # EOF: # EOF')),
    ('a 1\r\n# EOF\n', ('ValueError', "Invalid value: '1\\r'")),
    (' a 1\n# EOF\n', ('ValueError', 'invalid metric name: a 1')),
    ('a  1\n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('a 1 \n# EOF\n', ('ValueError', 'Invalid line: ')),
    ('a\t1\n# EOF\n', ('ValueError', 'invalid metric name:a\t1')),
    ('# HELP a help\n# TYPE a gauge\n# UNIT a_seconds seconds\na 1\n# EOF\n',
     ('ValueError', 'Clashing name: a')),
    ('# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n# HELP a_seconds x\na_seconds 1\n# EOF\n',
     [('a_seconds',
       'gauge',
       'x',
       'seconds',
       ["Sample(name='a_seconds', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# UNIT a_seconds seconds\n# TYPE a_seconds gauge\na_seconds 1\n# EOF\n',
     [('a_seconds',
       'gauge',
       '',
       'seconds',
       ["Sample(name='a_seconds', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF\n', ('ValueError', 'Unit does not match metric name: a')),
    ('# HELP a\n# EOF\n', ('ValueError', 'Invalid line: # HELP a')),
    ('# HELP a \n# EOF\n', [('a', 'unknown', '', '', [])]),
    ('# HELP a  two spaces\n# EOF\n', [('a', 'unknown', 'two spaces', '', [])]),
    ('# HELP a x\n# HELP a y\n# EOF\n', ('ValueError', 'More than one HELP for metric: # HELP a y')),
    ('# TYPE a gauge\n# TYPE a counter\n# EOF\n',
     ('ValueError', 'More than one TYPE for metric: # TYPE a counter')),
    ('# UNIT a_s s\n# UNIT a_s s\n# EOF\n', ('ValueError', 'More than one UNIT for metric: # UNIT a_s s')),
    ('# TYPE a untyped\na 1\n# EOF\n', ('ValueError', 'Invalid TYPE for metric: # TYPE a untyped')),
    ('# TYPE a foo\na 1\n# EOF\n', ('ValueError', 'Invalid metric type: foo')),
    ('# TYPE a gauge\na 1\n# HELP a x\n# EOF\n', ('ValueError', 'Received metadata after samples: # HELP a x')),
    ('# FOO a x\n# EOF\n', ('ValueError', 'Invalid line: # FOO a x')),
    ('# comment\n# EOF\n', ('ValueError', 'Invalid line: # comment')),
    ('#\n# EOF\n', ('ValueError', 'Invalid line: #')),
    ('# HELP a help \\\\ \\n \\" \\t end\na 1\n# EOF\n',
     [('a',
       'unknown',
       'help \\ \n " \\t end',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# HELP a trailing backslash \\\n# EOF\n', [('a', 'unknown', 'trailing backslash \\', '', [])]),
    ('# TYPE a gauge\n# EOF\n', [('a', 'gauge', '', '', [])]),
    ('# HELP a.b x\n# EOF\n', ('ValueError', '')),
    ('# HELP "a.b" doc\n# TYPE "a.b" gauge\n{"a.b"} 1\n# EOF\n',
     [('a.b',
       'gauge',
       'doc',
       '',
       ["Sample(name='a.b', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE "a.b" counter\n{"a.b_total",x="1"} 1\n# EOF\n',
     [('a.b',
       'counter',
       '',
       '',
       ["Sample(name='a.b_total', labels={'x': '1'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE "a b" gauge\n{"a b"} 1\n# EOF\n',
     [('a b',
       'gauge',
       '',
       '',
       ["Sample(name='a b', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a_total counter\na_total 1\n# EOF\n', ('ValueError', 'Clashing name: a_total')),
    ('# TYPE a info\n# UNIT a x\n# EOF\n', ('ValueError', 'Unit does not match metric name: a')),
    ('# TYPE a_x stateset\n# UNIT a_x x\na_x{a_x="s"} 1\n# EOF\n',
     ('ValueError', 'Units not allowed for this metric type: a_x')),
    ('# TYPE a counter\na_total 1\na_created 1.5\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_created', labels={}, value=1.5, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a counter\na 1\n# EOF\n', ('ValueError', 'Clashing name: a')),
    ('# TYPE a counter\na_total -1\n# EOF\n',
     ('ValueError', 'Counter-like samples cannot be negative: a_total -1')),
    ('# TYPE a counter\na_total NaN\n# EOF\n',
     ('ValueError', 'Counter-like samples cannot be NaN: a_total NaN')),
    ('# TYPE a counter\na_total +Inf\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a counter\na_total 1.5\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1.5, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a counter\na_total 1 # {a="b"} 0.5\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=Exemplar(labels={'a': 'b'}, "
        'value=0.5, timestamp=None), native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 # {a="b"} 0.5 123\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=Exemplar(labels={'a': 'b'}, "
        'value=0.5, timestamp=Timestamp(123, 0)), native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 123 # {a="b"} 0.5 123.5\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=Timestamp(123, 0), "
        "exemplar=Exemplar(labels={'a': 'b'}, value=0.5, timestamp=Timestamp(123, 500000000)), "
        'native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 # {} 0.5\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=Exemplar(labels={}, value=0.5, "
        'timestamp=None), native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 # {a="b"}\n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('# TYPE a counter\na_total 1 # {a="b"} \n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('# TYPE a counter\na_total 1 #{a="b"} 1\n# EOF\n', ('ValueError', '')),
    ('# TYPE a counter\n'
     'a_total 1 # '
     '{a="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} '  # noqa: E501
     '1\n'
     '# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=Exemplar(labels={'a': "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}, "  # noqa: E501
        'value=1, timestamp=None), native_histogram=None)'])]),
    ('# TYPE a counter\n'
     'a_total 1 # '
     '{a="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} '  # noqa: E501
     '1\n'
     '# EOF\n',
     ('ValueError',
      'Exemplar labels are too long: # '
      '{a="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} '  # noqa: E501
      '1')),
    ('# TYPE a counter\na_total 1 # {a="b"} 1 1 1\n# EOF\n',
     ('ValueError', "could not convert string to float: '1 1'")),
    ('# TYPE a counter\na_total 1 # {a="b}"} 1\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=Exemplar(labels={'a': 'b}'}, "
        'value=1, timestamp=None), native_histogram=None)'])]),
    ('# TYPE a counter\na_created 1 # {a="b"} 1\n# EOF\n',
     ('ValueError',
      'Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: a_created 1 # '
      '{a="b"} 1')),
    ('# TYPE a gauge\na 1 # {a="b"} 1\n# EOF\n',
     ('ValueError',
      'Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: a 1 # {a="b"} 1')),
    ('# TYPE a counter\na_total{x="1"} 1\na_total{x="1"} 2\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={'x': '1'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 1\na_total 2 2\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_total', labels={}, value=2, timestamp=Timestamp(2, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1 2\na_total 2 1\n# EOF\n',
     ('ValueError', 'Timestamps went backwards within a group: a_total 2 1')),
    ('# TYPE a counter\na_total 1 1\na_total 2 1\n# EOF\n',
     [('a',
       'counter',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a counter\na_total 1\na_total 2 1\n# EOF\n',
     ('ValueError', 'Mix of timestamp presence within a group: a_total 2 1')),
    ('# TYPE a counter\na_total{x="1"} 1\na_total{x="2"} 1\na_total{x="1"} 1\n# EOF\n',
     ('ValueError', 'Invalid metric grouping: a_total{x="1"} 1')),
    ('# TYPE a counter\na_total 1\n# TYPE a_total counter\na_total_total 1\n# EOF\n',
     ('ValueError', 'Clashing name: a_total')),
    ('a 1.0\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1.0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 1e3\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1000.0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a -0\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a +1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a .5\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=0.5, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 0x1\n# EOF\n', ('ValueError', "could not convert string to float: '0x1'")),
    ('a 1_000\n# EOF\n', ('ValueError', "Invalid value: '1_000'")),
    ('a NaN\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=nan, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a nan\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=nan, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a Inf\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a -Inf\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=-inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a infinity\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=inf, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a 12345678901234567890\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=12345678901234567890, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a\n# EOF\n', ('ValueError', 'invalid metric name:a')),
    ('a \n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('a abc\n# EOF\n', ('ValueError', "could not convert string to float: 'abc'")),
    ('a 1 123\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(123, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 123.456\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(123, 456000000), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 1520879607.789000001123\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(1520879607, 789000001), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 1e3\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=1000.0, exemplar=None, native_histogram=None)"])]),
    ('a 1 -1.5\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(-1, -500000000), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 NaN\n# EOF\n', ('ValueError', "Invalid timestamp: 'NaN'")),
    ('a 1 Inf\n# EOF\n', ('ValueError', "Invalid timestamp: 'Inf'")),
    ('a 1 .5\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=0.5, exemplar=None, native_histogram=None)"])]),
    ('a 1 1.\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 1_0\n# EOF\n', ('ValueError', "Invalid timestamp: '1_0'")),
    ('a 1 1 1\n# EOF\n', ('ValueError', 'Invalid line: 1 1')),
    ('a 1 123\na 2 124\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(123, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a', labels={}, value=2, timestamp=Timestamp(124, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 123\na 2 123\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=Timestamp(123, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('a 1 124\na 2 123\n# EOF\n', ('ValueError', 'Timestamps went backwards within a group: a 2 123')),
    ('a 1\na 2\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="c"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'c'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{b="c",} 1\n# EOF\n', ('ValueError', 'Invalid labels: b="c",')),
    ('a{,b="c"} 1\n# EOF\n', ('ValueError', 'leading comma: ,b="c"')),
    ('a{b="c",,d="e"} 1\n# EOF\n', ('ValueError', 'Invalid labels: b="c",,d="e"')),
    ('a{} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{,} 1\n# EOF\n', ('ValueError', 'leading comma: ,')),
    ('a{b="c", d="e"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'c', 'd': 'e'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{b = "c"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'c'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a {b="c"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a ', labels={'b': 'c'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{b="c"}1\n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('a{b="c"} 1 \n# EOF\n', ('ValueError', 'Invalid line: ')),
    ('a{b="c",b="d"} 1\n# EOF\n', ('ValueError', 'Invalid labels: b="c",b="d"')),
    ('a{b=c} 1\n# EOF\n', ('ValueError', 'Invalid labels: b=c')),
    ('a{b="c} 1\n# EOF\n', ('ValueError', 'Invalid labels: b="c} ')),
    ('a{b="c"\n# EOF\n', ('ValueError', 'Invalid labels: b="c')),
    ('a{b="\\\\ \\n \\" x"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ['Sample(name=\'a\', labels={\'b\': \'\\\\ \\n " x\'}, value=1, timestamp=None, exemplar=None, '
        'native_histogram=None)'])]),
    ('a{b="\\t\\x"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': '\\\\t\\\\x'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{b="é"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b': 'é'}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('a{"b.c"="d"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b.c': 'd'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{"b c"="d"} 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={'b c': 'd'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('a{__b="c"} 1\n# EOF\n', ('ValueError', 'Invalid labels: __b="c"')),
    ('a{__name__="x"} 1\n# EOF\n', ('ValueError', 'metric name specified more than once')),
    ('{__name__="x"} 1\n# EOF\n',
     [('x',
       'unknown',
       '',
       '',
       ["Sample(name='x', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('{"a.b"} 1\n# EOF\n', ('ValueError', '')),
    ('{"a.b",c="d"} 1\n# EOF\n', ('ValueError', '')),
    ('{c="d","a.b"} 1\n# EOF\n', ('ValueError', '')),
    ('{"a.b", c="d"} 1\n# EOF\n', ('ValueError', '')),
    ('{"a\\"b"} 1\n# EOF\n', ('ValueError', '')),
    ('{"a.b","c.d"="e"} 1\n# EOF\n', ('ValueError', '')),
    ('"a.b" 1\n# EOF\n', ('ValueError', 'invalid metric name:"a.b" 1')),
    ('{} 1\n# EOF\n', ('ValueError', '')),
    ('a{b="c"} 1 # {d="e"} 1\n# EOF\n',
     ('ValueError',
      'Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: a{b="c"} 1 # '
      '{d="e"} 1')),
    ('a.b 1\n# EOF\n', ('ValueError', 'invalid metric name:a.b 1')),
    ('é 1\n# EOF\n', ('ValueError', 'invalid metric name:é 1')),
    ('# TYPE a info\na_info{b="c"} 1\n# EOF\n',
     [('a',
       'info',
       '',
       '',
       ["Sample(name='a_info', labels={'b': 'c'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a info\na_info{b="c"} 2\n# EOF\n',
     ('ValueError', 'Info samples can only have value one: a_info{b="c"} 2')),
    ('# TYPE a info\na{b="c"} 1\n# EOF\n', ('ValueError', 'Clashing name: a')),
    ('# TYPE a info\na_info 1 1\na_info 1 0\n# EOF\n',
     [('a',
       'info',
       '',
       '',
       ["Sample(name='a_info', labels={}, value=1, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_info', labels={}, value=1, timestamp=Timestamp(0, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a stateset\na{a="x"} 1\na{a="y"} 0\n# EOF\n',
     [('a',
       'stateset',
       '',
       '',
       ["Sample(name='a', labels={'a': 'x'}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a', labels={'a': 'y'}, value=0, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a stateset\na{a="x"} 2\n# EOF\n',
     ('ValueError', 'Stateset samples can only have values zero and one: a{a="x"} 2')),
    ('# TYPE a stateset\na{b="x"} 1\n# EOF\n', ('ValueError', 'Stateset missing label: a{b="x"} 1')),
    ('# TYPE a unknown\na 1\n# EOF\n',
     [('a',
       'unknown',
       '',
       '',
       ["Sample(name='a', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a unknown\na_total 1\n# EOF\n',
     [('a', 'unknown', '', '', []),
      ('a_total',
       'unknown',
       '',
       '',
       ["Sample(name='a_total', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a counter\na_total 1\n# TYPE a gauge\na 1\n# EOF\n',
     ('ValueError', 'Received metadata after samples: # TYPE a gauge')),
    ('a 1\nb 1\na 1\n# EOF\n', ('ValueError', 'Clashing name: a')),
    ('# TYPE a counter\na_total 1\n# TYPE a_total gauge\na_total 1\n# EOF\n',
     ('ValueError', 'Clashing name: a_total')),
    ('# TYPE a_created gauge\na_created 1\n# TYPE a counter\na_total 1\n# EOF\n',
     ('ValueError', 'Clashing name: a_created')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 1\na_count 1\na_sum 1\n# TYPE a_count gauge\na_count 1\n# EOF\n',
     ('ValueError', 'Clashing name: a_count')),
    ('a_total 1\n# TYPE a counter\na_total 1\n# EOF\n', ('ValueError', 'Clashing name: a_total')),
    ('# TYPE a gauge\na{x="1"} 1\na{x="2"} 1\na{x="1"} 1\n# EOF\n',
     ('ValueError', 'Invalid metric grouping: a{x="1"} 1')),
    ('# TYPE a summary\na{quantile="0.5"} 1\na_count 1\na_sum 2\n# EOF\n',
     [('a',
       'summary',
       '',
       '',
       ["Sample(name='a', labels={'quantile': '0.5'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a summary\na{quantile="1.5"} 1\n# EOF\n',
     ('ValueError', 'Invalid quantile label: a{quantile="1.5"} 1')),
    ('# TYPE a summary\na{quantile="0.5"} -1\n# EOF\n',
     ('ValueError', 'Quantile values cannot be negative: a{quantile="0.5"} -1')),
    ('# TYPE a summary\na{quantile="0.5"} NaN\n# EOF\n',
     [('a',
       'summary',
       '',
       '',
       ["Sample(name='a', labels={'quantile': '0.5'}, value=nan, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a summary\na 1\n# EOF\n', ('ValueError', 'Invalid quantile label: a 1')),
    ('# TYPE a summary\na_count 1.5\na_sum 2\n# EOF\n',
     ('ValueError', 'Count value must be an integer: a_count 1.5')),
    ('# TYPE a summary\na_sum -2\n# EOF\n', ('ValueError', 'Counter-like samples cannot be negative: a_sum -2')),
    ('# TYPE a summary\na_sum NaN\n# EOF\n', ('ValueError', 'Counter-like samples cannot be NaN: a_sum NaN')),
    ('# TYPE a summary\na{quantile="+Inf"} 1\n# EOF\n',
     ('ValueError', 'Invalid quantile label: a{quantile="+Inf"} 1')),
    ('# TYPE a summary\na{quantile="0.50"} 1\n# EOF\n',
     [('a',
       'summary',
       '',
       '',
       ["Sample(name='a', labels={'quantile': '0.50'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket{le="1"} 0\na_bucket{le="+Inf"} 2\na_count 2\na_sum 3\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '1'}, value=0, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=3, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 2\n# EOF\n',
     ('ValueError', '_sum/_gsum must be present if _count is present: a')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_sum 2\n# EOF\n',
     ('ValueError', '_count must be present if _sum is present: a')),
    ('# TYPE a histogram\na_bucket{le="1"} 1\n# EOF\n', ('ValueError', '+Inf bucket missing: a')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 3\na_sum 2\n# EOF\n',
     ('ValueError', 'Count does not match +Inf value: a')),
    ('# TYPE a histogram\na_bucket{le="2"} 1\na_bucket{le="1"} 1\na_bucket{le="+Inf"} 2\n# EOF\n',
     ('ValueError', 'Buckets out of order: a')),
    ('# TYPE a histogram\na_bucket{le="1"} 2\na_bucket{le="+Inf"} 1\n# EOF\n',
     ('ValueError', 'Bucket values out of order: a')),
    ('# TYPE a histogram\na_bucket{le="-1"} 1\na_bucket{le="+Inf"} 2\na_count 2\na_sum 1\n# EOF\n',
     ('ValueError', 'Cannot have _sum with negative buckets: a')),
    ('# TYPE a histogram\na_bucket{le="+inf"} 2\n# EOF\n',
     ('ValueError', 'Invalid le label: a_bucket{le="+inf"} 2')),
    ('# TYPE a histogram\na_bucket{le="Inf"} 2\n# EOF\n',
     ('ValueError', 'Invalid le label: a_bucket{le="Inf"} 2')),
    ('# TYPE a histogram\na_bucket{le="NaN"} 2\n# EOF\n',
     ('ValueError', 'Invalid le label: a_bucket{le="NaN"} 2')),
    ('# TYPE a histogram\na_bucket{le="1.0"} 1\na_bucket{le="+Inf"} 2\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '1.0'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket{le="1e0"} 1\na_bucket{le="+Inf"} 2\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '1e0'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket 1\n# EOF\n', ('ValueError', 'Invalid le label: a_bucket 1')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 1.5\n# EOF\n',
     ('ValueError', 'Bucket value must be an integer: a_bucket{le="+Inf"} 1.5')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 2.5\na_sum 1\n# EOF\n',
     ('ValueError', 'Count value must be an integer: a_count 2.5')),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2 # {t="1"} 0.5\na_count 2\na_sum 1\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, "
        "exemplar=Exemplar(labels={'t': '1'}, value=0.5, timestamp=None), native_histogram=None)",
        "Sample(name='a_count', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 2 # {t="1"} 0.5\na_sum 1\n# EOF\n',
     ('ValueError',
      'Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: a_count 2 # {t="1"} '
      '0.5')),
    ('# TYPE a histogram\n'
     'a_bucket{le="+Inf"} 2 1\n'
     'a_count 2 1\n'
     'a_sum 1 1\n'
     'a_bucket{le="+Inf"} 3 2\n'
     'a_count 3 2\n'
     'a_sum 2 2\n'
     '# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=2, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_sum', labels={}, value=1, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'le': '+Inf'}, value=3, timestamp=Timestamp(2, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2 1\na_bucket{le="+Inf"} 2 1\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=Timestamp(1, 0), exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na_bucket{le="+Inf"} 2\na_count 2\na_sum 1\na_created 1\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_count', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_sum', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_created', labels={}, value=1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a histogram\na_bucket{x="1",le="+Inf"} 2\na_bucket{x="2",le="+Inf"} 2\n# EOF\n',
     [('a',
       'histogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'x': '1', 'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'x': '2', 'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE a histogram\na 1\n# EOF\n', ('ValueError', 'Clashing name: a')),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 2\na_gcount 2\na_gsum -1\n# EOF\n',
     ('ValueError', 'Cannot have negative _gsum with non-negative buckets: a')),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 2\na_gsum 1\n# EOF\n',
     ('ValueError', '_gcount must be present if _gsum is present: a')),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 2\na_gcount 2\n# EOF\n',
     ('ValueError', '_sum/_gsum must be present if _count is present: a')),
    ('# TYPE a gaugehistogram\na_bucket{le="-1"} 1\na_bucket{le="+Inf"} 2\na_gcount 2\na_gsum -1\n# EOF\n',
     [('a',
       'gaugehistogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '-1'}, value=1, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='a_gcount', labels={}, value=2, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='a_gsum', labels={}, value=-1, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 2 # {t="1"} 1\n# EOF\n',
     [('a',
       'gaugehistogram',
       '',
       '',
       ["Sample(name='a_bucket', labels={'le': '+Inf'}, value=2, timestamp=None, "
        "exemplar=Exemplar(labels={'t': '1'}, value=1, timestamp=None), native_histogram=None)"])]),
    ('# TYPE a gaugehistogram\na_bucket{le="+Inf"} 2\na_gcount 2\na_gsum NaN\n# EOF\n',
     ('ValueError', 'Counter-like samples cannot be NaN: a_gsum NaN')),
    ('# TYPE nh histogram\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh{a="b"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels={'a': 'b'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     '{"nh"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     '{"nh",a="b"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels={'a': 'b'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\nnh {count:4,sum:10,schema:1,zero_threshold:0,zero_count:1}\n# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=4, sum_value=10.0, schema=1, zero_threshold=0.0, '
        'zero_count=1, pos_spans=None, neg_spans=None, pos_deltas=None, neg_deltas=None, '
        'nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh '
     '{count:4,sum:10.5,schema:-1,zero_threshold:1e-3,zero_count:1,positive_spans:[0:1],positive_deltas:[3]}\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=4, sum_value=10.5, schema=-1, zero_threshold=0.001, '
        'zero_count=1, pos_spans=(BucketSpan(offset=0, length=1),), neg_spans=None, pos_deltas=(3,), '
        'neg_deltas=None, nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]} '  # noqa: E501
     '# {trace_id="x"} 1 123\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh{a="b"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]} '  # noqa: E501
     '# {trace_id="x"} 1 123 # {trace_id="y"} 2\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels={'a': 'b'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     'nh_bucket{le="1"} 2\n'
     'nh_bucket{le="+Inf"} 3\n'
     'nh_count 3\n'
     'nh_sum 4\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))',
        "Sample(name='nh_bucket', labels={'le': '1'}, value=2, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='nh_bucket', labels={'le': '+Inf'}, value=3, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='nh_count', labels={}, value=3, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='nh_sum', labels={}, value=4, timestamp=None, exemplar=None, native_histogram=None)"])]),
    ('# TYPE nh histogram\n'
     'nh{a="b"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     'nh_bucket{a="b",le="+Inf"} 24\n'
     'nh_count{a="b"} 24\n'
     'nh_sum{a="b"} 100\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels={'a': 'b'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))',
        "Sample(name='nh_bucket', labels={'a': 'b', 'le': '+Inf'}, value=24, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='nh_count', labels={'a': 'b'}, value=24, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='nh_sum', labels={'a': 'b'}, value=100, timestamp=None, exemplar=None, "
        'native_histogram=None)'])]),
    ('# TYPE nh histogram\n'
     'nh_bucket{le="+Inf"} 24\n'
     'nh_count 24\n'
     'nh_sum 100\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh_bucket', labels={'le': '+Inf'}, value=24, timestamp=None, exemplar=None, "
        'native_histogram=None)',
        "Sample(name='nh_count', labels={}, value=24, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='nh_sum', labels={}, value=100, timestamp=None, exemplar=None, native_histogram=None)",
        "Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh_count '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     ('ValueError', "('the sample name of a native histogram should have no suffixes', 'nh_count')")),
    ('# TYPE nh histogram\nnh {count:1.5,sum:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n',
     ('ValueError', "invalid literal for int() with base 10: '1.5'")),
    ('# TYPE nh histogram\nnh {count:1,sum:1,schema:0,zero_threshold:0,zero_count:0\n# EOF\n',
     ('ValueError', '')),
    ('# TYPE nh gauge\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     ('ValueError',
      'Invalid labels: '
      'count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]')),  # noqa: E501
    ('nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     ('ValueError',
      'Invalid labels: '
      'count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]')),  # noqa: E501
    ('# TYPE nh histogram\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]} '  # noqa: E501
     '123\n'
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh{a="b"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     'nh{a="c"} '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels={'a': 'b'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))',
        "Sample(name='nh', labels={'a': 'c'}, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('# TYPE nh histogram\n'
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     'nh '
     '{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n'  # noqa: E501
     '# EOF\n',
     [('nh',
       'histogram',
       '',
       '',
       ["Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))',
        "Sample(name='nh', labels=None, value=None, timestamp=None, exemplar=None, "
        'native_histogram=NativeHistogram(count_value=24, sum_value=100.0, schema=0, zero_threshold=0.001, '
        'zero_count=4, pos_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), '
        'neg_spans=(BucketSpan(offset=0, length=2), BucketSpan(offset=1, length=2)), pos_deltas=(2, 1, -3, 3), '
        'neg_deltas=(2, 1, -2, 3), nh_exemplars=None))'])]),
    ('a{b="c"} 1 # {d="e"} 1 1 extra\n# EOF\n', ('ValueError', "could not convert string to float: '1 extra'")),
    ('{\n# EOF\n', ('ValueError', '')),
    ('}\n# EOF\n', ('ValueError', 'invalid metric name:}')),
    ('a}\n# EOF\n', ('ValueError', "could not convert string to float: 'a}'")),
    ('a{b="c"}} 1\n# EOF\n', ('ValueError', "could not convert string to float: ''")),
    ('# TYPE\n# EOF\n', ('ValueError', 'Invalid line: # TYPE')),
    ('# TYPE a\n# EOF\n', ('ValueError', 'Invalid line: # TYPE a')),
    ('# HELP\n# EOF\n', ('ValueError', 'Invalid line: # HELP')),
    ('#  TYPE a gauge\n# EOF\n', [('a', 'gauge', '', '', [])]),
    ('a 1 # \n# EOF\n', ('ValueError', 'Invalid line: # ')),
]


@pytest.mark.parametrize("text, expected", GOLDEN)
def test_same_result_as_the_official_client(text, expected):
    if isinstance(expected, tuple):
        with pytest.raises(ValueError) as info:
            parse(text)
        assert str(info.value).startswith(expected[1])
    else:
        assert _shape(parse(text)) == expected
