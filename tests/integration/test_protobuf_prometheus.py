"""A real Prometheus 2.42 with native histograms scrapes our protobuf exposition.

``--enable-feature=native-histograms`` makes Prometheus put the delimited protobuf format first in
its Accept header. Three targets answer it (``start_http_server``, the WSGI app, the Twisted
resource); a fourth serves the same registry in text 0.0.4 whatever is asked. The registry has every
metric type and a custom collector yielding a native histogram made by hand from known observations.
"""

from __future__ import annotations

import math
import random
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from prometheus_client._http_server import start_http_server, start_wsgi_server
from prometheus_client.metrics import Counter, Enum, Gauge, Histogram, Info, Summary
from prometheus_client.metrics_core import (
    GaugeHistogramMetricFamily,
    Metric,
    StateSetMetricFamily,
    SummaryMetricFamily,
    UnknownMetricFamily,
)
from prometheus_client.registry import CollectorRegistry
from prometheus_client.samples import BucketSpan, NativeHistogram

from .realstack import start_text_only_server

# Observations of the native histogram, and what schema 0 makes of them: bucket i holds (2^(i-1), 2^i].
OBSERVATIONS = (0.0, 0.3, 0.6, 1.5, 1.7, 3.0, 3.5, 5.0, 7.0, 12.0)
ZERO_THRESHOLD = 0.001
# Buckets -1..4 hold 1, 1, 2, 2, 2, 1 observations: one span from -1, counts as deltas; 0.0 is in the zero bucket.
NATIVE = NativeHistogram(
    count_value=10, sum_value=34.6, schema=0, zero_threshold=ZERO_THRESHOLD, zero_count=1,
    pos_spans=(BucketSpan(-1, 6),), pos_deltas=(1, 0, 1, 0, 0, -1),
)  # fmt: skip


# What the native Histogram instrument observes: a log-normal spread over five decades, seeded.
INSTRUMENT_OBSERVATIONS = tuple(random.Random(7).lognormvariate(-2.0, 1.5) for _ in range(2000))


def _schema_0_buckets(observations: Tuple[float, ...]) -> Dict[int, int]:
    counts: Dict[int, int] = {}
    for value in observations:
        if value > ZERO_THRESHOLD:
            index = math.ceil(math.log2(value))
            counts[index] = counts.get(index, 0) + 1
    return counts


def test_the_hand_made_native_histogram_matches_its_observations() -> None:
    counts = _schema_0_buckets(OBSERVATIONS)
    assert sorted(counts) == list(range(-1, 5))
    running, deltas = 0, []
    for index in range(-1, 5):
        deltas.append(counts[index] - running)
        running = counts[index]
    assert tuple(deltas) == NATIVE.pos_deltas
    assert NATIVE.zero_count == sum(1 for value in OBSERVATIONS if abs(value) <= ZERO_THRESHOLD)
    assert math.isclose(NATIVE.sum_value, sum(OBSERVATIONS)) and NATIVE.count_value == len(OBSERVATIONS)


class Custom:
    """Families only a custom collector makes: native histogram, unknown, stateset, gauge histogram, quantiles."""

    def collect(self) -> Iterator[Metric]:
        native = Metric("pb_native_seconds", "Native.", "histogram")
        native.add_sample("pb_native_seconds", {"path": "/a"}, None, None, None, NATIVE)  # type: ignore[arg-type]
        yield native
        yield UnknownMetricFamily("pb_mystery", "Mystery.", value=42)
        yield StateSetMetricFamily("pb_door", "Door.", value={"open": True, "shut": False})
        yield GaugeHistogramMetricFamily("pb_queue", "Queue.", buckets=[("1.0", 2), ("+Inf", 5)], gsum_value=7.5)
        summary = SummaryMetricFamily("pb_latency_seconds", "Latency.", count_value=4, sum_value=2.5)
        summary.add_sample("pb_latency_seconds", {"quantile": "0.5"}, 0.4)
        summary.add_sample("pb_latency_seconds", {"quantile": "0.99"}, 1.1)
        yield summary


@pytest.fixture
def every_type_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("pb_tills", "Open tills", registry=registry).set(3)
    orders = Counter("pb_orders", "Orders", ["channel"], registry=registry)
    orders.labels("web").inc(7)
    orders.labels('store "north"').inc(2)
    latency = Histogram("pb_checkout_seconds", "Checkout time", buckets=(0.5, 1.0), registry=registry)
    for value in (0.2, 0.7):
        latency.observe(value)
    # An exemplar on the +Inf bucket makes that bucket explicit in protobuf (it is implied otherwise).
    latency.observe(3.0, exemplar={"trace_id": "abc"})
    Summary("pb_work_seconds", "Work", registry=registry).observe(2.0)
    Info("pb_build", "Build", registry=registry).info({"version": "1.2"})
    Enum("pb_phase", "Phase", states=["a", "b"], registry=registry).state("b")
    native = Histogram("pb_served_seconds", "Served", ["path"], native_histogram_bucket_factor=1.1, registry=registry)
    for value in INSTRUMENT_OBSERVATIONS:
        native.labels("/b").observe(value)
    registry.register(Custom())
    return registry


@pytest.fixture
def targets(every_type_registry: CollectorRegistry, running_reactor: Any) -> Iterator[Dict[str, str]]:
    """{name: 'host:port'} of the four targets, stopped at teardown."""
    from twisted.internet.threads import blockingCallFromThread
    from twisted.web.resource import Resource
    from twisted.web.server import Site

    from prometheus_client.twisted import MetricsResource

    running: List[Tuple[Any, threading.Thread]] = []
    http_server = start_http_server(0, "127.0.0.1", every_type_registry)
    wsgi_server = start_wsgi_server(0, "127.0.0.1", every_type_registry)
    text_server, text_thread = start_text_only_server(every_type_registry)
    running += [http_server, wsgi_server, (text_server, text_thread)]
    root = Resource()
    root.putChild(b"metrics", MetricsResource(registry=every_type_registry))
    reactor = running_reactor
    port = blockingCallFromThread(reactor, reactor.listenTCP, 0, Site(root), interface="127.0.0.1")
    try:
        yield {
            "http": f"127.0.0.1:{http_server[0].server_port}",
            "wsgi": f"127.0.0.1:{wsgi_server[0].server_port}",
            "twisted": f"127.0.0.1:{port.getHost().port}",
            "text": f"127.0.0.1:{text_server.server_port}",
        }
    finally:
        blockingCallFromThread(reactor, port.stopListening)
        for server, thread in running:
            server.shutdown()
            server.server_close()
            thread.join(5)


def _value(result: Dict[str, Any]) -> float:
    return float(result["value"][1])


def _series(prometheus: Any, instance: str) -> Dict[Tuple[Tuple[str, str], ...], str]:
    """Every float series of one target: labels (without instance) -> value."""
    found = {}
    for result in prometheus.query(f'{{job="t",instance="{instance}"}}'):
        labels = tuple(sorted((k, v) for k, v in result["metric"].items() if k != "instance"))
        if "value" in result:
            found[labels] = result["value"][1]
    return found


# What differs between a protobuf and a text scrape, by design (docs/exposition.md):
# - text has _created series (gauges); protobuf carries created_timestamp, which 2.42 does not store;
# - a gauge histogram: text 0.0.4 has no such type (TYPE histogram, _gcount/_gsum as gauges); protobuf has
#   GAUGE_HISTOGRAM, whose classic series Prometheus 2.42 names without suffixes (its protobuf parser only
#   adds _bucket/_count/_sum for HISTOGRAM and SUMMARY): pb_queue{le=...} and one pb_queue for the count,
#   the sum being dropped as a duplicate; fixed in later Prometheus releases;
# - the native histogram is only in protobuf (text cannot carry it);
# - scrape meta-series (up, scrape_*) differ in duration.
def _comparable(name: str) -> bool:
    return not (
        name.endswith("_created")
        or name.startswith(("pb_queue", "scrape_", "pb_native", "pb_served_seconds"))
        or name == "up"
    )


def test_prometheus_scrapes_protobuf_with_native_histograms(prometheus_server: Any, targets: Dict[str, str]) -> None:
    prometheus = prometheus_server(list(targets.values()), extra_args=["--enable-feature=native-histograms"])
    for name in ("http", "wsgi", "twisted"):
        instance = targets[name]
        count = prometheus.wait_for(f'histogram_count(pb_native_seconds{{instance="{instance}"}})')
        assert [_value(r) for r in count] == [10.0], name
    for target in prometheus.wait_for_scrape():
        assert (target["health"], target["lastError"]) == ("up", ""), target
    for name in ("http", "wsgi", "twisted"):
        selector = f'pb_native_seconds{{instance="{targets[name]}",path="/a"}}'
        [total] = prometheus.query(f"histogram_sum({selector})")
        assert math.isclose(_value(total), 34.6), name
        sorted_observations = sorted(OBSERVATIONS)
        for quantile in (0.5, 0.9, 0.99):
            [result] = prometheus.query(f"histogram_quantile({quantile}, {selector})")
            # Within the schema-0 bucket (2^(i-1), 2^i] of the true quantile: the resolution's error.
            rank = max(0, math.ceil(quantile * len(sorted_observations)) - 1)
            truth = sorted_observations[rank]
            index = math.ceil(math.log2(truth))
            assert 2.0 ** (index - 1) <= _value(result) <= 2.0**index, (name, quantile, _value(result), truth)
        # The classic series are still there.
        classic = prometheus.query(f'pb_checkout_seconds_bucket{{instance="{targets[name]}"}}')
        assert {r["metric"]["le"]: _value(r) for r in classic} == {"0.5": 1.0, "1.0": 2.0, "+Inf": 3.0}
        _check_instrument_native_histogram(prometheus, targets[name], targets["text"])
    # The text target cannot carry the native histogram.
    assert prometheus.query(f'pb_native_seconds{{instance="{targets["text"]}"}}') == []


def _check_instrument_native_histogram(prometheus: Any, instance: str, text_instance: str) -> None:
    """The native buckets of a ``Histogram(native_histogram_bucket_factor=1.1)`` agree with its observations."""
    selector = f'pb_served_seconds{{instance="{instance}",path="/b"}}'
    [count] = prometheus.query(f"histogram_count({selector})")
    assert _value(count) == len(INSTRUMENT_OBSERVATIONS)
    [total] = prometheus.query(f"histogram_sum({selector})")
    assert math.isclose(_value(total), sum(INSTRUMENT_OBSERVATIONS), rel_tol=1e-9)
    # Factor 1.1 gives schema 3: buckets (b / 2^(1/8), b]. Prometheus interpolates inside the bucket
    # where the rank falls, which holds the true quantile too: relative error at most 2^(1/8) - 1.
    growth = 2 ** (2**-3)
    ordered = sorted(INSTRUMENT_OBSERVATIONS)
    for quantile in (0.5, 0.9, 0.99):
        [result] = prometheus.query(f"histogram_quantile({quantile}, {selector})")
        truth = ordered[math.ceil(quantile * len(ordered)) - 1]
        assert truth / growth <= _value(result) <= truth * growth, (instance, quantile, _value(result), truth)
    # Its classic buckets are kept beside the native ones. Prometheus 2.42 stores only the native
    # histogram of a protobuf histogram that has both (keeping both, scrape_classic_histograms, came in
    # 2.45): the classic series arrive from the text target, which serves the same registry.
    [inf] = prometheus.wait_for(f'pb_served_seconds_bucket{{instance="{text_instance}",path="/b",le="+Inf"}}')
    assert _value(inf) == len(INSTRUMENT_OBSERVATIONS)
    assert prometheus.query(f'pb_served_seconds_bucket{{instance="{instance}"}}') == []


def test_a_protobuf_scrape_reads_back_equal_to_a_text_scrape(prometheus_server: Any, targets: Dict[str, str]) -> None:
    prometheus = prometheus_server(list(targets.values()), extra_args=["--enable-feature=native-histograms"])
    prometheus.wait_for(f'pb_tills{{instance="{targets["text"]}"}}')
    for name in ("http", "wsgi", "twisted"):
        prometheus.wait_for(f'pb_tills{{instance="{targets[name]}"}}')
    text = {k: v for k, v in _series(prometheus, targets["text"]).items() if _comparable(dict(k)["__name__"])}
    names = {dict(labels)["__name__"] for labels in text}
    assert {"pb_orders_total", "pb_build_info", "pb_phase", "pb_door", "pb_mystery", "pb_latency_seconds",
            "pb_work_seconds_count", "pb_checkout_seconds_bucket"} <= names  # fmt: skip
    for name in ("http", "wsgi", "twisted"):
        protobuf = _series(prometheus, targets[name])
        assert {k: v for k, v in protobuf.items() if _comparable(dict(k)["__name__"])} == text, name
        # The gauge histogram's buckets and count arrive, under 2.42's names (see above).
        gauge_histogram = {dict(k).get("le"): v for k, v in protobuf.items() if dict(k)["__name__"] == "pb_queue"}
        assert gauge_histogram == {"1.0": "2", "+Inf": "5", None: "5"}, name
