"""The one encoder: metric families in, exposition bytes out.

It knows formats and nothing else: not HTTP, files or threads, and not the
registry. The public ``generate_latest`` functions, which read ``REGISTRY`` by
default, live at their official paths (``exposition``,
``openmetrics.exposition``) and call :func:`encode_text` and
:func:`encode_openmetrics`; content negotiation lives in :mod:`._negotiation`.

Two formats share a single walk (:func:`_write_family`): the Prometheus text
format 0.0.4 (and its 1.0.0 variant, which only adds UTF-8 name escaping) and
OpenMetrics 1.0/2.0. What differs between them (header lines, HELP escaping,
timestamps, exemplars, the trailing ``# EOF``, where ``_created`` samples go)
lives in :class:`_Format`; names, labels and values are rendered once, by the
same code, for both.

The walk reads every family in one shape, *runs* of series entries: a run is
a sequence of compiled slots (what each value of an entry is: its sample name,
an extra label such as ``le``) and the entries ``(labels, values, exemplars)``
whose values follow those slots. A family from an instrument is one run as it
comes (:func:`~prometheus_client.metrics_core.compact_series`); a family of
:class:`~prometheus_client.samples.Sample` records is adapted to runs once
(:func:`_sample_runs`), a run per stretch of samples sharing a name.

Speed matters here: a scrape of 100k series must be cheap, and it must leave
nothing behind (issue #11): no text is cached per series between scrapes.
Instruments hand over :class:`~prometheus_client.metrics_core.SeriesLabels`
(their family's label-name tuple and the child's value tuple); the walk makes
one :class:`_LabelPlan` per family from the names (escaped names, sorted order,
as ``str.format`` templates) and renders each series with one ``format`` call,
escaping a value only when it holds a character that needs it. Any other
mapping is sorted and rendered as it comes. Values go through a fast path for
ordinary floats that gives the same text as
:func:`~prometheus_client.utils.floatToGoString`. The output is built as the
official client builds it, one list of lines, one string, one bytes object, so
its large blocks are mapped and unmapped whole rather than left in the heap.
"""

from __future__ import annotations

import re
import sys
from array import array
from itertools import accumulate, islice
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from .metrics_core import Metric, SeriesEntry, SeriesLabels, compact_series
from .samples import Exemplar, NativeHistogram, Sample, Timestamp
from .utils import floatToGoString

if TYPE_CHECKING:
    from .registry import Collector

CONTENT_TYPE_PLAIN_0_0_4 = "text/plain; version=0.0.4; charset=utf-8"
"""Content type of the Prometheus text format 0.0.4."""
CONTENT_TYPE_PLAIN_1_0_0 = "text/plain; version=1.0.0; charset=utf-8"
"""Content type of the Prometheus text format 1.0.0 (0.0.4 plus UTF-8 names)."""
CONTENT_TYPE_LATEST = CONTENT_TYPE_PLAIN_1_0_0
"""Content type of the latest Prometheus text format."""

OPENMETRICS_CONTENT_TYPE_LATEST = "application/openmetrics-text; version=1.0.0; charset=utf-8"
"""Content type of OpenMetrics 1.0 (``prometheus_client.openmetrics.exposition.CONTENT_TYPE_LATEST``)."""
OPENMETRICS_CONTENT_TYPE_LATEST_2_0 = "application/openmetrics-text; version=2.0.0; charset=utf-8"
"""Content type of OpenMetrics 2.0 (native histograms)."""

ESCAPING_HEADER_TAG = "escaping"
"""The Accept / Content-Type parameter that names the escaping scheme."""

# Escaping schemes for metric and label names outside the legacy character set.
ALLOWUTF8 = "allow-utf-8"
UNDERSCORES = "underscores"
DOTS = "dots"
VALUES = "values"
ESCAPING_SCHEMES = (ALLOWUTF8, UNDERSCORES, DOTS, VALUES)

_LEGACY_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LEGACY_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_SURROGATE_MIN = 0xD800
_SURROGATE_MAX = 0xDFFF


# ---------------------------------------------------------------------------
# Names
#
# The escaping rules follow the official client byte for byte, odd corners included:
# names are escaped whole (suffix and all: ``dots`` turns ``a.b_total`` into
# ``a_dot_b__total``), a label name starting with ``__`` counts as non-legacy, an
# unknown scheme leaves names as they are, and OpenMetrics sample lines escape the
# sample name with the *label* character set (see :func:`_om_sample_name`).


def _is_legacy_metric_name(name: str) -> bool:
    return _LEGACY_METRIC_NAME.fullmatch(name) is not None


def _is_legacy_label_name(name: str) -> bool:
    return _LEGACY_LABEL_NAME.fullmatch(name) is not None and not name.startswith("__")


def _is_legacy_rune(char: str, index: int, allow_colon: bool) -> bool:
    return (
        "a" <= char <= "z"
        or "A" <= char <= "Z"
        or char == "_"
        or ("0" <= char <= "9" and index > 0)
        or (allow_colon and char == ":")
    )


def _escape_quoted(text: str) -> str:
    """Backslash-escape ``\\``, newline and ``"``: label values, quoted names, OpenMetrics HELP."""
    if "\\" in text or "\n" in text or '"' in text:
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    return text


def _rewrite(name: str, escaping: str, allow_colon: bool) -> str:
    """``name`` rewritten into the legacy character set by ``escaping`` (whatever it holds)."""
    if escaping == UNDERSCORES:
        return "".join(c if _is_legacy_rune(c, i, allow_colon) else "_" for i, c in enumerate(name))
    if escaping == DOTS:
        # '_' doubles and '.' is spelt out, so that the scheme can be reversed.
        parts = []
        for i, c in enumerate(name):
            if c == "_":
                parts.append("__")
            elif c == ".":
                parts.append("_dot_")
            elif _is_legacy_rune(c, i, allow_colon):
                parts.append(c)
            else:
                parts.append("__")
        return "".join(parts)
    if escaping == VALUES:
        parts = ["U__"]
        for i, c in enumerate(name):
            if c == "_":
                parts.append("__")
            elif _is_legacy_rune(c, i, allow_colon):
                parts.append(c)
            elif _SURROGATE_MIN <= ord(c) <= _SURROGATE_MAX:
                parts.append("_FFFD_")
            else:
                parts.append(f"_{ord(c):x}_")
        return "".join(parts)
    return name


def _escape_name(name: str, escaping: str, is_legacy: bool, allow_colon: bool) -> str:
    if escaping == ALLOWUTF8:
        return name if is_legacy else '"' + _escape_quoted(name) + '"'
    if escaping == DOTS or not is_legacy:
        return _rewrite(name, escaping, allow_colon)
    return name


def escape_metric_name(s: str, escaping: str = UNDERSCORES) -> str:
    """A metric name as it appears in the exposition under ``escaping``.

    ``allow-utf-8`` quotes names outside the legacy character set; the other
    schemes rewrite them into it (``underscores``: ``my.metric`` ->
    ``my_metric``; ``dots``: ``my_dot_metric``, applied to every name;
    ``values``: ``U__my_2e_metric``). An unknown scheme leaves the name as it is.
    """
    if len(s) == 0:
        return s
    return _escape_name(s, escaping, _is_legacy_metric_name(s), True)


def escape_label_name(s: str, escaping: str = UNDERSCORES) -> str:
    """A label name as it appears in the exposition under ``escaping`` (see :func:`escape_metric_name`).

    Names starting with ``__`` are treated as outside the legacy set, as officially.
    """
    if len(s) == 0:
        return s
    return _escape_name(s, escaping, _is_legacy_label_name(s), False)


def _om_sample_name(name: str, escaping: str) -> str:
    """The name on an OpenMetrics sample line (not quoted): the official client's rules.

    It rewrites the whole sample name with the label character set, whether or
    not it is already legacy: under ``underscores`` a ``:`` becomes ``_``, under
    ``values`` every name gets the ``U__`` prefix. HELP/TYPE lines use
    :func:`escape_metric_name` instead.
    """
    if escaping == ALLOWUTF8:
        return _escape_quoted(name)
    return _rewrite(name, escaping, False)


# ---------------------------------------------------------------------------
# Labels


# (label name, escaping) -> escaped name + '="'; label names are few, so this stays small (and is bounded).
_LABEL_NAME_TEXT: Dict[Tuple[Any, str], str] = {}


def _label_name_text(name: str, escaping: str) -> str:
    key = (name, escaping)
    text = _LABEL_NAME_TEXT.get(key)
    if text is None:
        # A non-str name fails here as officially (len() of an int: TypeError).
        text = escape_label_name(name, escaping) + '="'
        if len(_LABEL_NAME_TEXT) > 10000:
            _LABEL_NAME_TEXT.clear()
        _LABEL_NAME_TEXT[key] = text
    return text


def _label_value_text(value: Any) -> str:
    """An escaped label value; a non-str fails as the official client's ``value.replace`` does."""
    if type(value) is not str and not isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')  # type: ignore[no-any-return]
    return _escape_quoted(value)


def _label_pairs(labels: Mapping[str, str], escaping: str) -> List[Tuple[str, str]]:
    """Sorted (name, 'name="value"') pairs of a label dict."""
    return [
        (name, f'{_label_name_text(name, escaping)}{_label_value_text(value)}"')
        for name, value in sorted(labels.items())
    ]


def _label_body(labels: Mapping[str, str], escaping: str) -> str:
    """``a="1",b="2"} ``: the sorted labels and what closes them, up to the value."""
    parts = []
    for name, value in sorted(labels.items()):
        if type(value) is not str or "\\" in value or "\n" in value or '"' in value:
            value = _label_value_text(value)
        parts.append(f'{_label_name_text(name, escaping)}{value}"')
    return ",".join(parts) + "} "


def _label_body_around(labels: Mapping[str, str], escaping: str, extra_name: str) -> Tuple[str, str]:
    """The label text before and after where ``extra_name`` (e.g. ``le``) sorts in.

    Instruments add one label (``le``, ``quantile``) per point; splitting the
    cached text around it keeps the output sorted without re-rendering.
    """
    before: List[str] = []
    after: List[str] = []
    for name, text in _label_pairs(labels, escaping):
        (before if name < extra_name else after).append(text)
    head = ",".join(before) + "," if before else ""
    tail = "," + ",".join(after) + "} " if after else "} "
    return head, tail


# The label text around an extra label of a series without labels: just the braces.
_BARE_AROUND = ("", "} ")

_Template = Callable[..., str]


def _template(pairs: List[Tuple[str, int]], head: str, tail: str) -> _Template:
    """A ``str.format`` of ``head`` + the ``name="{index}"`` pairs joined by commas + ``tail``.

    Each pair is an escaped ``name="`` text and the position of its value in the series' values tuple,
    so the template both sorts and fills: ``template(*values)``. Braces in names are doubled.
    """
    if not pairs:
        return (head + tail).replace("{", "{{").replace("}", "}}").format
    parts = [text.replace("{", "{{").replace("}", "}}") + "{" + str(index) + '}"' for text, index in pairs]
    return (head.replace("{", "{{") + ",".join(parts) + tail.replace("}", "}}")).format


class _LabelPlan:
    """How one family's label names become text under one escaping scheme.

    Made once per family and scrape, from the names tuple that the family's
    :class:`SeriesLabels` share, and dropped with the walk: ``body`` renders
    ``a="1",b="2"} `` from a values tuple, :meth:`around` the text before and
    after where an extra label (``le``) sorts in.
    """

    __slots__ = ("pairs", "body", "sorted_body", "arounds")

    def __init__(self, names: Tuple[str, ...], escaping: str) -> None:
        order = sorted(range(len(names)), key=names.__getitem__)
        self.pairs = [(names[index], _label_name_text(names[index], escaping), index) for index in order]
        self.body = _template([(text, index) for _, text, index in self.pairs], "", "} ")
        # Names already in order (the usual case): a printf template, filled by ``%`` with the values
        # tuple as it is, which is cheaper than ``str.format(*values)``.
        self.sorted_body: Optional[str] = None
        if order == list(range(len(names))):
            self.sorted_body = ",".join(text.replace("%", "%%") + '%s"' for _, text, _ in self.pairs) + "} "
        self.arounds: Dict[str, Tuple[_Template, _Template]] = {}

    def around(self, extra_name: str) -> Tuple[_Template, _Template]:
        """Templates of the text before and after ``extra_name`` (see :func:`_label_body_around`)."""
        found = self.arounds.get(extra_name)
        if found is None:
            before = [(text, index) for name, text, index in self.pairs if name < extra_name]
            after = [(text, index) for name, text, index in self.pairs if not name < extra_name]
            head = _template(before, "", ",") if before else _template([], "", "")
            tail = _template(after, ",", "} ") if after else _template([], "", "} ")
            found = self.arounds[extra_name] = (head, tail)
        return found


# ---------------------------------------------------------------------------
# Values


def format_value(value: object) -> str:
    """A sample value as the official ``floatToGoString`` spells it (``1e+06``, ``+Inf``).

    Ordinary floats take a fast path; anything else goes through ``float()``,
    so a bad value raises what ``float()`` raises (TypeError for None, lists or
    dicts, ValueError for ``'x'``), as in the official client.
    """
    if type(value) is float and -1e6 < value < 1e6:
        # Within this range Python's shortest repr is exactly Go's text.
        return repr(value)
    return floatToGoString(value)  # type: ignore[arg-type]


# Position of the '.' in repr() of a float in [1e6, 1e16) -> Go's exponent suffix (see floatToGoString).
_EXPONENTS = {dot: f"e+{dot - 1:02d}" for dot in range(7, 17)}


def _large_value_text(value: float) -> str:
    """:func:`floatToGoString` of a float in [1e6, 1e16), where repr() is positional and Go's is not."""
    text = repr(value)
    dot = text.find(".")
    digits = text[:dot] + text[dot + 1 :]
    if text[-2:] == ".0":
        digits = digits.rstrip("0")  # an integral value: Go writes no trailing zeros
    if len(digits) == 1:
        return digits + _EXPONENTS[dot]
    return digits[0] + "." + digits[1:] + _EXPONENTS[dot]


# Family name -> the large values of its last scrape and their texts, packed into one str (see
# _pack_large_value_texts). One object per family, swapped whole, so a concurrent scrape sees one or the other.
_LARGE_VALUE_TEXTS: Dict[str, str] = {}
# Families with fewer large values keep nothing: a packed str under pymalloc's 512-byte limit would be
# a small object left among the scrape's transient ones, pinning a whole arena of them.
_MIN_KEPT_LARGE_VALUES = 32
_NO_LARGE_VALUES: "array[float]" = array("d")
_NO_ENDS: "array[int]" = array("Q", [0])

# What a walk found to keep: (family name, its large values, their texts), packed once the output is made.
_PendingTexts = List[Tuple[str, "array[float]", List[str]]]


def _pack_large_value_texts(values: "array[float]", texts: List[str]) -> str:
    """The values and texts as one str: count, values, end offsets (8 bytes each, as latin-1), then the texts.

    A creation timestamp is the same on every scrape, and formatting one costs more than writing the
    rest of its line, so the walk keeps those texts between scrapes; but flat, about 37 bytes per
    value in a single large block per family (malloc'd, outside pymalloc), and no object per series.
    """
    ends = array("Q", [0])
    ends.extend(accumulate(map(len, texts)))
    head = array("Q", [len(values)]).tobytes() + values.tobytes() + ends.tobytes()
    return head.decode("latin-1") + "".join(texts)


def _unpack_large_value_texts(packed: Optional[str]) -> Tuple["array[float]", "array[int]", str, int]:
    """(values, end offsets, the packed str, where its texts start) of :func:`_pack_large_value_texts`.

    The numbers are copied into arrays (one memcpy each): indexing an array is cheaper than a memoryview.
    """
    if packed is None:
        return _NO_LARGE_VALUES, _NO_ENDS, "", 0
    count = int.from_bytes(packed[:8].encode("latin-1"), sys.byteorder)
    numbers = packed[8 : 16 * count + 16].encode("latin-1")
    values = array("d")
    values.frombytes(numbers[: 8 * count])
    ends = array("Q")
    ends.frombytes(numbers[8 * count :])
    return values, ends, packed, 16 * count + 16


def _kept_texts(packed: str, ends: "array[int]", base: int, count: int) -> List[str]:
    """The first ``count`` texts of a packed str (see :func:`_unpack_large_value_texts`)."""
    return [packed[base + ends[k] : base + ends[k + 1]] for k in range(count)]


def _keep_large_value_texts(pending: _PendingTexts) -> None:
    """Replace the kept texts of each family in ``pending`` (after the scrape's lines are gone)."""
    if len(_LARGE_VALUE_TEXTS) > 10000:
        _LARGE_VALUE_TEXTS.clear()  # Family names that keep changing: start over rather than grow.
    for name, values, texts in pending:
        if len(values) < _MIN_KEPT_LARGE_VALUES:
            _LARGE_VALUE_TEXTS.pop(name, None)
        else:
            _LARGE_VALUE_TEXTS[name] = _pack_large_value_texts(values, texts)


# ---------------------------------------------------------------------------
# The two formats: only what differs between them


_TEXT_TYPE = {
    # OpenMetrics type -> (suffix of the family name, type word) in the 0.0.4 text format.
    # Any other type (a custom Metric whose type was changed) is written as it is.
    "counter": ("_total", "counter"),
    "gauge": ("", "gauge"),
    "summary": ("", "summary"),
    "histogram": ("", "histogram"),
    "gaugehistogram": ("", "histogram"),
    "unknown": ("", "untyped"),
    "info": ("_info", "gauge"),
    "stateset": ("", "gauge"),
}


def _exemplar_allowed(typ: str, family_name: str, sample_name: str) -> bool:
    """Whether OpenMetrics lets sample ``sample_name`` of a ``typ`` family carry an exemplar."""
    if typ == "counter":
        return sample_name.endswith("_total")
    if typ == "gaugehistogram":
        return sample_name.endswith("_bucket")
    if typ == "histogram":
        return sample_name.endswith("_bucket") or sample_name == family_name
    return False


def _text_help(documentation: str) -> str:
    # Not guarded by a str check: a non-str documentation fails as officially (AttributeError).
    return documentation.replace("\\", "\\\\").replace("\n", "\\n")


class _Format:
    """What one exposition format does differently; the walk in :func:`_write_family` is shared."""

    __slots__ = ("is_openmetrics", "escaping", "has_native_histograms", "deferred_suffixes", "trailer")

    def __init__(self, is_openmetrics: bool, escaping: str, version: str = "1.0.0") -> None:
        # An unknown escaping scheme is not an error: names are then written unescaped, as officially.
        self.is_openmetrics = is_openmetrics
        self.escaping = escaping
        self.has_native_histograms = is_openmetrics and _version_tuple(version) >= (2, 0, 0)
        # The 0.0.4 format has no _created/_gsum/_gcount: they become gauge families after their family.
        self.deferred_suffixes: Tuple[str, ...] = () if is_openmetrics else ("_created", "_gcount", "_gsum")
        self.trailer = "# EOF\n" if is_openmetrics else ""

    def header(self, name: str, documentation: str, typ: str, unit: str) -> str:
        """The HELP/TYPE(/UNIT) lines of a family."""
        escaping = self.escaping
        if self.is_openmetrics:
            escaped = escape_metric_name(name, escaping)
            help_text = documentation.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
            text = f"# HELP {escaped} {help_text}\n# TYPE {escaped} {typ}\n"
            if unit:
                text += f"# UNIT {escaped} {unit}\n"
            return text
        suffix, word = _TEXT_TYPE.get(typ, ("", typ))
        escaped = escape_metric_name(name + suffix, escaping)
        return f"# HELP {escaped} {_text_help(documentation)}\n# TYPE {escaped} {word}\n"

    def deferred_header(self, name: str, suffix: str, documentation: str) -> str:
        """HELP/TYPE of a gauge family holding the deferred samples (0.0.4 only)."""
        escaped = escape_metric_name(name + suffix, self.escaping)
        return f"# HELP {escaped} {_text_help(documentation)}\n# TYPE {escaped} gauge\n"

    def name_forms(self, sample_name: str) -> Tuple[str, str]:
        """How a sample line starts: (before the labels of a labelled sample, whole prefix of a bare one).

        ``allow-utf-8`` puts a name outside the legacy set inside the braces:
        ``{"my.metric",a="b"} 1.0`` and ``{"my.metric"} 1.0``.
        """
        escaping = self.escaping
        if escaping == ALLOWUTF8 and not _is_legacy_metric_name(sample_name):
            quoted = escape_metric_name(sample_name, escaping)
            if not quoted and self.is_openmetrics:
                return "{,", " "
            return "{" + quoted + ",", "{" + quoted + "} "
        if self.is_openmetrics:
            escaped = _om_sample_name(sample_name, escaping)
        else:
            escaped = escape_metric_name(sample_name, escaping)
        return escaped + "{", escaped + " "

    def timestamp(self, timestamp: Union[float, Timestamp]) -> str:
        """`` <time>``: seconds as given in OpenMetrics, integer milliseconds in 0.0.4."""
        if self.is_openmetrics:
            return f" {timestamp}"
        return f" {int(float(timestamp) * 1000):d}"

    def exemplar(self, typ: str, family_name: str, sample_name: str, exemplar: Exemplar) -> str:
        """`` # {labels} value [time]`` in OpenMetrics; the 0.0.4 format has no exemplars."""
        if not self.is_openmetrics:
            return ""
        if not _exemplar_allowed(typ, family_name, sample_name):
            raise ValueError(
                f"Metric {family_name} has exemplars, but is not a histogram bucket or counter"
                f" (sample {sample_name!r})"
            )
        # Exemplar label names are written as they are (not escaped), as officially.
        labels = ",".join(f'{k}="{_label_value_text(v)}"' for k, v in sorted(exemplar.labels.items()))
        text = f" # {{{labels}}} {floatToGoString(exemplar.value)}"
        if exemplar.timestamp is not None:
            text += f" {exemplar.timestamp}"
        return text


    def value_text(self, value: object, typ: str, family_name: str, sample_name: str) -> Optional[str]:
        """The text of a value that is not a plain float (the walk does those), or None to skip the line.

        A :class:`_Point` adds its timestamp; a native histogram is written only
        by OpenMetrics 2.0, followed by the sample's exemplar and then its own.
        OpenMetrics writes no value for None (a gauge histogram without gsum).
        """
        if type(value) is NativeHistogram:
            # An instrument's native histogram slot: the histogram itself stands in the values list.
            value = _Point(None, None, value, None)
        elif type(value) is not _Point:
            if value is None and self.is_openmetrics:
                return ""
            return format_value(value)
        tail = ""
        if value.exemplar is not None and self.is_openmetrics:
            tail = self.exemplar(typ, family_name, sample_name, value.exemplar)
        nh = value.native_histogram
        if nh is not None and not self.has_native_histograms:
            # As the official client: OpenMetrics before 2.0 leaves the sample out, the 0.0.4 text format
            # writes its plain value (and where it has none, which fails the official scrape, leaves it out).
            if self.is_openmetrics or value.value is None:
                return None
            nh = None
        if nh is not None:
            text = _native_histogram_text(nh)
            if nh.nh_exemplars:
                tail += "".join(self.exemplar(typ, family_name, sample_name, e) for e in nh.nh_exemplars)
        elif value.value is None and self.is_openmetrics:
            text = ""
        else:
            text = format_value(value.value)
        if value.timestamp is not None:
            text += self.timestamp(value.timestamp)
        return text + tail


def _version_tuple(version: str) -> Tuple[int, ...]:
    parts = []
    for part in version.split("."):
        try:
            parts.append(int(part))
        except ValueError:
            parts.append(-1)
    return tuple(parts)


def _native_histogram_text(nh: NativeHistogram) -> str:
    """``{count:..,sum:..,schema:..,...}``: the value of a native histogram sample (OpenMetrics 2.0)."""
    text = (
        f"{{count:{nh.count_value},sum:{nh.sum_value},schema:{nh.schema},"
        f"zero_threshold:{nh.zero_threshold},zero_count:{nh.zero_count}"
    )
    if nh.neg_spans:
        spans = ",".join(f"{span[0]}:{span[1]}" for span in nh.neg_spans)
        deltas = ",".join(map(str, nh.neg_deltas or ()))
        text += f",negative_spans:[{spans}],negative_deltas:[{deltas}]"
    if nh.pos_spans:
        spans = ",".join(f"{span[0]}:{span[1]}" for span in nh.pos_spans)
        deltas = ",".join(map(str, nh.pos_deltas or ()))
        text += f",positive_spans:[{spans}],positive_deltas:[{deltas}]"
    return text + "}"


# ---------------------------------------------------------------------------
# Families as runs of series entries


class _Point:
    """A sample value that carries more than a number: a timestamp or a native histogram.

    Only samples from custom collectors and parsers have these; the walk sends
    anything that is not a float to :meth:`_Format.value_text`, which knows
    this type.
    """

    __slots__ = ("value", "timestamp", "native_histogram", "exemplar")

    def __init__(
        self,
        value: object,
        timestamp: Optional[Union[float, Timestamp]],
        native_histogram: Optional[NativeHistogram],
        exemplar: Optional[Exemplar],
    ) -> None:
        self.value = value
        self.timestamp = timestamp
        self.native_histogram = native_histogram
        # Only with a native histogram: its exemplars must follow the sample's own (see value_text).
        self.exemplar = exemplar


# What a slot is once compiled for one family and format: (start of a labelled line, whole start of a
# bare line, extra label name or None, its rendered text, deferred list or None, full sample name).
_CompiledSlot = Tuple[str, str, Optional[str], str, Optional[List[str]], str]
_Run = Tuple[Sequence[_CompiledSlot], Iterable[SeriesEntry]]


def _compile_slot(
    fmt: _Format, family_name: str, sample_name: str, extra: Optional[Tuple[str, str]], deferred: Dict[str, List[str]]
) -> _CompiledSlot:
    labelled, bare = fmt.name_forms(sample_name)
    target = None
    for suffix in fmt.deferred_suffixes:
        if sample_name == family_name + suffix:
            target = deferred.setdefault(suffix, [])
    if extra is None:
        return (labelled, bare, None, "", target, sample_name)
    extra_text = f'{_label_name_text(extra[0], fmt.escaping)}{_escape_quoted(extra[1])}"'
    return (labelled, bare, extra[0], extra_text, target, sample_name)


def _sample_runs(
    family_name: str, samples: Iterable[Sample], fmt: _Format, deferred: Dict[str, List[str]]
) -> Iterator[_Run]:
    """:class:`Sample` records as runs: one per stretch of consecutive samples with the same name.

    Each sample becomes a one-value entry; a timestamp or native histogram
    travels in a :class:`_Point` in place of the value.
    """
    compiled: Dict[str, Tuple[_CompiledSlot]] = {}
    run_name: Optional[str] = None
    slots: Tuple[_CompiledSlot] = ()  # type: ignore[assignment]
    entries: List[SeriesEntry] = []
    for sample_name, labels, value, timestamp, exemplar, native_histogram in samples:
        if timestamp is not None or native_histogram is not None:
            if native_histogram is None:
                value = _Point(value, timestamp, None, None)  # type: ignore[assignment]
            else:
                value = _Point(value, timestamp, native_histogram, exemplar)  # type: ignore[assignment]
                exemplar = None
        if sample_name != run_name or run_name is None:
            if entries:
                yield slots, entries
                entries = []
            run_name = sample_name
            found = compiled.get(sample_name)
            if found is None:
                found = compiled[sample_name] = (_compile_slot(fmt, family_name, sample_name, None, deferred),)
            slots = found
        entries.append((labels, (value,), None if exemplar is None else (exemplar,)))  # type: ignore[arg-type]
    if entries:
        yield slots, entries


def _runs(family: Metric, fmt: _Format, deferred: Dict[str, List[str]]) -> Iterable[_Run]:
    """The family as runs: an instrument's series as they are, anything else from its samples."""
    name = family.name
    compact = compact_series(family)
    if compact is None:
        return _sample_runs(name, family.samples, fmt, deferred)
    layout, series = compact
    slots = [_compile_slot(fmt, name, name + suffix, extra, deferred) for suffix, extra in layout]
    return _batches(slots, series)


# Entries made at a time before their lines are written. Alternating between making one entry and
# writing its lines is ~15% slower (10k series); a whole family at once keeps thousands of entries
# alive, which sets off the garbage collector (its youngest generation is collected every 700 new
# objects, and an entry is about three): a batch stays under that.
_BATCH = 200


def _batches(slots: Sequence[_CompiledSlot], series: Iterable[SeriesEntry]) -> Iterator[_Run]:
    entries = iter(series)
    while True:
        batch = list(islice(entries, _BATCH))
        if not batch:
            return
        yield slots, batch


# ---------------------------------------------------------------------------
# The walk


def _write_family(
    family: Metric, fmt: _Format, out: List[str], deferred: Dict[str, List[str]], pending: _PendingTexts
) -> None:
    """The sample lines of ``family``, appended to ``out`` (or to ``deferred``, by suffix).

    Large value texts to keep for the next scrape go to ``pending`` (see :func:`_pack_large_value_texts`).

    Per entry the label text is made once (one ``format`` call for an
    instrument's series, see :class:`_LabelPlan`); per value this does one
    float repr and builds one string. Nothing made here outlives the call.
    """
    name = family.name
    typ = family.type
    escaping = fmt.escaping
    keeps_exemplars = fmt.is_openmetrics
    append = out.append
    series_labels = SeriesLabels
    repr_ = repr
    float_ = float
    go_float = floatToGoString
    join = "".join
    large_value_text = _large_value_text
    # Large values: the last scrape's texts (see _pack_large_value_texts), this walk's values, and its texts
    # once one of them differs from the last scrape's (None while all are the same).
    cached_values, cached_ends, cached_blob, base = _unpack_large_value_texts(_LARGE_VALUE_TEXTS.get(name))
    known = len(cached_values)
    large = 0
    large_values: "array[float]" = array("d")
    keep_value = large_values.append
    fresh: Optional[List[str]] = None
    # The plan of the last names tuple seen: a family's children share one, so this is made once.
    plan_names: Optional[Tuple[str, ...]] = None
    plan: Optional[_LabelPlan] = None
    body_template: _Template = "".format
    sorted_body: Optional[str] = None
    for slots, entries in _runs(family, fmt, deferred):
        for labels, values, exemplars in entries:
            body: Optional[str] = None
            # The values tuple the plan's templates fill, for an instrument's series; None for other mappings.
            label_values: Optional[Tuple[str, ...]] = None
            if type(labels) is series_labels:
                label_values = labels.labelvalues
                if label_values:
                    names = labels.labelnames
                    if names is not plan_names:
                        plan = _LabelPlan(names, escaping)
                        plan_names = names
                        body_template = plan.body
                        sorted_body = plan.sorted_body
                    joined = join(label_values)
                    if "\\" in joined or "\n" in joined or '"' in joined:
                        label_values = tuple(map(_escape_quoted, label_values))
                    if sorted_body is not None:
                        body = sorted_body % label_values
                    else:
                        body = body_template(*label_values)
                else:
                    label_values = None  # An instrument without labels.
            elif labels:
                body = _label_body(labels, escaping)
            if not keeps_exemplars:
                exemplars = None  # The text format has no exemplars.
            around_name = None
            index = 0
            for value in values:
                labelled, bare, extra_name, extra_text, target, sample_name = slots[index]
                tail = None
                if exemplars is not None:
                    exemplar = exemplars[index]
                    if exemplar is not None:
                        # OpenMetrics checks the exemplar before anything else of the value, as officially.
                        tail = fmt.exemplar(typ, name, sample_name, exemplar)
                index += 1
                if type(value) is float_:
                    if -1e6 < value < 1e6:
                        # Within this range Python's shortest repr is exactly Go's text.
                        text = repr_(value)
                    elif 1e6 <= value < 1e16:
                        # Mostly creation timestamps, the same on every scrape: see _pack_large_value_texts.
                        if large < known and cached_values[large] == value:
                            text = cached_blob[base + cached_ends[large] : base + cached_ends[large + 1]]
                            if fresh is not None:
                                fresh.append(text)
                        else:
                            if fresh is None:
                                fresh = _kept_texts(cached_blob, cached_ends, base, large)
                            text = large_value_text(value)
                            fresh.append(text)
                        keep_value(value)
                        large += 1
                    else:
                        text = go_float(value)
                else:
                    found = fmt.value_text(value, typ, name, sample_name)
                    if found is None:
                        continue  # A native histogram, in a format without them.
                    text = found
                if tail is not None:
                    text += tail
                if extra_name is None:
                    if body is None:
                        line = f"{bare}{text}\n"
                    else:
                        line = f"{labelled}{body}{text}\n"
                else:
                    if extra_name != around_name:
                        around_name = extra_name
                        if label_values is not None:
                            head_template, tail_template = plan.around(extra_name)  # type: ignore[union-attr]
                            around = (head_template(*label_values), tail_template(*label_values))
                        elif labels:
                            around = _label_body_around(labels, escaping, extra_name)
                        else:
                            around = _BARE_AROUND
                    line = f"{labelled}{around[0]}{extra_text}{around[1]}{text}\n"
                if target is None:
                    append(line)
                else:
                    target.append(line)
    if fresh is not None:
        if large >= _MIN_KEPT_LARGE_VALUES or known:
            pending.append((name, large_values, fresh))
    elif large < known:
        # Fewer large values than last time, the first ones unchanged: keep those.
        pending.append((name, large_values, _kept_texts(cached_blob, cached_ends, base, large)))


def _encode(families: Iterable[Metric], fmt: _Format) -> bytes:
    """Every family in format ``fmt``, as UTF-8 bytes.

    A family that cannot be encoded raises what failed (TypeError for a None
    value, ValueError for ``'x'``, ...) with the family appended to the
    exception's ``args``, as the official client does; nothing is returned.
    """
    # One list of lines, joined once and encoded once, as the official client does. Lines are small
    # (pymalloc's pools, freed whole when the scrape ends) and the two large blocks are each the largest
    # allocation of the scrape, so glibc maps and unmaps them: no transient block stays in its heap.
    # (Per-family chunks, joined at the end, fell below glibc's raised mmap threshold from the second
    # scrape on and kept ~25 MiB of heap on the issue #11 registry.)
    out: List[str] = []
    pending: _PendingTexts = []
    for family in families:
        deferred: Dict[str, List[str]] = {}
        start = len(out)
        try:
            out.append(fmt.header(family.name, family.documentation, family.type, family.unit))
            _write_family(family, fmt, out, deferred, pending)
        except Exception as exception:
            del out[start:]
            exception.args = (exception.args or ("",)) + (family,)
            raise
        for suffix in sorted(deferred):
            lines = deferred[suffix]
            if lines:
                out.append(fmt.deferred_header(family.name, suffix, family.documentation))
                out.extend(lines)
    out.append(fmt.trailer)
    output = "".join(out).encode("utf-8")
    del out
    if pending:
        _keep_large_value_texts(pending)
    return output


# ---------------------------------------------------------------------------
# Entry points: families in, bytes out


def encode_text(collector: "Collector", escaping: str = UNDERSCORES) -> bytes:
    """The families of ``collector`` (a registry, or anything with ``collect()``) in the Prometheus text format.

    Version 0.0.4, or 1.0.0 when ``escaping`` allows UTF-8 names. Counters are
    exposed as ``name_total``; ``_created``, ``_gsum`` and ``_gcount`` samples
    follow their family as separate gauge families; exemplars and native
    histograms are dropped; timestamps are in milliseconds. The public
    ``generate_latest`` (``prometheus_client.exposition``) is this with
    ``REGISTRY`` as the default.
    """
    return _encode(collector.collect(), _Format(False, escaping))


def encode_openmetrics(collector: "Collector", escaping: str = UNDERSCORES, version: str = "1.0.0") -> bytes:
    """The families of ``collector`` in the OpenMetrics text format, ending in ``# EOF``.

    ``version`` 2.0.0 adds native histogram samples; earlier versions leave
    them out. The public ``prometheus_client.openmetrics.exposition.generate_latest``
    is this with ``REGISTRY`` as the default.
    """
    return _encode(collector.collect(), _Format(True, escaping, version))

