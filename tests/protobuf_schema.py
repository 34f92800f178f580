"""An independent decoder for the protobuf exposition: the ``protobuf`` package with metrics.proto built here.

The descriptor is made from the field numbers of prometheus/client_model's
``io/prometheus/client/metrics.proto`` (proto2) with ``descriptor_pb2``, so no
protoc is needed; tests decode our bytes with it and compare field by field.
"""

from __future__ import annotations

from typing import Any, List, Tuple

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, timestamp_pb2
from google.protobuf.internal.decoder import _DecodeVarint  # type: ignore[attr-defined]

_F = descriptor_pb2.FieldDescriptorProto
_OPTIONAL, _REPEATED = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
_TYPES = {
    "string": _F.TYPE_STRING,
    "double": _F.TYPE_DOUBLE,
    "uint64": _F.TYPE_UINT64,
    "uint32": _F.TYPE_UINT32,
    "int64": _F.TYPE_INT64,
    "sint32": _F.TYPE_SINT32,
    "sint64": _F.TYPE_SINT64,
}

# message -> (field name, number, type or message name, repeated?)
MESSAGES: List[Tuple[str, List[Tuple[str, int, str, bool]]]] = [
    ("LabelPair", [("name", 1, "string", False), ("value", 2, "string", False)]),
    ("Gauge", [("value", 1, "double", False)]),
    ("Counter", [("value", 1, "double", False), ("exemplar", 2, "Exemplar", False),
                 ("created_timestamp", 3, ".google.protobuf.Timestamp", False)]),
    ("Quantile", [("quantile", 1, "double", False), ("value", 2, "double", False)]),
    ("Summary", [("sample_count", 1, "uint64", False), ("sample_sum", 2, "double", False),
                 ("quantile", 3, "Quantile", True), ("created_timestamp", 4, ".google.protobuf.Timestamp", False)]),
    ("Untyped", [("value", 1, "double", False)]),
    ("Histogram", [
        ("sample_count", 1, "uint64", False), ("sample_count_float", 4, "double", False),
        ("sample_sum", 2, "double", False), ("bucket", 3, "Bucket", True),
        ("created_timestamp", 15, ".google.protobuf.Timestamp", False),
        ("schema", 5, "sint32", False), ("zero_threshold", 6, "double", False),
        ("zero_count", 7, "uint64", False), ("zero_count_float", 8, "double", False),
        ("negative_span", 9, "BucketSpan", True), ("negative_delta", 10, "sint64", True),
        ("negative_count", 11, "double", True), ("positive_span", 12, "BucketSpan", True),
        ("positive_delta", 13, "sint64", True), ("positive_count", 14, "double", True),
        ("exemplars", 16, "Exemplar", True),
    ]),
    ("Bucket", [("cumulative_count", 1, "uint64", False), ("cumulative_count_float", 4, "double", False),
                ("upper_bound", 2, "double", False), ("exemplar", 3, "Exemplar", False)]),
    ("BucketSpan", [("offset", 1, "sint32", False), ("length", 2, "uint32", False)]),
    ("Exemplar", [("label", 1, "LabelPair", True), ("value", 2, "double", False),
                  ("timestamp", 3, ".google.protobuf.Timestamp", False)]),
    ("Metric", [("label", 1, "LabelPair", True), ("gauge", 2, "Gauge", False), ("counter", 3, "Counter", False),
                ("summary", 4, "Summary", False), ("untyped", 5, "Untyped", False),
                ("histogram", 7, "Histogram", False), ("timestamp_ms", 6, "int64", False)]),
    ("MetricFamily", [("name", 1, "string", False), ("help", 2, "string", False),
                      ("type", 3, "MetricType", False), ("metric", 4, "Metric", True),
                      ("unit", 5, "string", False)]),
]  # fmt: skip
METRIC_TYPES = ["COUNTER", "GAUGE", "SUMMARY", "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"]


def _build() -> Any:
    pool = descriptor_pool.DescriptorPool()
    timestamp_file = descriptor_pb2.FileDescriptorProto()
    timestamp_pb2.DESCRIPTOR.CopyToProto(timestamp_file)
    pool.Add(timestamp_file)
    file = descriptor_pb2.FileDescriptorProto(
        name="io/prometheus/client/metrics.proto", package="io.prometheus.client", syntax="proto2",
        dependency=["google/protobuf/timestamp.proto"],
    )  # fmt: skip
    enum = file.enum_type.add(name="MetricType")
    for number, name in enumerate(METRIC_TYPES):
        enum.value.add(name=name, number=number)
    for message_name, message_fields in MESSAGES:
        message = file.message_type.add(name=message_name)
        for field_name, number, type_name, repeated in message_fields:
            field = message.field.add(name=field_name, number=number, label=_REPEATED if repeated else _OPTIONAL)
            if type_name in _TYPES:
                field.type = _TYPES[type_name]
            elif type_name == "MetricType":
                field.type = _F.TYPE_ENUM
                field.type_name = ".io.prometheus.client.MetricType"
            else:
                field.type = _F.TYPE_MESSAGE
                field.type_name = type_name if type_name.startswith(".") else ".io.prometheus.client." + type_name
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("io.prometheus.client.MetricFamily"))


MetricFamily = _build()


def decode(data: bytes) -> List[Any]:
    """The MetricFamily messages of a delimited stream, decoded by the protobuf package."""
    families = []
    position = 0
    while position < len(data):
        size, position = _DecodeVarint(data, position)
        family = MetricFamily()
        family.ParseFromString(data[position : position + size])
        families.append(family)
        position += size
    return families
