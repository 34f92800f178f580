"""Labelled metrics: children, lookups, removal and the errors users hit."""

from __future__ import annotations

import warnings

import pytest

from prometheus_client import Counter, Enum, Gauge, Histogram, Info, Summary, generate_latest


def test_labels_positional_and_keyword_reach_the_same_child(registry):
    counter = Counter("c", "help", ["method", "code"], registry=registry)
    counter.labels("GET", "200").inc()
    counter.labels(method="GET", code="200").inc()
    counter.labels(code="200", method="GET").inc()
    assert registry.get_sample_value("c_total", {"method": "GET", "code": "200"}) == 3.0
    assert counter.labels("GET", "200") is counter.labels(code="200", method="GET")


def test_label_values_are_converted_to_strings(registry):
    counter = Counter("c", "help", ["code"], registry=registry)
    counter.labels(200).inc()
    counter.labels("200").inc()
    assert registry.get_sample_value("c_total", {"code": "200"}) == 2.0


def test_wrong_label_count_names_expected_labels(registry):
    counter = Counter("c", "help", ["a", "b"], registry=registry)
    with pytest.raises(ValueError, match=r"expected 2 for \['a', 'b'\]"):
        counter.labels("x")


def test_wrong_label_names_are_reported(registry):
    counter = Counter("c", "help", ["a"], registry=registry)
    with pytest.raises(ValueError, match="'b'"):
        counter.labels(b="x")


def test_mixing_positional_and_keyword_labels_is_rejected(registry):
    counter = Counter("c", "help", ["a", "b"], registry=registry)
    with pytest.raises(ValueError, match=r"Can't pass both \*args and \*\*kwargs"):
        counter.labels("x", b="y")


def test_none_label_value_becomes_the_string_none(registry):
    counter = Counter("c", "help", ["a"], registry=registry)
    counter.labels(None).inc()
    assert counter.labels("None") is counter.labels(None)
    assert registry.get_sample_value("c_total", {"a": "None"}) == 1.0


def test_chained_labels_call_is_rejected(registry):
    counter = Counter("c", "help", ["a"], registry=registry)
    with pytest.raises(ValueError, match=r"already has labels set .*; can not chain calls to .labels\(\)"):
        counter.labels("x").labels("y")


def test_labels_on_metric_without_label_names_is_rejected(registry):
    counter = Counter("c", "help", registry=registry)
    with pytest.raises(ValueError, match="No label names were set when constructing counter:c"):
        counter.labels("x")


_PARENT_UPDATES = [
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.inc()),
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.inc(-1)),  # the labels error comes first
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.inc(2, exemplar={"t": "1"})),
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.reset()),
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.count_exceptions()),
    (lambda r: Counter("m", "h", ["a"], registry=r), lambda m: m.countExceptions()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.set(1)),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.inc()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.dec()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.dev()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.set_to_current_time()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.setToCurrentTime()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.track_inprogress()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.trackInprogress()),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.set_function(lambda: 1.0)),
    (lambda r: Gauge("m", "h", ["a"], registry=r), lambda m: m.time().__enter__().__exit__(None, None, None)),
    (lambda r: Gauge("m", "h", ["a"], multiprocess_mode="max", registry=r), lambda m: m.set(1)),
    (lambda r: Summary("m", "h", ["a"], registry=r), lambda m: m.observe(1)),
    (lambda r: Summary("m", "h", ["a"], registry=r), lambda m: m.time().__enter__().__exit__(None, None, None)),
    (lambda r: Histogram("m", "h", ["a"], registry=r), lambda m: m.observe(1)),
    (lambda r: Histogram("m", "h", ["a"], registry=r), lambda m: m.observe(float("nan"), {"t": "1"})),
    (lambda r: Summary("m", "h", ["a"], objectives={0.5: 0.05}, registry=r), lambda m: m.observe(1)),
    (lambda r: Histogram("m", "h", ["a"], native_histogram_bucket_factor=1.1, registry=r), lambda m: m.observe(1)),
    (lambda r: Histogram("m", "h", ["a"], buckets=(), native_histogram_bucket_factor=1.1, registry=r),
     lambda m: m.observe(1)),
    (lambda r: Info("m", "h", ["a"], registry=r), lambda m: m.info({"x": "y"})),
    (lambda r: Enum("m", "h", ["a"], states=["s"], registry=r), lambda m: m.state("s")),
]


@pytest.mark.parametrize("make, update", _PARENT_UPDATES)
def test_update_on_parent_with_label_names_raises(registry, make, update):
    metric = make(registry)
    child = metric.labels("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Gauge.dev()
        with pytest.raises(ValueError, match=r"metric is missing label values: 'm.*' has label names \['a'\]"):
            update(metric)
        # The refusal lives in what the parent holds, not in methods swapped on it, and leaves no state.
        assert not {"inc", "dec", "set", "observe", "info", "state"} & set(vars(metric))
        assert [s.labels for f in registry.collect() for s in f.samples if s.labels.get("a") != "x"] == []
        try:
            update(child)  # the child of the same metric takes the update
        except ValueError as error:
            assert "non-negative" in str(error)  # inc(-1): the child's own error


@pytest.mark.parametrize("make, update", _PARENT_UPDATES[:3] + _PARENT_UPDATES[6:9] + _PARENT_UPDATES[17:21])
def test_update_on_parent_raises_in_multiprocess_mode(mp_dir, make, update):
    metric = make(None)
    with pytest.raises(ValueError, match=r"missing label values"):
        update(metric)
    try:
        update(metric.labels("x"))  # and its children work
    except ValueError as error:
        assert "non-negative" in str(error)


def test_parent_without_children_exposes_no_samples(registry):
    Counter("c", "help", ["a"], registry=registry)
    [family] = registry.collect()
    assert family.samples == []


def test_remove_positional_and_keyword(registry):
    counter = Counter("c", "help", ["a", "b"], registry=registry)
    counter.labels("1", "2").inc()
    counter.labels("3", "4").inc()
    counter.remove("1", "2")
    counter.remove(a="3", b="4")
    assert [s for f in registry.collect() for s in f.samples] == []


def test_remove_of_missing_child_is_silent_but_wrong_arity_raises(registry):
    counter = Counter("c", "help", ["a"], registry=registry)
    counter.remove("absent")
    with pytest.raises(ValueError):
        counter.remove("x", "y")


def test_remove_by_labels_removes_partial_matches(registry):
    gauge = Gauge("g", "help", ["region", "host"], registry=registry)
    for region, host in [("eu", "a"), ("eu", "b"), ("us", "a")]:
        gauge.labels(region, host).set(1)
    gauge.remove_by_labels({"region": "eu"})
    remaining = [s.labels for f in registry.collect() for s in f.samples]
    assert remaining == [{"region": "us", "host": "a"}]


def test_remove_by_labels_rejects_unknown_label(registry):
    gauge = Gauge("g", "help", ["region"], registry=registry)
    with pytest.raises(ValueError, match="zone"):
        gauge.remove_by_labels({"zone": "x"})


def test_clear_removes_all_children(registry):
    histogram = Histogram("h", "help", ["a"], registry=registry)
    histogram.labels("x").observe(1)
    histogram.labels("y").observe(1)
    histogram.clear()
    assert [s for f in registry.collect() for s in f.samples] == []
    histogram.labels("z").observe(1)
    assert registry.get_sample_value("h_count", {"a": "z"}) == 1.0


def test_clear_and_empty_remove_by_labels_do_nothing(registry):
    counter = Counter("c", "help", registry=registry)
    counter.inc()
    counter.clear()  # no labels: nothing to clear, as in the official 0.26
    labelled = Counter("l", "help", ["a"], registry=registry)
    labelled.labels("x").inc()
    labelled.remove_by_labels({})
    assert registry.get_sample_value("c_total") == 1.0
    assert registry.get_sample_value("l_total", {"a": "x"}) == 1.0
    with pytest.raises(TypeError, match="labels must be a dict"):
        labelled.remove_by_labels([("a", "x")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Unknown label names: \['b'\]; expected \('a',\)"):
        labelled.remove_by_labels({"b": "x"})
    with pytest.raises(ValueError, match=r"Incorrect label count \(expected 1, got \('x', 'y'\)\)"):
        labelled.remove("x", "y")


def test_children_inherit_histogram_buckets(registry):
    histogram = Histogram("h", "help", ["a"], buckets=[1, 10], registry=registry)
    histogram.labels("x").observe(5)
    assert registry.get_sample_value("h_bucket", {"a": "x", "le": "10.0"}) == 1.0
    assert registry.get_sample_value("h_bucket", {"a": "x", "le": "1.0"}) == 0.0


def test_children_inherit_enum_states(registry):
    enum = Enum("e", "help", ["a"], states=["on", "off"], registry=registry)
    enum.labels("x").state("off")
    assert registry.get_sample_value("e", {"a": "x", "e": "off"}) == 1.0


def test_duplicate_label_names_are_rejected(registry):
    with pytest.raises(ValueError, match="Duplicate"):
        Counter("c", "help", ["a", "a"], registry=registry)


def test_reserved_label_name_is_rejected(registry):
    with pytest.raises(ValueError, match="__name__"):
        Counter("c", "help", ["__name__"], registry=registry)


def test_labelnames_as_single_string_is_rejected(registry):
    with pytest.raises(TypeError, match="'abc'"):
        Counter("c", "help", "abc", registry=registry)  # type: ignore[arg-type]


def test_sample_labels_of_instruments_are_plain_dicts_of_their_own(registry):
    counter = Counter("c", "help", ["a"], registry=registry)
    counter.labels("x").inc()
    total, created = next(iter(registry.collect())).samples
    assert type(total.labels) is dict and total.labels == {"a": "x"}
    total.labels["a"] = "changed"  # as officially: one dict per sample, made on demand, kept by nobody
    assert created.labels == {"a": "x"}
    assert [s.labels for s in next(iter(registry.collect())).samples] == [{"a": "x"}, {"a": "x"}]
    assert b'c_total{a="x"} 1.0' in generate_latest(registry)


def test_keyword_lookups_of_existing_children_keep_every_rule(registry):
    import enum

    class Method(str, enum.Enum):
        GET = "GET"

    one = Counter("one", "h", ["code"], registry=registry)
    two = Counter("two", "h", ["method", "code"], registry=registry)
    child = two.labels("GET", "200")
    assert two.labels(code="200", method="GET") is child  # any keyword order
    assert two.labels(method="GET", code=200) is child  # converted with str()
    assert one.labels(code="200") is one.labels("200")  # one label name
    # A str-mixin Enum member equals its value, but str() of it is the member's name: not the same child.
    assert two.labels(method=Method.GET, code="200") is not child
    with pytest.raises(ValueError, match="Incorrect label names"):
        two.labels(method="GET", code="200", extra="x")
    with pytest.raises(ValueError, match="Incorrect label names"):
        two.labels(method="GET")
    with pytest.raises(ValueError, match="already has labels set"):
        child.labels(method="GET", code="200")
    with pytest.raises(ValueError, match="No label names were set"):
        Counter("none", "h", registry=registry).labels(code="200")
