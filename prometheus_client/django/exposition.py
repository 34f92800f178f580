"""A Django view serving a registry: ``path("metrics", PrometheusDjangoView.as_view())``."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

from django.http import HttpRequest, HttpResponse  # type: ignore[import-untyped]
from django.views import View  # type: ignore[import-untyped]

import prometheus_client
from prometheus_client import multiprocess
from prometheus_client._http_response import (
    ALLOWED_METHODS,
    ResponseSettings,
    _bake_output,  # noqa: F401 - the official module's namespace has it
    metrics_for_params,
)

__all__ = ["PrometheusDjangoView"]


class PrometheusDjangoView(View):
    """GET serves the metrics (Accept negotiation, gzip, ``name[]``); OPTIONS lists ``OPTIONS,GET``.

    ``registry`` None means the global registry, or a multiprocess collector over
    ``PROMETHEUS_MULTIPROC_DIR`` when that is set (decided at import, as the official view does).
    Subclass or pass ``as_view(registry=...)`` to serve another registry.
    """

    multiprocess_mode: bool = "PROMETHEUS_MULTIPROC_DIR" in os.environ or "prometheus_multiproc_dir" in os.environ
    registry: Optional[prometheus_client.CollectorRegistry] = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The metrics, in the format and coding the request accepts."""
        if self.registry is None:
            if self.multiprocess_mode:
                self.registry = prometheus_client.CollectorRegistry()
                multiprocess.MultiProcessCollector(self.registry)
            else:
                self.registry = prometheus_client.REGISTRY
        # Every value of a repeated name[] (a QueryDict item alone is only the last one).
        params: Dict[str, List[str]] = {key: request.GET.getlist(key) for key in request.GET.keys()}
        accept, accept_encoding = request.headers.get("Accept"), request.headers.get("Accept-Encoding")
        status, headers, body = metrics_for_params(ResponseSettings(self.registry), params, accept, accept_encoding)
        return HttpResponse(body, status=int(status[:3]), headers=dict(headers))

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The allowed methods, as the official view answers."""
        return HttpResponse(status=200, headers={"Allow": ALLOWED_METHODS})
