"""Content negotiation: which encoder and content type answer an HTTP ``Accept`` header.

It reads a header and chooses; it sends nothing and knows no server. The
encoders it hands back are the encoder's own (:func:`~._encoding.encode_text`,
:func:`~._encoding.encode_openmetrics`, with the escaping scheme and version
bound): call one with the registry to encode. ``prometheus_client.exposition``
re-exports :func:`choose_encoder` under its official path.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Tuple

from ._encoding import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    ESCAPING_HEADER_TAG,
    ESCAPING_SCHEMES,
    OPENMETRICS_CONTENT_TYPE_LATEST,
    UNDERSCORES,
    _version_tuple,
    encode_openmetrics,
    encode_text,
)
from ._protobuf import CONTENT_TYPE_PROTOBUF, encode_protobuf

if TYPE_CHECKING:
    from .registry import Collector

Encoder = Callable[["Collector"], bytes]
"""What :func:`choose_encoder` returns beside the content type: collector (registry) in, bytes out."""

_OPENMETRICS_VERSIONS = ("0.0.1", "1.0.0", "2.0.0")
_PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf"
_PROTOBUF_MESSAGE = "io.prometheus.client.MetricFamily"


def _media_ranges(accept_header: str) -> List[Tuple[str, Dict[str, str]]]:
    """``(type, params)`` of each comma-separated media range; names lowercased, quotes dropped."""
    ranges = []
    for item in accept_header.split(","):
        tokens = item.split(";")
        media_type = tokens[0].strip().lower()
        if not media_type:
            continue
        params: Dict[str, str] = {}
        for token in tokens[1:]:
            key, sep, value = token.partition("=")
            if sep:
                params.setdefault(key.strip().lower(), value.strip().strip('"'))
        ranges.append((media_type, params))
    return ranges


def _accepted_escaping(params: Mapping[str, str]) -> str:
    escaping = params.get(ESCAPING_HEADER_TAG, UNDERSCORES)
    return escaping if escaping in ESCAPING_SCHEMES else UNDERSCORES


def _offer(media_type: str, params: Mapping[str, str]) -> Optional[Tuple[int, Encoder, str]]:
    """What we would send for one media range: (preference, encoder, content type), or None."""
    if media_type == "application/openmetrics-text":
        version = params.get("version")
        if version is None:
            # No version: OpenMetrics 1.0 with legacy names, as the official client answers.
            encoder = partial(encode_openmetrics, escaping=UNDERSCORES, version="1.0.0")
            return 1, encoder, OPENMETRICS_CONTENT_TYPE_LATEST
        if version not in _OPENMETRICS_VERSIONS:
            return None
        escaping = _accepted_escaping(params)
        encoder = partial(encode_openmetrics, escaping=escaping, version=version)
        return 1, encoder, f"application/openmetrics-text; version={version}; charset=utf-8; escaping={escaping}"
    if media_type == _PROTOBUF_MEDIA_TYPE:
        # Only the delimited MetricFamily stream (what Prometheus scrapes); the text and compact-text
        # protobuf encodings are debugging formats we do not write.
        if params.get("proto") != _PROTOBUF_MESSAGE or params.get("encoding") != "delimited":
            return None
        if ESCAPING_HEADER_TAG not in params:
            return 1, encode_protobuf, CONTENT_TYPE_PROTOBUF
        escaping = _accepted_escaping(params)
        return 1, partial(encode_protobuf, escaping=escaping), f"{CONTENT_TYPE_PROTOBUF}; escaping={escaping}"
    if media_type == "text/plain":
        version = params.get("version")
        if version is not None and _version_tuple(version) >= (1, 0, 0):
            escaping = _accepted_escaping(params)
            return 1, partial(encode_text, escaping=escaping), f"{CONTENT_TYPE_LATEST}; escaping={escaping}"
        return 0, encode_text, CONTENT_TYPE_PLAIN_0_0_4
    if media_type in ("*/*", "text/*", "*"):
        return 0, encode_text, CONTENT_TYPE_PLAIN_0_0_4
    return None


def choose_encoder(accept_header: str) -> Tuple[Encoder, str]:
    """The encoder and content type that best answer an HTTP ``Accept`` header.

    Honours ``q=`` weights (``q=0`` means "not acceptable"): the acceptable
    offer with the highest weight wins; on a tie OpenMetrics, protobuf or text
    1.0.0 beat plain 0.0.4 text, then the earlier range wins. The delimited
    protobuf format (``application/vnd.google.protobuf;
    proto=io.prometheus.client.MetricFamily; encoding=delimited``, first in the
    header of a Prometheus with native histograms enabled) is ours alone: the
    official client never answers it. The ``escaping=``
    parameter picks the name escaping scheme. With nothing acceptable the
    answer is the text format 0.0.4.
    """
    best: Optional[Tuple[float, int, int]] = None
    chosen: Tuple[Encoder, str] = (encode_text, CONTENT_TYPE_PLAIN_0_0_4)
    for index, (media_type, params) in enumerate(_media_ranges(accept_header or "")):
        try:
            weight = float(params.get("q", "1"))
        except ValueError:
            continue  # A malformed weight: ignore the range.
        if not weight > 0:
            continue
        offer = _offer(media_type, params)
        if offer is None:
            continue
        rank = (min(weight, 1.0), offer[0], -index)
        if best is None or rank > best:
            best = rank
            chosen = (offer[1], offer[2])
    return chosen
