"""Drop-in compatibility: the official client's import paths and public names all exist here."""

from __future__ import annotations

import inspect
import os

import pytest

from tests.compat import official, runner

# Public-looking names of official modules that are incidental imports or typing helpers, not API:
# typing.TYPE_CHECKING, the TypeVars of metrics.py, sys.maxunicode in openmetrics.exposition, and the
# optional `snappy` module object (None without python-snappy) in exposition.
INCIDENTAL = {"TYPE_CHECKING", "F", "T", "maxunicode", "snappy"}


@pytest.fixture(scope="module")
def name_listings():
    """(official, ours): module -> {"names": [...]} or {"error": "..."}, listed by tests/compat/_worker.py.

    A module's names are its ``__all__`` plus every public attribute that is not a module and, for classes
    and functions, is defined inside prometheus_client (re-exported typing/stdlib helpers are left out).
    """
    try:
        python = official.find_or_make()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    theirs, ours = runner.run_both(python, {"names": True})
    runner.check_loaded(theirs, ours, python)
    return theirs["names"], ours["names"]


def test_every_official_module_exists(name_listings):
    theirs, ours = name_listings
    missing = sorted(set(theirs) - set(ours))
    assert missing == [], f"modules of the official client missing here: {missing}"


def test_every_official_public_name_exists(name_listings):
    theirs, ours = name_listings
    problems = {}
    for module, listing in sorted(theirs.items()):
        if "names" not in listing or module not in ours:
            continue  # the official module needs an optional dependency (or is missing: test above)
        if "error" in ours[module]:
            if "No module named" in ours[module]["error"]:
                continue  # our module needs the same optional dependency, absent from this venv
            problems[module] = ours[module]["error"]
            continue
        lacking = sorted(set(listing["names"]) - set(ours[module]["names"]) - INCIDENTAL)
        if lacking:
            problems[module] = lacking
    assert problems == {}, f"official public names missing here, by module: {problems}"


def test_package_all_lists_only_existing_names(name_listings):
    import prometheus_client

    theirs, _ = name_listings
    assert all(hasattr(prometheus_client, name) for name in prometheus_client.__all__)
    assert set(theirs["prometheus_client"]["names"]) - INCIDENTAL <= set(dir(prometheus_client))


def test_content_types_match_official_values():
    import prometheus_client
    from prometheus_client.openmetrics import exposition as openmetrics

    assert prometheus_client.CONTENT_TYPE_LATEST == "text/plain; version=1.0.0; charset=utf-8"
    assert prometheus_client.CONTENT_TYPE_PLAIN_0_0_4 == "text/plain; version=0.0.4; charset=utf-8"
    assert openmetrics.CONTENT_TYPE_LATEST == "application/openmetrics-text; version=1.0.0; charset=utf-8"


@pytest.mark.parametrize(
    "cls, parameters",
    [
        ("Counter", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry"]),
        ("Histogram", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                       "_labelvalues", "buckets"]),
        ("Gauge", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                   "_labelvalues", "multiprocess_mode"]),
        ("Enum", ["name", "documentation", "labelnames", "namespace", "subsystem", "unit", "registry",
                  "_labelvalues", "states"]),
    ],
)
def test_instrument_constructors_take_official_parameters_in_order(cls, parameters):
    import prometheus_client

    signature = inspect.signature(getattr(prometheus_client, cls))
    assert list(signature.parameters)[: len(parameters)] == parameters


def test_opentelemetry_style_keyword_family_construction():
    from prometheus_client.core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        HistogramMetricFamily,
        InfoMetricFamily,
    )

    counter = CounterMetricFamily(name="requests", documentation="help", labels=["a"], unit="")
    counter.add_metric(labels=["x"], value=1.0)
    gauge = GaugeMetricFamily(name="g", documentation="help", labels=["a"], unit="bytes")
    gauge.add_metric(labels=["x"], value=2.0)
    histogram = HistogramMetricFamily(name="h", documentation="help", labels=["a"], unit="seconds")
    histogram.add_metric(labels=["x"], buckets=[("1.0", 1), ("+Inf", 2)], sum_value=3.0)
    info = InfoMetricFamily(name="target", documentation="help", labels=[])
    info.add_metric(labels=[], value={"service": "x"})
    assert [s.name for s in histogram.samples] == [
        "h_seconds_bucket", "h_seconds_bucket", "h_seconds_count", "h_seconds_sum",
    ]
    assert counter.samples[0].value == 1.0 and gauge.name == "g_bytes" and info.samples[0].name == "target_info"
