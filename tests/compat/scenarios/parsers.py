"""The two parsers (Prometheus text and OpenMetrics) over many inputs: families or the exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

TEXT_INPUTS = {
    "counter": "# HELP a help\n# TYPE a counter\na 1\n",
    "counter_total": "# TYPE a_total counter\na_total 1\n",
    "gauge_labels": '# TYPE g gauge\ng{a="1",b="2"} 3.5\ng{a="2"} -Inf\n',
    "untyped": "x 1\ny{z=\"w\"} 2\n",
    "timestamp": "a 1 1500000000000\n",
    "timestamp_negative": "a 1 -1000\n",
    "escapes": 'a{l="x\\\\y\\"z\\nw"} 1\n',
    "help_escapes": "# HELP a x\\\\y\\nz\n# TYPE a gauge\na 1\n",
    "histogram": '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n',
    "summary": '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n',
    "nan_inf": "a NaN\nb +Inf\nc -Inf\nd nan\n",
    "trailing_comma": 'a{l="1",} 1\n',
    "spaces": '  a  { l = "1" }   2  \n',
    "empty": "",
    "only_comments": "# just a comment\n# another\n",
    "no_newline": "a 1",
    "bad_value": "a abc\n",
    "bad_label": 'a{l=1} 1\n',
    "unterminated_label": 'a{l="1} 1\n',
    "utf8_quoted_name": '{"my.metric"} 1\n',
    "utf8_quoted_label": 'a{"my.label"="v"} 1\n',
    "type_twice": "# TYPE a gauge\n# TYPE a counter\na 1\n",
    "help_no_text": "# HELP a\na 1\n",
    "interleaved": "# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\na 3\n",
    "hex_value": "a 0x10\n",
    "underscore_value": "a 1_000\n",
    "tabs": "a\t1\n",
    "crlf": "a 1\r\n",
    "duplicate_label": 'a{l="1",l="2"} 1\n',
    "eof_marker": "a 1\n# EOF\n",
}
OM_INPUTS = {
    "counter": "# TYPE a counter\n# HELP a help\na_total 1\na_created 123\n# EOF\n",
    "gauge": "# TYPE g gauge\ng{a=\"1\"} 2\n# EOF\n",
    "unit": "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n",
    "unit_mismatch": "# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF\n",
    "no_eof": "# TYPE a gauge\na 1\n",
    "text_after_eof": "a 1\n# EOF\nb 2\n",
    "histogram": ('# TYPE h histogram\nh_bucket{le="1.0"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 3\n'
                  "# EOF\n"),
    "histogram_exemplar": ('# TYPE h histogram\nh_bucket{le="1.0"} 1 # {trace_id="a"} 0.5 123.456\n'
                           'h_bucket{le="+Inf"} 2\nh_count 2\nh_sum 3\n# EOF\n'),
    "histogram_missing_inf": '# TYPE h histogram\nh_bucket{le="1.0"} 1\nh_count 1\nh_sum 1\n# EOF\n',
    "histogram_decreasing": ('# TYPE h histogram\nh_bucket{le="1.0"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n'
                             "h_sum 1\n# EOF\n"),
    "gaugehistogram": ('# TYPE g gaugehistogram\ng_bucket{le="1.0"} 1\ng_bucket{le="+Inf"} 2\ng_gcount 2\n'
                       "g_gsum 3\n# EOF\n"),
    "stateset": '# TYPE s stateset\ns{s="a"} 1\ns{s="b"} 0\n# EOF\n',
    "stateset_bad_value": '# TYPE s stateset\ns{s="a"} 2\n# EOF\n',
    "info": '# TYPE i info\ni_info{v="1"} 1\n# EOF\n',
    "info_bad_value": '# TYPE i info\ni_info{v="1"} 2\n# EOF\n',
    "summary": '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n# EOF\n',
    "timestamps": "# TYPE a gauge\na 1 1520879607.789\na{b=\"c\"} 2 1520879607\n# EOF\n",
    "timestamp_nanos": "a 1 1520879607.789000001\n# EOF\n",
    "counter_exemplar": '# TYPE a counter\na_total 1 # {x="y"} 1\n# EOF\n',
    "exemplar_on_gauge": '# TYPE a gauge\na 1 # {x="y"} 1\n# EOF\n',
    "exemplar_too_long": '# TYPE a counter\na_total 1 # {x="' + "y" * 130 + '"} 1\n# EOF\n',
    "negative_counter": "# TYPE a counter\na_total -1\n# EOF\n",
    "nan_counter": "# TYPE a counter\na_total NaN\n# EOF\n",
    "unknown": "# TYPE u unknown\nu 1\n# EOF\n",
    "no_type": "u 1\n# EOF\n",
    "bad_type": "# TYPE a nonsense\na 1\n# EOF\n",
    "duplicate_family": "# TYPE a gauge\na 1\n# TYPE a gauge\na 2\n# EOF\n",
    "clashing_names": "# TYPE a counter\na_total 1\n# TYPE a_total gauge\na_total 2\n# EOF\n",
    "invalid_escape": 'a{l="\\q"} 1\n# EOF\n',
    "empty": "",
    "only_eof": "# EOF\n",
    "eof_no_newline": "# EOF",
    "blank_line": "a 1\n\n# EOF\n",
    "utf8_name": '{"my.metric"} 1\n# EOF\n',
    "utf8_name_typed": '# TYPE "my.metric" gauge\n{"my.metric",a="1"} 1\n# EOF\n',
    "spaces_in_labels": 'a{ l="1"} 1\n# EOF\n',
    "inf_values": "a +Inf\nb -Inf\nc NaN\n# EOF\n",
    "int_value": "a 10\n# EOF\n",
    "float_exp": "a 1.5e3\n# EOF\n",
    "help_escape": "# HELP a x\\ny\\\\z\\\"q\n# TYPE a gauge\na 1\n# EOF\n",
    "native_histogram": ("# TYPE nh histogram\nnh {count:24,sum:100,schema:0,zero_threshold:0.001,"
                         "zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],"
                         "positive_deltas:[2,1,-2,3],negative_deltas:[2,1,-2,3]}\n# EOF\n"),
    "native_histogram_negative_offset": ("# TYPE nh histogram\nnh {count:3,sum:0.5,schema:3,zero_threshold:0,"
                                         "zero_count:0,positive_spans:[-9:2],positive_deltas:[1,1]}\n# EOF\n"),
    "created_gauge": "# TYPE a gauge\na_created 1\n# EOF\n",
    "histogram_le_formats": ('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\n'
                             "h_sum 3\n# EOF\n"),
}

for input_id, data in TEXT_INPUTS.items():
    add(SCENARIOS, f"text.{input_id}", f"catch(parse_text, {data!r})")
    # The OpenMetrics parser on the same input (most lack '# EOF': its exception is checked then).
    add(SCENARIOS, f"om_on_text.{input_id}", f"catch(parse_om, {data!r})")
for input_id, data in OM_INPUTS.items():
    add(SCENARIOS, f"om.{input_id}", f"catch(parse_om, {data!r})")
add(SCENARIOS, "text.fd", """
catch(lambda: list(parser.text_fd_to_metric_families(io.StringIO('# TYPE a gauge\\na 1\\n'))))
""")
add(SCENARIOS, "om.fd", """
catch(lambda: list(om_parser.text_fd_to_metric_families(io.StringIO('# TYPE a gauge\\na 1\\n# EOF\\n'))))
""")
add(SCENARIOS, "text.generator_lazy", """
g = parser.text_string_to_metric_families('a 1\\nb{ 2\\n')
first = catch(next, g)
first, catch(next, g)
""")
add(SCENARIOS, "roundtrip.text", """
r = CollectorRegistry()
Counter('c', 'h', ['l'], registry=r).labels('x"y').inc(2)
Histogram('h', 'h', registry=r, buckets=(1,)).observe(3)
parse_text(text(r).decode())
""")
add(SCENARIOS, "roundtrip.om", """
r = CollectorRegistry()
Counter('c', 'h', ['l'], registry=r).labels('x"y').inc(2, {'t': 'e'})
Histogram('h', 'h', registry=r, buckets=(1,)).observe(3)
Enum('e', 'h', states=['a', 'b'], registry=r)
Info('i', 'h', registry=r).info({'k': 'v'})
parse_om(om(r).decode())
""")

# Inputs saved by the parser work: a snapshot of its list ({"format": "openmetrics" or "text", "input": ...}),
# each parsed by the parser of its format. Refresh by copying the list over parser_inputs.json.
_SAVED = Path(__file__).with_name("parser_inputs.json")
if _SAVED.exists():
    for position, item in enumerate(json.loads(_SAVED.read_text(encoding="utf-8"))):
        function = "parse_om" if item.get("format") == "openmetrics" else "parse_text"
        kind = "om" if function == "parse_om" else "text"
        add(SCENARIOS, f"saved.{kind}.{position:03d}", f"catch({function}, {item['input']!r})")
