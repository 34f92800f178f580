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
