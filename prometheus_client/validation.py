"""Metric and label name rules, in one place.

Names are checked once, when a metric is described (constructed or registered),
never on the hot path. By default any non-empty UTF-8 name is accepted, as in
Prometheus 3; legacy mode restricts names to ``[a-zA-Z_:][a-zA-Z0-9_:]*``
(labels ``[a-zA-Z_][a-zA-Z0-9_]*``). Legacy mode is chosen by
:func:`enable_legacy_validation` / :func:`disable_legacy_validation`, or else by
the ``PROMETHEUS_LEGACY_NAME_VALIDATION`` environment variable, read when a name
is checked rather than frozen at import time.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Mapping, Optional, Sequence

METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
METRIC_LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
RESERVED_METRIC_LABEL_NAME_RE = re.compile(r"^__.*$")

EXEMPLAR_MAX_LABEL_CHARACTERS = 128

# The words the official client takes as "on" (compared lowercased, not stripped).
_TRUE_WORDS = frozenset({"true", "1", "t"})

# None means "follow the environment variable"; a bool is an explicit choice.
_legacy_override: Optional[bool] = None


def _init_legacy_validation() -> bool:
    return os.environ.get("PROMETHEUS_LEGACY_NAME_VALIDATION", "False").lower() in _TRUE_WORDS


def get_legacy_validation() -> bool:
    """Whether names are held to the legacy (pre-UTF-8) character set."""
    if _legacy_override is not None:
        return _legacy_override
    return _init_legacy_validation()


def enable_legacy_validation() -> None:
    """Restrict metric and label names to the legacy character set."""
    global _legacy_override
    _legacy_override = True


def disable_legacy_validation() -> None:
    """Accept any non-empty UTF-8 metric and label name."""
    global _legacy_override
    _legacy_override = False


def _reset_legacy_validation() -> None:
    """Go back to following the environment variable (for tests)."""
    global _legacy_override
    _legacy_override = None


def _is_valid_legacy_metric_name(name: str) -> bool:
    return METRIC_NAME_RE.match(name) is not None


def _is_valid_legacy_labelname(name: str) -> bool:
    """Legacy characters and not reserved (``__...`` names are escaped like UTF-8 ones, as officially)."""
    return METRIC_LABEL_NAME_RE.match(name) is not None and RESERVED_METRIC_LABEL_NAME_RE.match(name) is None


def _is_valid_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _NotAStrError(TypeError, AttributeError):
    """A name that is not a str. The official client fails on ``name.encode`` (AttributeError);
    a TypeError is what such a mistake should be: this is both, so either ``except`` catches it."""


def _check_utf8(name: object, kind: str, official_prefix: str) -> None:
    """Raise as the official client's ``name.encode('utf-8')`` would, with its text first."""
    if not isinstance(name, str):
        raise _NotAStrError(
            f"{type(name).__name__!r} object has no attribute 'encode' ({kind} must be a str, got {name!r})"
        )
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{official_prefix}{name!r} (not valid UTF-8: lone surrogates)") from None


def _validate_metric_name(name: str) -> None:
    """Raise ValueError naming ``name`` unless it is a valid metric name.

    Messages start with the official client's text. As there, a name that is not
    a str fails on ``encode`` (AttributeError) and one with lone surrogates with
    UnicodeEncodeError (a ValueError).
    """
    if not name:
        raise ValueError("metric name cannot be empty")
    if get_legacy_validation():
        if not _is_valid_legacy_metric_name(name):
            raise ValueError(
                "invalid metric name " + name + ": legacy validation allows only [a-zA-Z_:][a-zA-Z0-9_:]*"
            )
    _check_utf8(name, "a metric name", "invalid metric name ")


def _validate_metric_label_name_token(tok: str) -> None:
    """Validate one name token of a metric or label name (used by parsers)."""
    if not tok:
        raise ValueError("Invalid name: the name is empty")
    if get_legacy_validation():
        if not METRIC_NAME_RE.match(tok):
            raise ValueError(f"Invalid name {tok!r}: legacy validation allows only [a-zA-Z_:][a-zA-Z0-9_:]*")
    elif not _is_valid_utf8(tok):
        raise ValueError(f"Invalid name {tok!r}: not valid UTF-8")


def _validate_labelname(name: str) -> None:
    """Raise ValueError naming ``name`` unless it is a usable label name (official message texts first)."""
    if get_legacy_validation():
        if not METRIC_LABEL_NAME_RE.match(name):
            raise ValueError(
                "Invalid label metric name: " + name + " (legacy validation allows only [a-zA-Z_][a-zA-Z0-9_]*)"
            )
    else:
        _check_utf8(name, "a label name", "Invalid label metric name: ")
        if not name:
            # Stricter than the official client, which accepts it and then writes unparseable text.
            raise ValueError("Invalid label metric name: " + name + " (the name is empty)")
    if RESERVED_METRIC_LABEL_NAME_RE.match(name):
        raise ValueError("Reserved label metric name: " + name + " (names starting with '__' are reserved)")


def _validate_labelnames(cls: object, labelnames: Iterable[str]) -> Sequence[str]:
    """Validate an instrument's label names; ``cls`` may reserve extra names (``le``, ``quantile``)."""
    names = tuple(labelnames)
    reserved = getattr(cls, "_reserved_labelnames", ())
    kind = getattr(cls, "_type", "metric")
    seen = set()
    for name in names:
        _validate_labelname(name)
        if name in reserved:
            # The official message, typo included ("methe fric"), then ours.
            raise ValueError("Reserved label methe fric name: " + name + f" (reserved for {kind} metrics)")
        if name in seen:
            # Stricter than the official client, which keeps only the last value of a repeated name.
            raise ValueError(f"Duplicate label name {name!r} in {names!r}")
        seen.add(name)
    return names


def _validate_exemplar(exemplar: Mapping[str, str]) -> None:
    """Exemplar label names and values together may hold at most 128 UTF-8 characters."""
    runes = 0
    for name, value in exemplar.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"Exemplar labels must map str to str, got {name!r}: {value!r}")
        _validate_labelname(name)
        runes += len(name) + len(value)
    if runes > EXEMPLAR_MAX_LABEL_CHARACTERS:
        # The official message is not %-formatted: it says "%d" literally. Ours follows with the count.
        raise ValueError(
            "Exemplar labels have %d UTF-8 characters, exceeding the limit of 128"
            f" ({runes} characters: {dict(exemplar)!r})"
        )


def _build_full_name(metric_type: str, name: str, namespace: str, subsystem: str, unit: str) -> str:
    """An instrument's full name from its parts, exactly as the official client builds it.

    ``namespace_subsystem_name``; a counter's trailing ``_total`` is dropped (the
    sample adds it back); then ``_unit`` is appended unless the name already ends
    in it. So ``Counter('requests', unit='total')`` is named ``requests_total``
    and exposes ``requests_total_total``, as officially. Info and stateset
    (Enum) metrics cannot have a unit. Parts that are not str fail on the
    concatenation (TypeError), as officially.
    """
    if not name:
        raise ValueError("Metric name should not be empty")
    full_name = ""
    for prefix in (namespace, subsystem):
        if prefix:
            full_name = full_name + prefix + "_"
    full_name = full_name + name
    if metric_type == "counter" and full_name.endswith("_total"):
        full_name = full_name[: -len("_total")]
    if unit:
        if not full_name.endswith("_" + unit):
            full_name = full_name + "_" + unit
        if metric_type in ("info", "stateset"):
            raise ValueError(
                "Metric name is of a type that cannot have a unit: " + full_name
                + f" ({metric_type} metrics have no unit)"
            )
    return full_name
