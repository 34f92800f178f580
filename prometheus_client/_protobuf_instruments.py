"""The protobuf encoder's fast paths for the families of built-in instruments.

An instrument hands over its children as compact series (see
:func:`~prometheus_client.metrics_core.compact_series`): counters and gauges are written from
message bytes remembered per label set, histograms and summaries child by child without
:class:`~prometheus_client.samples.Sample` records. Anything unusual falls back to the general
code of :mod:`._protobuf_messages`.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ._protobuf_messages import (
    _COUNTER_OF_METRIC,
    _DOUBLE_1,
    _DOUBLE_2,
    _GAUGE_OF_METRIC,
    _HISTOGRAM_CREATED,
    _HISTOGRAM_OF_METRIC,
    _K2_LEN,
    _K3_LEN,
    _K4_LEN,
    _METRIC_FIELD,
    _SUMMARY_OF_METRIC,
    _UINT_1,
    _UNTYPED_OF_METRIC,
    _VERIFY_IDENTITY,
    COUNTER,
    GAUGE,
    GAUGE_HISTOGRAM,
    SUMMARY,
    _created_bytes,
    _double,
    _Encoded,
    _encoded_labels,
    _exemplar_message,
    _Family,
    _histogram_message,
    _label_data,
    _labels_bytes,
    _Series,
    _summary_message,
    _untyped_metric,
)
from ._protobuf_wire import length_delimited, pack_double, varint
from .metrics_core import Metric, SeriesLabels
from .samples import Exemplar, LabelSet, NativeHistogram


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
    series_labels = SeriesLabels
    verify = _VERIFY_IDENTITY
    get = table.get
    # An instrument's series: the bytes around each value, by the child's label values, from the last
    # scrape in this format (see _HEADS); this walk keeps those of the children it meets.
    heads_key = (family.name, escaping, typ)
    last_heads = _HEADS.get(heads_key) or {}
    heads: Dict[Tuple[str, ...], Tuple[Any, bytes, bytes]] = {}
    for labels, values, exemplars in series:
        value = values[value_index]
        if type(value) is not float_:
            value = float_(value)
        created_value = values[created_index] if created_index >= 0 else None
        exemplar = exemplars[value_index] if exemplars is not None else None
        if type(labels) is series_labels and exemplar is None:
            label_values = labels.labelvalues
            kept = last_heads.get(label_values)
            if kept is None or kept[0] != created_value:
                label_data = _labels_bytes(labels, escaping) if label_values else b""
                created = b"" if created_value is None else _created_bytes(_K3_LEN, created_value, None)
                whole = _simple_body(typ, label_data, 0.0, None, created)
                cut = len(whole) - len(created) - 8
                kept = (created_value, whole[:cut], whole[cut + 8 :])
            heads[label_values] = kept
            append(kept[1] + pack(value) + kept[2])
        elif (
            type(labels) is label_set
            and exemplar is None
            and (encoded := get(id(labels))) is not None
            and (not verify or encoded() is labels)
        ):
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
    if heads or last_heads:
        if len(_HEADS) > 10_000:  # families come and go: keep the table bounded
            _HEADS.clear()
        _HEADS[heads_key] = heads
    return out


# (family name, escaping, type) -> {a child's label values: (created value, the Metric bytes before its
# value, after it)}: kept from one protobuf scrape to the next for the children that scrape met (a
# removed child's go with the next scrape), so a counter or gauge child costs one lookup, one pack and
# one concatenation. Text scrapes keep nothing of the kind; this is the protobuf format's price for speed.
_HEADS: Dict[Tuple[str, str, int], Dict[Tuple[str, ...], Tuple[Any, bytes, bytes]]] = {}


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
