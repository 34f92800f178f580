"""Property tests: the parsers raise only ValueError, and encoder -> parser round-trips."""

from __future__ import annotations

import string
import time
from typing import List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.registry import CollectorRegistry
from prometheus_client.samples import Exemplar, Timestamp

# Three times the profile's examples (tests/conftest.py: 300 on CPython, fewer on PyPy): the parsers are
# where hostile input arrives.
BUDGET = settings(
    max_examples=3 * settings.default.max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

VALID_OPENMETRICS = """# HELP a_seconds A counter.
# TYPE a_seconds counter
# UNIT a_seconds seconds
a_seconds_total{x="y\\n\\"z"} 1.0 # {trace_id="ab"} 0.5 123.25
a_seconds_created{x="y\\n\\"z"} 1.5e9
# TYPE h histogram
h_bucket{le="0.5"} 1 1520879607.789
h_bucket{le="+Inf"} 2 1520879607.789
h_count 2 1520879607.789
h_sum 3 1520879607.789
# TYPE s stateset
s{s="a"} 1
# TYPE i info
i_info{v="1"} 1
# TYPE q summary
q{quantile="0.9"} NaN
q_count 1
q_sum 2.5
# EOF
"""

ALPHABET = st.sampled_from(list('ab_{}"=,# \n\\.:+-0123456789eEINFnaf\tTYPEHLPUOX\r\x00é'))


def _only_value_error(parse, text: str) -> None:
    try:
        list(parse(text))
    except ValueError:
        pass


@BUDGET
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_parsers_raise_only_value_error_on_arbitrary_text(text):
    _only_value_error(parse_text, text)
    _only_value_error(parse_openmetrics, text)
    _only_value_error(parse_openmetrics, text + "\n# EOF\n")


@BUDGET
@given(st.text(max_size=120))
def test_parsers_raise_only_value_error_on_any_unicode(text):
    _only_value_error(parse_text, text)
    _only_value_error(parse_openmetrics, text + "\n# EOF\n")


@BUDGET
@given(
    st.integers(min_value=0, max_value=len(VALID_OPENMETRICS) - 1),
    st.integers(min_value=0, max_value=20),
    st.text(alphabet=ALPHABET, max_size=8),
)
def test_parsers_raise_only_value_error_on_mutated_valid_exposition(start, length, insert):
    mutated = VALID_OPENMETRICS[:start] + insert + VALID_OPENMETRICS[start + length :]
    _only_value_error(parse_openmetrics, mutated)
    _only_value_error(parse_text, mutated)


def test_valid_exposition_used_for_mutation_parses():
    assert [m.name for m in parse_openmetrics(VALID_OPENMETRICS)] == ["a_seconds", "h", "s", "i", "q"]


# --- round trip: families -> our encoder -> our parser -> equal families -------------------------

# [a-z][a-z0-9_]{0,8}, built from two parts: st.from_regex draws the same names at twice the cost.
names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(string.ascii_lowercase),
    st.text(alphabet=string.ascii_lowercase + string.digits + "_", max_size=8),
).filter(
    lambda n: not n.endswith(("_total", "_created", "_bucket", "_count", "_sum", "_info", "_gcount", "_gsum"))
)
label_values = st.text(max_size=10).filter(lambda v: "\x00" not in v)
# As officially, the parser reads HELP after a run of spaces, so leading spaces of help text are lost.
docs = label_values.filter(lambda v: not v.startswith(" "))
numbers = st.floats(allow_nan=False, width=64) | st.integers(min_value=-(10**6), max_value=10**6).map(float)
counts = st.integers(min_value=0, max_value=10**9).map(float)


@st.composite
def families(draw) -> List[Metric]:
    used = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    result: List[Metric] = []
    for index, name in enumerate(used):
        kind = index % 5
        label = draw(label_values)
        if kind == 0:
            metric: Metric = GaugeMetricFamily(name, draw(docs), labels=["l"])
            metric.add_metric([label], draw(numbers))  # type: ignore[attr-defined]
        elif kind == 1:
            metric = CounterMetricFamily(name, "c", labels=["l"])
            exemplar = Exemplar({"trace_id": draw(st.text("abc", max_size=5))}, draw(counts), Timestamp(5, 7))
            metric.add_metric([label], draw(counts), created=draw(counts), exemplar=exemplar)  # type: ignore[attr-defined]
        elif kind == 2:
            bounds = sorted(set(draw(st.lists(st.integers(-5, 100), max_size=4))))
            increments = draw(st.lists(st.integers(0, 10), min_size=len(bounds) + 1, max_size=len(bounds) + 1))
            running, buckets = 0.0, []
            for bound, step in zip([float(b) for b in bounds] + [float("inf")], increments):
                running += step
                buckets.append(("+Inf" if bound == float("inf") else repr(bound), running))
            has_negative = any(b < 0 for b in bounds)
            metric = HistogramMetricFamily(
                name, "h", buckets=buckets, sum_value=None if has_negative else draw(counts)
            )
        elif kind == 3:
            metric = SummaryMetricFamily(name, "s", count_value=draw(counts), sum_value=draw(counts))
        else:
            metric = InfoMetricFamily(name, "i", value={"v": label})
        result.append(metric)
    return result


class _Collector:
    def __init__(self, metrics: List[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> List[Metric]:
        return self.metrics


@BUDGET
@given(families())
def test_openmetrics_round_trip_gives_back_equal_families(metrics):
    registry = CollectorRegistry()
    registry.register(_Collector(metrics))
    text = generate_openmetrics(registry).decode("utf-8")
    assert list(parse_openmetrics(text)) == metrics


@BUDGET
@given(families())
def test_text_format_round_trip_keeps_every_sample(metrics):
    from prometheus_client._encoding import encode_text as generate_latest

    registry = CollectorRegistry()
    registry.register(_Collector(metrics))
    text = generate_latest(registry).decode("utf-8")
    parsed = {(s.name, tuple(sorted(s.labels.items())), s.value) for m in parse_text(text) for s in m.samples}
    expected = {(s.name, tuple(sorted(s.labels.items())), float(s.value)) for m in metrics for s in m.samples}
    assert parsed == expected


# --- linear time: inputs that make a naive quote/escape scanner quadratic -----------------------

PATHOLOGICAL = [
    'a{b="' + '\\"' * 40000 + '"} 1\n',
    'a{b="' + "\\" * 80000 + '"} 1\n',
    "a{" + 'b="c",' * 20000 + "} 1\n",
    "a{" + ",".join(f'l{i}="v"' for i in range(20000)) + "} 1\n",
    "# HELP a " + " " * 80000 + "x\n",
    "a" + " " * 80000 + "1\n",
    '"' * 80000 + "\n",
    "{" * 80000 + "\n",
    "a " + "1" * 80000 + "\n",
]


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_lines_parse_in_linear_time(text):
    for parse, suffix in ((parse_text, ""), (parse_openmetrics, "# EOF\n")):
        start = time.perf_counter()
        _only_value_error(parse, text + suffix)
        assert time.perf_counter() - start < 2.0


def test_native_histogram_fields_parse_in_linear_time():
    text = "# TYPE nh histogram\nnh {" + "a" * 100000 + ":,count:1}\n# EOF\n"
    start = time.perf_counter()
    _only_value_error(parse_openmetrics, text)
    assert time.perf_counter() - start < 2.0
