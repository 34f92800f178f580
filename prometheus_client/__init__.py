"""A Python client for Prometheus: instruments, a registry, and exposition.

Public names match the official ``prometheus_client``, so existing code runs
unchanged; see the docs for what this library adds.
"""

from . import metrics_core as metrics_core  # noqa: F401 - keep submodules importable as attributes
from .exposition import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    MetricsHandler,
    delete_from_gateway,
    generate_latest,
    instance_ip_grouping_key,
    make_asgi_app,
    make_wsgi_app,
    push_to_gateway,
    pushadd_to_gateway,
    start_http_server,
    start_textfile_writer,
    start_wsgi_server,
    write_to_textfile,
)
from .gc_collector import GC_COLLECTOR, GCCollector
from .metrics import (
    Counter,
    Enum,
    Gauge,
    Histogram,
    Info,
    Summary,
    disable_created_metrics,
    enable_created_metrics,
)
from .metrics_core import Metric
from .platform_collector import PLATFORM_COLLECTOR, PlatformCollector
from .process_collector import PROCESS_COLLECTOR, ProcessCollector
from .registry import REGISTRY, CollectorRegistry

__all__ = [
    "CollectorRegistry",
    "REGISTRY",
    "Metric",
    "Counter",
    "Gauge",
    "Summary",
    "Histogram",
    "Info",
    "Enum",
    "enable_created_metrics",
    "disable_created_metrics",
    "CONTENT_TYPE_LATEST",
    "CONTENT_TYPE_PLAIN_0_0_4",
    "CONTENT_TYPE_PLAIN_1_0_0",
    "generate_latest",
    "ProcessCollector",
    "PROCESS_COLLECTOR",
    "PlatformCollector",
    "PLATFORM_COLLECTOR",
    "GCCollector",
    "GC_COLLECTOR",
    "write_to_textfile",
    "start_textfile_writer",
    "push_to_gateway",
    "pushadd_to_gateway",
    "delete_from_gateway",
    "instance_ip_grouping_key",
    "MetricsHandler",
    "make_wsgi_app",
    "make_asgi_app",
    "start_http_server",
    "start_wsgi_server",
]
