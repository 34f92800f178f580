"""Edge cases of the core: error messages, value objects, multiprocess-backed instruments, CLI entry."""

from __future__ import annotations

import runpy
import sys
import threading

import pytest

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary, validation
from prometheus_client.samples import Exemplar, Sample, Timestamp
from prometheus_client.values import MutexValue, close_all_multiprocess_files, get_value_class


def test_mutex_value_keeps_value_and_exemplar_across_threads():
    value = MutexValue("counter", "c", "c_total", (), (), "help")

    def work() -> None:
        for _ in range(10_000):
            value.inc(1)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert value.get() == 40_000
    value.set(2.5)
    assert value.get() == 2.5
    assert value.get_exemplar() is None
    exemplar = Exemplar({"trace_id": "a"}, 1.0)
    value.set_exemplar(exemplar)
    assert value.get_exemplar() == exemplar


def test_value_class_is_chosen_when_asked_not_at_import(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.delenv("prometheus_multiproc_dir", raising=False)
    assert get_value_class() is MutexValue
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert get_value_class() is not MutexValue
    close_all_multiprocess_files()


@pytest.fixture
def multiprocess_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    yield CollectorRegistry()
    close_all_multiprocess_files()


def test_value_backed_instruments_count_in_this_process(multiprocess_registry):
    registry = multiprocess_registry
    counter = Counter("c", "help", ["a"], registry=registry)
    counter.labels("x").inc(2, exemplar={"trace_id": "t"})
    gauge = Gauge("g", "help", registry=registry, multiprocess_mode="mostrecent")
    gauge.set(5)
    gauge.inc(2)
    gauge.dec(1)
    summary = Summary("s", "help", registry=registry)
    summary.observe(3)
    histogram = Histogram("h", "help", buckets=[1, 2], registry=registry)
    histogram.observe(1.5, exemplar={"trace_id": "u"})
    assert registry.get_sample_value("c_total", {"a": "x"}) == 2
    assert registry.get_sample_value("g") == 6
    assert registry.get_sample_value("s_count") == 1
    assert registry.get_sample_value("s_sum") == 3
    assert registry.get_sample_value("h_bucket", {"le": "2.0"}) == 1
    assert registry.get_sample_value("h_bucket", {"le": "1.0"}) == 0
    bucket = next(
        s for f in registry.collect() for s in f.samples if s.name == "h_bucket" and s.labels["le"] == "2.0"
    )
    assert bucket.exemplar is not None and bucket.exemplar.labels == {"trace_id": "u"}
    counter.labels("x").reset()
    assert registry.get_sample_value("c_total", {"a": "x"}) == 0
    counter.remove("x")
    summary_parent = Summary("sp", "help", ["k"], registry=registry)
    summary_parent.labels("a").observe(1)
    summary_parent.clear()
    histogram_parent = Histogram("hp", "help", ["k"], registry=registry)
    histogram_parent.labels("a").observe(1)
    histogram_parent.remove("a")
    assert registry.get_sample_value("sp_count", {"k": "a"}) is None
    assert registry.get_sample_value("hp_count", {"k": "a"}) is None


def test_child_samples_follow_the_official_shape(registry):
    histogram = Histogram("h", "help", buckets=[1], registry=registry)
    histogram.observe(0.5)
    samples = list(histogram._child_samples())
    assert samples[0] == Sample("_bucket", {"le": "1.0"}, 1.0, None, None)
    assert [s.name for s in samples] == ["_bucket", "_bucket", "_count", "_sum", "_created"]
    assert list(histogram._samples()) == samples  # suffixes too, as the official's chain


@pytest.mark.parametrize(
    "buckets, message",
    [
        ("1,2", "string"),
        ([1, float("nan")], "NaN"),
        ([1, 1], "duplicates"),
        ([float("inf")], "two buckets"),
    ],
)
def test_histogram_bucket_errors_name_the_problem(registry, buckets, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Histogram("h", "help", buckets=buckets, registry=registry)


def test_enum_rejects_duplicate_states(registry):
    with pytest.raises(ValueError, match="duplicate"):
        Enum("e", "help", states=["a", "a"], registry=registry)


def test_info_rejects_non_string_values(registry):
    info = Info("i", "help", registry=registry)
    with pytest.raises(ValueError, match="'n'"):
        info.info({"n": 1})  # type: ignore[dict-item]


def test_remove_and_remove_by_labels_need_label_names(registry):
    counter = Counter("c", "help", registry=registry)
    with pytest.raises(ValueError, match="No label names were set when constructing counter:c"):
        counter.remove("x")
    with pytest.raises(ValueError, match="No label names were set when constructing counter:c"):
        counter.remove_by_labels({"a": "x"})


def test_set_function_needs_a_callable(registry):
    with pytest.raises(TypeError, match="callable"):
        Gauge("g", "help", registry=registry).set_function(3)  # type: ignore[arg-type]


def test_counter_unit_and_total_suffix(registry):
    Counter("requests_total", "help", unit="bytes", registry=registry).inc()
    assert registry.get_sample_value("requests_bytes_total") == 1.0


def test_legacy_validation_of_name_tokens():
    try:
        validation.enable_legacy_validation()
        validation._validate_metric_label_name_token("ok_name")
        with pytest.raises(ValueError, match="'a.b'"):
            validation._validate_metric_label_name_token("a.b")
        with pytest.raises(ValueError, match="empty"):
            validation._validate_metric_label_name_token("")
    finally:
        validation._reset_legacy_validation()
    validation._validate_metric_label_name_token("a.b")
    with pytest.raises(ValueError, match="UTF-8"):
        validation._validate_metric_label_name_token("\ud800")


def test_metric_name_must_be_a_string():
    with pytest.raises(TypeError, match="42"):
        validation._validate_metric_name(42)  # type: ignore[arg-type]


def test_label_name_invalid_utf8_and_legacy():
    with pytest.raises(ValueError, match="UTF-8"):
        validation._validate_labelname("\udc80")


def test_negative_timestamps_keep_their_sign():
    assert float(Timestamp(-1, 500_000_000)) == -1.5
    assert Timestamp(1, 0) != Timestamp(1, 1)
    assert repr(Timestamp(1, 2)) == "Timestamp(1, 2)"
    assert hash(Timestamp(3, 4)) == hash(Timestamp(3, 4))


def test_python_dash_m_runs_the_check_command(tmp_path, monkeypatch, capsys):
    exposition = tmp_path / "metrics.txt"
    exposition.write_text("# HELP up_total Up.\n# TYPE up_total counter\nup_total 1\n")
    monkeypatch.setattr(sys, "argv", ["prometheus_client", "check", str(exposition)])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("prometheus_client", run_name="__main__")
    assert exit_info.value.code == 0


def test_mmap_dict_module_keeps_the_official_names():
    from prometheus_client import mmap_dict

    assert callable(mmap_dict.MmapedDict)
    assert isinstance(mmap_dict.mmap_key("m", "m_total", ["a"], ["b"], "help"), str)
