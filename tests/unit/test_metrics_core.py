"""Metric families custom collectors build, and the records in them."""

from __future__ import annotations

import pytest

from prometheus_client.core import (
    CounterMetricFamily,
    Exemplar,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    Sample,
    StateSetMetricFamily,
    SummaryMetricFamily,
    Timestamp,
    UnknownMetricFamily,
    UntypedMetricFamily,
)


def test_counter_family_moves_total_suffix_and_adds_created():
    family = CounterMetricFamily("jobs_total", "Jobs", labels=["queue"])
    family.add_metric(["high"], 3, created=100.0)
    assert family.name == "jobs"
    assert family.samples == [
        Sample("jobs_total", {"queue": "high"}, 3, None, None),
        Sample("jobs_created", {"queue": "high"}, 100.0, None, None),
    ]


def test_counter_family_value_with_exemplar_keyword_arguments():
    exemplar = Exemplar({"trace_id": "a"}, 1.0)
    family = CounterMetricFamily(name="c", documentation="d", value=1, exemplar=exemplar, unit="")
    assert family.samples[0].exemplar == exemplar


def test_gauge_family_with_unit_and_timestamp():
    family = GaugeMetricFamily("temp", "d", labels=["room"], unit="celsius")
    family.add_metric(["kitchen"], 21.5, timestamp=Timestamp(10, 5))
    assert family.name == "temp_celsius"
    assert family.samples[0].timestamp == Timestamp(10, 5)


def test_summary_family_count_and_sum():
    family = SummaryMetricFamily("s", "d", count_value=2, sum_value=3.5)
    assert [(s.name, s.value) for s in family.samples] == [("s_count", 2), ("s_sum", 3.5)]


def test_summary_family_requires_count_with_sum():
    with pytest.raises(ValueError):
        SummaryMetricFamily("s", "d", sum_value=3.5)


def test_histogram_family_takes_count_from_inf_bucket():
    family = HistogramMetricFamily("h", "d", buckets=[("1", 2), ("+Inf", 5)], sum_value=9)
    assert [(s.name, s.labels, s.value) for s in family.samples] == [
        ("h_bucket", {"le": "1"}, 2),
        ("h_bucket", {"le": "+Inf"}, 5),
        ("h_count", {}, 5),
        ("h_sum", {}, 9),
    ]


def test_histogram_family_buckets_with_exemplars():
    exemplar = Exemplar({"trace_id": "x"}, 0.5, Timestamp(1, 0))
    family = HistogramMetricFamily("h", "d", labels=["a"])
    family.add_metric(["v"], [("1", 1, exemplar), ("+Inf", 1)], sum_value=None)
    assert family.samples[0].exemplar == exemplar
    assert [s.name for s in family.samples] == ["h_bucket", "h_bucket"]


def test_gauge_histogram_family():
    family = GaugeHistogramMetricFamily("g", "d", buckets=[("+Inf", 4)], gsum_value=2)
    assert [(s.name, s.value) for s in family.samples] == [("g_bucket", 4), ("g_gcount", 4), ("g_gsum", 2)]


def test_stateset_family_states():
    family = StateSetMetricFamily("s", "d", value={"a": True, "b": False})
    assert [(s.labels, s.value) for s in family.samples] == [({"s": "a"}, 1), ({"s": "b"}, 0)]


def test_untyped_is_unknown():
    assert UntypedMetricFamily is UnknownMetricFamily
    assert UnknownMetricFamily("u", "d", value=1).type == "unknown"
    assert Metric("u", "d", "untyped").type == "unknown"


def test_metric_equality_and_repr():
    a = GaugeMetricFamily("g", "d", value=1)
    b = GaugeMetricFamily("g", "d", value=1)
    assert a == b
    assert a != GaugeMetricFamily("g", "d", value=2)
    assert "Metric(g, d, gauge" in repr(a)


def test_timestamp_precision_ordering_and_float():
    assert str(Timestamp(1, 5)) == "1.000000005"
    assert float(Timestamp(1, 500_000_000)) == 1.5
    assert Timestamp(1, 1) < Timestamp(1, 2) < Timestamp(2, 0)
    assert Timestamp(2, 0) > Timestamp(1, 999)
    with pytest.raises(ValueError, match="nanoseconds"):
        Timestamp(1, 1_000_000_000)


def test_family_rejects_both_value_and_labels():
    with pytest.raises(ValueError, match="^Can only specify at most one of value and labels."):
        GaugeMetricFamily("g", "d", value=1, labels=["a"])
    with pytest.raises(ValueError, match="^Can only specify at most one of value and labels."):
        GaugeMetricFamily("g", "d", value=1, labels=[])
    with pytest.raises(ValueError, match="^Can only specify at most one of buckets and labels."):
        HistogramMetricFamily("h", "d", buckets=[("+Inf", 1)], labels=["a"])


def test_family_pairs_label_values_with_zip_like_the_official_client():
    # Extra names or values are dropped, not rejected: custom collectors rely on it.
    family = GaugeMetricFamily("g", "d", labels=["a", "b"])
    family.add_metric(["x"], 1)
    family.add_metric(["x", "y", "z"], 2)
    assert [s.labels for s in family.samples] == [{"a": "x"}, {"a": "x", "b": "y"}]


def test_info_family_keeps_an_info_suffix_like_the_official_client():
    family = InfoMetricFamily("build_info", "d", value={"version": "1"})
    assert family.name == "build_info"
    assert family.samples == [Sample("build_info_info", {"version": "1"}, 1, None, None)]


def test_info_value_keys_override_label_values():
    # OpenTelemetry's exporter builds target_info this way.
    family = InfoMetricFamily("target", "d", labels=["b", "a"])
    family.add_metric(["1", "2"], {"a": "v", "c": "w"})
    assert list(family.samples[0].labels.items()) == [("b", "1"), ("a", "v"), ("c", "w")]
    with pytest.raises(TypeError, match="keywords must be strings"):  # PyPy words it "type object keywords..."
        family.add_metric(["1", "2"], {1: "x"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="must be a mapping, not list"):
        family.add_metric(["1", "2"], [("a", "b")])  # type: ignore[arg-type]


def test_stateset_states_are_sorted():
    family = StateSetMetricFamily("s", "d", value={"b": True, "a": False, "c": 1})
    assert [(s.labels["s"], s.value) for s in family.samples] == [("a", 0), ("b", 1), ("c", 1)]
    with pytest.raises(TypeError):
        StateSetMetricFamily("s", "d", value={"a": True, 1: False})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "buckets,error,message",
    [
        ([], IndexError, "list index out of range"),
        ({}, KeyError, "0"),
        ([("1",), ("+Inf", 2)], ValueError, "not enough values to unpack (expected 2, got 1)"),
        ([("a", 1), ("+Inf", 2)], ValueError, "could not convert string to float: 'a'"),
    ],
)
def test_histogram_bucket_errors_match_the_official_client(buckets, error, message):
    with pytest.raises(error) as info:
        HistogramMetricFamily("h", "d", buckets=buckets, sum_value=1)
    assert type(info.value) is error
    assert str(info.value.args[0]) == message


def test_histogram_with_a_negative_first_bucket_has_no_count_or_sum():
    family = HistogramMetricFamily("h", "d", buckets=[("-1", 1), ("+Inf", 2)], sum_value=3)
    assert [s.name for s in family.samples] == ["h_bucket", "h_bucket"]


def test_gauge_histogram_without_gsum_keeps_a_none_gsum():
    family = GaugeHistogramMetricFamily("g", "d", buckets=[("+Inf", 2)])
    assert family.samples[-1] == Sample("g_gsum", {}, None, None, None)


def test_summary_and_histogram_value_errors_start_with_the_official_text():
    with pytest.raises(ValueError, match="^count_value and sum_value must be provided together."):
        SummaryMetricFamily("s", "d", count_value=1)
    with pytest.raises(ValueError, match="^sum value cannot be provided without buckets."):
        HistogramMetricFamily("h", "d", sum_value=1)


def test_metric_rejects_unknown_type():
    with pytest.raises(ValueError, match="^Invalid metric type: histogramish"):
        Metric("m", "d", "histogramish")
    with pytest.raises(TypeError):
        Metric("m", "d", None)  # type: ignore[arg-type]


def test_metric_name_errors_start_with_the_official_text():
    with pytest.raises(ValueError, match="^metric name cannot be empty"):
        GaugeMetricFamily("", "d")
    with pytest.raises(AttributeError, match="^'int' object has no attribute 'encode'"):
        GaugeMetricFamily(1, "d")  # type: ignore[arg-type]


def _instrument_family():
    from prometheus_client.metrics_core import InstrumentMetric
    from prometheus_client.samples import LabelSet

    family = InstrumentMetric("lat", "d", "histogram", layout=[("_bucket", ("le", "+Inf")), ("_sum", None)])
    family.add_series(LabelSet({"a": "1"}), [2.0, 3.5])
    return family


def test_instrument_family_samples_read_as_sample_records_made_from_its_series():
    from prometheus_client.metrics_core import compact_series

    family = _instrument_family()
    assert compact_series(family) is not None  # nobody read samples yet: the series are the truth
    assert family.samples == [
        Sample("lat_bucket", {"a": "1", "le": "+Inf"}, 2.0, None, None),
        Sample("lat_sum", {"a": "1"}, 3.5, None, None),
    ]
    assert compact_series(family) is None  # from now on the samples list is
    assert family.samples is family.samples


def test_instrument_family_samples_can_be_assigned_and_added_to_like_any_metric():
    from prometheus_client.metrics_core import compact_series

    assigned = _instrument_family()
    assigned.samples = [Sample("lat_sum", {}, 1.0)]
    assert compact_series(assigned) is None and assigned.samples == [Sample("lat_sum", {}, 1.0)]
    added = _instrument_family()
    added.add_sample("lat_count", {}, 2.0)
    assert [s.name for s in added.samples] == ["lat_bucket", "lat_sum", "lat_count"]
    added.add_series({"a": "2"}, [1.0, 1.0])
    assert [s.name for s in added.samples][-2:] == ["lat_bucket", "lat_sum"]


def test_instrument_family_rejects_values_or_exemplars_that_do_not_fit_its_layout():
    family = _instrument_family()
    with pytest.raises(ValueError, match="'lat': 1 values and no exemplars for a layout of 2 slots"):
        family.add_series({}, [1.0])
    with pytest.raises(ValueError, match="'lat': 2 values and 1 exemplars for a layout of 2 slots"):
        family.add_series({}, [1.0, 2.0], [None])
    with pytest.raises(AttributeError, match="'InstrumentMetric' object has no attribute 'nope'"):
        family.nope  # noqa: B018


def test_series_labels_read_as_a_read_only_mapping_of_the_two_tuples():
    from prometheus_client.metrics_core import SeriesLabels

    labels = SeriesLabels(("method", "status"), ("GET", "200"))
    assert labels == {"method": "GET", "status": "200"} and dict(labels) == {"method": "GET", "status": "200"}
    assert labels["status"] == "200" and "method" in labels and "x" not in labels and len(labels) == 2
    assert list(labels.values()) == ["GET", "200"] and list(labels.items())[0] == ("method", "GET")
    assert labels.get("x") is None and repr(labels) == "{'method': 'GET', 'status': '200'}"
    with pytest.raises(KeyError):
        labels["x"]
    with pytest.raises(TypeError):
        labels["method"] = "POST"  # type: ignore[index]


def test_instrument_family_samples_from_series_labels_get_a_dict_each():
    from prometheus_client.metrics_core import InstrumentMetric, SeriesLabels

    family = InstrumentMetric("c", "d", "counter", layout=[("_total", None), ("_created", None)])
    family.add_series(SeriesLabels(("a",), ("1",)), [2.0, 1.5])
    total, created = family.samples
    assert type(total.labels) is dict and total.labels == created.labels == {"a": "1"}
    assert total.labels is not created.labels
