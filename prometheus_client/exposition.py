"""The official client's ``prometheus_client.exposition``: every public name, in one place.

Nothing is implemented here. The encoder lives in :mod:`._encoding`; the
backends that move its bytes live in their own modules (HTTP, textfile,
Pushgateway) and are re-exported so existing imports keep working.
"""

from ._encoding import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    choose_encoder,
    generate_latest,
)
from .registry import REGISTRY
from .utils import floatToGoString

__all__ = [
    "CONTENT_TYPE_LATEST",
    "CONTENT_TYPE_PLAIN_0_0_4",
    "CONTENT_TYPE_PLAIN_1_0_0",
    "REGISTRY",
    "choose_encoder",
    "floatToGoString",
    "generate_latest",
]
