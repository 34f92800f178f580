"""Small numeric helpers shared by the encoder, parsers and collectors."""

from __future__ import annotations

import math
from typing import Tuple, Union

INF = float("inf")
MINUS_INF = float("-inf")
NaN = float("NaN")


def floatToGoString(d: Union[float, int, str]) -> str:  # noqa: N802 - public name of the official client
    """Format a number as the official client does: Go's ``'g'`` format for positives.

    ``+Inf``, ``-Inf`` and ``NaN`` are spelt as Prometheus expects, and positive
    values switch to exponent form at the same point as Go (``1e+06``).
    Negative values keep Python's ``repr`` (``-1234567.0``), exactly as the
    official client writes them (le and quantile bounds are what matters to it).
    Anything ``float()`` rejects raises what ``float()`` raises.
    """
    d = float(d)
    if d != d:
        return "NaN"
    if d == INF:
        return "+Inf"
    if d == MINUS_INF:
        return "-Inf"
    text = repr(d)
    if d > 0:
        dot = text.find(".")
        # Go's shortest 'g' format switches to an exponent once the decimal exponent
        # reaches 6; repr() stays positional up to 1e16.
        if dot > 6:
            mantissa = f"{text[0]}.{text[1:dot]}{text[dot + 1:]}".rstrip("0").rstrip(".")
            return f"{mantissa}e+{dot - 1:02d}"
    return text


def parse_version(version_str: str) -> Tuple[Union[int, str], ...]:
    """Split ``"1.2.3"`` into ``(1, 2, 3)``; non-numeric parts stay strings."""
    parts: list = []
    for part in version_str.split("."):
        try:
            parts.append(int(part))
        except ValueError:
            parts.append(part)
    return tuple(parts)


def is_nan(value: float) -> bool:
    return math.isnan(value)
