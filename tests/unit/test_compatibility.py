"""Drop-in compatibility: the official client's import paths and public names all exist here."""

from __future__ import annotations

import importlib
import inspect

import pytest

# Public names of the official prometheus_client 0.26, module by module (incidental imports left out).
OFFICIAL_NAMES = {
    "prometheus_client": [
        "CONTENT_TYPE_LATEST", "CONTENT_TYPE_PLAIN_0_0_4", "CONTENT_TYPE_PLAIN_1_0_0", "CollectorRegistry",
        "Counter", "Enum", "GCCollector", "GC_COLLECTOR", "Gauge", "Histogram", "Info", "Metric",
        "MetricsHandler", "PLATFORM_COLLECTOR", "PROCESS_COLLECTOR", "PlatformCollector", "ProcessCollector",
        "REGISTRY", "Summary", "delete_from_gateway", "disable_created_metrics", "enable_created_metrics",
        "generate_latest", "instance_ip_grouping_key", "make_asgi_app", "make_wsgi_app", "push_to_gateway",
        "pushadd_to_gateway", "start_http_server", "start_wsgi_server", "write_to_textfile",
    ],
    "prometheus_client.asgi": ["make_asgi_app"],
    "prometheus_client.bridge.graphite": ["GraphiteBridge"],
    "prometheus_client.context_managers": ["ExceptionCounter", "InprogressTracker", "Timer"],
    "prometheus_client.core": [
        "BucketSpan", "CollectorRegistry", "Counter", "CounterMetricFamily", "DuplicateTimeseries", "Enum",
        "Exemplar", "Gauge", "GaugeHistogramMetricFamily", "GaugeMetricFamily", "Histogram",
        "HistogramMetricFamily", "Info", "InfoMetricFamily", "Metric", "NativeHistogram", "REGISTRY", "Sample",
        "StateSetMetricFamily", "Summary", "SummaryMetricFamily", "Timestamp", "UnknownMetricFamily",
        "UntypedMetricFamily",
    ],
    "prometheus_client.exposition": [
        "CONTENT_TYPE_LATEST", "CONTENT_TYPE_PLAIN_0_0_4", "CONTENT_TYPE_PLAIN_1_0_0", "MetricsHandler",
        "REGISTRY", "ThreadingWSGIServer", "basic_auth_handler", "choose_encoder", "default_handler",
        "delete_from_gateway", "floatToGoString", "generate_latest", "gzip_accepted",
        "instance_ip_grouping_key", "make_asgi_app", "make_wsgi_app", "passthrough_redirect_handler",
        "push_to_gateway", "pushadd_to_gateway", "start_http_server", "start_wsgi_server", "tls_auth_handler",
        "write_to_textfile",
    ],
    "prometheus_client.gc_collector": ["GCCollector", "GC_COLLECTOR"],
    "prometheus_client.metrics": [
        "Counter", "Enum", "Gauge", "Histogram", "Info", "MetricWrapperBase", "Summary",
        "disable_created_metrics", "enable_created_metrics",
    ],
    "prometheus_client.metrics_core": [
        "CounterMetricFamily", "GaugeHistogramMetricFamily", "GaugeMetricFamily", "HistogramMetricFamily",
        "InfoMetricFamily", "METRIC_TYPES", "Metric", "StateSetMetricFamily", "SummaryMetricFamily",
        "UnknownMetricFamily", "UntypedMetricFamily",
    ],
    "prometheus_client.multiprocess": ["MultiProcessCollector", "mark_process_dead"],
    "prometheus_client.openmetrics.exposition": [
        "ALLOWUTF8", "CONTENT_TYPE_LATEST", "CONTENT_TYPE_LATEST_2_0", "DOTS", "ESCAPING_HEADER_TAG",
        "UNDERSCORES", "VALUES", "escape_label_name", "escape_metric_name", "generate_latest",
    ],
    "prometheus_client.openmetrics.parser": ["text_fd_to_metric_families", "text_string_to_metric_families"],
    "prometheus_client.parser": ["text_fd_to_metric_families", "text_string_to_metric_families"],
    "prometheus_client.platform_collector": ["PLATFORM_COLLECTOR", "PlatformCollector"],
    "prometheus_client.process_collector": ["PROCESS_COLLECTOR", "ProcessCollector"],
    "prometheus_client.registry": [
        "Collector", "CollectorRegistry", "DuplicateTimeseries", "REGISTRY", "RestrictedRegistry",
    ],
    "prometheus_client.samples": ["BucketSpan", "Exemplar", "NativeHistogram", "Sample", "Timestamp"],
    "prometheus_client.twisted": ["MetricsResource"],
    "prometheus_client.utils": ["INF", "MINUS_INF", "NaN", "floatToGoString", "parse_version"],
    "prometheus_client.validation": [
        "METRIC_LABEL_NAME_RE", "METRIC_NAME_RE", "RESERVED_METRIC_LABEL_NAME_RE", "disable_legacy_validation",
        "enable_legacy_validation", "get_legacy_validation",
    ],
    "prometheus_client.values": ["MultiProcessValue", "MutexValue", "ValueClass", "get_value_class"],
}


@pytest.mark.parametrize("module_name", sorted(OFFICIAL_NAMES))
def test_official_public_names_exist(module_name):
    if module_name == "prometheus_client.twisted":
        # An optional extra: without twisted installed, test_twisted.py skips too.
        pytest.importorskip("twisted")
    module = importlib.import_module(module_name)
    missing = [name for name in OFFICIAL_NAMES[module_name] if not hasattr(module, name)]
    assert missing == [], f"{module_name} lacks {missing}"


def test_package_all_lists_only_existing_names():
    import prometheus_client

    assert set(OFFICIAL_NAMES["prometheus_client"]) <= set(prometheus_client.__all__)
    assert all(hasattr(prometheus_client, name) for name in prometheus_client.__all__)


def test_content_types_match_official_values():
    import prometheus_client
    from prometheus_client.openmetrics import exposition as openmetrics

    assert prometheus_client.CONTENT_TYPE_LATEST == "text/plain; version=1.0.0; charset=utf-8"
    assert prometheus_client.CONTENT_TYPE_PLAIN_0_0_4 == "text/plain; version=0.0.4; charset=utf-8"
    assert openmetrics.CONTENT_TYPE_LATEST == "application/openmetrics-text; version=1.0.0; charset=utf-8"


@pytest.mark.parametrize(
    "cls, parameters",
    [
        ("Counter", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry"]),
        ("Histogram", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                       "_labelvalues", "buckets"]),
        ("Gauge", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                   "_labelvalues", "multiprocess_mode"]),
        ("Enum", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                  "_labelvalues", "states"]),
    ],
)
def test_instrument_constructors_take_official_parameters_in_order(cls, parameters):
    import prometheus_client

    signature = inspect.signature(getattr(prometheus_client, cls))
    assert list(signature.parameters)[: len(parameters)] == parameters


def test_opentelemetry_style_keyword_family_construction():
    from prometheus_client.core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        HistogramMetricFamily,
        InfoMetricFamily,
    )

    counter = CounterMetricFamily(name="requests", documentation="help", labels=["a"], unit="")
    counter.add_metric(labels=["x"], value=1.0)
    gauge = GaugeMetricFamily(name="g", documentation="help", labels=["a"], unit="bytes")
    gauge.add_metric(labels=["x"], value=2.0)
    histogram = HistogramMetricFamily(name="h", documentation="help", labels=["a"], unit="seconds")
    histogram.add_metric(labels=["x"], buckets=[("1.0", 1), ("+Inf", 2)], sum_value=3.0)
    info = InfoMetricFamily(name="target", documentation="help", labels=[])
    info.add_metric(labels=[], value={"service": "x"})
    assert [s.name for s in histogram.samples] == [
        "h_seconds_bucket", "h_seconds_bucket", "h_seconds_count", "h_seconds_sum",
    ]
    assert counter.samples[0].value == 1.0 and gauge.name == "g_bytes" and info.samples[0].name == "target_info"
