"""``promtool check metrics`` (Prometheus' own parser and linter) accepts what the encoder writes.

promtool 2.x reads the 0.0.4 text format only, so every metric type goes through
the text encoder; OpenMetrics output is checked for the families whose
OpenMetrics text is also valid 0.0.4 text (gauges, histograms). The
``promtool`` fixture fails the test when CI=true and the binary is missing.
"""

from __future__ import annotations

from typing import Iterable, List

import pytest

from prometheus_client._encoding import encode_openmetrics, encode_text
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
from prometheus_client.samples import Exemplar, LabelSet, Timestamp


class _Families:
    def __init__(self, families: List[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return iter(self.families)


def _every_type() -> List[Metric]:
    counter = CounterMetricFamily("jobs_processed", "Jobs processed.", labels=["queue"])
    counter.add_metric(["fast"], 3, created=1600000000.0, exemplar=Exemplar({"trace_id": "a"}, 1))
    counter.add_metric(['we"ird\\\nvalue'], 1e6)
    gauge = GaugeMetricFamily("temperature_celsius", 'Temp with "quotes" and \\ and\nnewline.', labels=["room"])
    gauge.add_metric(["a"], -12.5, timestamp=1600000000.5)
    gauge.add_metric(["b"], float("nan"), timestamp=Timestamp(1600000000, 5))
    gauge.add_metric(["c"], float("inf"))
    summary = SummaryMetricFamily("request_duration_seconds", "Durations.", labels=["path"])
    summary.add_metric(["/"], 4, 1.25)
    summary.add_sample("request_duration_seconds", {"path": "/", "quantile": "0.5"}, 0.25)
    histogram = HistogramMetricFamily("response_size_bytes", "Sizes.", labels=["path"])
    histogram.add_metric(["/"], [("100.0", 1), ("1e+06", 2), ("+Inf", 3)], 1234567.0)
    gauge_histogram = GaugeHistogramMetricFamily(
        "queue_wait_seconds", "Waits.", buckets=[("1.0", 1), ("+Inf", 2)], gsum_value=3.5
    )
    info = InfoMetricFamily("build", "Build information.", value={"version": "1.2.3", "branch": "main"})
    stateset = StateSetMetricFamily("door_state", "Door.", value={"open": True, "closed": False})
    unknown = UnknownMetricFamily("mystery_value", "Unknown type.", value=7)
    layout = [("_bucket", ("le", "0.1")), ("_bucket", ("le", "+Inf")), ("_count", None), ("_sum", None),
              ("_created", None)]
    instrument = InstrumentMetric("rpc_latency_seconds", "RPC latency.", "histogram", layout=layout)
    instrument.add_series(LabelSet({"method": "get", "code": "200"}), [1.0, 2.0, 2.0, 0.35, 1600000000.0])
    return [counter, gauge, summary, histogram, gauge_histogram, info, stateset, unknown, instrument]


@pytest.mark.parametrize("escaping", ["underscores", "dots", "values"])
def test_promtool_accepts_text_format_of_every_metric_type(promtool, escaping: str) -> None:  # type: ignore[no-untyped-def]
    text = encode_text(_Families(_every_type()), escaping)  # type: ignore[arg-type]
    code, output = promtool.check_metrics(text)
    if escaping == "dots":
        # Dots escaping doubles every underscore of the whole sample name, suffix included, as the official
        # client writes it (request__duration__seconds__count under request__duration__seconds).
        # promtool 2.42 predates escaping schemes: it parses the text but cannot match those samples to
        # their family, so only its "no help text" lint lines may appear.
        problems = [line for line in output.splitlines() if line.strip() and "no help text" not in line]
        assert problems == [] or code == 0, f"promtool rejected:\n{output}\n--- input ---\n{text.decode()}"
        assert "__count" in text.decode() and "no help text" in output
        return
    assert code == 0, f"promtool rejected:\n{output}\n--- input ---\n{text.decode()}"


def test_promtool_accepts_escaped_utf8_names(promtool) -> None:  # type: ignore[no-untyped-def]
    family = Metric("http.requests", "Dotted name.", "counter")
    family.add_sample("http.requests_total", {"http.method": "GET"}, 2)
    text = encode_text(_Families([family]))  # type: ignore[arg-type]
    assert b"http_requests_total{http_method=" in text
    code, output = promtool.check_metrics(text)
    assert code == 0, output


def test_promtool_accepts_openmetrics_gauges_and_histograms(promtool) -> None:  # type: ignore[no-untyped-def]
    # promtool's 0.0.4 parser reads these OpenMetrics families as they are: no float timestamps, no \" in
    # HELP, no _created samples (which 0.0.4 does not know).
    gauge = GaugeMetricFamily("temperature_celsius", "Temperature.", labels=["room"])
    gauge.add_metric(["a"], -12.5)
    gauge.add_metric(["b"], float("nan"))
    families = [gauge] + [f for f in _every_type() if f.type == "histogram" and not isinstance(f, InstrumentMetric)]
    text = encode_openmetrics(_Families(families))  # type: ignore[arg-type]
    assert text.endswith(b"# EOF\n")
    code, output = promtool.check_metrics(text)
    assert code == 0, f"promtool rejected:\n{output}\n--- input ---\n{text.decode()}"
