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

from .metrics_core import METRIC_TYPES, InstrumentMetric
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


def _is_legacy_metric_name(name: str) -> bool:
    return _LEGACY_METRIC_NAME.fullmatch(name) is not None


def _is_legacy_label_name(name: str) -> bool:
    return _LEGACY_LABEL_NAME.fullmatch(name) is not None


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


def _escape_name(name: str, escaping: str, is_legacy: bool, allow_colon: bool) -> str:
    if not name:
        return name
    if escaping == ALLOWUTF8:
        return name if is_legacy else '"' + _escape_quoted(name) + '"'
    if escaping == UNDERSCORES:
        if is_legacy:
            return name
        return "".join(c if _is_legacy_rune(c, i, allow_colon) else "_" for i, c in enumerate(name))
    if escaping == DOTS:
        # Every name is rewritten so that the scheme can be reversed: '_' doubles, '.' spells out.
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
        if is_legacy:
            return name
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
    raise ValueError(f"Unknown escaping scheme {escaping!r}; expected one of {ESCAPING_SCHEMES}")


def escape_metric_name(s: str, escaping: str = UNDERSCORES) -> str:
    """A metric name as it appears in the exposition under ``escaping``.

    ``allow-utf-8`` quotes names outside the legacy character set; the other
    schemes rewrite them into it (``underscores``: ``my.metric`` ->
    ``my_metric``; ``dots``: ``my_dot_metric``; ``values``: ``U__my_2e_metric``).
    """
    return _escape_name(s, escaping, _is_legacy_metric_name(s), True)


def escape_label_name(s: str, escaping: str = UNDERSCORES) -> str:
    """A label name as it appears in the exposition under ``escaping`` (see :func:`escape_metric_name`)."""
    return _escape_name(s, escaping, _is_legacy_label_name(s), False)


# Suffixes a family type adds to its name to make sample names.
_SAMPLE_SUFFIXES = frozenset({"_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"})


def _escape_sample_name(family_name: str, suffix: Optional[str], escaping: str) -> str:
    """The escaped name of sample ``family_name + suffix`` (``suffix`` None: not a known suffix).

    As Go's expfmt does, ``dots`` and ``values`` escape the family name and then
    append the suffix (``my_dot_metric_total``, not ``my_dot_metric__total``),
    so that Prometheus and promtool still see one family.
    """
    if suffix and escaping in (DOTS, VALUES) and suffix in _SAMPLE_SUFFIXES:
        return escape_metric_name(family_name, escaping) + suffix
    return escape_metric_name(family_name + (suffix or ""), escaping)


def _name_forms(family_name: str, suffix: Optional[str], escaping: str) -> Tuple[str, str]:
    """How a sample line starts: (before the labels of a labelled sample, whole prefix of a bare one).

    ``allow-utf-8`` puts a name outside the legacy set inside the braces:
    ``{"my.metric",a="b"} 1.0`` and ``{"my.metric"} 1.0``.
    """
    name = family_name + (suffix or "")
    if escaping == ALLOWUTF8 and not _is_legacy_metric_name(name):
        quoted = '"' + _escape_quoted(name) + '"'
        return "{" + quoted + ",", "{" + quoted + "} "
    escaped = _escape_sample_name(family_name, suffix, escaping)
    return escaped + "{", escaped + " "


# ---------------------------------------------------------------------------
# Labels


# (label name, escaping) -> escaped name + '="'; label names are few, so this stays small (and is bounded).
_LABEL_NAME_TEXT: Dict[Tuple[str, str], str] = {}


def _label_name_text(name: str, escaping: str) -> str:
    key = (name, escaping)
    text = _LABEL_NAME_TEXT.get(key)
    if text is None:
        if not isinstance(name, str):
            raise ValueError(f"Label name is not a str: {name!r}")
        if len(_LABEL_NAME_TEXT) > 10000:
            _LABEL_NAME_TEXT.clear()
        text = _LABEL_NAME_TEXT[key] = escape_label_name(name, escaping) + '="'
    return text


def _label_pairs(labels: Mapping[str, str], escaping: str) -> List[Tuple[str, str]]:
    """Sorted (name, 'name="value"') pairs of a label dict."""
    pairs = []
    for name in sorted(labels):
        value = labels[name]
        if not isinstance(value, str):
            raise ValueError(f"Label {name!r} has a value that is not a str: {value!r}")
        pairs.append((name, f'{_label_name_text(name, escaping)}{_escape_quoted(value)}"'))
    return pairs


def _label_body(labels: Mapping[str, str], escaping: str) -> str:
    """``a="1",b="2"} ``: the sorted labels and what closes them, up to the value."""
    parts = []
    for name in sorted(labels):
        value = labels[name]
        if type(value) is not str and not isinstance(value, str):
            raise ValueError(f"Label {name!r} has a value that is not a str: {value!r}")
        if "\\" in value or "\n" in value or '"' in value:
            value = _escape_quoted(value)
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
    """A sample value as Go's ``strconv.FormatFloat(v, 'g', -1, 64)`` spells it (``1e+06``, ``+Inf``).

    Same text as :func:`~prometheus_client.utils.floatToGoString`; ordinary
    floats take a fast path. Raises ValueError naming anything that is not a number.
    """
    if type(value) is float and -1e6 < value < 1e6:
        # Within this range Python's shortest repr is exactly Go's text.
        return repr(value)
    if isinstance(value, (str, bytes)) or value is None:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"Sample value is not a number: {value!r}") from None
    else:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"Sample value is not a number: {value!r}") from None
    return floatToGoString(number)


# ---------------------------------------------------------------------------
# The two formats: only what differs between them


_TEXT_TYPE = {
    # OpenMetrics type -> (suffix of the family name, type word) in the 0.0.4 text format.
    "counter": ("_total", "counter"),
    "gauge": ("", "gauge"),
    "summary": ("", "summary"),
    "histogram": ("", "histogram"),
    "gaugehistogram": ("", "histogram"),
    "unknown": ("", "untyped"),
    "info": ("_info", "gauge"),
    "stateset": ("", "gauge"),
}

# Which sample names of a family may carry an exemplar in OpenMetrics.
_EXEMPLAR_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", ""), "gaugehistogram": ("_bucket",)}


def _text_help(documentation: str) -> str:
    if "\\" in documentation or "\n" in documentation:
        return documentation.replace("\\", "\\\\").replace("\n", "\\n")
    return documentation


class _Format:
    """What one exposition format does differently; the walk in :func:`_encode` is shared."""

    __slots__ = ("is_openmetrics", "escaping", "has_native_histograms", "deferred_suffixes", "trailer")

    def __init__(self, is_openmetrics: bool, escaping: str, version: str = "1.0.0") -> None:
        if escaping not in ESCAPING_SCHEMES:
            raise ValueError(f"Unknown escaping scheme {escaping!r}; expected one of {ESCAPING_SCHEMES}")
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
            text = f"# HELP {escaped} {_escape_quoted(documentation)}\n# TYPE {escaped} {typ}\n"
            if unit:
                text += f"# UNIT {escaped} {unit}\n"
            return text
        suffix, word = _TEXT_TYPE[typ]
        escaped = _escape_sample_name(name, suffix, escaping)
        return f"# HELP {escaped} {_text_help(documentation)}\n# TYPE {escaped} {word}\n"

    def deferred_header(self, name: str, suffix: str, documentation: str) -> str:
        """HELP/TYPE of a gauge family holding the deferred samples (0.0.4 only)."""
        escaped = _escape_sample_name(name, suffix, self.escaping)
        return f"# HELP {escaped} {_text_help(documentation)}\n# TYPE {escaped} gauge\n"

    def timestamp(self, timestamp: Union[float, Timestamp]) -> str:
        """`` <time>``: seconds as given in OpenMetrics, integer milliseconds in 0.0.4."""
        if self.is_openmetrics:
            return f" {timestamp}"
        return f" {int(float(timestamp) * 1000):d}"

    def exemplar(self, typ: str, family_name: str, sample_name: str, exemplar: Exemplar) -> str:
        """`` # {labels} value [time]`` in OpenMetrics; the 0.0.4 format has no exemplars."""
        if not self.is_openmetrics:
            return ""
        allowed = _EXEMPLAR_SUFFIXES.get(typ, ())
        if not any(sample_name == family_name + suffix for suffix in allowed):
            raise ValueError(
                f"Metric {family_name!r} has an exemplar on sample {sample_name!r}, "
                "but only counter totals and histogram buckets may have exemplars"
            )
        labels = "{" + _label_body(exemplar.labels, self.escaping) if exemplar.labels else "{} "
        text = f" # {labels}{format_value(exemplar.value)}"
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

    Output is built in a list and joined once; a family that cannot be
    encoded raises ValueError naming it and its sample, and nothing is returned.
    """
    # Each family's lines are joined and encoded as soon as it is done, so at most one family's
    # worth of line strings is alive at a time, beside the bytes already made.
    chunks: List[bytes] = []
    out: List[str] = []
    for family in registry.collect():
        typ = family.type
        if typ not in _TEXT_TYPE:
            if typ == "untyped":
                typ = "unknown"
            else:
                raise ValueError(
                    f"Metric {family.name!r} has unknown type {typ!r}; expected one of {METRIC_TYPES}"
                )
        out.append(fmt.header(family.name, family.documentation, typ, family.unit))
        deferred: Dict[str, List[str]] = {}
        if isinstance(family, InstrumentMetric) and family.series:
            _encode_series(family.name, typ, family.layout, family.series, fmt, out, deferred)
        else:
            _encode_samples(family.name, typ, family.samples, fmt, out, deferred)
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
    deferred_names = {name + suffix: suffix for suffix in fmt.deferred_suffixes}
    names: Dict[str, Tuple[str, str]] = {}
    append = out.append
    sample = None
    try:
        for sample in samples:
            sname, labels, value, timestamp, exemplar, nh = sample
            forms = names.get(sname)
            if forms is None:
                if sname.startswith(name):
                    forms = names[sname] = _name_forms(name, sname[len(name):], escaping)
                else:
                    forms = names[sname] = _name_forms(sname, None, escaping)
            if nh is not None:
                if not fmt.has_native_histograms:
                    continue  # No representation before OpenMetrics 2.0.
                text = _native_histogram_text(nh)
                if nh.nh_exemplars:
                    text += "".join(fmt.exemplar(typ, name, sname, e) for e in nh.nh_exemplars)
            elif type(value) is float and -1e6 < value < 1e6:
                text = repr(value)
            else:
                text = format_value(value)
            if labels:
                line = forms[0] + _cached_label_body(labels, escaping) + text
            else:
                line = forms[1] + text
            if timestamp is not None:
                line += fmt.timestamp(timestamp)
            if exemplar is not None and nh is None:
                line += fmt.exemplar(typ, name, sname, exemplar)
            suffix = deferred_names.get(sname)
            if suffix is None:
                append(line + "\n")
            else:
                deferred.setdefault(suffix, []).append(line + "\n")
    except Exception as exc:
        raise ValueError(f"Cannot encode metric {name!r}: sample {sample!r}: {exc}") from exc


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
        labelled, bare = _name_forms(name, suffix, escaping)
        target = deferred.setdefault(suffix, []) if suffix in fmt.deferred_suffixes else None
        if extra is None:
            slots.append((labelled, bare, None, "", target, suffix))
        else:
            extra_text = f'{escape_label_name(extra[0], escaping)}="{_escape_quoted(extra[1])}"'
            slots.append((labelled, bare, extra[0], extra_text, target, suffix))
    append = out.append
    label_set = LabelSet
    repr_ = repr
    float_ = float
    go_float = floatToGoString
    labels = None
    suffix = ""
    body: Optional[str]
    try:
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
    except Exception as exc:
        raise ValueError(
            f"Cannot encode metric {name!r}: sample {name + suffix!r} with labels {labels!r}: {exc}"
        ) from exc


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
