"""The instruments: values, labels, errors and the samples they produce."""

from __future__ import annotations

import math
import time

import pytest

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Enum,
    Gauge,
    Histogram,
    Info,
    Summary,
    disable_created_metrics,
    enable_created_metrics,
)
from prometheus_client.samples import Exemplar


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


# -- Counter ------------------------------------------------------------------------------------


def test_counter_counts_increments_and_amounts(registry):
    counter = Counter("requests", "Requests served", registry=registry)
    counter.inc()
    counter.inc(2.5)
    assert value(registry, "requests_total") == 3.5


def test_counter_strips_total_suffix_from_its_name(registry):
    counter = Counter("requests_total", "Requests", registry=registry)
    counter.inc()
    families = list(registry.collect())
    assert families[0].name == "requests"
    assert value(registry, "requests_total") == 1.0


def test_counter_rejects_negative_increment(registry):
    counter = Counter("c", "help", registry=registry)
    with pytest.raises(ValueError, match="-1"):
        counter.inc(-1)
    assert value(registry, "c_total") == 0.0


def test_counter_reset_zeroes_value_and_restarts_created(registry):
    counter = Counter("c", "help", registry=registry)
    counter.inc(5)
    before = value(registry, "c_created")
    time.sleep(0.01)
    counter.reset()
    assert value(registry, "c_total") == 0.0
    assert value(registry, "c_created") > before


def test_counter_exposes_created_timestamp_near_now(registry):
    start = time.time()
    Counter("c", "help", registry=registry)
    created = value(registry, "c_created")
    assert start - 1 <= created <= time.time() + 1


def test_created_samples_can_be_disabled_and_enabled(registry):
    Counter("c", "help", registry=registry)
    try:
        disable_created_metrics()
        assert value(registry, "c_created") is None
        assert value(registry, "c_total") == 0.0
    finally:
        enable_created_metrics()
    assert value(registry, "c_created") is not None


def test_created_samples_follow_environment_variable(registry, monkeypatch):
    import prometheus_client.metrics as metrics

    monkeypatch.setattr(metrics, "_created_override", None)
    monkeypatch.setenv("PROMETHEUS_DISABLE_CREATED_SERIES", "True")
    Histogram("h", "help", registry=registry)
    assert value(registry, "h_created") is None
    monkeypatch.delenv("PROMETHEUS_DISABLE_CREATED_SERIES")
    assert value(registry, "h_created") is not None


def test_count_exceptions_as_decorator_counts_only_matching_type(registry):
    counter = Counter("failures", "help", registry=registry)

    @counter.count_exceptions(ValueError)
    def fail(exc: type) -> None:
        raise exc("boom")

    with pytest.raises(ValueError):
        fail(ValueError)
    with pytest.raises(KeyError):
        fail(KeyError)
    assert value(registry, "failures_total") == 1.0


def test_count_exceptions_accepts_a_tuple_of_types_as_context_manager(registry):
    counter = Counter("failures", "help", registry=registry)
    for exc in (ValueError, KeyError, TypeError):
        with pytest.raises(exc):
            with counter.count_exceptions((ValueError, KeyError)):
                raise exc()
    assert value(registry, "failures_total") == 2.0


def test_counter_exemplar_is_stored_with_its_value(registry):
    counter = Counter("c", "help", registry=registry)
    counter.inc(2, exemplar={"trace_id": "abc"})
    sample = next(s for f in registry.collect() for s in f.samples if s.name == "c_total")
    assert isinstance(sample.exemplar, Exemplar)
    assert sample.exemplar.labels == {"trace_id": "abc"}
    assert sample.exemplar.value == 2


def test_counter_rejects_exemplar_over_128_characters(registry):
    counter = Counter("c", "help", registry=registry)
    with pytest.raises(ValueError, match="129"):
        counter.inc(exemplar={"a": "x" * 128})
    counter.inc(exemplar={"a": "x" * 127})


# -- Gauge --------------------------------------------------------------------------------------


def test_gauge_set_inc_dec(registry):
    gauge = Gauge("g", "help", registry=registry)
    gauge.set(10)
    gauge.inc(2)
    gauge.dec(5)
    gauge.dec()
    assert value(registry, "g") == 6.0


def test_gauge_set_after_increments_replaces_value(registry):
    gauge = Gauge("g", "help", registry=registry)
    gauge.inc(100)
    gauge.set(-3.5)
    assert value(registry, "g") == -3.5


def test_gauge_rejects_non_numeric_set(registry):
    gauge = Gauge("g", "help", registry=registry)
    with pytest.raises(ValueError):
        gauge.set("lots")  # type: ignore[arg-type]


def test_gauge_set_to_current_time(registry):
    gauge = Gauge("g", "help", registry=registry)
    gauge.set_to_current_time()
    assert abs(value(registry, "g") - time.time()) < 5


def test_gauge_track_inprogress_decorator_and_context_manager(registry):
    gauge = Gauge("inprogress", "help", registry=registry)
    seen = []

    @gauge.track_inprogress()
    def work() -> None:
        seen.append(value(registry, "inprogress"))

    work()
    with gauge.track_inprogress():
        seen.append(value(registry, "inprogress"))
    assert seen == [1.0, 1.0]
    assert value(registry, "inprogress") == 0.0


def test_gauge_time_sets_duration(registry):
    gauge = Gauge("g", "help", registry=registry)
    with gauge.time():
        time.sleep(0.02)
    assert 0.015 < value(registry, "g") < 2


def test_gauge_set_function_is_read_at_collection(registry):
    gauge = Gauge("g", "help", registry=registry)
    box = [1.0]
    gauge.set_function(lambda: box[0])
    box[0] = 42.0
    assert value(registry, "g") == 42.0


def test_gauge_rejects_unknown_multiprocess_mode(registry):
    with pytest.raises(ValueError, match="Invalid multiprocess mode: median"):
        Gauge("g", "help", registry=registry, multiprocess_mode="median")  # type: ignore[arg-type]


# -- Summary ------------------------------------------------------------------------------------


def test_summary_tracks_count_and_sum(registry):
    summary = Summary("s", "help", registry=registry)
    summary.observe(1.5)
    summary.observe(2.5)
    assert value(registry, "s_count") == 2.0
    assert value(registry, "s_sum") == 4.0


def test_summary_time_decorator_observes_duration(registry):
    summary = Summary("s", "help", registry=registry)

    @summary.time()
    def work() -> str:
        time.sleep(0.01)
        return "done"

    assert work() == "done"
    assert value(registry, "s_count") == 1.0
    assert value(registry, "s_sum") >= 0.005


def test_summary_rejects_quantile_label(registry):
    with pytest.raises(ValueError, match="quantile"):
        Summary("s", "help", ["quantile"], registry=registry)


# -- Histogram ----------------------------------------------------------------------------------


def test_histogram_buckets_are_cumulative_and_inclusive(registry):
    histogram = Histogram("h", "help", buckets=[1, 2, 5], registry=registry)
    for amount in (0.5, 1, 1.5, 2, 3, 100):
        histogram.observe(amount)
    assert value(registry, "h_bucket", le="1.0") == 2.0
    assert value(registry, "h_bucket", le="2.0") == 4.0
    assert value(registry, "h_bucket", le="5.0") == 5.0
    assert value(registry, "h_bucket", le="+Inf") == 6.0
    assert value(registry, "h_count") == 6.0
    assert value(registry, "h_sum") == 108.0


def test_histogram_default_buckets(registry):
    histogram = Histogram("h", "help", registry=registry)
    histogram.observe(0.3)
    les = [s.labels["le"] for f in registry.collect() for s in f.samples if s.name == "h_bucket"]
    assert les == [
        "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75",
        "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf",
    ]
    assert value(registry, "h_bucket", le="0.25") == 0.0
    assert value(registry, "h_bucket", le="0.5") == 1.0


def test_histogram_appends_inf_bucket_once(registry):
    Histogram("a", "help", buckets=[1], registry=registry)
    Histogram("b", "help", buckets=[1, float("inf")], registry=registry)
    for name in ("a", "b"):
        les = [s.labels["le"] for f in registry.collect() for s in f.samples if s.name == name + "_bucket"]
        assert les == ["1.0", "+Inf"]


def test_histogram_rejects_unsorted_buckets(registry):
    with pytest.raises(ValueError, match="sorted"):
        Histogram("h", "help", buckets=[5, 1], registry=registry)


def test_histogram_rejects_non_numeric_bucket(registry):
    with pytest.raises(ValueError, match="'x'"):
        Histogram("h", "help", buckets=[1, "x"], registry=registry)


def test_histogram_rejects_le_label(registry):
    with pytest.raises(ValueError, match="le"):
        Histogram("h", "help", ["le"], registry=registry)


def test_histogram_counts_nan_in_inf_bucket_only(registry):
    histogram = Histogram("h", "help", buckets=[1], registry=registry)
    histogram.observe(float("nan"))
    assert value(registry, "h_bucket", le="1.0") == 0.0
    assert value(registry, "h_bucket", le="+Inf") == 1.0
    assert math.isnan(value(registry, "h_sum"))


def test_histogram_exemplar_attached_to_its_bucket(registry):
    histogram = Histogram("h", "help", buckets=[1, 2], registry=registry)
    histogram.observe(1.5, exemplar={"trace_id": "t1"})
    exemplars = {
        s.labels["le"]: s.exemplar for f in registry.collect() for s in f.samples if s.name == "h_bucket"
    }
    assert exemplars["1.0"] is None
    assert exemplars["2.0"].labels == {"trace_id": "t1"}
    assert exemplars["2.0"].value == 1.5


def test_histogram_time_as_context_manager_with_labels(registry):
    histogram = Histogram("h", "help", ["route"], registry=registry)
    with histogram.time() as timer:
        timer.labels("/home")
    assert value(registry, "h_count", route="/home") == 1.0


# -- Info and Enum ------------------------------------------------------------------------------


def test_info_exposes_key_values(registry):
    info = Info("build", "help", registry=registry)
    info.info({"version": "1.2.3", "commit": "abc"})
    assert value(registry, "build_info", version="1.2.3", commit="abc") == 1.0


def test_info_rejects_keys_overlapping_labels(registry):
    info = Info("build", "help", ["version"], registry=registry)
    with pytest.raises(ValueError, match="version"):
        info.labels("x").info({"version": "1"})


def test_info_rejects_unit(registry):
    with pytest.raises(ValueError, match="unit"):
        Info("build", "help", unit="seconds", registry=registry)


def test_enum_exposes_one_state_set(registry):
    enum = Enum("state", "help", states=["starting", "running", "stopped"], registry=registry)
    assert value(registry, "state", state="starting") == 1.0
    enum.state("running")
    assert value(registry, "state", state="starting") == 0.0
    assert value(registry, "state", state="running") == 1.0


def test_enum_rejects_unknown_state(registry):
    enum = Enum("state", "help", states=["a"], registry=registry)
    with pytest.raises(ValueError, match="'b'"):
        enum.state("b")


def test_enum_requires_states(registry):
    with pytest.raises(ValueError, match="states"):
        Enum("state", "help", registry=registry)


def test_enum_label_may_not_share_metric_name(registry):
    with pytest.raises(ValueError):
        Enum("state", "help", ["state"], states=["a"], registry=registry)


# -- names --------------------------------------------------------------------------------------


def test_namespace_subsystem_and_unit_build_the_name(registry):
    Gauge("size", "help", namespace="app", subsystem="cache", unit="bytes", registry=registry)
    assert [f.name for f in registry.collect()] == ["app_cache_size_bytes"]
    assert list(registry.collect())[0].unit == "bytes"


def test_unit_not_doubled_when_name_has_it(registry):
    Gauge("size_bytes", "help", unit="bytes", registry=registry)
    assert [f.name for f in registry.collect()] == ["size_bytes"]


def test_invalid_metric_name_raises_naming_it(registry):
    with pytest.raises(ValueError, match="empty"):
        Counter("", "help", registry=registry)


def test_documentation_must_be_a_string(registry):
    with pytest.raises(TypeError):
        Counter("c", None, registry=registry)  # type: ignore[arg-type]


def test_registry_none_leaves_metric_unregistered(registry):
    counter = Counter("c", "help", registry=None)
    counter.inc()
    assert list(registry.collect()) == []
    assert list(counter.collect())[0].samples[0].value == 1.0


def test_describe_names_family_without_collecting(registry):
    histogram = Histogram("h", "help", ["a"], registry=registry)
    [family] = histogram.describe()
    assert (family.name, family.type, family.samples) == ("h", "histogram", [])


def test_repr_and_str_as_the_official_client():
    counter = Counter("c", "help", registry=None)
    assert repr(counter) == "prometheus_client.metrics.Counter(c)"
    assert str(counter) == "counter:c"
