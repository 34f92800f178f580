"""Our ``check`` command and ``promtool check metrics`` give the same verdict (exit code)."""

from __future__ import annotations

import pytest

from prometheus_client._check import check_text

CASES = {
    "clean_counter": "# HELP a_total A help.\n# TYPE a_total counter\na_total 1\n",
    "clean_histogram": (
        "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
        'h_seconds_bucket{le="1"} 1\nh_seconds_bucket{le="+Inf"} 1\nh_seconds_sum 1\nh_seconds_count 1\n'
    ),
    "clean_with_timestamp": "# HELP g G.\n# TYPE g gauge\ng{a=\"b\"} 1 1500000000000\n",
    "counter_without_total": "# HELP a x\n# TYPE a counter\na 1\n",
    "no_help": "a 1\n",
    "non_base_unit": "# HELP a_milliseconds x\n# TYPE a_milliseconds gauge\na_milliseconds 1\n",
    "camel_case": "# HELP fooBar x\n# TYPE fooBar gauge\nfooBar 1\n",
    "le_on_gauge": '# HELP a x\n# TYPE a gauge\na{le="1"} 1\n',
    "colon": "# HELP a:b x\n# TYPE a:b gauge\na:b 1\n",
    "abbreviated_unit": "# HELP a_sec x\n# TYPE a_sec gauge\na_sec 1\n",
    "type_in_name": "# HELP a_gauge x\n# TYPE a_gauge gauge\na_gauge 1\n",
    "unterminated_label": 'a{b="1} 1\n',
    "bad_value": "# HELP a x\n# TYPE a gauge\na one\n",
    "second_type": "# HELP a x\n# TYPE a gauge\n# TYPE a gauge\na 1\n",
    "second_help_after_samples": "# HELP a x\n# TYPE a counter\na 1\n# HELP a x\n# TYPE a counter\na 1\n",
    "unknown_type": "# HELP a x\n# TYPE a foo\na 1\n",
    "namespace_looks_like_unit": "# HELP ms_total x\n# TYPE ms_total counter\nms_total 1\n",
    "namespace_is_a_type": "# HELP gauge_x x\n# TYPE gauge_x gauge\ngauge_x 1\n",
    "namespace_is_a_unit": "# HELP milliseconds_total x\n# TYPE milliseconds_total counter\nmilliseconds_total 1\n",
    "missing_value": "# HELP a x\n# TYPE a gauge\na\n",
}


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(CASES))
def test_check_verdict_matches_promtool(promtool, name):
    text = CASES[name]
    expected, output = promtool.check_metrics(text)
    ours, lines = check_text(text, openmetrics=False)
    assert ours == expected, f"promtool said {expected} ({output!r}), we said {ours} ({lines!r})"
