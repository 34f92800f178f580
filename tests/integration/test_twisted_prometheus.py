"""A real Prometheus scrapes MetricsResource on a real Twisted reactor (OpenMetrics and text 0.0.4)."""

from __future__ import annotations

import http.client
from typing import Any, Iterator

import pytest

pytest.importorskip("twisted")

from twisted.internet.threads import blockingCallFromThread  # noqa: E402
from twisted.web.server import Site  # noqa: E402

from prometheus_client.metrics import Counter, Gauge  # noqa: E402
from prometheus_client.registry import CollectorRegistry  # noqa: E402
from prometheus_client.twisted import MetricsResource  # noqa: E402


class TextOnlyResource(MetricsResource):
    """Serves text 0.0.4 whatever the scraper asks for (Prometheus 2.42 cannot be told to ask for it)."""

    def render(self, request: Any) -> Any:
        request.requestHeaders.removeHeader(b"accept")
        return super().render(request)


@pytest.fixture
def reactor_ports(running_reactor: Any) -> Iterator[Any]:
    """Factory: listen with a resource on 127.0.0.1:0; returns the port number; stops listening after."""
    listening = []

    def listen(resource: Any) -> int:
        port = blockingCallFromThread(
            running_reactor, running_reactor.listenTCP, 0, Site(resource), interface="127.0.0.1"
        )
        listening.append(port)
        return int(port.getHost().port)

    yield listen
    for port in listening:
        blockingCallFromThread(running_reactor, port.stopListening)


@pytest.fixture
def cache_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("cache_entries", "Entries", registry=registry).set(512)
    Counter("cache_hits", "Hits", ["tier"], registry=registry).labels("l1").inc(9)
    return registry


def test_prometheus_scrapes_the_twisted_resource(
    prometheus_server: Any, reactor_ports: Any, cache_registry: CollectorRegistry
) -> None:
    openmetrics_port = reactor_ports(MetricsResource(cache_registry))
    text_port = reactor_ports(TextOnlyResource(cache_registry))
    instances = {f"127.0.0.1:{openmetrics_port}", f"127.0.0.1:{text_port}"}

    prometheus = prometheus_server(sorted(instances))
    targets = prometheus.wait_for_scrape()
    assert {t["labels"]["instance"] for t in targets} == instances
    assert all((t["health"], t["lastError"]) == ("up", "") for t in targets), targets
    entries = prometheus.wait_for("cache_entries")
    assert {r["metric"]["instance"]: r["value"][1] for r in entries} == {i: "512" for i in instances}
    hits = prometheus.query('cache_hits_total{tier="l1"}')
    assert {r["metric"]["instance"]: r["value"][1] for r in hits} == {i: "9" for i in instances}


def test_promtool_accepts_the_twisted_resource_text(
    promtool: Any, reactor_ports: Any, cache_registry: CollectorRegistry
) -> None:
    port = reactor_ports(TextOnlyResource(cache_registry))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.getheader("Content-Type", "").startswith("text/plain; version=0.0.4")
    code, output = promtool.check_metrics(body)
    assert code == 0, output
