"""A real Prometheus scrapes start_http_server and start_wsgi_server, in OpenMetrics and in text 0.0.4.

Prometheus 2.42 always asks for OpenMetrics first; it has no setting for the scrape protocol
(``scrape_protocols`` came in 2.49). The text-format targets are therefore servers whose handler
drops the Accept header before our code sees it, which is what a scraper that sends no Accept
header (curl, older Prometheus) gets.
"""

from __future__ import annotations

import gzip
import http.client
import threading
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from prometheus_client._http_server import start_http_server, start_wsgi_server
from prometheus_client._wsgi import make_wsgi_app
from prometheus_client.metrics import Counter, Gauge, Histogram
from prometheus_client.registry import CollectorRegistry

from .realstack import start_text_only_server

OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"


@pytest.fixture
def shop_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("shop_open_tills", "Open tills", registry=registry).set(3)
    orders = Counter("shop_orders", "Orders", ["channel"], registry=registry)
    orders.labels("web").inc(7)
    orders.labels('store "north"').inc(2)
    latency = Histogram("shop_checkout_seconds", "Checkout time", buckets=(0.5, 1.0), registry=registry)
    for value in (0.2, 0.7, 3.0):
        latency.observe(value)
    return registry


def _text_only_wsgi(app: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ.pop("HTTP_ACCEPT", None)
        return app(environ, start_response)

    return wrapper


@pytest.fixture
def backends(shop_registry: CollectorRegistry) -> Iterator[Dict[str, int]]:
    """Four servers on free ports: {name: port}; all stopped (and their threads joined) at teardown."""
    running: List[Tuple[Any, threading.Thread]] = []

    def keep(pair: Tuple[Any, threading.Thread]) -> int:
        running.append(pair)
        return int(pair[0].server_port)

    ports = {
        "http-openmetrics": keep(start_http_server(0, "127.0.0.1", shop_registry)),
        "wsgi-openmetrics": keep(start_wsgi_server(0, "127.0.0.1", shop_registry)),
    }
    text_http, text_thread = start_text_only_server(shop_registry)
    ports["http-text"] = keep((text_http, text_thread))
    wsgi_server, wsgi_thread = start_wsgi_server(0, "127.0.0.1", shop_registry)
    wsgi_server.set_app(_text_only_wsgi(make_wsgi_app(shop_registry)))
    ports["wsgi-text"] = keep((wsgi_server, wsgi_thread))
    yield ports
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join(10)


def fetch(port: int, accept: str = "") -> Tuple[str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics", headers={"Accept": accept, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.getheader("Content-Type") or "", body
    finally:
        connection.close()


def test_prometheus_scrapes_every_backend_cleanly(prometheus_server: Any, backends: Dict[str, int]) -> None:
    names = {f"127.0.0.1:{port}": name for name, port in backends.items()}
    # The text-only servers really serve text even to Prometheus' Accept header, the others OpenMetrics.
    for name, port in backends.items():
        content_type, _ = fetch(port, OPENMETRICS_ACCEPT)
        expected = "text/plain; version=0.0.4" if name.endswith("-text") else "application/openmetrics-text"
        assert content_type.startswith(expected), (name, content_type)

    prometheus = prometheus_server(list(names))
    targets = prometheus.wait_for_scrape()
    assert {t["labels"]["instance"] for t in targets} == set(names)
    for target in targets:
        assert (target["health"], target["lastError"]) == ("up", ""), names[target["labels"]["instance"]]

    tills = prometheus.wait_for("shop_open_tills")
    assert {r["metric"]["instance"]: r["value"][1] for r in tills} == {instance: "3" for instance in names}

    orders = prometheus.query('shop_orders_total{channel="store \\"north\\""}')
    assert sorted(r["metric"]["instance"] for r in orders) == sorted(names)
    assert {r["value"][1] for r in orders} == {"2"}
    buckets = prometheus.query('shop_checkout_seconds_bucket{le="1.0"}')
    assert len(buckets) == len(names) and {r["value"][1] for r in buckets} == {"2"}
    counts = prometheus.query("shop_checkout_seconds_count")
    assert {r["value"][1] for r in counts} == {"3"} and len(counts) == len(names)


@pytest.mark.parametrize("name", ["http-openmetrics", "wsgi-openmetrics", "http-text", "wsgi-text"])
def test_promtool_accepts_text_output_of_every_backend(promtool: Any, backends: Dict[str, int], name: str) -> None:
    # promtool 2.42 lints the Prometheus text format only, so ask each backend for text.
    content_type, body = fetch(backends[name], "text/plain; version=0.0.4")
    assert content_type.startswith("text/plain; version=0.0.4")
    code, output = promtool.check_metrics(body)
    assert code == 0, output
