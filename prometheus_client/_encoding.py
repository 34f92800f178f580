"""The one encoder: metric families in, exposition bytes out.

Two formats share a single walk over the samples (:func:`_encode`): the
Prometheus text format 0.0.4 (and its 1.0.0 variant, which only adds UTF-8
name escaping) and OpenMetrics 1.0. What differs between them (header lines,
HELP escaping, timestamps, exemplars, the trailing ``# EOF``, where
``_created`` samples go) lives in :class:`_Format`; everything else (names,
labels, values) is rendered once, by the same code, for both.

Speed matters here: a scrape of 100k series must be cheap. Instruments hand
over :class:`~prometheus_client.samples.LabelSet` objects that they reuse on
every scrape, so the escaped text of a label set is cached on the label set
itself (``labelset.body``) and escaped only once in its lifetime.
Values go through a fast path for ordinary floats that gives the same text as
:func:`~prometheus_client.utils.floatToGoString`.

The encoder knows nothing of HTTP, files or threads.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from .metrics_core import InstrumentMetric
from .registry import REGISTRY, Collector
from .samples import Exemplar, LabelSet, NativeHistogram, Timestamp
from .utils import floatToGoString

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


def _cached_label_body(labels: Mapping[str, str], escaping: str) -> str:
    """The label text of ``labels``, remembered on it when it is an instrument's LabelSet."""
    if type(labels) is not LabelSet:
        return _label_body(labels, escaping)
    cached = labels.body
    if cached is not None and cached[0] == escaping:
        return cached[1]
    body = _label_body(labels, escaping)
    labels.body = (escaping, body)
    return body


def _cached_body_around(labels: Mapping[str, str], escaping: str, extra_name: str) -> Tuple[str, str]:
    """:func:`_label_body_around`, remembered on an instrument's LabelSet."""
    if type(labels) is not LabelSet:
        return _label_body_around(labels, escaping, extra_name)
    encoded = labels.encoded
    if encoded is None:
        encoded = labels.encoded = {}
    # Keyed by the (shared) extra label name; the escaping is checked inside the entry.
    cached: Optional[Tuple[str, Tuple[str, str]]] = encoded.get(extra_name)
    if cached is not None and cached[0] == escaping:
        return cached[1]
    around = _label_body_around(labels, escaping, extra_name)
    encoded[extra_name] = (escaping, around)
    return around


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
    """What one exposition format does differently; the walk in :func:`_encode` is shared."""

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
        deltas = ",".join(str(delta) for delta in nh.neg_deltas or ())
        text += f",negative_spans:[{spans}],negative_deltas:[{deltas}]"
    if nh.pos_spans:
        spans = ",".join(f"{span[0]}:{span[1]}" for span in nh.pos_spans)
        deltas = ",".join(str(delta) for delta in nh.pos_deltas or ())
        text += f",positive_spans:[{spans}],positive_deltas:[{deltas}]"
    return text + "}"


# ---------------------------------------------------------------------------
# The shared walk


def _encode(registry: Collector, fmt: _Format) -> bytes:
    """Every family of ``registry`` in format ``fmt``, as UTF-8 bytes.

    Output is built in a list and joined once. A family that cannot be encoded
    raises what failed (TypeError for a None value, ValueError for ``'x'``, ...)
    with the family appended to the exception's ``args``, as the official client
    does; nothing is returned.
    """
    # Each family's lines are joined and encoded as soon as it is done, so at most one family's
    # worth of line strings is alive at a time, beside the bytes already made.
    chunks: List[bytes] = []
    out: List[str] = []
    for family in registry.collect():
        try:
            typ = family.type
            out.append(fmt.header(family.name, family.documentation, typ, family.unit))
            deferred: Dict[str, List[str]] = {}
            if isinstance(family, InstrumentMetric) and family.series:
                _encode_series(family.name, typ, family.layout, family.series, fmt, out, deferred)
            else:
                _encode_samples(family.name, typ, family.samples, fmt, out, deferred)
        except Exception as exception:
            out.clear()
            exception.args = (exception.args or ("",)) + (family,)
            raise
        for suffix in sorted(deferred):
            lines = deferred[suffix]
            if lines:
                out.append(fmt.deferred_header(family.name, suffix, family.documentation))
                out.extend(lines)
        chunks.append("".join(out).encode("utf-8"))
        out.clear()
    chunks.append(fmt.trailer.encode("utf-8"))
    return b"".join(chunks)


def _encode_samples(
    name: str, typ: str, samples: list, fmt: _Format, out: List[str], deferred: Dict[str, List[str]]
) -> None:
    """Lines of :class:`~prometheus_client.samples.Sample` records (custom collectors, parsers)."""
    escaping = fmt.escaping
    is_openmetrics = fmt.is_openmetrics
    deferred_names = {name + suffix: suffix for suffix in fmt.deferred_suffixes}
    names: Dict[str, Tuple[str, str]] = {}
    append = out.append
    for sample in samples:
        sname, labels, value, timestamp, exemplar, nh = sample
        forms = names.get(sname)
        if forms is None:
            forms = names[sname] = fmt.name_forms(sname)
        if labels:
            head = forms[0] + _cached_label_body(labels, escaping)
        else:
            head = forms[1]
        # OpenMetrics checks the exemplar before anything else of the value, as officially.
        tail = fmt.exemplar(typ, name, sname, exemplar) if exemplar is not None and is_openmetrics else ""
        if nh is not None:
            if not fmt.has_native_histograms:
                continue  # No representation before OpenMetrics 2.0.
            text = _native_histogram_text(nh)
            if nh.nh_exemplars:
                tail += "".join(fmt.exemplar(typ, name, sname, e) for e in nh.nh_exemplars)
        elif type(value) is float and -1e6 < value < 1e6:
            text = repr(value)
        elif value is None and is_openmetrics:
            text = ""  # OpenMetrics writes no value for None (a gauge histogram without gsum).
        else:
            text = format_value(value)
        if timestamp is not None:
            text += fmt.timestamp(timestamp)
        suffix = deferred_names.get(sname)
        if suffix is None:
            append(head + text + tail + "\n")
        else:
            deferred.setdefault(suffix, []).append(head + text + tail + "\n")


def _encode_series(
    name: str,
    typ: str,
    layout: Sequence[Tuple[str, Optional[Tuple[str, str]]]],
    series: Iterable[Any],
    fmt: _Format,
    out: List[str],
    deferred: Dict[str, List[str]],
) -> None:
    """Lines of an instrument's compact ``series`` (see ``metrics_core.InstrumentMetric``): the hot path.

    Everything that depends only on the family's layout (name text, extra
    label text, which lines are deferred) is worked out once per family; per
    value this does one float repr and builds one string, with the label text
    taken from the label set's cache.
    """
    escaping = fmt.escaping
    keeps_exemplars = fmt.is_openmetrics
    # Per slot: (prefix of a labelled line, prefix of a bare line, extra label name, its rendered text,
    # deferral list or None, sample suffix).
    slots: List[Tuple[str, str, Optional[str], str, Optional[List[str]], str]] = []
    for suffix, extra in layout:
        labelled, bare = fmt.name_forms(name + suffix)
        target = deferred.setdefault(suffix, []) if suffix in fmt.deferred_suffixes else None
        if extra is None:
            slots.append((labelled, bare, None, "", target, suffix))
        else:
            extra_text = f'{_label_name_text(extra[0], escaping)}{_escape_quoted(extra[1])}"'
            slots.append((labelled, bare, extra[0], extra_text, target, suffix))
    append = out.append
    label_set = LabelSet
    repr_ = repr
    float_ = float
    go_float = floatToGoString
    labels = None
    suffix = ""
    body: Optional[str]
    if len(slots) == 1 and slots[0][2] is None and slots[0][4] is None:
        # One plain value per child (gauges, info): the common case, in a tight loop.
        labelled, bare, _, _, _, suffix = slots[0]
        for labels, values, exemplars in series:
            value = values[0]
            if type(value) is float_:
                text = repr_(value) if -1e6 < value < 1e6 else go_float(value)
            else:
                text = format_value(value)
            if exemplars is not None and keeps_exemplars and exemplars[0] is not None:
                text += fmt.exemplar(typ, name, name + suffix, exemplars[0])
            if labels:
                cached = labels.body if type(labels) is label_set else None
                if cached is not None and cached[0] == escaping:
                    body = cached[1]
                else:
                    body = _cached_label_body(labels, escaping)
                append(f"{labelled}{body}{text}\n")
            else:
                append(f"{bare}{text}\n")
        return
    for labels, values, exemplars in series:
        is_label_set = type(labels) is label_set
        body = None
        around: Tuple[str, str] = ("", "")
        around_name = None
        for index, value in enumerate(values):
            labelled, bare, extra_name, extra_text, target, suffix = slots[index]
            if type(value) is float_:
                if -1e6 < value < 1e6:
                    text = repr_(value)
                elif is_label_set:
                    # Large values are mostly creation timestamps, the same on every scrape:
                    # the label set remembers the last one it formatted.
                    last = labels.last
                    if last is not None and last[0] == value:
                        text = last[1]
                    else:
                        text = go_float(value)
                        labels.last = (value, text)
                else:
                    text = go_float(value)
            else:
                text = format_value(value)
            if exemplars is not None and keeps_exemplars:
                exemplar = exemplars[index]
                if exemplar is not None:
                    text += fmt.exemplar(typ, name, name + suffix, exemplar)
            if extra_name is None:
                if not labels:
                    line = f"{bare}{text}\n"
                else:
                    if body is None:
                        body = _cached_label_body(labels, escaping)
                    line = f"{labelled}{body}{text}\n"
            else:
                if extra_name != around_name:
                    around_name = extra_name
                    around = _cached_body_around(labels, escaping, extra_name)
                line = f"{labelled}{around[0]}{extra_text}{around[1]}{text}\n"
            if target is None:
                append(line)
            else:
                target.append(line)


# ---------------------------------------------------------------------------
# Public entry points


def generate_latest(registry: Collector = REGISTRY, escaping: str = UNDERSCORES) -> bytes:
    """The Prometheus text format (0.0.4; 1.0.0 when ``escaping`` allows UTF-8 names) of ``registry``.

    Counters are exposed as ``name_total``; ``_created``, ``_gsum`` and
    ``_gcount`` samples follow their family as separate gauge families;
    exemplars are dropped; timestamps are in milliseconds.
    """
    return _encode(registry, _Format(False, escaping))


def generate_latest_openmetrics(
    registry: Collector = REGISTRY, escaping: str = UNDERSCORES, version: str = "1.0.0"
) -> bytes:
    """The OpenMetrics text format of ``registry``, ending in ``# EOF``.

    ``version`` 2.0.0 adds native histogram samples; earlier versions leave them out.
    """
    return _encode(registry, _Format(True, escaping, version))


# ---------------------------------------------------------------------------
# Content negotiation

Encoder = Callable[[Collector], bytes]

_OPENMETRICS_VERSIONS = ("0.0.1", "1.0.0", "2.0.0")


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
            encoder = partial(generate_latest_openmetrics, escaping=UNDERSCORES, version="1.0.0")
            return 1, encoder, OPENMETRICS_CONTENT_TYPE_LATEST
        if version not in _OPENMETRICS_VERSIONS:
            return None
        escaping = _accepted_escaping(params)
        encoder = partial(generate_latest_openmetrics, escaping=escaping, version=version)
        return 1, encoder, f"application/openmetrics-text; version={version}; charset=utf-8; escaping={escaping}"
    if media_type == "text/plain":
        version = params.get("version")
        if version is not None and _version_tuple(version) >= (1, 0, 0):
            escaping = _accepted_escaping(params)
            return 1, partial(generate_latest, escaping=escaping), f"{CONTENT_TYPE_LATEST}; escaping={escaping}"
        return 0, generate_latest, CONTENT_TYPE_PLAIN_0_0_4
    if media_type in ("*/*", "text/*", "*"):
        return 0, generate_latest, CONTENT_TYPE_PLAIN_0_0_4
    return None


def choose_encoder(accept_header: str) -> Tuple[Encoder, str]:
    """The encoder and content type that best answer an HTTP ``Accept`` header.

    Honours ``q=`` weights (``q=0`` means "not acceptable"): the acceptable
    offer with the highest weight wins; on a tie OpenMetrics or text 1.0.0
    beat plain 0.0.4 text, then the earlier range wins. The ``escaping=``
    parameter picks the name escaping scheme. With nothing acceptable the
    answer is the text format 0.0.4.
    """
    best: Optional[Tuple[float, int, int]] = None
    chosen: Tuple[Encoder, str] = (generate_latest, CONTENT_TYPE_PLAIN_0_0_4)
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
