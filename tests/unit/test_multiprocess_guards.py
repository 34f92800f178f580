"""Multiprocess mode refuses what it cannot export, instead of dropping it silently."""

from __future__ import annotations

import pytest

from prometheus_client import Gauge
from prometheus_client.values import close_all_multiprocess_files


@pytest.fixture
def multiprocess_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    yield tmp_path
    close_all_multiprocess_files()


def test_set_function_is_refused_in_multiprocess_mode(registry, multiprocess_dir):
    gauge = Gauge("g", "help", registry=registry)
    with pytest.raises(ValueError, match="set_function is not supported in multiprocess mode"):
        gauge.set_function(lambda: 1.0)


def test_set_function_works_in_single_process_mode(registry):
    gauge = Gauge("g", "help", registry=registry)
    gauge.set_function(lambda: 3.0)
    assert registry.get_sample_value("g") == 3.0


@pytest.mark.parametrize("mode", ["all", "liveall"])
def test_pid_label_clashes_with_per_process_gauge_modes(registry, multiprocess_dir, mode):
    with pytest.raises(ValueError, match="'pid'"):
        Gauge("g", "help", ["pid"], registry=registry, multiprocess_mode=mode)
    assert registry.collectors() == []  # nothing half-registered


def test_pid_label_allowed_for_aggregating_gauge_modes(registry, multiprocess_dir):
    Gauge("g", "help", ["pid"], registry=registry, multiprocess_mode="livesum").labels("1").set(2)
