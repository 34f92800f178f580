"""A WSGI app for the gunicorn multiprocess test: ``/work`` updates metrics, ``/metrics`` scrapes every worker.

Gunicorn settings live here too (``-c python:tests.integration.gunicorn_mp_app``); ``child_exit`` folds the
files of each worker gunicorn recycles.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable, List, Tuple

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

REQUESTS = Counter("app_requests", "Requests served by /work.", ["worker_kind"])
LATENCY = Histogram("app_latency_seconds", "Latency of /work.", buckets=[0.001, 0.1, 1])


def app(environ: dict, start_response: Callable[[str, List[Tuple[str, str]]], Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/metrics":
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(body)))])
        return [body]
    if environ.get("PATH_INFO") == "/pid":
        body = str(os.getpid()).encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    query = environ.get("QUERY_STRING", "")
    kind = query[2:] if query.startswith("k=") else "sync"
    REQUESTS.labels(kind).inc()
    LATENCY.observe(0.05)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


# -- gunicorn settings (read when this module is the config: -c python:tests.integration.gunicorn_mp_app) --


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.mark_process_dead(worker.pid)
