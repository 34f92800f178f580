"""CollectorRegistry: registration, duplicates, custom collectors, restriction and target info."""

from __future__ import annotations

import pytest

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, DuplicateTimeseries


class StaticCollector:
    def __init__(self, name: str = "custom", value: float = 7.0) -> None:
        self.name = name
        self.value = value

    def collect(self):
        yield GaugeMetricFamily(self.name, "A custom gauge", value=self.value)


class DescribedCollector(StaticCollector):
    def describe(self):
        yield GaugeMetricFamily(self.name, "A custom gauge")


def test_custom_collector_registers_beside_instruments(registry):
    Counter("c", "help", registry=registry).inc()
    registry.register(StaticCollector())
    assert registry.get_sample_value("custom") == 7.0
    assert registry.get_sample_value("c_total") == 1.0


def test_object_with_collect_is_a_collector():
    assert isinstance(StaticCollector(), Collector)
    assert not isinstance(object(), Collector)


def test_registering_an_object_without_collect_is_a_type_error(registry):
    with pytest.raises(TypeError, match="collect"):
        registry.register(object())


def test_duplicate_names_raise_naming_both_owners(registry):
    first = Counter("requests", "help", registry=registry)
    with pytest.raises(DuplicateTimeseries) as info:
        Gauge("requests_total", "help", registry=registry)
    message = str(info.value)
    assert "requests_total" in message
    assert repr(first) in message
    assert "gauge:requests_total" in message
    assert isinstance(info.value, ValueError)


def test_histogram_suffixes_clash_with_existing_gauge(registry):
    Gauge("latency_count", "help", registry=registry)
    with pytest.raises(DuplicateTimeseries, match="latency_count"):
        Histogram("latency", "help", registry=registry)


def test_summary_and_gauge_suffix_clash(registry):
    Summary("s", "help", registry=registry)
    with pytest.raises(DuplicateTimeseries):
        Gauge("s_count", "help", registry=registry)


def test_registering_same_collector_twice_is_rejected(registry):
    collector = DescribedCollector()
    registry.register(collector)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(collector)


def test_described_collector_names_are_checked(registry):
    registry.register(DescribedCollector("x"))
    with pytest.raises(DuplicateTimeseries):
        registry.register(DescribedCollector("x"))


def test_undescribed_collectors_are_not_checked_without_auto_describe(registry):
    registry.register(StaticCollector("x"))
    registry.register(StaticCollector("x"))
    assert len(registry.collectors()) == 2


def test_auto_describe_uses_collect_for_names():
    registry = CollectorRegistry(auto_describe=True)
    registry.register(StaticCollector("x"))
    with pytest.raises(DuplicateTimeseries):
        registry.register(StaticCollector("x"))


def test_unregister_frees_the_names(registry):
    counter = Counter("c", "help", registry=registry)
    registry.unregister(counter)
    Counter("c", "help", registry=registry)
    assert registry.get_sample_value("c_total") == 0.0


def test_unregister_unknown_collector_raises_key_error(registry):
    with pytest.raises(KeyError):
        registry.unregister(StaticCollector())


def test_collectors_lists_in_registration_order_and_clear_empties(registry):
    a = Counter("a", "help", registry=registry)
    b = StaticCollector()
    registry.register(b)
    assert registry.collectors() == [a, b]
    registry.clear()
    assert registry.collectors() == []
    assert list(registry.collect()) == []
    Counter("a", "help", registry=registry)


def test_get_sample_value_returns_none_for_unknown(registry):
    assert registry.get_sample_value("nope") is None


def test_restricted_registry_keeps_only_named_samples(registry):
    histogram = Histogram("h", "help", buckets=[1], registry=registry)
    histogram.observe(0.5)
    Counter("c", "help", registry=registry).inc()
    restricted = registry.restricted_registry(["h_count", "h_sum"])
    families = list(restricted.collect())
    assert [f.name for f in families] == ["h"]
    assert sorted(s.name for s in families[0].samples) == ["h_count", "h_sum"]


def test_restricted_registry_includes_undescribed_custom_collectors(registry):
    registry.register(StaticCollector("custom"))
    families = list(registry.restricted_registry(["custom"]).collect())
    assert [s.name for f in families for s in f.samples] == ["custom"]
    assert list(registry.restricted_registry(["other"]).collect()) == []


def test_target_info_is_exposed_and_removable():
    registry = CollectorRegistry(target_info={"service": "api"})
    assert registry.get_sample_value("target_info", {"service": "api"}) == 1.0
    assert registry.get_target_info() == {"service": "api"}
    registry.set_target_info(None)
    assert registry.get_sample_value("target_info", {"service": "api"}) is None
    assert registry.get_target_info() is None


def test_target_info_in_restricted_registry():
    registry = CollectorRegistry(target_info={"service": "api"})
    families = list(registry.restricted_registry(["target_info"]).collect())
    assert [s.name for f in families for s in f.samples] == ["target_info"]


def test_target_info_clashes_with_registered_collector():
    registry = CollectorRegistry()
    registry.register(DescribedCollector("target_info"))
    with pytest.raises(ValueError, match="target_info"):
        registry.set_target_info({"a": "b"})


def test_family_yielded_by_collect_is_a_metric(registry):
    Counter("c", "help", registry=registry)
    assert all(isinstance(f, Metric) for f in registry.collect())
