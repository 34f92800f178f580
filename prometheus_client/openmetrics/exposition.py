"""OpenMetrics text exposition: the public names of the official client's module.

The encoding itself lives in :mod:`prometheus_client._encoding`, shared with
the Prometheus text format; this module adds the official ``generate_latest``
(whose registry, as there, must be given).
"""

from __future__ import annotations

from .._encoding import (
    ALLOWUTF8,
    DOTS,
    ESCAPING_HEADER_TAG,
    UNDERSCORES,
    VALUES,
    encode_openmetrics,
    escape_label_name,
    escape_metric_name,
)
from .._encoding import OPENMETRICS_CONTENT_TYPE_LATEST as CONTENT_TYPE_LATEST
from .._encoding import OPENMETRICS_CONTENT_TYPE_LATEST_2_0 as CONTENT_TYPE_LATEST_2_0
from ..registry import Collector
from ..utils import floatToGoString, parse_version


def generate_latest(registry: Collector, escaping: str = UNDERSCORES, version: str = "1.0.0") -> bytes:
    """The OpenMetrics text format of ``registry``, ending in ``# EOF``.

    ``version`` 2.0.0 adds native histogram samples; earlier versions leave them out.
    """
    return encode_openmetrics(registry, escaping, version)


__all__ = [
    "ALLOWUTF8",
    "CONTENT_TYPE_LATEST",
    "CONTENT_TYPE_LATEST_2_0",
    "DOTS",
    "ESCAPING_HEADER_TAG",
    "UNDERSCORES",
    "VALUES",
    "escape_label_name",
    "escape_metric_name",
    "floatToGoString",
    "generate_latest",
    "parse_version",
]
