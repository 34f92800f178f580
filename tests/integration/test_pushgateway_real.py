"""push/pushadd/delete against a real Pushgateway, read back from the gateway's own /metrics."""

from __future__ import annotations

import os
import re
import socket
from typing import Dict, Iterator, List, Tuple

import pytest

from prometheus_client._pushgateway import (
    PushgatewayError,
    PushgatewayUnreachable,
    delete_from_gateway,
    push_to_gateway,
    pushadd_to_gateway,
)
from prometheus_client.metrics import Counter, Gauge
from prometheus_client.registry import CollectorRegistry

from .realstack import MissingBinary, Pushgateway


@pytest.fixture
def pushgateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushgateway]:
    """A Pushgateway that keeps its persistence file in a temp dir.

    Debian's build defaults --persistence.file to /var/lib/prometheus/pushgateway.data, which every
    gateway started without the flag shares (groups from earlier runs come back), so this local
    fixture overrides the shared one.
    """
    workdir = tmp_path_factory.mktemp("pushgateway")
    try:
        gateway = Pushgateway(workdir, [f"--persistence.file={workdir / 'pushgateway.data'}"])
    except MissingBinary as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{error} (CI=true: integration servers must be installed)", pytrace=False)
        pytest.skip(str(error))
    yield gateway
    gateway.stop()


GROUP = {"path": "/var/tmp", "empty": "", "shard": "a b"}


def samples(text: str, name: str) -> List[Tuple[Dict[str, str], str]]:
    """(labels, value) of every sample line named ``name`` in the gateway's exposition."""
    found = []
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            head, _, value = line.rpartition(" ")
            labels: Dict[str, str] = {}
            if "{" in head:
                body = head[head.index("{") + 1 : head.rindex("}")]
                for pair in body.split('",'):
                    key, _, raw = pair.partition('="')
                    labels[key] = raw.rstrip('"')
            found.append((labels, value))
    return found


def batch_registry(done: float, rows: float) -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("batch_last_success_seconds", "Last time the batch job succeeded", registry=registry).set(done)
    Counter("batch_rows", "Rows processed", registry=registry).inc(rows)
    return registry


def test_push_pushadd_and_delete_round_trip(pushgateway: Pushgateway) -> None:
    job = "nightly/backup"
    expected_labels = {"job": job, "path": "/var/tmp", "shard": "a b", "instance": ""}

    push_to_gateway(pushgateway.url, job, batch_registry(100, 5), grouping_key=GROUP)
    text = pushgateway.metrics_text()
    gauge = samples(text, "batch_last_success_seconds")
    assert len(gauge) == 1 and gauge[0][1] == "100"
    assert {k: v for k, v in gauge[0][0].items() if v} == {k: v for k, v in expected_labels.items() if v}
    assert gauge[0][0].get("empty", "") == ""
    assert [value for _, value in samples(text, "batch_rows_total")] == ["5"]

    # POST replaces only the metric names it carries: the counter stays.
    only_gauge = CollectorRegistry()
    Gauge("batch_last_success_seconds", "Last time the batch job succeeded", registry=only_gauge).set(200)
    pushadd_to_gateway(pushgateway.url.replace("http://", ""), job, only_gauge, grouping_key=GROUP)
    text = pushgateway.metrics_text()
    assert [value for _, value in samples(text, "batch_last_success_seconds")] == ["200"]
    assert [value for _, value in samples(text, "batch_rows_total")] == ["5"]

    # PUT replaces the whole group: the counter goes.
    push_to_gateway(pushgateway.url, job, only_gauge, grouping_key=GROUP, compression="gzip")
    text = pushgateway.metrics_text()
    assert [value for _, value in samples(text, "batch_last_success_seconds")] == ["200"]
    assert samples(text, "batch_rows_total") == []

    delete_from_gateway(pushgateway.url, job, grouping_key=GROUP)
    assert samples(pushgateway.metrics_text(), "batch_last_success_seconds") == []


def test_groups_are_separate(pushgateway: Pushgateway) -> None:
    push_to_gateway(pushgateway.url, "batch", batch_registry(1, 1), grouping_key={"instance": "host-1"})
    push_to_gateway(pushgateway.url, "batch", batch_registry(2, 2), grouping_key={"instance": "host-2"})
    delete_from_gateway(pushgateway.url, "batch", grouping_key={"instance": "host-1"})
    remaining = samples(pushgateway.metrics_text(), "batch_last_success_seconds")
    assert [(labels["instance"], value) for labels, value in remaining] == [("host-2", "2")]


def test_gateway_rejecting_a_push_raises_with_status_and_body(pushgateway: Pushgateway) -> None:
    # A counter exposes clash_total; a gauge named clash_total in another group is inconsistent with it.
    counter = CollectorRegistry()
    Counter("clash", "h", registry=counter).inc()
    push_to_gateway(pushgateway.url, "b", counter)
    gauge = CollectorRegistry()
    Gauge("clash_total", "other help", registry=gauge).set(1)
    with pytest.raises(PushgatewayError) as raised:
        push_to_gateway(pushgateway.url, "c", gauge)
    assert raised.value.code == 400
    message = str(raised.value)
    body = raised.value.body.decode().strip()
    # The gateway's own explanation. It checks the metric families in Go map order, so the clash is
    # reported from either side: the pushed gauge "is not a COUNTER" or the stored counter "is not a GAUGE".
    assert body.startswith("pushed metrics are invalid or inconsistent with existing metrics")
    assert re.search(r'collected metric "clash_total" .* is not a (COUNTER|GAUGE)$', body), body
    assert "HTTP 400" in message and body in message  # status and body both reach the exception


def test_push_to_stopped_gateway_raises_clear_error(pushgateway: Pushgateway) -> None:
    url = pushgateway.url
    pushgateway.stop()
    with pytest.raises(PushgatewayUnreachable, match="cannot reach the Pushgateway for PUT " + url):
        push_to_gateway(url, "batch", batch_registry(1, 1), timeout=5)
    with socket.socket() as sock:  # the port really is closed now
        assert sock.connect_ex(("127.0.0.1", pushgateway.port)) != 0
