"""The Prometheus protobuf exposition format: metric families in, delimited ``MetricFamily`` bytes out.

The messages are ``io.prometheus.client`` of prometheus/client_model's
``metrics.proto``, written by hand (:mod:`._protobuf_wire`), so no protobuf
package is needed. Each family becomes one ``MetricFamily`` prefixed with its
length, the ``encoding=delimited`` form that Prometheus scrapes when native
histograms are enabled.

How our types map (the way client_golang and client_java do it):

============== ================ =================================================
ours           MetricType       notes
============== ================ =================================================
counter        COUNTER          family ``x_total``; ``x_created`` in created_timestamp
gauge          GAUGE
summary        SUMMARY          ``x{quantile=..}`` samples as quantiles; created_timestamp
histogram      HISTOGRAM        classic buckets and/or native fields; created_timestamp
gaugehistogram GAUGE_HISTOGRAM  ``_gcount``/``_gsum`` as sample_count/sample_sum
unknown        UNTYPED
info           GAUGE            family ``x_info``, value 1 (as the text format)
stateset       GAUGE            one metric per state label (as the text format)
============== ================ =================================================

The classic ``+Inf`` bucket is implied by sample_count (as client_golang writes
it) and is only written when it differs. A sample that fits no field of its
family's type (a ``foo_extra`` sample in a counter) goes out as an UNTYPED
family of its own name, right after. A family with no samples is left out.

Speed: like the text encoder, the label pairs of an instrument's
:class:`~prometheus_client.samples.LabelSet` are encoded once in its lifetime
(:data:`_LABEL_BYTES`, a side table of weak references), and counter and gauge
children are encoded in a tight loop.
"""

from __future__ import annotations

import math
import sys
import weakref
from functools import partial
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._encoding import ALLOWUTF8, ESCAPING_SCHEMES, UNDERSCORES, escape_label_name, escape_metric_name
from ._protobuf_wire import length_delimited, pack_double, timestamp_message, varint, zigzag
from .metrics_core import Metric, compact_series
from .samples import Exemplar, LabelSet, NativeHistogram, Timestamp

if TYPE_CHECKING:
    from .registry import Collector

CONTENT_TYPE_PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
"""Content type of the delimited protobuf exposition format."""

# MetricType values.
COUNTER, GAUGE, SUMMARY, UNTYPED, HISTOGRAM, GAUGE_HISTOGRAM = range(6)

_TYPES = {
    # our type -> (suffix of the MetricFamily name, MetricType)
    "counter": ("_total", COUNTER),
    "gauge": ("", GAUGE),
    "summary": ("", SUMMARY),
    "histogram": ("", HISTOGRAM),
    "gaugehistogram": ("", GAUGE_HISTOGRAM),
    "unknown": ("", UNTYPED),
    "info": ("_info", GAUGE),
    "stateset": ("", GAUGE),
}

# Field keys (field number << 3 | wire type), spelt out once.
_K1_LEN = b"\x0a"
_K2_LEN = b"\x12"
_K3_LEN = b"\x1a"
_K4_LEN = b"\x22"
_K5_LEN = b"\x2a"
_METRIC_FIELD = b"\x22"  # MetricFamily.metric = 4
_GAUGE_OF_METRIC = b"\x12\x09\x09"  # Metric.gauge = 2, a 9-byte Gauge holding value = 1 (a double)
_UNTYPED_OF_METRIC = b"\x2a\x09\x09"  # Metric.untyped = 5, likewise
_COUNTER_OF_METRIC = b"\x1a"  # Metric.counter = 3
_SUMMARY_OF_METRIC = b"\x22"  # Metric.summary = 4
_HISTOGRAM_OF_METRIC = b"\x3a"  # Metric.histogram = 7
_TIMESTAMP_MS = b"\x30"  # Metric.timestamp_ms = 6
_DOUBLE_1 = b"\x09"
_DOUBLE_2 = b"\x11"
_UINT_1 = b"\x08"
_HISTOGRAM_EXEMPLARS = b"\x82\x01"  # Histogram.exemplars = 16
_HISTOGRAM_CREATED = b"\x7a"  # Histogram.created_timestamp = 15

_VERIFY_IDENTITY = sys.implementation.name != "cpython"


# ---------------------------------------------------------------------------
# Names and labels


def _family_name(name: str, escaping: str) -> str:
    """A name as written: UTF-8 as it is under ``allow-utf-8``, else rewritten as the text format does."""
    return name if escaping == ALLOWUTF8 else escape_metric_name(name, escaping)


def _string_field(field_key: bytes, text: str) -> bytes:
    return length_delimited(field_key, text.encode("utf-8"))


def _label_pair(name: str, value: str) -> bytes:
    """One ``Metric.label`` field: a LabelPair (name = 1, value = 2)."""
    if not isinstance(value, str):
        raise TypeError(f"label {name!r} has a value of type {type(value).__name__}, not str: {value!r}")
    return length_delimited(_K1_LEN, _string_field(_K1_LEN, name) + _string_field(_K2_LEN, value))


def _label_name(name: str, escaping: str) -> str:
    return name if escaping == ALLOWUTF8 else escape_label_name(name, escaping)


def _labels_bytes(labels: Mapping[str, str], escaping: str) -> bytes:
    """The repeated LabelPair fields of a label dict, sorted by name (as Prometheus expects them)."""
    return b"".join(_label_pair(_label_name(name, escaping), value) for name, value in sorted(labels.items()))


class _Encoded(weakref.ref):  # type: ignore[type-arg]
    """The label bytes made from one :class:`LabelSet` under one escaping scheme (see :data:`_LABEL_BYTES`)."""

    __slots__ = ("key", "data", "created", "head")

    key: int
    data: bytes
    # (created value, its Timestamp message): creation times are the same on every scrape.
    created: Optional[Tuple[float, bytes]]
    # (type, created value, Metric bytes before the value, after it): see _compact_simple.
    head: Optional[Tuple[int, Any, bytes, bytes]]


def _forget(table: Dict[int, _Encoded], encoded: _Encoded) -> None:
    if table.get(encoded.key) is encoded:
        table.pop(encoded.key, None)


# Escaping scheme -> id(label set) -> its encoded labels. As in the text encoder, CPython runs the weak
# reference callback before an id can be reused, so a hit is that label set's; elsewhere hits are checked.
_LABEL_BYTES: Dict[str, Dict[int, _Encoded]] = {scheme: {} for scheme in ESCAPING_SCHEMES}
_FORGET = {scheme: partial(_forget, table) for scheme, table in _LABEL_BYTES.items()}


def _encoded_labels(labels: Mapping[str, str], escaping: str, table: Dict[int, _Encoded]) -> Optional[_Encoded]:
    """The remembered encoding of an instrument's label set, or None for any other dict."""
    if type(labels) is not LabelSet:
        return None
    encoded = table.get(id(labels))
    if encoded is None or (_VERIFY_IDENTITY and encoded() is not labels):
        encoded = _Encoded(labels, _FORGET.get(escaping))
        encoded.key = id(labels)
        encoded.data = _labels_bytes(labels, escaping)
        encoded.created = None
        encoded.head = None
        table[encoded.key] = encoded
    return encoded


# ---------------------------------------------------------------------------
# Values


def _double(field_key: bytes, value: Any) -> bytes:
    """A double field; the value goes through ``float()``, so a bad one fails as in the text encoder."""
    return field_key + pack_double(value if type(value) is float else float(value))


def _is_whole(value: float) -> bool:
    return math.isfinite(value) and value >= 0 and value == int(value) and value < 2**64


def _count_fields(value: Any, int_key: bytes, float_key: bytes) -> bytes:
    """A count: the uint64 field when it is a whole number, else the double that overrides it."""
    number = value if type(value) is float else float(value)
    if _is_whole(number):
        return int_key + varint(int(number))
    return _double(float_key, number)


def _created_bytes(field_key: bytes, value: Any, encoded: Optional[_Encoded]) -> bytes:
    """A created_timestamp field, remembered per label set (the value rarely changes)."""
    if encoded is not None:
        last = encoded.created
        if last is not None and last[0] == value:
            return last[1]
    data = length_delimited(field_key, timestamp_message(value))
    if encoded is not None:
        encoded.created = (value, data)
    return data


def _timestamp_ms(timestamp: Union[float, Timestamp]) -> bytes:
    return _TIMESTAMP_MS + varint(int(float(timestamp) * 1000))


def _exemplar_message(exemplar: Exemplar) -> bytes:
    """An Exemplar message: labels = 1, value = 2, timestamp = 3."""
    data = b"".join(_label_pair(name, value) for name, value in sorted(exemplar.labels.items()))
    data += _double(_DOUBLE_2, exemplar.value)
    if exemplar.timestamp is not None:
        data += length_delimited(_K3_LEN, timestamp_message(exemplar.timestamp))
    return data


def _spans_and_deltas(
    spans: Optional[Sequence[Tuple[int, int]]], deltas: Optional[Sequence[int]], span_key: bytes, delta_key: bytes
) -> bytes:
    out = []
    for offset, length in spans or ():
        out.append(length_delimited(span_key, b"\x08" + varint(zigzag(int(offset))) + b"\x10" + varint(int(length))))
    for delta in deltas or ():
        out.append(delta_key + varint(zigzag(int(delta))))
    return b"".join(out)


def _native_fields(nh: NativeHistogram) -> bytes:
    """The native part of a Histogram message (fields 5 to 14 and 16); count and sum are written by the caller."""
    data = b"\x28" + varint(zigzag(int(nh.schema)))
    data += _double(b"\x31", nh.zero_threshold)
    data += _count_fields(nh.zero_count, b"\x38", b"\x41")
    data += _spans_and_deltas(nh.neg_spans, nh.neg_deltas, b"\x4a", b"\x50")
    if nh.pos_spans:
        data += _spans_and_deltas(nh.pos_spans, nh.pos_deltas, b"\x62", b"\x68")
    elif not nh.neg_spans and not nh.zero_threshold and not nh.zero_count:
        # An empty native histogram with no zero bucket: metrics.proto asks for a no-op span, so that a
        # reader can tell it from a classic histogram.
        data += length_delimited(b"\x62", b"")
    for exemplar in nh.nh_exemplars or ():
        data += length_delimited(_HISTOGRAM_EXEMPLARS, _exemplar_message(exemplar))
    return data


# ---------------------------------------------------------------------------
# One series of a summary or histogram, gathered from its samples


class _Series:
    """What one label set of a summary or (gauge) histogram holds, before it becomes a Metric message."""

    __slots__ = ("labels", "encoded", "count", "sum", "created", "buckets", "quantiles", "native", "timestamp")

    def __init__(self, labels: Mapping[str, str], encoded: Optional[_Encoded]) -> None:
        self.labels = labels
        self.encoded = encoded
        self.count: Any = None
        self.sum: Any = None
        self.created: Any = None
        # (upper bound, cumulative count, exemplar)
        self.buckets: List[Tuple[float, Any, Optional[Exemplar]]] = []
        self.quantiles: List[Tuple[float, Any]] = []
        self.native: Optional[Tuple[NativeHistogram, Optional[Exemplar]]] = None
        self.timestamp: Optional[Union[float, Timestamp]] = None


def _summary_message(series: _Series) -> bytes:
    data = b""
    if series.count is not None:
        count = float(series.count)
        # Summary has no float count: a count that is not a whole number is truncated (see docs).
        if math.isfinite(count) and count >= 0:
            data += _UINT_1 + varint(int(count))
    if series.sum is not None:
        data += _double(_DOUBLE_2, series.sum)
    for quantile, value in series.quantiles:
        data += length_delimited(_K3_LEN, _double(_DOUBLE_1, quantile) + _double(_DOUBLE_2, value))
    if series.created is not None:
        data += _created_bytes(_K4_LEN, series.created, series.encoded)
    return data


def _histogram_message(series: _Series) -> bytes:
    native = series.native
    count = series.count
    total = series.sum
    if native is not None:
        count = native[0].count_value
        total = native[0].sum_value
    infinite_bucket: Any = None
    buckets = series.buckets
    if buckets and math.isinf(buckets[-1][0]) and buckets[-1][0] > 0:
        infinite_bucket = buckets[-1][1]
        if count is None:
            count = infinite_bucket
    data = b""
    if count is not None:
        data += _count_fields(count, _UINT_1, b"\x21")
    if total is not None:
        data += _double(_DOUBLE_2, total)
    for bound, cumulative, exemplar in buckets:
        if math.isinf(bound) and bound > 0 and cumulative == count and exemplar is None:
            continue  # implied by sample_count
        bucket = _count_fields(cumulative, _UINT_1, b"\x21") + _double(_DOUBLE_2, bound)
        if exemplar is not None:
            bucket += length_delimited(_K3_LEN, _exemplar_message(exemplar))
        data += length_delimited(_K3_LEN, bucket)
    if native is not None:
        data += _native_fields(native[0])
        if native[1] is not None:
            data += length_delimited(_HISTOGRAM_EXEMPLARS, _exemplar_message(native[1]))
    if series.created is not None:
        data += _created_bytes(_HISTOGRAM_CREATED, series.created, series.encoded)
    return data


# ---------------------------------------------------------------------------
# Families


def _bound(text: Any) -> float:
    return float(text)


class _Family:
    """The Metric messages of one MetricFamily being built, and the samples that fit none."""

    __slots__ = ("metrics", "extras")

    def __init__(self) -> None:
        self.metrics: List[bytes] = []
        # sample name -> Metric messages of an UNTYPED family of that name
        self.extras: Dict[str, List[bytes]] = {}


def _metric(label_data: bytes, value_part: bytes, timestamp: Optional[Union[float, Timestamp]]) -> bytes:
    data = label_data + value_part
    if timestamp is not None:
        data += _timestamp_ms(timestamp)
    return length_delimited(_METRIC_FIELD, data)


def _untyped_metric(label_data: bytes, value: Any, timestamp: Optional[Union[float, Timestamp]]) -> bytes:
    return _metric(label_data, _UNTYPED_OF_METRIC + pack_double(float(value)), timestamp)


def _label_data(
    labels: Mapping[str, str], escaping: str, table: Dict[int, _Encoded]
) -> Tuple[bytes, Optional[_Encoded]]:
    encoded = _encoded_labels(labels, escaping, table)
    if encoded is not None:
        return encoded.data, encoded
    return (_labels_bytes(labels, escaping) if labels else b""), None


def _simple_family(family: Metric, typ: int, expected: str, escaping: str, table: Dict[int, _Encoded]) -> _Family:
    """Counters, gauges, untyped, info and stateset: a Metric per sample of the expected name."""
    out = _Family()
    metrics = out.metrics
    created_name = family.name + "_created" if typ == COUNTER else None
    # A counter's _created joins the metric of the same labels; samples are mostly in (total, created) order.
    by_labels: Dict[Tuple[Tuple[str, str], ...], int] = {}
    pending: List[Tuple[bytes, Any, Optional[Exemplar], Optional[_Encoded], Any, Any]] = []
    compact = compact_series(family)
    if compact is not None and typ in (GAUGE, UNTYPED, COUNTER):
        layout, series = compact
        names = [family.name + suffix for suffix, extra in layout]
        if all(extra is None for _, extra in layout) and expected in names:
            return _compact_simple(family, typ, layout, series, expected, created_name, escaping, table)
    for name, labels, value, timestamp, exemplar, _native in family.samples:
        if name == expected:
            label_data, encoded = _label_data(labels, escaping, table)
            if typ == COUNTER:
                key = tuple(sorted(labels.items()))
                by_labels[key] = len(pending)
                pending.append((label_data, value, exemplar, encoded, None, timestamp))
            elif typ == GAUGE:
                metrics.append(_metric(label_data, _GAUGE_OF_METRIC + pack_double(float(value)), timestamp))
            else:
                metrics.append(_untyped_metric(label_data, value, timestamp))
        elif name == created_name:
            index = by_labels.get(tuple(sorted(labels.items())))
            if index is not None and pending[index][4] is None:
                entry = pending[index]
                pending[index] = entry[:4] + (value,) + entry[5:]
            else:
                out.extras.setdefault(name, []).append(
                    _untyped_metric(_label_data(labels, escaping, table)[0], value, timestamp)
                )
        else:
            out.extras.setdefault(name, []).append(
                _untyped_metric(_label_data(labels, escaping, table)[0], value, timestamp)
            )
    for label_data, value, exemplar, encoded, created, timestamp in pending:
        counter = _double(_DOUBLE_1, value)
        if exemplar is not None:
            counter += length_delimited(_K2_LEN, _exemplar_message(exemplar))
        if created is not None:
            counter += _created_bytes(_K3_LEN, created, encoded)
        metrics.append(_metric(label_data, length_delimited(_COUNTER_OF_METRIC, counter), timestamp))
    return out


def _simple_body(typ: int, label_data: bytes, value: float, exemplar: Optional[Exemplar], created: bytes) -> bytes:
    """A counter, gauge or untyped Metric message (no timestamp), whole."""
    if typ == COUNTER:
        counter = _DOUBLE_1 + pack_double(value)
        if exemplar is not None:
            counter += length_delimited(_K2_LEN, _exemplar_message(exemplar))
        body = label_data + length_delimited(_COUNTER_OF_METRIC, counter + created)
    else:
        body = label_data + (_GAUGE_OF_METRIC if typ == GAUGE else _UNTYPED_OF_METRIC) + pack_double(value)
    return length_delimited(_METRIC_FIELD, body)


def _simple_head(typ: int, encoded: _Encoded, created: bytes) -> Tuple[bytes, bytes]:
    """The bytes of a Metric message before and after its value: fixed for a label set (and creation time)."""
    whole = _simple_body(typ, encoded.data, 0.0, None, created)
    # The value is the 8 bytes before the created timestamp (or at the end).
    cut = len(whole) - len(created) - 8
    return whole[:cut], whole[cut + 8 :]


def _compact_simple(
    family: Metric,
    typ: int,
    layout: Sequence[Tuple[str, Any]],
    series: Iterable[Any],
    expected: str,
    created_name: Optional[str],
    escaping: str,
    table: Dict[int, _Encoded],
) -> _Family:
    """An instrument's counter or gauge family: one tight loop over its children.

    For each label set the message bytes around the value are remembered
    (:attr:`_Encoded.head`, keyed by type and creation time), so a child costs
    one dict lookup, one ``struct.pack`` and one concatenation.
    """
    out = _Family()
    append = out.metrics.append
    names = [family.name + suffix for suffix, _ in layout]
    value_index = names.index(expected)
    created_index = names.index(created_name) if created_name in names else -1
    others = [i for i in range(len(names)) if i != value_index and i != created_index]
    pack = pack_double
    float_ = float
    label_set = LabelSet
    verify = _VERIFY_IDENTITY
    get = table.get
    for labels, values, exemplars in series:
        value = values[value_index]
        if type(value) is not float_:
            value = float_(value)
        created_value = values[created_index] if created_index >= 0 else None
        exemplar = exemplars[value_index] if exemplars is not None else None
        encoded = get(id(labels)) if type(labels) is label_set else None
        if encoded is not None and (not verify or encoded() is labels) and exemplar is None:
            head = encoded.head
            if head is None or head[0] != typ or head[1] != created_value:
                created = b"" if created_value is None else _created_bytes(_K3_LEN, created_value, encoded)
                head = encoded.head = (typ, created_value) + _simple_head(typ, encoded, created)
            append(head[2] + pack(value) + head[3])
        else:
            encoded = _encoded_labels(labels, escaping, table) if labels else None
            label_data = encoded.data if encoded is not None else (_labels_bytes(labels, escaping) if labels else b"")
            created = b"" if created_value is None else _created_bytes(_K3_LEN, created_value, encoded)
            append(_simple_body(typ, label_data, value, exemplar, created))
        if others:
            label_data = _label_data(labels, escaping, table)[0]
            for index in others:
                out.extras.setdefault(names[index], []).append(_untyped_metric(label_data, values[index], None))
    return out


# Roles of an instrument's slots in a summary or histogram.
_BUCKET, _COUNT, _SUM, _CREATED, _NATIVE = range(5)


def _structured_roles(family: Metric, typ: int, layout: Sequence[Tuple[str, Any]]) -> Optional[List[Tuple[int, Any]]]:
    """``(role, upper bound)`` per slot of an instrument's layout, or None when a slot fits no field."""
    roles: List[Tuple[int, Any]] = []
    is_gauge_histogram = typ == GAUGE_HISTOGRAM
    for suffix, extra in layout:
        if suffix == "_bucket" and typ != SUMMARY and extra is not None and extra[0] == "le":
            roles.append((_BUCKET, float(extra[1])))
        elif extra is not None:
            return None
        elif suffix == ("_gcount" if is_gauge_histogram else "_count"):
            roles.append((_COUNT, None))
        elif suffix == ("_gsum" if is_gauge_histogram else "_sum"):
            roles.append((_SUM, None))
        elif suffix == "_created" and not is_gauge_histogram:
            roles.append((_CREATED, None))
        elif suffix == "" and typ != SUMMARY:
            roles.append((_NATIVE, None))
        else:
            return None
    return roles


def _compact_structured(
    typ: int, roles: List[Tuple[int, Any]], series: Iterable[Any], escaping: str, table: Dict[int, _Encoded]
) -> _Family:
    """An instrument's histogram or summary family, child by child without Sample records.

    Buckets with whole counts and no exemplar (nearly all of them) are written
    from bytes made once per family: the bucket's upper bound field.
    """
    out = _Family()
    append = out.metrics.append
    bucket_slots = [(index, _double(_DOUBLE_2, bound)) for index, (role, bound) in enumerate(roles) if role == _BUCKET]
    finite_buckets = [(index, bound_bytes) for index, bound_bytes in bucket_slots if bound_bytes != _INF_BOUND]
    infinite_index = next((index for index, bound_bytes in bucket_slots if bound_bytes == _INF_BOUND), -1)
    count_index = next((i for i, (role, _) in enumerate(roles) if role == _COUNT), -1)
    sum_index = next((i for i, (role, _) in enumerate(roles) if role == _SUM), -1)
    created_index = next((i for i, (role, _) in enumerate(roles) if role == _CREATED), -1)
    has_native = any(role == _NATIVE for role, _ in roles)
    small = _SMALL
    pack = pack_double
    message_key = _SUMMARY_OF_METRIC if typ == SUMMARY else _HISTOGRAM_OF_METRIC
    created_key = _K4_LEN if typ == SUMMARY else _HISTOGRAM_CREATED
    for labels, values, exemplars in series:
        encoded = _encoded_labels(labels, escaping, table) if labels else None
        label_data = encoded.data if encoded is not None else (_labels_bytes(labels, escaping) if labels else b"")
        count = values[count_index] if count_index >= 0 else None
        if infinite_index >= 0 and count is None:
            count = values[infinite_index]
        fast = not has_native and exemplars is None and (
            typ == SUMMARY or infinite_index < 0 or values[infinite_index] == count
        )
        if fast and count is not None and 0 <= count < 1e19 and count == int(count):
            parts = [_UINT_1 + varint(int(count))]
            if sum_index >= 0:
                parts.append(_DOUBLE_2 + pack(float(values[sum_index])))
            for index, bound_bytes in finite_buckets:
                cumulative = values[index]
                if 0 <= cumulative < 1e19 and cumulative == int(cumulative):
                    bucket = _UINT_1 + varint(int(cumulative)) + bound_bytes
                else:
                    bucket = _double(b"\x21", cumulative) + bound_bytes
                parts.append(_K3_LEN + small[len(bucket)] + bucket)
            if created_index >= 0:
                parts.append(_created_bytes(created_key, values[created_index], encoded))
            data = b"".join(parts)
        else:
            gathered = _Series(labels, encoded)
            for index, (role, bound) in enumerate(roles):
                value = values[index]
                if role == _BUCKET:
                    gathered.buckets.append((bound, value, exemplars[index] if exemplars is not None else None))
                elif role == _COUNT:
                    gathered.count = value
                elif role == _SUM:
                    gathered.sum = value
                elif role == _CREATED:
                    gathered.created = value
                elif isinstance(value, NativeHistogram):
                    gathered.native = (value, exemplars[index] if exemplars is not None else None)
            data = _summary_message(gathered) if typ == SUMMARY else _histogram_message(gathered)
        append(length_delimited(_METRIC_FIELD, label_data + length_delimited(message_key, data)))
    return out


_SMALL = [bytes((size,)) for size in range(128)]
_INF_BOUND = _DOUBLE_2 + pack_double(math.inf)


def _series_roles(
    family: Metric, typ: int, escaping: str, table: Dict[int, _Encoded]
) -> Tuple[List[_Series], Dict[str, List[bytes]]]:
    """A summary's or histogram's samples gathered per label set (without ``le``/``quantile``)."""
    name = family.name
    is_gauge_histogram = typ == GAUGE_HISTOGRAM
    count_name = name + ("_gcount" if is_gauge_histogram else "_count")
    sum_name = name + ("_gsum" if is_gauge_histogram else "_sum")
    bucket_name = name + "_bucket"
    created_name = name + "_created"
    extra_label = "quantile" if typ == SUMMARY else "le"
    gathered: Dict[Tuple[Tuple[str, str], ...], _Series] = {}
    extras: Dict[str, List[bytes]] = {}
    order: List[_Series] = []
    last_labels: Any = None
    last_series: Optional[_Series] = None

    def series_of(labels: Mapping[str, str]) -> _Series:
        nonlocal last_labels, last_series
        if labels is last_labels and last_series is not None:
            return last_series
        key = tuple(sorted(labels.items()))
        found = gathered.get(key)
        if found is None:
            found = gathered[key] = _Series(labels, _encoded_labels(labels, escaping, table))
            order.append(found)
        last_labels, last_series = labels, found
        return found

    for sample_name, labels, value, timestamp, exemplar, native in _family_samples(family):
        role_value = value
        if sample_name == name and native is not None and typ != SUMMARY:
            series = series_of(labels)
            series.native = (native, exemplar)
        elif (sample_name == bucket_name and typ != SUMMARY) or (sample_name == name and typ == SUMMARY):
            if extra_label not in labels:
                extras.setdefault(sample_name, []).append(
                    _untyped_metric(_label_data(labels, escaping, table)[0], value, timestamp)
                )
                continue
            series_labels = {k: v for k, v in labels.items() if k != extra_label}
            series = series_of(series_labels) if series_labels else series_of(_NO_LABELS)
            if typ == SUMMARY:
                series.quantiles.append((_bound(labels[extra_label]), role_value))
            else:
                series.buckets.append((_bound(labels[extra_label]), role_value, exemplar))
        elif sample_name == count_name:
            series = series_of(labels)
            series.count = role_value
        elif sample_name == sum_name:
            series = series_of(labels)
            series.sum = role_value
        elif sample_name == created_name and not is_gauge_histogram:
            series = series_of(labels)
            series.created = role_value
        else:
            extras.setdefault(sample_name, []).append(
                _untyped_metric(_label_data(labels, escaping, table)[0], value, timestamp)
            )
            continue
        if timestamp is not None and series.timestamp is None:
            series.timestamp = timestamp
    return order, extras


_NO_LABELS: Dict[str, str] = {}


def _family_samples(family: Metric) -> Iterable[Tuple[str, Mapping[str, str], Any, Any, Any, Any]]:
    """The family's samples; an instrument's compact series are read without making Sample records."""
    compact = compact_series(family)
    if compact is None:
        return family.samples
    layout, series = compact
    return _compact_samples(family.name, layout, series)


def _compact_samples(
    name: str, layout: Sequence[Tuple[str, Any]], series: Iterable[Any]
) -> Iterable[Tuple[str, Mapping[str, str], Any, Any, Any, Any]]:
    names = [name + suffix for suffix, _ in layout]
    for labels, values, exemplars in series:
        for index, value in enumerate(values):
            extra = layout[index][1]
            exemplar = exemplars[index] if exemplars is not None else None
            if extra is None:
                if isinstance(value, NativeHistogram):
                    yield names[index], labels, None, None, exemplar, value
                else:
                    yield names[index], labels, value, None, exemplar, None
            else:
                sample_labels = dict(labels)
                sample_labels[extra[0]] = extra[1]
                yield names[index], sample_labels, value, None, exemplar, None


def _structured_family(family: Metric, typ: int, escaping: str, table: Dict[int, _Encoded]) -> _Family:
    compact = compact_series(family)
    if compact is not None:
        roles = _structured_roles(family, typ, compact[0])
        if roles is not None:
            return _compact_structured(typ, roles, compact[1], escaping, table)
    out = _Family()
    order, out.extras = _series_roles(family, typ, escaping, table)
    for series in order:
        label_data = series.encoded.data if series.encoded is not None else (
            _labels_bytes(series.labels, escaping) if series.labels else b""
        )
        if typ == SUMMARY:
            field_key, data = _SUMMARY_OF_METRIC, _summary_message(series)
        else:
            field_key, data = _HISTOGRAM_OF_METRIC, _histogram_message(series)
        out.metrics.append(_metric(label_data, length_delimited(field_key, data), series.timestamp))
    return out


def _family_message(name: str, documentation: str, typ: int, unit: str, metrics: List[bytes]) -> bytes:
    """One delimited MetricFamily: name = 1, help = 2, type = 3, metric = 4, unit = 5."""
    head = _string_field(_K1_LEN, name) + _string_field(_K2_LEN, documentation) + b"\x18" + varint(typ)
    body = head + b"".join(metrics)
    if unit:
        body += _string_field(_K5_LEN, unit)
    return varint(len(body)) + body


def _encode_family(family: Metric, escaping: str, table: Dict[int, _Encoded]) -> bytes:
    suffix, typ = _TYPES.get(family.type, ("", UNTYPED))
    if typ in (SUMMARY, HISTOGRAM, GAUGE_HISTOGRAM):
        built = _structured_family(family, typ, escaping, table)
    else:
        expected = family.name + suffix if family.type in _TYPES else family.name
        built = _simple_family(family, typ, expected, escaping, table)
    documentation = family.documentation
    if not isinstance(documentation, str):
        raise TypeError(f"documentation of {family.name!r} is a {type(documentation).__name__}, not str")
    chunks = []
    if built.metrics:
        name = _family_name(family.name + suffix, escaping)
        chunks.append(_family_message(name, documentation, typ, family.unit, built.metrics))
    for sample_name, metrics in built.extras.items():
        chunks.append(_family_message(_family_name(sample_name, escaping), documentation, UNTYPED, "", metrics))
    return b"".join(chunks)


def encode_protobuf(collector: "Collector", escaping: str = UNDERSCORES) -> bytes:
    """The families of ``collector`` as delimited ``io.prometheus.client.MetricFamily`` messages.

    Names are rewritten by ``escaping`` as in the text format, except that
    ``allow-utf-8`` writes them as they are. A family that cannot be encoded
    raises what failed, with the family appended to the exception's ``args``
    (as the text encoder does).
    """
    table = _LABEL_BYTES.get(escaping)
    if table is None:
        table = {}  # an unknown scheme: nothing is remembered past this scrape
    chunks = []
    for family in collector.collect():
        try:
            chunks.append(_encode_family(family, escaping, table))
        except Exception as exception:
            exception.args = (exception.args or ("",)) + (family,)
            raise
    return b"".join(chunks)
