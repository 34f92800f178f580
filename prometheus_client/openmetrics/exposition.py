"""OpenMetrics text exposition: the public names of the official client's module.

The encoding itself lives in :mod:`prometheus_client._encoding`, shared with
the Prometheus text format.
"""

from __future__ import annotations

from .._encoding import (
    ALLOWUTF8,
    DOTS,
    ESCAPING_HEADER_TAG,
    UNDERSCORES,
    VALUES,
    escape_label_name,
    escape_metric_name,
)
from .._encoding import OPENMETRICS_CONTENT_TYPE_LATEST as CONTENT_TYPE_LATEST
from .._encoding import OPENMETRICS_CONTENT_TYPE_LATEST_2_0 as CONTENT_TYPE_LATEST_2_0
from .._encoding import generate_latest_openmetrics as generate_latest
from ..utils import floatToGoString, parse_version

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
