"""The pieces of ``io.prometheus.client`` messages that the protobuf encoder assembles.

Field keys, the label bytes remembered per :class:`~prometheus_client.samples.LabelSet`
(:data:`_LABEL_BYTES`), values, exemplars, native histogram fields and the Summary and Histogram
messages of one series. :mod:`._protobuf` walks families with them; :mod:`._protobuf_instruments`
holds the fast paths for instruments' families.
"""

from __future__ import annotations

import math
import sys
import weakref
from functools import partial
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._encoding import ALLOWUTF8, ESCAPING_SCHEMES, escape_label_name, escape_metric_name
from ._protobuf_wire import length_delimited, pack_double, timestamp_message, varint, zigzag
from .metrics_core import SeriesLabels
from .samples import Exemplar, LabelSet, NativeHistogram, Timestamp

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
    if type(labels) is SeriesLabels:
        return _label_plan(labels.labelnames, escaping).encode(labels.labelvalues)
    return b"".join(_label_pair(_label_name(name, escaping), value) for name, value in sorted(labels.items()))


_SMALL_LENGTHS = [bytes((size,)) for size in range(128)]


class _LabelPlan:
    """The LabelPair fields of one family's label names, made once: per series only its values are encoded.

    Instruments hand over :class:`SeriesLabels` (names shared by the family, values the child's key),
    new on every scrape: nothing is remembered per series, so the name part of each pair is.
    """

    __slots__ = ("pairs",)

    def __init__(self, names: Tuple[str, ...], escaping: str) -> None:
        pairs = []
        for index in sorted(range(len(names)), key=names.__getitem__):
            name = _label_name(names[index], escaping).encode("utf-8")
            pairs.append((index, _K1_LEN + varint(len(name)) + name + _K2_LEN))
        self.pairs = pairs

    def encode(self, values: Tuple[str, ...]) -> bytes:
        small = _SMALL_LENGTHS
        parts = []
        for index, head in self.pairs:
            value = values[index].encode("utf-8")
            size = len(value)
            pair = head + (small[size] if size < 128 else varint(size)) + value
            size = len(pair)
            parts.append(_K1_LEN + (small[size] if size < 128 else varint(size)) + pair)
        return b"".join(parts)


_LABEL_PLANS: Dict[Tuple[Tuple[str, ...], str], _LabelPlan] = {}


def _label_plan(names: Tuple[str, ...], escaping: str) -> _LabelPlan:
    try:
        return _LABEL_PLANS[(names, escaping)]
    except KeyError:
        if len(_LABEL_PLANS) > 10_000:  # label name tuples of families come and go: keep the cache bounded
            _LABEL_PLANS.clear()
        plan = _LABEL_PLANS[(names, escaping)] = _LabelPlan(names, escaping)
        return plan


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
