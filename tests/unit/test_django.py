"""PrometheusDjangoView through Django's real WSGI handler, served by wsgiref on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import importlib
import os
import threading
from typing import Any, Dict, Iterator, Optional, Tuple
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest


def _require(module: str) -> Any:
    """Import an optional test dependency: skipped locally when missing, a failure on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


django = _require("django")
from django.conf import settings  # type: ignore[import-untyped]  # noqa: E402
from django.urls import path  # type: ignore[import-untyped]  # noqa: E402

from prometheus_client.django import PrometheusDjangoView  # noqa: E402
from prometheus_client.metrics import Gauge  # noqa: E402
from prometheus_client.registry import CollectorRegistry  # noqa: E402

TEXT_BODY = b"# HELP queue_depth Depth\n# TYPE queue_depth gauge\nqueue_depth 7.0\n"
OTHER_BODY = b"# HELP other Other\n# TYPE other gauge\nother 1.0\n"


class ServedView(PrometheusDjangoView):
    """The view under test; each test sets ``registry`` on this class."""


urlpatterns = [path("metrics", ServedView.as_view())]

if not settings.configured:
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1"],
        DEBUG=False,
        SECRET_KEY="test-only",
        USE_TZ=True,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )
    django.setup()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def django_port() -> Iterator[int]:
    """Django's WSGI application on a free port, one server for the module (each stop waited out a poll);
    the port. Stopped (thread joined) after the last test."""
    from django.core.wsgi import get_wsgi_application  # type: ignore[import-untyped]

    httpd: WSGIServer = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)
    assert not thread.is_alive()


@pytest.fixture
def server(django_port: int) -> Iterator[int]:
    """The port of Django serving ServedView, whose registry is new for this test."""
    registry = CollectorRegistry()
    Gauge("queue_depth", "Depth", registry=registry).set(7)
    Gauge("other", "Other", registry=registry).set(1)
    ServedView.registry = registry
    yield django_port
    ServedView.registry = None


def fetch(
    port: int, method: str = "GET", target: str = "/metrics", headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_get_serves_text(server: int) -> None:
    status, headers, body = fetch(server)
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert body == TEXT_BODY + OTHER_BODY


def test_openmetrics_and_gzip_are_negotiated(server: int) -> None:
    status, headers, body = fetch(
        server, headers={"Accept": "application/openmetrics-text; version=1.0.0", "Accept-Encoding": "gzip"}
    )
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"].startswith("application/openmetrics-text; version=1.0.0")
    assert gzip.decompress(body) == TEXT_BODY + OTHER_BODY + b"# EOF\n"


def test_name_filter_keeps_every_repeated_value(server: int) -> None:
    assert fetch(server, target="/metrics?name[]=other")[2] == OTHER_BODY
    assert fetch(server, target="/metrics?name[]=other&name[]=queue_depth")[2] == TEXT_BODY + OTHER_BODY


def test_options_lists_the_official_methods_and_post_is_refused(server: int) -> None:
    status, headers, body = fetch(server, method="OPTIONS")
    assert (status, headers["allow"], body) == (200, "OPTIONS,GET", b"")
    assert fetch(server, method="POST")[0] == 405  # Django's View: no post() handler


def test_no_registry_means_the_global_one(server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import prometheus_client

    monkeypatch.setattr(ServedView, "registry", None)
    monkeypatch.setattr(ServedView, "multiprocess_mode", False)
    marker = Gauge("django_view_test_marker", "Marker", registry=prometheus_client.REGISTRY)
    try:
        status, _, body = fetch(server, target="/metrics?name[]=django_view_test_marker")
    finally:
        prometheus_client.REGISTRY.unregister(marker)
    assert (status, body) == (
        200,
        b"# HELP django_view_test_marker Marker\n# TYPE django_view_test_marker gauge\ndjango_view_test_marker 0.0\n",
    )


def test_module_has_the_official_names() -> None:
    from prometheus_client.django import exposition

    for name in ("PrometheusDjangoView", "HttpResponse", "View", "_bake_output", "multiprocess", "prometheus_client"):
        assert hasattr(exposition, name), name
    assert PrometheusDjangoView.registry is None


def test_without_django_the_import_fails_with_module_not_found_and_the_rest_works() -> None:
    from tests.unit.missing_backends import import_errors_without_aiohttp_and_django

    errors = import_errors_without_aiohttp_and_django()
    assert errors["prometheus_client.django"] == "ModuleNotFoundError django.http"  # the official's first import
