"""Strict parser for the OpenMetrics 1.0 text format.

Unlike the lenient 0.0.4 parser, this one enforces the rules of the
specification, because an OpenMetrics consumer must reject a malformed
exposition rather than guess: ``# EOF`` must end the text, there are no blank
lines or free comments, each family has at most one HELP, TYPE and UNIT, all
before its samples, families are not interleaved and their names do not clash,
histogram buckets are ordered and end in ``+Inf``, ``_count`` equals the
``+Inf`` bucket, exemplars appear only on counters and buckets, and so on.

Timestamps come back as :class:`~prometheus_client.samples.Timestamp` (exact to
the nanosecond). Names may be quoted UTF-8 (``{"my.metric",a="b"} 1``).
Every problem raises :class:`ValueError` naming the line number and the line;
no other exception type escapes, whatever the input.
"""

from __future__ import annotations

import io
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, TextIO, Tuple

from ..metrics_core import Metric
from ..parser import _LEGACY_NAME_RE, _read_label_set, _read_quoted
from ..samples import Exemplar, Sample, Timestamp
from ..validation import EXEMPLAR_MAX_LABEL_CHARACTERS

__all__ = ["text_fd_to_metric_families", "text_string_to_metric_families"]

_TYPES = frozenset({"counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"})

# Sample-name suffixes each type may use; "" is the family name itself.
_SUFFIXES: Dict[str, Tuple[str, ...]] = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "unknown": ("",),
    "stateset": ("",),
    "info": ("_info",),
    "summary": ("", "_count", "_sum", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
}

# Samples that are counters underneath: never negative, never NaN.
_COUNTER_LIKE = {
    ("counter", "_total"),
    ("histogram", "_bucket"),
    ("histogram", "_count"),
    ("histogram", "_sum"),
    ("summary", "_count"),
    ("summary", "_sum"),
    ("gaugehistogram", "_bucket"),
    ("gaugehistogram", "_gcount"),
}
_EXEMPLAR_ALLOWED = {("counter", "_total"), ("histogram", "_bucket"), ("gaugehistogram", "_bucket")}

_NUMBER_RE = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)\Z", re.IGNORECASE)
_INT_RE = re.compile(r"[+-]?\d{1,15}\Z")
_REAL_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_SIMPLE_TIMESTAMP_RE = re.compile(r"([+-]?)(\d+)(?:\.(\d*))?\Z")
_OM_ESCAPE_RE = re.compile(r'\\(.?)', re.DOTALL)
_OM_ESCAPES = {"\\": "\\", "n": "\n", '"': '"'}


def _unescape(text: str, what: str) -> str:
    """Undo the three escapes OpenMetrics allows; any other backslash is an error."""
    if "\\" not in text:
        return text

    def replace(match: "re.Match[str]") -> str:
        char = match.group(1)
        if char not in _OM_ESCAPES:
            raise ValueError(f"Invalid escape sequence {match.group(0)!r} in {what}")
        return _OM_ESCAPES[char]

    return _OM_ESCAPE_RE.sub(replace, text)


def _parse_number(text: str) -> float:
    if _INT_RE.match(text):
        return int(text)
    if not _NUMBER_RE.match(text):
        raise ValueError(f"Invalid number {text!r}")
    return float(text)


def _parse_timestamp(text: str) -> Timestamp:
    """Parse seconds since the epoch without losing nanoseconds to float rounding."""
    match = _SIMPLE_TIMESTAMP_RE.match(text)
    if match is not None:
        sign, whole, fraction = match.groups()
        sec = int(whole)
        nsec = int((fraction or "")[:9].ljust(9, "0"))
    else:
        if not _REAL_RE.match(text):
            raise ValueError(f"Invalid timestamp {text!r}")
        try:
            exact = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"Invalid timestamp {text!r}") from None
        if abs(exact) >= Decimal(10) ** 30:
            raise ValueError(f"Timestamp out of range: {text!r}")
        sign = "-" if exact < 0 else ""
        exact = abs(exact)
        sec = int(exact)
        nsec = int((exact - sec) * 1_000_000_000)
    timestamp = Timestamp(0, 0)
    # Set the fields directly: Timestamp(sec, nsec) cannot express -0.5 (sec 0, negative nsec).
    timestamp.sec = -sec if sign == "-" else sec
    timestamp.nsec = -nsec if sign == "-" else nsec
    return timestamp


def _parse_bound(text: str, label: str) -> float:
    """A ``le`` or ``quantile`` value: a number spelt plainly, with ``+Inf`` (not ``inf``) for infinity."""
    if text in ("+Inf", "-Inf"):
        return float(text)
    if not _REAL_RE.match(text):
        raise ValueError(f"Invalid {label} label value {text!r}: must be a number, or +Inf")
    return float(text)


class _Family:
    """What we know of the family being read."""

    __slots__ = ("name", "typ", "documentation", "unit", "metadata", "samples", "linenos")

    def __init__(self, name: str) -> None:
        self.name = name
        self.typ = "unknown"
        self.documentation = ""
        self.unit = ""
        self.metadata: Set[str] = set()
        self.samples: List[Sample] = []
        self.linenos: List[int] = []

    def suffix_of(self, sample_name: str) -> Optional[str]:
        """The suffix by which ``sample_name`` belongs to this family, or None."""
        name = self.name
        if not sample_name.startswith(name):
            return None
        suffix = sample_name[len(name) :]
        return suffix if suffix in _SUFFIXES[self.typ] else None


class _LineError(ValueError):
    """A problem found on a line other than the one being read."""

    def __init__(self, lineno: int, message: str) -> None:
        super().__init__(message)
        self.lineno = lineno


def _parse_metadata(line: str, family: Optional[_Family]) -> Tuple[str, str, str]:
    """Split a ``# HELP|TYPE|UNIT name value`` line into (keyword, name, value)."""
    keyword = line[2:6]
    rest = line[7:]
    if rest.startswith('"'):
        name, pos = _read_quoted(rest, 0, strict=True)
    else:
        match = _LEGACY_NAME_RE.match(rest)
        if match is None:
            raise ValueError("Invalid metric name")
        name, pos = match.group(0), match.end()
    if pos >= len(rest) or rest[pos] != " ":
        raise ValueError(f"Expected a space and a value after the name {name!r}")
    return keyword, name, rest[pos + 1 :]


def _parse_sample_line(line: str) -> Tuple[Sample, bool]:
    """Parse ``name{labels} value [timestamp] [# {labels} value [timestamp]]``; return (sample, has_exemplar)."""
    if line.startswith("{"):
        name_in_set, labels, pos = _read_label_set(line, 0, True)
        if name_in_set is None:
            raise ValueError("Missing metric name")
        name = name_in_set
    else:
        match = _LEGACY_NAME_RE.match(line)
        if match is None:
            raise ValueError("Invalid metric name")
        name, pos = match.group(0), match.end()
        labels = {}
        if pos < len(line) and line[pos] == "{":
            inner, labels, pos = _read_label_set(line, pos, True)
            if inner is not None:
                raise ValueError(f"Metric name given twice: {name!r} and {inner!r}")
    if pos >= len(line) or line[pos] != " ":
        raise ValueError("Expected a single space before the value")
    rest = line[pos + 1 :]
    exemplar: Optional[Exemplar] = None
    main, hash_sep, exemplar_text = rest.partition(" # ")
    if not hash_sep and "#" in rest:
        raise ValueError("Invalid exemplar: expected ' # {labels} value'")
    fields = main.split(" ")
    if len(fields) > 2 or "" in fields:
        raise ValueError("Expected a value and an optional timestamp, separated by single spaces")
    value = _parse_number(fields[0])
    timestamp = _parse_timestamp(fields[1]) if len(fields) == 2 else None
    if hash_sep:
        exemplar = _parse_exemplar(exemplar_text)
    return Sample(name, labels, value, timestamp, exemplar), exemplar is not None


def _parse_exemplar(text: str) -> Exemplar:
    if not text.startswith("{"):
        raise ValueError("Invalid exemplar: labels must follow ' # '")
    inner, labels, pos = _read_label_set(text, 0, True)
    if inner is not None:
        raise ValueError("Invalid exemplar: an exemplar has no metric name")
    runes = sum(len(k) + len(v) for k, v in labels.items())
    if runes > EXEMPLAR_MAX_LABEL_CHARACTERS:
        raise ValueError(
            f"Exemplar labels have {runes} characters, more than {EXEMPLAR_MAX_LABEL_CHARACTERS}"
        )
    if pos >= len(text) or text[pos] != " ":
        raise ValueError("Invalid exemplar: expected a space and a value after its labels")
    fields = text[pos + 1 :].split(" ")
    if len(fields) > 2 or "" in fields:
        raise ValueError("Invalid exemplar: expected a value and an optional timestamp")
    value = _parse_number(fields[0])
    timestamp = _parse_timestamp(fields[1]) if len(fields) == 2 else None
    return Exemplar(labels, value, timestamp)


def _check_sample(family: _Family, suffix: str, sample: Sample, has_exemplar: bool) -> None:
    """Rules that one sample can break on its own."""
    typ = family.typ
    value = sample.value
    if (typ, suffix) in _COUNTER_LIKE:
        if math.isnan(value):
            raise ValueError(f"{typ} sample {sample.name!r} cannot be NaN")
        if value < 0:
            raise ValueError(f"{typ} sample {sample.name!r} cannot be negative")
    if has_exemplar and (typ, suffix) not in _EXEMPLAR_ALLOWED:
        raise ValueError("Only counter _total samples and histogram buckets may have exemplars")
    labels = sample.labels
    if suffix == "_bucket":
        if "le" not in labels:
            raise ValueError(f"Bucket {sample.name!r} has no 'le' label")
        bound = _parse_bound(labels["le"], "le")
        if math.isnan(bound):
            raise ValueError("The 'le' label cannot be NaN")
    elif typ == "summary" and suffix == "":
        if "quantile" not in labels:
            raise ValueError(f"Summary quantile {sample.name!r} has no 'quantile' label")
        quantile = _parse_bound(labels["quantile"], "quantile")
        if not 0 <= quantile <= 1:
            raise ValueError(f"Quantile {labels['quantile']!r} is not between 0 and 1")
    elif typ == "info" and value != 1:
        raise ValueError(f"Info sample {sample.name!r} must have the value 1, not {value!r}")
    elif typ == "stateset":
        if value not in (0, 1):
            raise ValueError(f"State set sample {sample.name!r} must be 0 or 1, not {value!r}")
        if family.name not in labels:
            raise ValueError(f"State set sample {sample.name!r} has no label {family.name!r} naming its state")
    if sample.timestamp is not None and (typ, suffix) in (("counter", "_created"),):
        pass  # _created may carry a timestamp like any other sample.


def _group_key(family: _Family, labels: Dict[str, str]) -> FrozenSet[Tuple[str, str]]:
    if family.typ in ("histogram", "gaugehistogram"):
        return frozenset((k, v) for k, v in labels.items() if k != "le")
    if family.typ == "summary":
        return frozenset((k, v) for k, v in labels.items() if k != "quantile")
    if family.typ == "stateset":
        return frozenset((k, v) for k, v in labels.items() if k != family.name)
    return frozenset(labels.items())


def _check_family(family: _Family) -> None:
    """Rules over many samples: grouping, duplicates, timestamps, histogram buckets."""
    finished: Set[FrozenSet[Tuple[str, str]]] = set()
    current: Optional[FrozenSet[Tuple[str, str]]] = None
    groups: List[List[int]] = []
    last_timestamp: Dict[Tuple[str, FrozenSet[Tuple[str, str]]], Optional[Timestamp]] = {}
    for index, sample in enumerate(family.samples):
        lineno = family.linenos[index]
        key = _group_key(family, sample.labels)
        if key != current:
            if key in finished:
                raise _LineError(lineno, "Invalid metric grouping: samples of one metric must be together")
            if current is not None:
                finished.add(current)
            current = key
            groups.append([])
        groups[-1].append(index)
        series = (sample.name, frozenset(sample.labels.items()))
        if series in last_timestamp:
            previous = last_timestamp[series]
            if previous is None or sample.timestamp is None:
                raise _LineError(lineno, f"Duplicate sample {sample.name!r} with labels {sample.labels!r}")
            if not previous < sample.timestamp:  # type: ignore[operator]
                raise _LineError(lineno, "Timestamps of a metric must increase")
        last_timestamp[series] = sample.timestamp  # type: ignore[assignment]
    if family.typ in ("histogram", "gaugehistogram"):
        for group in groups:
            # Each timestamp is its own metric point with a full set of buckets.
            points: Dict[object, List[int]] = {}
            for index in group:
                points.setdefault(family.samples[index].timestamp, []).append(index)
            for indexes in points.values():
                _check_histogram_point(family, indexes)


def _check_histogram_point(family: _Family, indexes: List[int]) -> None:
    gauge = family.typ == "gaugehistogram"
    count_suffix, sum_suffix = ("_gcount", "_gsum") if gauge else ("_count", "_sum")
    previous_bound = -math.inf
    previous_value = -math.inf
    has_bucket = False
    inf_value: Optional[float] = None
    count: Optional[Tuple[float, int]] = None
    total: Optional[int] = None
    has_negative_bucket = False
    for index in indexes:
        sample = family.samples[index]
        lineno = family.linenos[index]
        suffix = sample.name[len(family.name) :]
        if suffix == "_bucket":
            bound = float(sample.labels["le"])
            if has_bucket and bound <= previous_bound:
                raise _LineError(lineno, "Histogram buckets must be in increasing order of 'le'")
            if sample.value < previous_value:
                raise _LineError(lineno, "Histogram bucket values must not decrease as 'le' grows")
            if bound < 0:
                has_negative_bucket = True
            has_bucket = True
            previous_bound, previous_value = bound, sample.value
            if bound == math.inf:
                inf_value = sample.value
        elif suffix == count_suffix:
            count = (sample.value, lineno)
        elif suffix == sum_suffix:
            total = lineno
    first_line = family.linenos[indexes[0]]
    if inf_value is None:
        raise _LineError(first_line, f"Histogram {family.name!r} has no +Inf bucket")
    if count is not None and count[0] != inf_value:
        raise _LineError(count[1], f"{count_suffix} ({count[0]}) does not equal the +Inf bucket ({inf_value})")
    if total is not None and count is None:
        raise _LineError(total, f"Histogram {family.name!r} has {sum_suffix} without {count_suffix}")
    if total is not None and has_negative_bucket and not gauge:
        raise _LineError(total, f"Histogram {family.name!r} has negative buckets, so it may not have {sum_suffix}")


def _finish(family: _Family) -> Metric:
    _check_family(family)
    metric = Metric(family.name, family.documentation, family.typ, family.unit)
    metric.samples = family.samples
    return metric


def _parse(lines: Iterable[str]) -> Iterator[Metric]:
    family: Optional[_Family] = None
    seen_families: Set[str] = set()
    sample_owner: Dict[str, str] = {}
    eof = False
    lineno = 0
    for raw in lines:
        lineno += 1
        if eof:
            raise _LineError(lineno, f"Text after # EOF: {raw!r}")
        if raw.endswith("\n"):
            line = raw[:-1]
        else:
            line = raw
            if line != "# EOF":
                raise _LineError(lineno, "Missing # EOF at the end")
        try:
            if line == "# EOF":
                eof = True
                continue
            if line == "":
                raise ValueError("Blank lines are not allowed")
            if line.startswith("#"):
                if line[:7] not in ("# HELP ", "# TYPE ", "# UNIT "):
                    raise ValueError("Only # HELP, # TYPE, # UNIT and # EOF lines may start with '#'")
                keyword, name, value = _parse_metadata(line, family)
                if family is None or name != family.name:
                    if name in seen_families or name in sample_owner:
                        raise ValueError(f"Clashing name {name!r}: its family was already seen")
                    if family is not None:
                        yield _finish(family)
                    family = _Family(name)
                    seen_families.add(name)
                elif family.samples:
                    raise ValueError(f"Metadata for {name!r} after its samples")
                if keyword in family.metadata:
                    raise ValueError(f"More than one {keyword} for {name!r}")
                family.metadata.add(keyword)
                if keyword == "HELP":
                    family.documentation = _unescape(value, "help text")
                elif keyword == "TYPE":
                    if value not in _TYPES:
                        raise ValueError(f"Invalid metric type {value!r}")
                    family.typ = value
                else:
                    family.unit = value
                if family.unit:
                    if family.typ in ("info", "stateset"):
                        raise ValueError(f"Metrics of type {family.typ} may not have a unit")
                    if not name.endswith("_" + family.unit):
                        raise ValueError(f"Unit {family.unit!r} is not a suffix of the name {name!r}")
                continue
            sample, has_exemplar = _parse_sample_line(line)
            suffix = family.suffix_of(sample.name) if family is not None else None
            if suffix is None and family is not None and sample.name == family.name:
                expected = ", ".join(repr(family.name + s) for s in _SUFFIXES[family.typ])
                raise ValueError(
                    f"Sample {sample.name!r} does not fit {family.typ} {family.name!r}: expected {expected}"
                )
            if suffix is None:
                # A sample of no described family starts a family of unknown type.
                if sample.name in seen_families or sample.name in sample_owner:
                    raise ValueError(f"Clashing name {sample.name!r}: its family was already seen")
                if family is not None:
                    yield _finish(family)
                family = _Family(sample.name)
                seen_families.add(sample.name)
                suffix = ""
            assert family is not None
            owner = sample_owner.setdefault(sample.name, family.name)
            if owner != family.name:
                raise ValueError(f"Clashing name {sample.name!r}: it belongs to family {owner!r}")
            _check_sample(family, suffix, sample, has_exemplar)
            family.samples.append(sample)
            family.linenos.append(lineno)
        except _LineError:
            raise
        except ValueError as error:
            raise _LineError(lineno, f"{error}: {line!r}") from None
    if not eof:
        raise _LineError(lineno, "Missing # EOF at the end")
    if family is not None:
        yield _finish(family)


def text_fd_to_metric_families(fd: TextIO) -> Iterator[Metric]:
    """Parse OpenMetrics text read from a file-like object (any iterable of lines)."""
    try:
        yield from _parse(fd)
    except _LineError as error:
        raise ValueError(f"Invalid OpenMetrics line {error.lineno}: {error}") from None
    except ValueError:
        raise
    except Exception as error:  # Whatever the input, callers see only ValueError.
        raise ValueError(f"Invalid OpenMetrics text: {type(error).__name__}: {error}") from None


def text_string_to_metric_families(text: str) -> Iterator[Metric]:
    """Parse OpenMetrics text into metric families, lazily, one family at a time."""
    if not isinstance(text, str):
        raise ValueError(f"Expected exposition text as str, got {type(text).__name__}")
    # StringIO splits on "\n" only, so a stray "\r" stays in the line and is rejected.
    yield from text_fd_to_metric_families(io.StringIO(text, newline="\n"))
