"""Parser for the OpenMetrics 1.0 text format, with native histograms.

It accepts and rejects what the official client 0.26 does and returns the same
families, so code written against it keeps working: ``# EOF`` must end the
text, there are no blank lines, each family has at most one HELP, TYPE and
UNIT, all before its samples, family names do not clash, histogram buckets are
ordered and end in ``+Inf``, ``_count`` comes with ``_sum`` (``_gcount`` with
``_gsum``), counter-like values are not negative or NaN, exemplars appear only
on counters and buckets, and so on.

Timestamps written as ``sec`` or ``sec.fraction`` come back as
:class:`~prometheus_client.samples.Timestamp` (exact to the nanosecond), other
spellings (``1e3``) as float seconds. In a ``histogram`` family, a sample whose
value is ``{count:...,sum:...,schema:...}`` is a native histogram: it comes back
with ``value`` None and the data in ``Sample.native_histogram``.

Every problem raises :class:`ValueError` (the official message first, then the
line number), whatever the input. Where the official client raises another
type (``KeyError`` for a native histogram without ``count``, ...), ours is a
subclass of both that type and ``ValueError``.
"""

from __future__ import annotations

import io
import math
import re
from typing import Dict, Iterable, Iterator, List, Optional, Set, TextIO, Tuple, Union

from .._lexer import (
    ESCAPE_SEQUENCES,
    ESCAPING_RE,
    as_value_error,
    is_legacy_name,
    last_unquoted,
    name_beside_labels,
    next_unquoted,
    parse_labels,
    parse_openmetrics_timestamp,
    parse_value,
    split_quoted,
    to_int,
    unescape_openmetrics_help,
    unquote_unescape,
)
from ..metrics_core import Metric
from ..samples import BucketSpan, Exemplar, NativeHistogram, Sample, Timestamp
from ..utils import floatToGoString  # noqa: F401 - a name the official module has
from ..validation import _validate_metric_name

__all__ = ["ESCAPE_SEQUENCES", "ESCAPING_RE", "text_fd_to_metric_families", "text_string_to_metric_families"]

_TYPE_SUFFIXES: Dict[str, Tuple[str, ...]] = {
    "counter": ("_total", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "histogram": ("_count", "_sum", "_bucket", "_created"),
    "gaugehistogram": ("_gcount", "_gsum", "_bucket"),
    "info": ("_info",),
}
_NH_FORBIDDEN_SUFFIXES = _TYPE_SUFFIXES["histogram"]
_COUNTER_LIKE_NAN = ("_total", "_sum", "_count", "_bucket", "_gcount", "_gsum")
_COUNTER_LIKE_NEGATIVE = ("_total", "_sum", "_count", "_bucket", "_gcount")
_EXEMPLAR_MAX_RUNES = 128

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s*")
_FIELD_END_RE = re.compile(r"[,}]")
_SPANS_RE = re.compile(r"(positive_spans|negative_spans):\[(-?\d+:\d+(?:,-?\d+:\d+)*)\]")
_DELTAS_RE = re.compile(r"(positive_deltas|negative_deltas):\[(-?\d+(?:,-?\d+)*)\]")

Value = Union[int, float]
TimestampValue = Optional[Union[Timestamp, float]]


def _parse_remaining_text(text: str) -> Tuple[Value, TimestampValue, Optional[Exemplar]]:
    """Read ``value [timestamp] [# {labels} value [timestamp]]`` after a sample's name and labels."""
    value_text, space, rest = text.partition(" ")
    value = parse_value(value_text)
    if not space:
        return value, None, None
    timestamp: List[str] = []
    exemplar_value: List[str] = []
    exemplar_timestamp: List[str] = []
    exemplar_labels: Optional[Dict[str, str]] = None
    state = "timestamp"
    in_quotes = False
    for char in rest:
        if char == '"':
            in_quotes = not in_quotes
        if in_quotes:
            continue
        if state == "timestamp":
            if char == "#" and not timestamp:
                state = "exemplarspace"
            elif char == " ":
                state = "exemplarhash"
            else:
                timestamp.append(char)
        elif state == "exemplarhash":
            if char != "#":
                raise ValueError("Invalid line: " + rest)
            state = "exemplarspace"
        elif state == "exemplarspace":
            if char != " ":
                raise ValueError("Invalid line: " + rest)
            state = "exemplarstartoflabels"
        elif state == "exemplarstartoflabels":
            if char != "{":
                raise ValueError("Invalid line: " + rest)
            # Exemplar labels span to the last unquoted '}' of the line.
            start = next_unquoted(rest, "{")
            end = last_unquoted(rest, "}")
            exemplar_labels = parse_labels(rest[start + 1 : end], True)
            state = "exemplarparsedlabels"
        elif state == "exemplarparsedlabels":
            if char == "}":
                state = "exemplarvaluespace"
        elif state == "exemplarvaluespace":
            if char != " ":
                raise ValueError("Invalid line: " + rest)
            state = "exemplarvalue"
        elif state == "exemplarvalue":
            if char == " ":
                if not exemplar_value:
                    raise ValueError("Invalid line: " + rest)
                state = "exemplartimestamp"
            else:
                exemplar_value.append(char)
        else:
            exemplar_timestamp.append(char)
    if state == "timestamp" and not timestamp:
        raise ValueError("Invalid line: " + rest)  # A space after the value and nothing more.
    if state == "exemplartimestamp" and not exemplar_timestamp:
        raise ValueError("Invalid line: " + rest)
    if state in ("exemplarhash", "exemplarspace", "exemplarstartoflabels", "exemplarparsedlabels"):
        raise ValueError("Invalid line: " + rest)  # An incomplete exemplar.
    sample_timestamp = parse_openmetrics_timestamp("".join(timestamp))
    exemplar = None
    if exemplar_labels is not None:
        runes = sum(len(k) + len(v) for k, v in exemplar_labels.items())
        if runes > _EXEMPLAR_MAX_RUNES:
            raise ValueError("Exemplar labels are too long: " + rest)
        exemplar = Exemplar(
            exemplar_labels,
            parse_value("".join(exemplar_value)),
            parse_openmetrics_timestamp("".join(exemplar_timestamp)),
        )
    return value, sample_timestamp, exemplar


def _parse_sample(text: str) -> Sample:
    """Parse a classic sample line: ``name{labels} value [timestamp] [exemplar]``."""
    label_start = next_unquoted(text, "{")
    if label_start == -1 or " # " in text[:label_start]:
        name_end = next_unquoted(text, " ")
        name = text[:name_end]
        if not is_legacy_name(name):
            raise ValueError("invalid metric name:" + text)
        value, timestamp, exemplar = _parse_remaining_text(text[name_end + 1 :])
        return Sample(name, {}, value, timestamp, exemplar)
    name = text[:label_start]
    label_end = next_unquoted(text, "}")
    labels = parse_labels(text[label_start + 1 : label_end], True)
    name = name_beside_labels(name, labels, text)
    # As officially, the character after '}' is skipped unread (it should be a space).
    value, timestamp, exemplar = _parse_remaining_text(text[label_end + 2 :])
    return Sample(name, labels, value, timestamp, exemplar)


def _parse_native_histogram_sample(text: str) -> Optional[Sample]:
    """Parse ``name[{labels}] {count:...}`` as a native histogram sample, or return None if it is not one."""
    labels_start = next_unquoted(text, "{")
    pos = next_unquoted(text, " {")
    if pos == -1:
        return None
    has_labels = text[pos] == "{"
    labels_end = -1
    if has_labels:
        labels_end = pos = next_unquoted(text, "}", pos)
        if labels_end == -1:
            raise ValueError("unterminated label set: " + text)
    value_start = next_unquoted(text, "{", pos + 1)
    if value_start == -1:
        return None
    hash_pos = next_unquoted(text, "#", pos + 1)
    if hash_pos != -1 and hash_pos < value_start:
        return None  # The '{' opens an exemplar's labels.
    if next_unquoted(text, "}", value_start) == -1:
        raise ValueError("unterminated native histogram value: " + text)
    # Everything from the '{' on is read for fields, as officially: exemplars and a timestamp are ignored.
    if not has_labels:
        name = text[: value_start - 1]
        if name.endswith(_NH_FORBIDDEN_SUFFIXES):
            raise ValueError("the sample name of a native histogram should have no suffixes", name)
        histogram = _parse_native_histogram(text[value_start:])
        return Sample(name, None, None, None, None, histogram)  # type: ignore[arg-type]
    labels: Optional[Dict[str, str]] = parse_labels(text[labels_start + 1 : labels_end], True)
    assert labels is not None
    name = text[:labels_start]
    if name.endswith(_NH_FORBIDDEN_SUFFIXES):
        raise ValueError("the sample name of a native histogram with labels should have no suffixes", name)
    if not name:
        if "__name__" not in labels:
            raise ValueError("metric name missing: " + text)
        name = labels.pop("__name__")
        if not labels:
            labels = None  # The official client reports a bare {"name"} with labels None.
    histogram = _parse_native_histogram(text[value_start:])
    return Sample(name, labels, None, None, None, histogram)  # type: ignore[arg-type]


def _native_histogram_fields(text: str) -> Dict[str, str]:
    """The ``key:value`` fields of a native histogram value, the last of a key winning.

    A key is a run of word characters followed by ``:``; its value runs to the next
    ``,`` or ``}`` (leading whitespace skipped unless it is all there is). This is
    what the official client's regular expression finds, read in one pass.
    """
    fields: Dict[str, str] = {}
    resume = 0
    length = len(text)
    for word in _WORD_RE.finditer(text):
        if word.start() < resume:
            continue
        colon = word.end()
        if colon >= length or text[colon] != ":":
            continue
        value_start = _SPACE_RE.match(text, colon + 1).end()  # type: ignore[union-attr]
        end_match = _FIELD_END_RE.search(text, value_start)
        value_end = end_match.start() if end_match else length
        if value_end == value_start:
            if value_start == colon + 1:
                continue
            value_start -= 1  # Only whitespace before the ',': that last space is the value.
        fields[word.group(0)] = text[value_start:value_end]
        resume = value_end
    return fields


def _parse_native_histogram(text: str) -> NativeHistogram:
    fields = _native_histogram_fields(text)
    # Read in the official client's order, so the first problem reported is the same
    # (a missing field is a KeyError, made a ValueError too by _parse).
    count_value = to_int(fields["count"])
    sum_value = float(fields["sum"])
    schema = to_int(fields["schema"])
    zero_threshold = float(fields["zero_threshold"])
    zero_count = to_int(fields["zero_count"])
    spans: Dict[str, Tuple[BucketSpan, ...]] = {}
    for key, body in _SPANS_RE.findall(text):
        spans[key] = tuple(BucketSpan(*(to_int(n) for n in pair.split(":"))) for pair in body.split(","))
    deltas = {key: tuple(to_int(n) for n in body.split(",")) for key, body in _DELTAS_RE.findall(text)}
    return NativeHistogram(
        count_value=count_value,
        sum_value=sum_value,
        schema=schema,
        zero_threshold=zero_threshold,
        zero_count=zero_count,
        pos_spans=spans.get("positive_spans"),
        neg_spans=spans.get("negative_spans"),
        pos_deltas=deltas.get("positive_deltas"),
        neg_deltas=deltas.get("negative_deltas"),
    )


def _group_of(sample: Sample, name: str, typ: Optional[str]) -> Dict[str, str]:
    """The labels that identify the metric point ``sample`` belongs to."""
    if typ == "info":
        return {}  # Info samples cannot be told apart by group.
    if typ == "summary" and sample.name == name:
        return {k: v for k, v in sample.labels.items() if k != "quantile"}
    if typ == "stateset":
        return {k: v for k, v in sample.labels.items() if k != name}
    if typ in ("histogram", "gaugehistogram") and sample.name == name + "_bucket":
        return {k: v for k, v in sample.labels.items() if k != "le"}
    return sample.labels


class _Point:
    """What one histogram metric point (labels and timestamp) has shown so far."""

    __slots__ = ("count", "bucket", "bucket_value", "negative_buckets", "has_sum", "has_gsum", "negative_gsum")

    def __init__(self) -> None:
        self.count: Optional[Value] = None
        self.bucket: Optional[float] = None
        self.bucket_value: Value = 0
        self.negative_buckets = False
        self.has_sum = False
        self.has_gsum = False
        self.negative_gsum = False

    def check(self, name: str) -> None:
        if self.bucket != math.inf:
            raise ValueError("+Inf bucket missing: " + name)
        if self.count is not None and self.bucket_value != self.count:
            raise ValueError("Count does not match +Inf value: " + name)
        if self.has_sum and self.count is None:
            raise ValueError("_count must be present if _sum is present: " + name)
        if self.has_gsum and self.count is None:
            raise ValueError("_gcount must be present if _gsum is present: " + name)
        if not (self.has_sum or self.has_gsum) and self.count is not None:
            raise ValueError("_sum/_gsum must be present if _count is present: " + name)
        if self.negative_buckets and self.has_sum:
            raise ValueError("Cannot have _sum with negative buckets: " + name)
        if not self.negative_buckets and self.negative_gsum:
            raise ValueError("Cannot have negative _gsum with non-negative buckets: " + name)


def _check_histogram(samples: List[Sample], name: str) -> None:
    """Each metric point of a (gauge) histogram must have consistent buckets, count and sum."""
    group: Optional[Dict[str, str]] = None
    timestamp: TimestampValue = None
    point = _Point()
    for sample in samples:
        suffix = sample.name[len(name) :]
        sample_group = _group_of(sample, name, "histogram")
        if not suffix:
            continue  # Native histogram samples are checked on their own.
        if sample_group != group or sample.timestamp != timestamp:
            if group is not None:
                point.check(name)
            point = _Point()
        group = sample_group
        timestamp = sample.timestamp
        if suffix == "_bucket":
            bound = float(sample.labels["le"])
            if bound < 0:
                point.negative_buckets = True
            if point.bucket is not None and bound <= point.bucket:
                raise ValueError("Buckets out of order: " + name)
            if sample.value < point.bucket_value:
                raise ValueError("Bucket values out of order: " + name)
            point.bucket = bound
            point.bucket_value = sample.value
        elif suffix in ("_count", "_gcount"):
            point.count = sample.value
        elif suffix == "_sum":
            point.has_sum = True
        elif suffix == "_gsum":
            point.has_gsum = True
            if sample.value < 0:
                point.negative_gsum = True
    if group is not None:
        point.check(name)


def _is_uncanonical(text: str) -> bool:
    """Whether a ``le``/``quantile`` value is infinity spelt other than ``+Inf`` (only +Inf must be canonical)."""
    return float(text) == math.inf and text != "+Inf"


def _is_integer(value: Value) -> bool:
    return isinstance(value, int) or value.is_integer()


class _Parser:
    """The state of one parse: the family being read and the names already used."""

    def __init__(self) -> None:
        self.seen_names: Set[str] = set()
        self.name: Optional[str] = None
        self.documentation: Optional[str] = None
        self.typ: Optional[str] = None
        self.unit: Optional[str] = None
        self.samples: List[Sample] = []
        self.allowed_names: List[str] = []
        self.new_group_state()

    def new_group_state(self) -> None:
        self.group: Optional[Tuple[Tuple[str, str], ...]] = None
        self.seen_groups: Set[Tuple[Tuple[str, str], ...]] = set()
        self.group_timestamp: TimestampValue = None
        self.group_series: Set[Tuple[str, Tuple[Tuple[str, str], ...]]] = set()

    def build_metric(self) -> Metric:
        name = self.name
        assert name is not None
        typ = self.typ if self.typ is not None else "unknown"
        # Sorted, so that which clash is reported does not depend on string hashing.
        for suffix in sorted(set(_TYPE_SUFFIXES.get(typ, ()) + ("",))):
            if name + suffix in self.seen_names:
                raise ValueError("Clashing name: " + name + suffix)
            self.seen_names.add(name + suffix)
        unit = self.unit or ""
        if unit and not name.endswith("_" + unit):
            raise ValueError("Unit does not match metric name: " + name)
        if unit and typ in ("info", "stateset"):
            raise ValueError("Units not allowed for this metric type: " + name)
        if typ in ("histogram", "gaugehistogram"):
            _check_histogram(self.samples, name)
        _validate_metric_name(name)
        metric = Metric(name, self.documentation or "", typ, unit)
        metric.samples = self.samples
        return metric

    def start_family(self, name: str, allowed_names: List[str], typ: Optional[str]) -> None:
        self.name = name
        self.documentation = None
        self.unit = None
        self.typ = typ
        self.samples = []
        self.allowed_names = allowed_names
        self.new_group_state()

    def metadata(self, line: str) -> Iterator[Metric]:
        parts = split_quoted(line, " ", 3)
        if len(parts) < 4:
            raise ValueError("Invalid line: " + line)
        name, quoted = unquote_unescape(parts[2])
        if not quoted and not is_legacy_name(name):
            raise ValueError("Invalid metric name in metadata: " + line)
        if name == self.name and self.samples:
            raise ValueError("Received metadata after samples: " + line)
        if name != self.name:
            if self.name is not None:
                yield self.build_metric()
            self.start_family(name, [name], None)
        keyword, value = parts[1], parts[3]
        if keyword == "HELP":
            if self.documentation is not None:
                raise ValueError("More than one HELP for metric: " + line)
            self.documentation = unescape_openmetrics_help(value)
        elif keyword == "TYPE":
            if self.typ is not None:
                raise ValueError("More than one TYPE for metric: " + line)
            if value == "untyped":
                raise ValueError("Invalid TYPE for metric: " + line)
            self.typ = value
            self.allowed_names = [name + suffix for suffix in _TYPE_SUFFIXES.get(value, ("",))]
        elif keyword == "UNIT":
            if self.unit is not None:
                raise ValueError("More than one UNIT for metric: " + line)
            self.unit = value
        else:
            raise ValueError("Invalid line: " + line)

    def sample(self, line: str) -> Iterator[Metric]:
        sample: Optional[Sample] = None
        if self.typ == "histogram":
            sample = _parse_native_histogram_sample(line)
        is_native = sample is not None
        if sample is None:
            sample = _parse_sample(line)
        if sample.name not in self.allowed_names and not is_native:
            if self.name is not None:
                yield self.build_metric()
            family_name, quoted = unquote_unescape(sample.name)
            if not quoted and not is_legacy_name(family_name):
                # As officially, a UTF-8 name needs a TYPE, HELP or UNIT line before its samples.
                raise ValueError("Invalid metric name without metadata: " + line)
            self.start_family(family_name, [sample.name], "unknown")
        assert self.name is not None
        name: str = self.name
        typ = self.typ
        labels = sample.labels
        value = sample.value
        if typ == "stateset" and name not in labels:
            raise ValueError("Stateset missing label: " + line)
        if sample.name == name + "_bucket":
            if labels.get("le", "NaN") == "NaN" or _is_uncanonical(labels["le"]):
                raise ValueError("Invalid le label: " + line)
            if not _is_integer(value):
                raise ValueError("Bucket value must be an integer: " + line)
        if sample.name in (name + "_count", name + "_gcount") and not _is_integer(value):
            raise ValueError("Count value must be an integer: " + line)
        if typ == "summary" and sample.name == name:
            quantile = labels.get("quantile")
            if quantile is None or not 0 <= float(quantile) <= 1 or _is_uncanonical(quantile):
                raise ValueError("Invalid quantile label: " + line)
        if is_native:
            self.samples.append(sample)
        else:
            self.add_classic(sample, line)
        if typ == "stateset" and value not in (0, 1):
            raise ValueError("Stateset samples can only have values zero and one: " + line)
        if typ == "info" and value != 1:
            raise ValueError("Info samples can only have value one: " + line)
        if typ == "summary" and sample.name == name and value < 0:
            raise ValueError("Quantile values cannot be negative: " + line)
        suffix = sample.name[len(name) :]
        if suffix in _COUNTER_LIKE_NAN and math.isnan(value):
            raise ValueError("Counter-like samples cannot be NaN: " + line)
        if suffix in _COUNTER_LIKE_NEGATIVE and value < 0:
            raise ValueError("Counter-like samples cannot be negative: " + line)
        if sample.exemplar and not (
            (typ in ("histogram", "gaugehistogram") and sample.name.endswith("_bucket"))
            or (typ == "counter" and sample.name.endswith("_total"))
        ):
            raise ValueError(
                "Invalid line only histogram/gaugehistogram buckets and counters can have exemplars: " + line
            )

    def add_classic(self, sample: Sample, line: str) -> None:
        """Check the grouping and timestamps of a classic sample, then keep it (unless a repeat)."""
        assert self.name is not None
        group = tuple(sorted(_group_of(sample, self.name, self.typ).items()))
        if self.group is not None and group != self.group and group in self.seen_groups:
            raise ValueError("Invalid metric grouping: " + line)
        if self.group is not None and group == self.group:
            if (sample.timestamp is None) != (self.group_timestamp is None):
                raise ValueError("Mix of timestamp presence within a group: " + line)
            # Comparing a Timestamp with a float timestamp fails (AttributeError), as officially.
            previous = self.group_timestamp
            if previous is not None and previous > sample.timestamp and self.typ != "info":  # type: ignore[operator]
                raise ValueError("Timestamps went backwards within a group: " + line)
        else:
            self.group_series = set()
        series = (sample.name, tuple(sorted(sample.labels.items())))
        # A series repeated at the same timestamp is dropped, as officially (truncated timestamps).
        if sample.timestamp != self.group_timestamp or series not in self.group_series:
            self.samples.append(sample)
        self.group_series.add(series)
        self.group = group
        self.group_timestamp = sample.timestamp
        self.seen_groups.add(group)


def _parse(lines: Iterable[str]) -> Iterator[Metric]:
    parser = _Parser()
    eof = False
    lineno = 0
    line = ""
    try:
        for line in lines:
            lineno += 1
            if line.endswith("\n"):
                line = line[:-1]
            if eof:
                raise ValueError("Received line after # EOF: " + line)
            if not line:
                raise ValueError("Received blank line")
            if line == "# EOF":
                eof = True
            elif line.startswith("#"):
                yield from parser.metadata(line)
            else:
                yield from parser.sample(line)
        if parser.name is not None:
            yield parser.build_metric()
        if not eof:
            raise ValueError("Missing # EOF at end")
    except Exception as error:  # Where the official client lets KeyError etc. out, ours is a ValueError too.
        raise as_value_error(error, f"{error} (line {lineno})") from None


def text_fd_to_metric_families(fd: TextIO) -> Iterator[Metric]:
    """Parse OpenMetrics text read from a file-like object (any iterable of lines) into metric families."""
    yield from _parse(fd)


def text_string_to_metric_families(text: str) -> Iterator[Metric]:
    """Parse OpenMetrics text into metric families, lazily, one family at a time."""
    yield from text_fd_to_metric_families(io.StringIO(text))
