"""CollectorRegistry: registration, duplicates, custom collectors, restriction and target info."""

from __future__ import annotations

import pytest

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
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
    assert message.startswith("Duplicated timeseries in CollectorRegistry: {'requests_total'}")
    assert repr(first) in message  # our detail: who already owns the name
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
    # As officially: it clashes with itself on its names.
    collector = DescribedCollector()
    registry.register(collector)
    with pytest.raises(DuplicateTimeseries, match="^Duplicated timeseries in CollectorRegistry: {'custom'}"):
        registry.register(collector)


def test_collector_without_names_can_be_registered_twice(registry):
    class Anonymous:
        def collect(self):
            return [GaugeMetricFamily("anon", "h", value=1)]

    collector = Anonymous()
    registry.register(collector)
    registry.register(collector)
    assert [family.name for family in registry.collect()] == ["anon"]


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


def test_restricted_registry_includes_undescribed_collectors_only_when_supported():
    # As officially: support_collectors_without_names=True is what makes them take part in ?name[]=.
    supported = CollectorRegistry(support_collectors_without_names=True)
    supported.register(StaticCollector("custom"))
    families = list(supported.restricted_registry(["custom"]).collect())
    assert [s.name for f in families for s in f.samples] == ["custom"]
    assert list(supported.restricted_registry(["other"]).collect()) == []
    unsupported = CollectorRegistry()
    unsupported.register(StaticCollector("custom"))
    assert list(unsupported.restricted_registry(["custom"]).collect()) == []
    described = CollectorRegistry(auto_describe=True)
    described.register(StaticCollector("custom"))
    assert [f.name for f in described.restricted_registry(["custom"]).collect()] == ["custom"]


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


# (first registration, second registration, names the official client reports as duplicated or None).
# Generated by running each pair against the official client 0.26.0.
_PAIRS = [
    ("Counter('x')", "Counter('x')", ['x', 'x_created', 'x_total']),
    ("Counter('x')", "Counter('x_total')", ['x', 'x_created', 'x_total']),
    ("Counter('x')", "Counter('x', unit='seconds')", None),
    ("Counter('x')", "Gauge('x')", ['x']),
    ("Counter('x')", "Summary('x')", ['x', 'x_created']),
    ("Counter('x')", "Histogram('x')", ['x', 'x_created']),
    ("Counter('x')", "Info('x')", ['x']),
    ("Counter('x')", "Enum('x')", ['x']),
    ("Counter('x')", "Gauge('x_total')", ['x_total']),
    ("Counter('x')", "Gauge('x_created')", ['x_created']),
    ("Counter('x')", "Gauge('x_bucket')", None),
    ("Counter('x')", "Gauge('x_count')", None),
    ("Counter('x')", "Gauge('x_sum')", None),
    ("Counter('x')", "Gauge('x_info')", None),
    ("Counter('x')", "Gauge('x_gsum')", None),
    ("Counter('x')", "Gauge('x_seconds')", None),
    ("Counter('x_total')", "Counter('x')", ['x', 'x_created', 'x_total']),
    ("Counter('x_total')", "Counter('x_total')", ['x', 'x_created', 'x_total']),
    ("Counter('x_total')", "Counter('x', unit='seconds')", None),
    ("Counter('x_total')", "Gauge('x')", ['x']),
    ("Counter('x_total')", "Summary('x')", ['x', 'x_created']),
    ("Counter('x_total')", "Histogram('x')", ['x', 'x_created']),
    ("Counter('x_total')", "Info('x')", ['x']),
    ("Counter('x_total')", "Enum('x')", ['x']),
    ("Counter('x_total')", "Gauge('x_total')", ['x_total']),
    ("Counter('x_total')", "Gauge('x_created')", ['x_created']),
    ("Counter('x_total')", "Gauge('x_bucket')", None),
    ("Counter('x_total')", "Gauge('x_count')", None),
    ("Counter('x_total')", "Gauge('x_sum')", None),
    ("Counter('x_total')", "Gauge('x_info')", None),
    ("Counter('x_total')", "Gauge('x_gsum')", None),
    ("Counter('x_total')", "Gauge('x_seconds')", None),
    ("Counter('x', unit='seconds')", "Counter('x')", None),
    ("Counter('x', unit='seconds')", "Counter('x_total')", None),
    ("Counter('x', unit='seconds')", "Counter('x', unit='seconds')",
     ['x_seconds', 'x_seconds_created', 'x_seconds_total']),
    ("Counter('x', unit='seconds')", "Gauge('x')", None),
    ("Counter('x', unit='seconds')", "Summary('x')", None),
    ("Counter('x', unit='seconds')", "Histogram('x')", None),
    ("Counter('x', unit='seconds')", "Info('x')", None),
    ("Counter('x', unit='seconds')", "Enum('x')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_total')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_created')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_bucket')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_count')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_sum')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_info')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_gsum')", None),
    ("Counter('x', unit='seconds')", "Gauge('x_seconds')", ['x_seconds']),
    ("Gauge('x')", "Counter('x')", ['x']),
    ("Gauge('x')", "Counter('x_total')", ['x']),
    ("Gauge('x')", "Counter('x', unit='seconds')", None),
    ("Gauge('x')", "Gauge('x')", ['x']),
    ("Gauge('x')", "Summary('x')", ['x']),
    ("Gauge('x')", "Histogram('x')", ['x']),
    ("Gauge('x')", "Info('x')", ['x']),
    ("Gauge('x')", "Enum('x')", ['x']),
    ("Gauge('x')", "Gauge('x_total')", None),
    ("Gauge('x')", "Gauge('x_created')", None),
    ("Gauge('x')", "Gauge('x_bucket')", None),
    ("Gauge('x')", "Gauge('x_count')", None),
    ("Gauge('x')", "Gauge('x_sum')", None),
    ("Gauge('x')", "Gauge('x_info')", None),
    ("Gauge('x')", "Gauge('x_gsum')", None),
    ("Gauge('x')", "Gauge('x_seconds')", None),
    ("Summary('x')", "Counter('x')", ['x', 'x_created']),
    ("Summary('x')", "Counter('x_total')", ['x', 'x_created']),
    ("Summary('x')", "Counter('x', unit='seconds')", None),
    ("Summary('x')", "Gauge('x')", ['x']),
    ("Summary('x')", "Summary('x')", ['x', 'x_count', 'x_created', 'x_sum']),
    ("Summary('x')", "Histogram('x')", ['x', 'x_count', 'x_created', 'x_sum']),
    ("Summary('x')", "Info('x')", ['x']),
    ("Summary('x')", "Enum('x')", ['x']),
    ("Summary('x')", "Gauge('x_total')", None),
    ("Summary('x')", "Gauge('x_created')", ['x_created']),
    ("Summary('x')", "Gauge('x_bucket')", None),
    ("Summary('x')", "Gauge('x_count')", ['x_count']),
    ("Summary('x')", "Gauge('x_sum')", ['x_sum']),
    ("Summary('x')", "Gauge('x_info')", None),
    ("Summary('x')", "Gauge('x_gsum')", None),
    ("Summary('x')", "Gauge('x_seconds')", None),
    ("Histogram('x')", "Counter('x')", ['x', 'x_created']),
    ("Histogram('x')", "Counter('x_total')", ['x', 'x_created']),
    ("Histogram('x')", "Counter('x', unit='seconds')", None),
    ("Histogram('x')", "Gauge('x')", ['x']),
    ("Histogram('x')", "Summary('x')", ['x', 'x_count', 'x_created', 'x_sum']),
    ("Histogram('x')", "Histogram('x')", ['x', 'x_bucket', 'x_count', 'x_created', 'x_sum']),
    ("Histogram('x')", "Info('x')", ['x']),
    ("Histogram('x')", "Enum('x')", ['x']),
    ("Histogram('x')", "Gauge('x_total')", None),
    ("Histogram('x')", "Gauge('x_created')", ['x_created']),
    ("Histogram('x')", "Gauge('x_bucket')", ['x_bucket']),
    ("Histogram('x')", "Gauge('x_count')", ['x_count']),
    ("Histogram('x')", "Gauge('x_sum')", ['x_sum']),
    ("Histogram('x')", "Gauge('x_info')", None),
    ("Histogram('x')", "Gauge('x_gsum')", None),
    ("Histogram('x')", "Gauge('x_seconds')", None),
    ("Info('x')", "Counter('x')", ['x']),
    ("Info('x')", "Counter('x_total')", ['x']),
    ("Info('x')", "Counter('x', unit='seconds')", None),
    ("Info('x')", "Gauge('x')", ['x']),
    ("Info('x')", "Summary('x')", ['x']),
    ("Info('x')", "Histogram('x')", ['x']),
    ("Info('x')", "Info('x')", ['x', 'x_info']),
    ("Info('x')", "Enum('x')", ['x']),
    ("Info('x')", "Gauge('x_total')", None),
    ("Info('x')", "Gauge('x_created')", None),
    ("Info('x')", "Gauge('x_bucket')", None),
    ("Info('x')", "Gauge('x_count')", None),
    ("Info('x')", "Gauge('x_sum')", None),
    ("Info('x')", "Gauge('x_info')", ['x_info']),
    ("Info('x')", "Gauge('x_gsum')", None),
    ("Info('x')", "Gauge('x_seconds')", None),
    ("Enum('x')", "Counter('x')", ['x']),
    ("Enum('x')", "Counter('x_total')", ['x']),
    ("Enum('x')", "Counter('x', unit='seconds')", None),
    ("Enum('x')", "Gauge('x')", ['x']),
    ("Enum('x')", "Summary('x')", ['x']),
    ("Enum('x')", "Histogram('x')", ['x']),
    ("Enum('x')", "Info('x')", ['x']),
    ("Enum('x')", "Enum('x')", ['x']),
    ("Enum('x')", "Gauge('x_total')", None),
    ("Enum('x')", "Gauge('x_created')", None),
    ("Enum('x')", "Gauge('x_bucket')", None),
    ("Enum('x')", "Gauge('x_count')", None),
    ("Enum('x')", "Gauge('x_sum')", None),
    ("Enum('x')", "Gauge('x_info')", None),
    ("Enum('x')", "Gauge('x_gsum')", None),
    ("Enum('x')", "Gauge('x_seconds')", None),
]


def _build(spec, registry):
    """Make the instrument ``spec`` names (e.g. ``Counter('x', unit='seconds')``) in ``registry``."""
    def maker(cls, **extra):
        return lambda name, **kwargs: cls(name, "h", registry=registry, **extra, **kwargs)

    namespace = {
        "Counter": maker(Counter),
        "Gauge": maker(Gauge),
        "Summary": maker(Summary),
        "Histogram": maker(Histogram),
        "Info": maker(Info),
        "Enum": maker(Enum, states=["a"]),
    }
    return eval(spec, namespace)  # noqa: S307 - the specs are the literals of _PAIRS


@pytest.mark.parametrize("first,second,duplicates", _PAIRS)
def test_instrument_clashes_match_the_official_client(first, second, duplicates):
    registry = CollectorRegistry()
    _build(first, registry)
    if duplicates is None:
        _build(second, registry)
        return
    with pytest.raises(DuplicateTimeseries, match="^Duplicated timeseries in CollectorRegistry: ") as info:
        _build(second, registry)
    assert sorted(info.value.duplicates) == duplicates


@pytest.mark.parametrize(
    "family,claimed",
    [
        (lambda: CounterMetricFamily("x", "h"), ["x", "x_total", "x_created"]),
        (lambda: GaugeMetricFamily("x", "h"), ["x"]),
        (lambda: SummaryMetricFamily("x", "h"), ["x", "x_sum", "x_count", "x_created"]),
        (lambda: HistogramMetricFamily("x", "h"), ["x", "x_bucket", "x_sum", "x_count", "x_created"]),
        (lambda: GaugeHistogramMetricFamily("x", "h"), ["x", "x_bucket", "x_gsum", "x_gcount"]),
        (lambda: InfoMetricFamily("x", "h"), ["x", "x_info"]),
        (lambda: StateSetMetricFamily("x", "h"), ["x"]),
        (lambda: UnknownMetricFamily("x", "h"), ["x"]),
    ],
)
def test_described_families_claim_their_name_and_type_suffixes(family, claimed):
    class Described:
        def collect(self):
            return []

        def describe(self):
            return [family()]

    registry = CollectorRegistry()
    registry.register(Described())
    for name in claimed:
        with pytest.raises(DuplicateTimeseries) as info:
            registry.register(_OneGauge(name))
        assert info.value.duplicates == {name}
    registry.register(_OneGauge("x_unrelated"))


class _OneGauge:
    def __init__(self, name):
        self.name = name

    def collect(self):
        return []

    def describe(self):
        return [GaugeMetricFamily(self.name, "h")]


def test_unregistering_an_unknown_collector_raises_key_error_of_it(registry):
    collector = _OneGauge("y")
    with pytest.raises(KeyError) as info:
        registry.unregister(collector)
    assert info.value.args == (collector,)


def test_target_info_none_and_empty_are_told_apart():
    assert CollectorRegistry().get_target_info() is None
    registry = CollectorRegistry()
    registry.set_target_info({})
    assert registry.get_target_info() == {}
