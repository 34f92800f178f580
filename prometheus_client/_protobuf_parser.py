"""Delimited ``io.prometheus.client.MetricFamily`` bytes back into metric families.

The reverse of :mod:`._protobuf`, returning the same
:class:`~prometheus_client.metrics_core.Metric` families as the text parsers:
counters as family ``x`` with samples ``x_total`` (and ``x_created`` from
created_timestamp), histograms with cumulative ``_bucket`` samples (the ``+Inf``
bucket made from sample_count when it is implied), ``_count``, ``_sum`` and
``_created``, and a native histogram as one sample named like its family, value
None, its data in :attr:`Sample.native_histogram` (as the OpenMetrics parser
returns it). GAUGE_HISTOGRAM comes back as ``gaugehistogram`` with ``_gcount``
and ``_gsum``; UNTYPED as ``unknown``. Info and stateset families were written
as gauges, and come back as gauges (as from the text format 0.0.4).

Malformed bytes raise :class:`~._protobuf_wire.DecodeError`, a ``ValueError``.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple

from ._protobuf_wire import (
    FIXED64,
    LEN,
    DecodeError,
    as_int64,
    delimited_messages,
    fields,
    packed_varints,
    unzigzag,
)
from .metrics_core import Metric
from .samples import BucketSpan, Exemplar, NativeHistogram, Sample
from .utils import floatToGoString

__all__ = ["DecodeError", "parse_protobuf"]

_TYPE_NAMES = {0: "counter", 1: "gauge", 2: "summary", 3: "unknown", 4: "histogram", 5: "gaugehistogram"}


def _text(value: Any) -> str:
    if not isinstance(value, bytes):
        raise DecodeError("a string field with the wrong wire type")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DecodeError(f"a string field that is not UTF-8: {error}") from None


def _double(value: Any, wire_type: int) -> float:
    if wire_type != FIXED64:
        raise DecodeError("a double field with the wrong wire type")
    return float(value)


def _message(value: Any, wire_type: int) -> bytes:
    if wire_type != LEN or not isinstance(value, bytes):
        raise DecodeError("a message field with the wrong wire type")
    return value


def _label_pair(data: bytes) -> Tuple[str, str]:
    name = value = ""
    for number, _wire_type, field in fields(data):
        if number == 1:
            name = _text(field)
        elif number == 2:
            value = _text(field)
    return name, value


def _timestamp(data: bytes) -> float:
    """A google.protobuf.Timestamp as float seconds."""
    seconds = nanos = 0
    for number, _wire_type, field in fields(data):
        if number == 1:
            seconds = as_int64(int(field))  # type: ignore[arg-type]
        elif number == 2:
            nanos = as_int64(int(field))  # type: ignore[arg-type]
    return seconds + nanos / 1e9


def _exemplar(data: bytes) -> Exemplar:
    labels: Dict[str, str] = {}
    value = 0.0
    timestamp: Optional[float] = None
    for number, wire_type, field in fields(data):
        if number == 1:
            name, text = _label_pair(_message(field, wire_type))
            labels[name] = text
        elif number == 2:
            value = _double(field, wire_type)
        elif number == 3:
            timestamp = _timestamp(_message(field, wire_type))
    return Exemplar(labels, value, timestamp)


def _simple_value(data: bytes) -> Tuple[float, Optional[Exemplar], Optional[float]]:
    """Gauge, Untyped or Counter: (value, exemplar, created)."""
    value = 0.0
    exemplar = None
    created = None
    for number, wire_type, field in fields(data):
        if number == 1:
            value = _double(field, wire_type)
        elif number == 2:
            exemplar = _exemplar(_message(field, wire_type))
        elif number == 3:
            created = _timestamp(_message(field, wire_type))
    return value, exemplar, created


def _span(data: bytes) -> BucketSpan:
    offset = length = 0
    for number, _wire_type, field in fields(data):
        if number == 1:
            offset = unzigzag(int(field))  # type: ignore[arg-type]
        elif number == 2:
            length = int(field)  # type: ignore[arg-type]
    return BucketSpan(offset, length)


class _Histogram:
    """The fields of a Histogram or Summary message that matter to the samples."""

    def __init__(self) -> None:
        self.count: Optional[float] = None
        self.sum: Optional[float] = None
        self.buckets: List[Tuple[float, float, Optional[Exemplar]]] = []
        self.quantiles: List[Tuple[float, float]] = []
        self.created: Optional[float] = None
        self.schema: Optional[int] = None
        self.zero_threshold: Optional[float] = None
        self.zero_count: Optional[float] = None
        self.neg_spans: List[BucketSpan] = []
        self.pos_spans: List[BucketSpan] = []
        self.neg_deltas: List[int] = []
        self.pos_deltas: List[int] = []
        self.exemplars: List[Exemplar] = []

    @property
    def is_native(self) -> bool:
        return (
            self.schema is not None
            or self.zero_threshold is not None
            or bool(self.pos_spans or self.neg_spans or self.zero_count)
        )


def _bucket(data: bytes) -> Tuple[float, float, Optional[Exemplar]]:
    count = 0.0
    count_float = 0.0
    bound = 0.0
    exemplar = None
    for number, wire_type, field in fields(data):
        if number == 1:
            count = float(field)
        elif number == 4:
            count_float = _double(field, wire_type)
        elif number == 2:
            bound = _double(field, wire_type)
        elif number == 3:
            exemplar = _exemplar(_message(field, wire_type))
    # The float count overrides the integer one when it is set (> 0), as metrics.proto says.
    return bound, count_float if count_float > 0 else count, exemplar


def _histogram(data: bytes, is_summary: bool) -> _Histogram:
    result = _Histogram()
    count_float = 0.0
    zero_count_float = 0.0
    for number, wire_type, field in fields(data):
        if number == 1:
            result.count = float(field)
        elif number == 2:
            result.sum = _double(field, wire_type)
        elif number == 3:
            if is_summary:
                quantile = value = 0.0
                for inner, inner_type, item in fields(_message(field, wire_type)):
                    if inner == 1:
                        quantile = _double(item, inner_type)
                    elif inner == 2:
                        value = _double(item, inner_type)
                result.quantiles.append((quantile, value))
            else:
                result.buckets.append(_bucket(_message(field, wire_type)))
        elif is_summary:
            if number == 4:
                result.created = _timestamp(_message(field, wire_type))
        elif number == 4:
            count_float = _double(field, wire_type)
        elif number == 15:
            result.created = _timestamp(_message(field, wire_type))
        elif number == 5:
            result.schema = unzigzag(int(field))  # type: ignore[arg-type]
        elif number == 6:
            result.zero_threshold = _double(field, wire_type)
        elif number == 7:
            result.zero_count = float(field)
        elif number == 8:
            zero_count_float = _double(field, wire_type)
        elif number == 9:
            result.neg_spans.append(_span(_message(field, wire_type)))
        elif number == 10:
            result.neg_deltas.extend(unzigzag(item) for item in packed_varints(field, wire_type))
        elif number == 12:
            result.pos_spans.append(_span(_message(field, wire_type)))
        elif number == 13:
            result.pos_deltas.extend(unzigzag(item) for item in packed_varints(field, wire_type))
        elif number == 16:
            result.exemplars.append(_exemplar(_message(field, wire_type)))
    if count_float > 0:
        result.count = count_float
    if zero_count_float > 0:
        result.zero_count = zero_count_float
    return result


def _whole(value: Optional[float]) -> Any:
    """A count as the OpenMetrics parser gives it in a NativeHistogram: an int when it is whole."""
    if value is None:
        return 0
    return int(value) if value == int(value) else value


def _native_histogram(histogram: _Histogram) -> NativeHistogram:
    # The no-op span (0, 0) of an empty histogram is the writer's marker, not data.
    pos_spans = [span for span in histogram.pos_spans if span != (0, 0)]
    return NativeHistogram(
        count_value=_whole(histogram.count),
        sum_value=histogram.sum if histogram.sum is not None else 0.0,
        schema=histogram.schema or 0,
        zero_threshold=histogram.zero_threshold or 0.0,
        zero_count=_whole(histogram.zero_count),
        pos_spans=tuple(pos_spans) or None,
        neg_spans=tuple(histogram.neg_spans) or None,
        pos_deltas=tuple(histogram.pos_deltas) or None,
        neg_deltas=tuple(histogram.neg_deltas) or None,
        nh_exemplars=tuple(histogram.exemplars) or None,
    )


def _metric_samples(family: Metric, typ: str, data: bytes) -> List[Sample]:
    """The samples of one Metric message of ``family``."""
    labels: Dict[str, str] = {}
    timestamp: Optional[float] = None
    body: Optional[Tuple[int, bytes]] = None
    for number, wire_type, field in fields(data):
        if number == 1:
            label_name, label_value = _label_pair(_message(field, wire_type))
            labels[label_name] = label_value
        elif number == 6:
            timestamp = as_int64(int(field)) / 1000  # type: ignore[arg-type]
        elif number in (2, 3, 4, 5, 7):
            body = (number, _message(field, wire_type))
    name = family.name
    if body is None:
        raise DecodeError(f"metric of family {name!r} has no value")
    number, message = body
    if typ in ("counter", "gauge", "unknown"):
        value, exemplar, created = _simple_value(message)
        if typ != "counter":
            return [Sample(name, labels, value, timestamp)]
        samples = [Sample(name + "_total", labels, value, timestamp, exemplar)]
        if created is not None:
            samples.append(Sample(name + "_created", dict(labels), created, timestamp))
        return samples
    histogram = _histogram(message, typ == "summary")
    samples = []
    if typ == "summary":
        for quantile, value in histogram.quantiles:
            samples.append(Sample(name, dict(labels, quantile=floatToGoString(quantile)), value, timestamp))
        if histogram.count is not None:
            samples.append(Sample(name + "_count", labels, histogram.count, timestamp))
        if histogram.sum is not None:
            samples.append(Sample(name + "_sum", dict(labels), histogram.sum, timestamp))
        if histogram.created is not None:
            samples.append(Sample(name + "_created", dict(labels), histogram.created, timestamp))
        return samples
    is_native = histogram.is_native
    if is_native:
        samples.append(Sample(name, labels, None, timestamp, None, _native_histogram(histogram)))  # type: ignore[arg-type]
    if histogram.buckets or not is_native:
        buckets = histogram.buckets
        if not buckets or buckets[-1][0] != float("inf"):
            buckets = buckets + [(float("inf"), histogram.count or 0.0, None)]
        for bound, count, exemplar in buckets:
            bucket_labels = dict(labels, le=floatToGoString(bound))
            samples.append(Sample(name + "_bucket", bucket_labels, count, timestamp, exemplar))
        suffix = "_g" if typ == "gaugehistogram" else "_"
        if histogram.count is not None:
            samples.append(Sample(name + suffix + "count", dict(labels), histogram.count, timestamp))
        if histogram.sum is not None:
            samples.append(Sample(name + suffix + "sum", dict(labels), histogram.sum, timestamp))
    if histogram.created is not None:
        samples.append(Sample(name + "_created", dict(labels), histogram.created, timestamp))
    return samples


def _family(data: bytes) -> Metric:
    name = documentation = unit = ""
    type_number = 3
    metrics: List[bytes] = []
    for number, wire_type, field in fields(data):
        if number == 1:
            name = _text(field)
        elif number == 2:
            documentation = _text(field)
        elif number == 3:
            type_number = int(field)  # type: ignore[arg-type]
        elif number == 4:
            metrics.append(_message(field, wire_type))
        elif number == 5:
            unit = _text(field)
    typ = _TYPE_NAMES.get(type_number)
    if typ is None:
        raise DecodeError(f"family {name!r} has an unknown MetricType {type_number}")
    if typ == "counter" and name.endswith("_total"):
        name = name[:-6]
    family = Metric(name, documentation, typ, unit)
    for metric in metrics:
        family.samples.extend(_metric_samples(family, typ, metric))
    return family


def parse_protobuf(data: bytes) -> Iterator[Metric]:
    """The metric families of a delimited protobuf exposition (the ``encoding=delimited`` content type)."""
    for message in delimited_messages(bytes(data)):
        yield _family(message)
