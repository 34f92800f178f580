"""Parser for the Prometheus text exposition format 0.0.4.

``text_string_to_metric_families`` turns scraped text into the same
:class:`~prometheus_client.metrics_core.Metric` families a collector yields,
so a scrape can be inspected, re-exported or compared in tests. The format is
read leniently, as Prometheus itself does: comments and blank lines are
skipped, a sample without ``# TYPE`` becomes a family of type ``unknown``, and
``untyped`` is reported as ``unknown``. Counters are reported in the
OpenMetrics shape the rest of the library uses: family ``foo``, samples
``foo_total``. Names may be quoted UTF-8 (``{"my.metric",a="b"} 1``).

Every malformed line raises :class:`ValueError` naming the line number and the
line; no other exception type escapes.
"""

from __future__ import annotations

import io
import re
from typing import Dict, Iterable, Iterator, List, Match, Optional, TextIO, Tuple

from .metrics_core import Metric
from .samples import Sample

__all__ = ["parse_labels", "text_fd_to_metric_families", "text_string_to_metric_families"]

# Escapes understood in label values; any other backslash pair is kept as it is.
ESCAPE_SEQUENCES = {"\\\\": "\\", "\\n": "\n", '\\"': '"'}
_LABEL_VALUE_ESCAPE_RE = re.compile(r'\\[\\n"]')
_HELP_ESCAPE_RE = re.compile(r"\\[\\n]")

_LEGACY_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LEGACY_LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
# Numbers as Go's ParseFloat reads them in practice, minus hex and underscores.
_FLOAT_RE = re.compile(r"[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z", re.IGNORECASE)
_INT_RE = re.compile(r"[+-]?\d{1,15}\Z")

_TYPES_0_0_4 = frozenset(
    {"counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram"}
)


def replace_escape_sequence(match: Match[str]) -> str:
    """Map one escape sequence matched in a label value to its character."""
    return ESCAPE_SEQUENCES[match.group(0)]


def _replace_escaping(text: str) -> str:
    return _LABEL_VALUE_ESCAPE_RE.sub(replace_escape_sequence, text) if "\\" in text else text


def _replace_help_escaping(text: str) -> str:
    if "\\" not in text:
        return text
    return _HELP_ESCAPE_RE.sub(lambda m: "\\" if m.group(0) == "\\\\" else "\n", text)


def _parse_value(text: str) -> float:
    """Parse a sample value; integers stay ``int`` as the official parser does."""
    if _INT_RE.match(text):
        return int(text)
    if not _FLOAT_RE.match(text):
        raise ValueError(f"Invalid value: {text!r}")
    return float(text)


def _read_quoted(text: str, pos: int, unescape: bool = True, strict: bool = False) -> Tuple[str, int]:
    """Read a double-quoted string starting at ``text[pos] == '"'``; return (content, index after).

    ``strict`` (OpenMetrics) rejects escapes other than ``\\\\``, ``\\"`` and ``\\n``.
    """
    end = pos + 1
    length = len(text)
    has_escape = False
    while end < length:
        char = text[end]
        if char == "\\":
            has_escape = True
            if strict and text[end + 1 : end + 2] not in ("\\", '"', "n"):
                raise ValueError(f"Invalid escape sequence {text[end:end + 2]!r}")
            end += 2
            continue
        if char == '"':
            raw = text[pos + 1 : end]
            return (_replace_escaping(raw) if (unescape and has_escape) else raw), end + 1
        if char == "\n":
            break
        end += 1
    raise ValueError(f"Unterminated quoted string: {text[pos:]!r}")


def _skip_spaces(text: str, pos: int) -> int:
    length = len(text)
    while pos < length and text[pos] in " \t":
        pos += 1
    return pos


def _read_label_set(text: str, pos: int, openmetrics: bool) -> Tuple[Optional[str], Dict[str, str], int]:
    """Read ``{...}`` starting at ``text[pos] == '{'``.

    Returns (quoted metric name found inside, or None; labels; index after ``}``).
    OpenMetrics allows no spaces and no trailing comma; the 0.0.4 format allows both.
    """
    labels: Dict[str, str] = {}
    metric_name: Optional[str] = None
    pos += 1
    length = len(text)
    first = True
    while True:
        if not openmetrics:
            pos = _skip_spaces(text, pos)
        if pos >= length:
            raise ValueError("Unterminated label set")
        if text[pos] == "}":
            if openmetrics and not first and text[pos - 1] == ",":
                raise ValueError("Trailing comma in label set")
            return metric_name, labels, pos + 1
        # A label name (bare or quoted), or a quoted metric name on its own.
        if text[pos] == '"':
            name, pos = _read_quoted(text, pos, strict=openmetrics)
            if not openmetrics:
                pos = _skip_spaces(text, pos)
            if pos < length and text[pos] in ",}":
                # A quoted string without '=' is the metric name; it must come first.
                if not first or metric_name is not None:
                    raise ValueError(f"Quoted metric name {name!r} must be the first item in the label set")
                metric_name = name
                first = False
                if text[pos] == ",":
                    pos += 1
                continue
        else:
            match = _LEGACY_LABEL_RE.match(text, pos)
            if match is None:
                raise ValueError(f"Invalid label name at {text[pos:pos + 20]!r}")
            name = match.group(0)
            pos = match.end()
            if not openmetrics:
                pos = _skip_spaces(text, pos)
        if pos >= length or text[pos] != "=":
            raise ValueError(f"Expected '=' after label name {name!r}")
        pos += 1
        if not openmetrics:
            pos = _skip_spaces(text, pos)
        if pos >= length or text[pos] != '"':
            raise ValueError(f"Label value of {name!r} must be double-quoted")
        value, pos = _read_quoted(text, pos, strict=openmetrics)
        if name in labels:
            raise ValueError(f"Duplicate label name {name!r}")
        if name == "__name__":
            raise ValueError("Label __name__ is reserved: name the metric before the label set")
        labels[name] = value
        first = False
        if not openmetrics:
            pos = _skip_spaces(text, pos)
        if pos < length and text[pos] == ",":
            pos += 1
        elif pos < length and text[pos] == "}":
            continue
        else:
            raise ValueError(f"Expected ',' or '}}' after label {name!r}")


def parse_labels(labels_string: str, openmetrics: bool = False) -> Dict[str, str]:
    """Parse the inside of a label set (``a="1",b="2"``) into a dict."""
    try:
        name, labels, end = _read_label_set("{" + labels_string + "}", 0, openmetrics)
    except ValueError as error:
        raise ValueError(f"Invalid labels: {labels_string!r}: {error}") from None
    if name is not None or end != len(labels_string) + 2:
        raise ValueError(f"Invalid labels: {labels_string!r}")
    return labels


def _read_sample_head(text: str, openmetrics: bool) -> Tuple[str, Dict[str, str], int]:
    """Read the metric name and labels of a sample line; return (name, labels, index after them)."""
    if text.startswith("{"):
        quoted_name, quoted_labels, end = _read_label_set(text, 0, openmetrics)
        if quoted_name is None:
            raise ValueError("Missing metric name")
        return quoted_name, quoted_labels, end
    match = _LEGACY_NAME_RE.match(text)
    if match is None:
        raise ValueError("Invalid metric name")
    name = match.group(0)
    pos = match.end()
    labels: Dict[str, str] = {}
    if not openmetrics:
        brace = _skip_spaces(text, pos)
        if brace < len(text) and text[brace] == "{":
            pos = brace
    if pos < len(text) and text[pos] == "{":
        inner_name, labels, pos = _read_label_set(text, pos, openmetrics)
        if inner_name is not None:
            raise ValueError(f"Metric name given twice: {name!r} and {inner_name!r}")
    return name, labels, pos


def _parse_sample(text: str) -> Sample:
    """Parse one 0.0.4 sample line: name, labels, value and optional millisecond timestamp."""
    name, labels, pos = _read_sample_head(text, openmetrics=False)
    fields = text[pos:].split()
    if not fields:
        raise ValueError("Missing value")
    if len(fields) > 2:
        raise ValueError(f"Unexpected text after the timestamp: {' '.join(fields[2:])!r}")
    value = _parse_value(fields[0])
    timestamp: Optional[float] = None
    if len(fields) == 2:
        timestamp = _parse_timestamp_ms(fields[1])
    return Sample(name, labels, value, timestamp)


def _parse_timestamp_ms(text: str) -> float:
    """A 0.0.4 timestamp is milliseconds since the epoch; we report seconds."""
    if _INT_RE.match(text) or re.match(r"[+-]?\d+\Z", text):
        return int(text) / 1000
    if not _FLOAT_RE.match(text) or text.lower().lstrip("+-")[:1] in ("i", "n"):
        raise ValueError(f"Invalid timestamp: {text!r}")
    return float(text) / 1000


def _parse_metadata_name(text: str) -> Tuple[str, str]:
    """Split ``name rest`` from a HELP/TYPE line; the name may be quoted."""
    if text.startswith('"'):
        name, pos = _read_quoted(text, 0)
        rest = text[pos:]
        if rest and rest[0] not in " \t":
            raise ValueError(f"Expected a space after the quoted name {name!r}")
        return name, rest.lstrip(" \t")
    parts = text.split(None, 1)
    if not parts:
        raise ValueError("Missing metric name")
    return parts[0], parts[1] if len(parts) > 1 else ""


def _allowed_sample_names(name: str, typ: str) -> Tuple[str, ...]:
    if typ == "summary":
        return (name, name + "_count", name + "_sum")
    if typ == "histogram":
        return (name + "_bucket", name + "_count", name + "_sum")
    return (name,)


def _build_metric(name: str, documentation: str, typ: str, samples: List[Sample]) -> Metric:
    # Counters are kept in the OpenMetrics shape used everywhere else: family 'x', samples 'x_total'.
    if typ == "counter":
        if name.endswith("_total"):
            name = name[:-6]
        else:
            samples = [sample._replace(name=sample.name + "_total") for sample in samples]
    metric = Metric(name, documentation, typ)
    metric.samples = samples
    return metric


class _RawFamily:
    """A family as written, before counters are reshaped (the check CLI lints this form)."""

    __slots__ = ("name", "documentation", "has_help", "typ", "samples", "repeated_metadata")

    def __init__(self, name: str) -> None:
        self.name = name
        self.documentation = ""
        self.has_help = False
        self.typ = "untyped"
        self.samples: List[Sample] = []
        # Line number of a second HELP/TYPE, or one after samples (lenient here, an error for the linter).
        self.repeated_metadata: Optional[int] = None


def _raw_families(fd: Iterable[str]) -> Iterator[_RawFamily]:
    """Group the lines of 0.0.4 text into families as they were written."""
    family: Optional[_RawFamily] = None
    allowed: Tuple[str, ...] = ()
    lineno = 0
    line = ""
    try:
        for line in fd:
            lineno += 1
            line = line.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                parts = stripped[1:].lstrip(" \t").split(None, 1)
                if len(parts) < 2 or parts[0] not in ("HELP", "TYPE"):
                    continue  # An ordinary comment.
                keyword = parts[0]
                name, rest = _parse_metadata_name(parts[1])
                if family is None or family.name != name:
                    if family is not None:
                        yield family
                    family = _RawFamily(name)
                    allowed = _allowed_sample_names(name, family.typ)
                if family.samples or (family.has_help if keyword == "HELP" else family.typ != "untyped"):
                    if family.repeated_metadata is None:
                        family.repeated_metadata = lineno
                if keyword == "HELP":
                    family.documentation = _replace_help_escaping(rest)
                    family.has_help = True
                else:
                    new_type = rest.strip()
                    if new_type not in _TYPES_0_0_4:
                        raise ValueError(f"Invalid metric type {new_type!r}")
                    family.typ = new_type
                    allowed = _allowed_sample_names(name, new_type)
                continue
            sample = _parse_sample(stripped)
            if family is not None and sample.name in allowed:
                family.samples.append(sample)
                continue
            # A sample of no described family: its own family of unknown type, which
            # following samples of the same name join.
            if family is not None:
                yield family
            family = _RawFamily(sample.name)
            family.samples.append(sample)
            allowed = (sample.name,)
        if family is not None:
            yield family
    except ValueError as error:
        raise ValueError(f"Invalid line {lineno}: {error}: {line!r}") from None
    except Exception as error:  # Never let anything but ValueError reach the caller.
        raise ValueError(f"Invalid line {lineno}: {type(error).__name__}: {error}: {line!r}") from None


def text_fd_to_metric_families(fd: TextIO) -> Iterator[Metric]:
    """Parse 0.0.4 text read from a file-like object (any iterable of lines) into metric families."""
    for family in _raw_families(fd):
        try:
            yield _build_metric(family.name, family.documentation, family.typ, family.samples)
        except ValueError as error:
            raise ValueError(f"Invalid metric family {family.name!r}: {error}") from None


def text_string_to_metric_families(text: str) -> Iterator[Metric]:
    """Parse 0.0.4 text into metric families, lazily, one family at a time."""
    if not isinstance(text, str):
        raise ValueError(f"Expected exposition text as str, got {type(text).__name__}")
    yield from text_fd_to_metric_families(io.StringIO(text))
