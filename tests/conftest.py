"""Shared test setup: hypothesis profiles and a fresh registry per test."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The machine has 2 shared cores: no per-example deadline (timing flakes), fewer examples on CI.
settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile(
    "ci", deadline=None, max_examples=100, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture
def registry():
    """A new, empty CollectorRegistry, so a test never touches the global REGISTRY."""
    from prometheus_client.registry import CollectorRegistry

    return CollectorRegistry()
