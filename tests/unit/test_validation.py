"""Name rules: UTF-8 by default, legacy mode by switch or environment."""

from __future__ import annotations

import pytest

from prometheus_client import Counter, Gauge, validation


@pytest.fixture(autouse=True)
def follow_environment():
    validation._reset_legacy_validation()
    yield
    validation._reset_legacy_validation()


def test_utf8_names_are_accepted_by_default(registry, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_LEGACY_NAME_VALIDATION", raising=False)
    Gauge("my.metric", "help", ["région"], registry=registry).labels("x").set(1)
    assert registry.get_sample_value("my.metric", {"région": "x"}) == 1.0


def test_legacy_mode_rejects_dotted_names(registry):
    validation.enable_legacy_validation()
    with pytest.raises(ValueError, match="^invalid metric name my.metric"):
        Gauge("my.metric", "help", registry=registry)
    with pytest.raises(ValueError, match="^Invalid label metric name: a-b"):
        Gauge("ok", "help", ["a-b"], registry=registry)
    validation.disable_legacy_validation()
    Gauge("my.metric", "help", registry=registry)


def test_legacy_mode_from_environment_is_read_when_checking(registry, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_LEGACY_NAME_VALIDATION", "true")
    assert validation.get_legacy_validation() is True
    with pytest.raises(ValueError):
        Counter("dotted.name", "help", registry=registry)
    monkeypatch.setenv("PROMETHEUS_LEGACY_NAME_VALIDATION", "false")
    assert validation.get_legacy_validation() is False


def test_surrogates_are_not_valid_utf8(registry):
    with pytest.raises(ValueError, match="UTF-8"):
        Counter("bad\ud800", "help", registry=registry)


def test_empty_label_name_is_rejected(registry):
    with pytest.raises(ValueError, match="empty"):
        Counter("c", "help", [""], registry=registry)


def test_non_string_label_name_is_a_type_error(registry):
    with pytest.raises(TypeError, match="42"):
        Counter("c", "help", [42], registry=registry)  # type: ignore[list-item]


@pytest.mark.parametrize("name", ["__name__", "__meta"])
def test_double_underscore_label_names_are_reserved(name):
    with pytest.raises(ValueError, match="reserved"):
        validation._validate_labelname(name)


def test_exemplar_limit_counts_names_and_values():
    validation._validate_exemplar({"ab": "c" * 126})
    with pytest.raises(ValueError, match="129"):
        validation._validate_exemplar({"ab": "c" * 127})


def test_exemplar_label_values_must_be_strings():
    with pytest.raises(TypeError):
        validation._validate_exemplar({"a": 1})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "metric_type,name,namespace,subsystem,unit,expected",
    [
        # Recorded from the official client 0.26.0's naming.
        ("counter", "requests", "", "", "total", "requests_total"),
        ("counter", "requests_total", "", "", "total", "requests_total"),
        ("counter", "requests_total_total", "", "", "total", "requests_total"),
        ("counter", "x_seconds_total", "", "", "seconds", "x_seconds"),
        ("counter", "x_total_seconds", "", "", "seconds", "x_total_seconds"),
        ("counter", "x_bytes", "", "", "seconds", "x_bytes_seconds"),
        ("counter", "_total", "", "", "", ""),
        ("counter", "total", "ns", "sub", "total", "ns_sub_total"),
        ("counter", "x", "ns", "", "", "ns_x"),
        ("gauge", "x_total", "", "", "", "x_total"),
        ("gauge", "x", "", "", "total", "x_total"),
        ("gauge", "x_seconds", "", "sub", "seconds", "sub_x_seconds"),
        ("histogram", "x", "", "", "created", "x_created"),
        ("summary", "a.b", "", "", "s.x", "a.b_s.x"),
    ],
)
def test_build_full_name_matches_the_official_client(metric_type, name, namespace, subsystem, unit, expected):
    assert validation._build_full_name(metric_type, name, namespace, subsystem, unit) == expected


@pytest.mark.parametrize("metric_type", ["info", "stateset"])
def test_info_and_stateset_cannot_have_a_unit(metric_type):
    with pytest.raises(ValueError, match="^Metric name is of a type that cannot have a unit: x_total"):
        validation._build_full_name(metric_type, "x", "", "", "total")
    assert validation._build_full_name(metric_type, "x_info", "", "", "") == "x_info"


def test_build_full_name_errors_as_officially():
    with pytest.raises(ValueError, match="^Metric name should not be empty"):
        validation._build_full_name("gauge", "", "ns", "", "")
    with pytest.raises(TypeError, match="can only concatenate str|unsupported operand"):  # CPython | PyPy
        validation._build_full_name("gauge", 5, "", "", "")  # type: ignore[arg-type]


def test_package_version_is_0_26_0_with_a_local_label():
    # 0.26.0+<label>: satisfies every requirement 0.26.0 does (>=0.20, ==0.26.0, <=0.26.0) and says it is not
    # the official build. Read from pyproject.toml (the installed metadata may be older until `make dev`).
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    versions = [line for line in pyproject.read_text().splitlines() if line.startswith("version = ")]
    assert len(versions) == 1
    version = versions[0].split('"')[1]
    public, _, local = version.partition("+")
    assert public == "0.26.0" and local


@pytest.mark.parametrize("word,legacy", [("t", True), ("TRUE", True), ("1", True), ("yes", False), ("on", False),
                                         ("false", False), (" true", False)])
def test_environment_words_are_the_official_ones(monkeypatch, word, legacy):
    monkeypatch.setenv("PROMETHEUS_LEGACY_NAME_VALIDATION", word)
    assert validation.get_legacy_validation() is legacy
