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

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._encoding import UNDERSCORES
from ._protobuf_instruments import _compact_simple, _compact_structured, _structured_roles
from ._protobuf_messages import (
    _COUNTER_OF_METRIC,
    _DOUBLE_1,
    _GAUGE_OF_METRIC,
    _HISTOGRAM_OF_METRIC,
    _K1_LEN,
    _K2_LEN,
    _K3_LEN,
    _K5_LEN,
    _LABEL_BYTES,
    _SUMMARY_OF_METRIC,
    _TYPES,
    COUNTER,
    GAUGE,
    GAUGE_HISTOGRAM,
    HISTOGRAM,
    SUMMARY,
    UNTYPED,
    _created_bytes,
    _double,
    _Encoded,
    _encoded_labels,
    _exemplar_message,
    _Family,
    _family_name,
    _histogram_message,
    _label_data,
    _labels_bytes,
    _metric,
    _Series,
    _string_field,
    _summary_message,
    _untyped_metric,
)
from ._protobuf_wire import length_delimited, pack_double, varint
from .metrics_core import Metric, compact_series
from .samples import Exemplar, NativeHistogram

if TYPE_CHECKING:
    from .registry import Collector

CONTENT_TYPE_PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
"""Content type of the delimited protobuf exposition format."""

# ---------------------------------------------------------------------------
# Families


def _bound(text: Any) -> float:
    return float(text)


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
