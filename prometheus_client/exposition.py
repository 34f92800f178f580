"""The official client's ``prometheus_client.exposition``: every public name, in one place.

Nothing is implemented here but ``generate_latest``'s default registry: the
encoder lives in :mod:`._encoding`, content negotiation in :mod:`._negotiation`; the
backends that move its bytes live in their own modules (the HTTP response in
:mod:`._http_response`, the WSGI app in :mod:`._wsgi`, the servers in
:mod:`._http_server`, textfile, Pushgateway) and are re-exported so existing
imports keep working.
"""

# The official module's imports are part of its namespace: code does ``from prometheus_client.exposition
# import make_server, ThreadingMixIn, ...``, so the same names are importable from here. The ``_name as _name``
# imports below are the official module's private helpers that some integrations import directly.
import base64  # noqa: F401
import gzip  # noqa: F401
import os  # noqa: F401
import socket  # noqa: F401
import ssl  # noqa: F401
import sys  # noqa: F401
import threading  # noqa: F401
from contextlib import closing  # noqa: F401
from functools import partial  # noqa: F401
from http.server import BaseHTTPRequestHandler  # noqa: F401
from socketserver import ThreadingMixIn  # noqa: F401
from typing import Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, Union  # noqa: F401
from urllib.error import HTTPError  # noqa: F401
from urllib.parse import parse_qs, quote_plus, urlparse  # noqa: F401
from urllib.request import (  # noqa: F401
    BaseHandler,
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    Request,
    build_opener,
)
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server  # noqa: F401

from ._encoding import (
    ALLOWUTF8,
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    DOTS,
    UNDERSCORES,
    VALUES,
    encode_text,
)
from ._http_response import _bake_output as _bake_output  # noqa: E402
from ._http_response import gzip_accepted
from ._http_server import MetricsHandler, ServerLimits, ThreadingWSGIServer, start_http_server, start_wsgi_server
from ._http_server import _get_best_family as _get_best_family  # noqa: E402
from ._http_server import _SilentHandler as _SilentHandler  # noqa: E402
from ._http_tls import _get_ssl_ctx as _get_ssl_ctx  # noqa: E402
from ._negotiation import choose_encoder
from ._protobuf import CONTENT_TYPE_PROTOBUF, encode_protobuf
from ._pushgateway import (
    SNAPPY_AVAILABLE,  # noqa: F401
    CompressionType,  # noqa: F401
    PushgatewayError,
    PushgatewayUnreachable,
    basic_auth_handler,
    default_handler,
    delete_from_gateway,
    instance_ip_grouping_key,
    passthrough_redirect_handler,
    push_to_gateway,
    pushadd_to_gateway,
    snappy,  # noqa: F401
    tls_auth_handler,
)
from ._pushgateway import _compress_payload as _compress_payload  # noqa: E402
from ._pushgateway import _escape_grouping_key as _escape_grouping_key  # noqa: E402
from ._pushgateway import _make_handler as _make_handler  # noqa: E402
from ._pushgateway import _PrometheusRedirectHandler as _PrometheusRedirectHandler  # noqa: E402
from ._pushgateway import _use_gateway as _use_gateway  # noqa: E402
from ._textfile import TextfileWriter, start_textfile_writer, write_to_textfile
from ._wsgi import make_wsgi_app
from .asgi import make_asgi_app
from .openmetrics import exposition as openmetrics  # noqa: F401 - the official module has this alias
from .registry import REGISTRY, Collector  # noqa: F401
from .utils import floatToGoString, parse_version  # noqa: F401


def generate_latest(registry: Collector = REGISTRY, escaping: str = UNDERSCORES) -> bytes:
    """The Prometheus text format (0.0.4; 1.0.0 when ``escaping`` allows UTF-8 names) of ``registry``.

    Counters are exposed as ``name_total``; ``_created``, ``_gsum`` and
    ``_gcount`` samples follow their family as separate gauge families;
    exemplars are dropped; timestamps are in milliseconds.
    """
    return encode_text(registry, escaping)


def generate_protobuf(registry: Collector = REGISTRY, escaping: str = UNDERSCORES) -> bytes:
    """The delimited protobuf format (``CONTENT_TYPE_PROTOBUF``) of ``registry``: ours, not the official's.

    One length-prefixed ``io.prometheus.client.MetricFamily`` per family,
    native histograms included; see docs/exposition.md for how each type maps.
    """
    return encode_protobuf(registry, escaping)


def _get_version(accept_header: List[str]) -> str:
    """The ``version=`` value among the ``;``-separated tokens of one media range, or ``""``."""
    for token in accept_header:
        key, sep, value = token.strip().partition("=")
        if sep and key == "version":
            return value
    return ""


def _get_escaping(accept_header: List[str]) -> str:
    """The ``escaping=`` scheme among one media range's tokens; unknown or absent means underscores."""
    for token in accept_header:
        key, sep, value = token.strip().partition("=")
        if sep and key == "escaping":
            # Only the first escaping= token counts, as in the official client.
            return value if value in (ALLOWUTF8, UNDERSCORES, DOTS, VALUES) else UNDERSCORES
    return UNDERSCORES


__all__ = [
    "CONTENT_TYPE_LATEST",
    "CONTENT_TYPE_PLAIN_0_0_4",
    "CONTENT_TYPE_PLAIN_1_0_0",
    "CONTENT_TYPE_PROTOBUF",
    "MetricsHandler",
    "ServerLimits",
    "ThreadingWSGIServer",
    "gzip_accepted",
    "make_asgi_app",
    "make_wsgi_app",
    "start_http_server",
    "start_wsgi_server",
    "PushgatewayError",
    "PushgatewayUnreachable",
    "REGISTRY",
    "TextfileWriter",
    "basic_auth_handler",
    "default_handler",
    "delete_from_gateway",
    "instance_ip_grouping_key",
    "passthrough_redirect_handler",
    "push_to_gateway",
    "pushadd_to_gateway",
    "start_textfile_writer",
    "tls_auth_handler",
    "write_to_textfile",
    "choose_encoder",
    "floatToGoString",
    "generate_latest",
    "generate_protobuf",
]
