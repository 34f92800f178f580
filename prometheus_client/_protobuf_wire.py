"""The protocol buffers wire format, as far as ``io.prometheus.client`` messages need it.

Writing: varints, zigzag for ``sint`` fields, little-endian doubles, length-delimited
fields and the ``google.protobuf.Timestamp`` message. Reading: one field at a time
from a byte string. No message knowledge lives here (that is :mod:`._protobuf` and
:mod:`._protobuf_parser`), and nothing outside the standard library is needed.
"""

from __future__ import annotations

import math
import struct
from typing import Iterator, List, Tuple, Union

from .samples import Timestamp

# Wire types.
VARINT = 0
FIXED64 = 1
LEN = 2
FIXED32 = 5

_UINT64_MASK = (1 << 64) - 1
pack_double = struct.Struct("<d").pack
_unpack_double = struct.Struct("<d").unpack_from

# One-byte varints are by far the most common (lengths of labels and small messages).
_SMALL_VARINTS = [bytes((value,)) for value in range(128)]


def varint(value: int) -> bytes:
    """``value`` as a base-128 varint; a negative one as its 64-bit two's complement (int64 fields)."""
    if 0 <= value < 128:
        return _SMALL_VARINTS[value]
    value &= _UINT64_MASK
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def zigzag(value: int) -> int:
    """The zigzag code of a signed integer (``sint32``/``sint64`` fields): small magnitudes stay small."""
    return (value << 1) ^ (value >> 63) if value < 0 else value << 1


def unzigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def key(field: int, wire_type: int) -> bytes:
    return varint((field << 3) | wire_type)


def length_delimited(field_key: bytes, payload: bytes) -> bytes:
    """A length-delimited field: its key (from :func:`key`), the payload's length, the payload."""
    size = len(payload)
    return field_key + (_SMALL_VARINTS[size] if size < 128 else varint(size)) + payload


def timestamp_message(value: Union[float, Timestamp]) -> bytes:
    """A ``google.protobuf.Timestamp`` (seconds = 1, nanos = 2) for seconds since the epoch.

    Nanoseconds are rounded, which is finer than a double's spacing at current
    epoch values, so a float survives the round trip exactly.
    """
    if isinstance(value, Timestamp):
        seconds, nanos = value.sec, value.nsec
        if nanos < 0:
            seconds, nanos = seconds - 1, nanos + 1_000_000_000
    else:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"a timestamp must be finite, got {value!r}")
        seconds = math.floor(number)
        nanos = round((number - seconds) * 1e9)
        if nanos >= 1_000_000_000:
            seconds, nanos = seconds + 1, nanos - 1_000_000_000
    out = b""
    if seconds:
        out += b"\x08" + varint(seconds)
    if nanos:
        out += b"\x10" + varint(nanos)
    return out


# ---------------------------------------------------------------------------
# Reading

Field = Tuple[int, int, Union[int, float, bytes]]


class DecodeError(ValueError):
    """Bytes that are not a well-formed protobuf message (truncated, a bad wire type...)."""


def read_varint(data: bytes, position: int) -> Tuple[int, int]:
    """The varint at ``position`` and the position after it."""
    result = 0
    shift = 0
    while True:
        if position >= len(data):
            raise DecodeError("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7
        if shift >= 70:
            raise DecodeError("varint longer than 10 bytes")


def as_int64(value: int) -> int:
    """A varint read as a two's complement int64 (``int64``/``int32`` fields)."""
    value &= _UINT64_MASK
    return value - (1 << 64) if value >= 1 << 63 else value


def fields(data: bytes) -> Iterator[Field]:
    """``(field number, wire type, value)`` of each field of one message.

    A varint comes as an int, a 64-bit field as a double (every 64-bit field of
    these messages is one), a length-delimited field as bytes, a 32-bit field as
    its raw int.
    """
    position = 0
    end = len(data)
    while position < end:
        tag, position = read_varint(data, position)
        number, wire_type = tag >> 3, tag & 7
        if number == 0:
            raise DecodeError("field number 0")
        value: Union[int, float, bytes]
        if wire_type == VARINT:
            value, position = read_varint(data, position)
        elif wire_type == FIXED64:
            if position + 8 > end:
                raise DecodeError("truncated 64-bit field")
            value = _unpack_double(data, position)[0]
            position += 8
        elif wire_type == LEN:
            size, position = read_varint(data, position)
            if position + size > end:
                raise DecodeError(f"field {number}: {size} bytes announced, {end - position} left")
            value = data[position : position + size]
            position += size
        elif wire_type == FIXED32:
            if position + 4 > end:
                raise DecodeError("truncated 32-bit field")
            value = int.from_bytes(data[position : position + 4], "little")
            position += 4
        else:
            raise DecodeError(f"field {number}: unsupported wire type {wire_type}")
        yield number, wire_type, value


def packed_varints(value: Union[int, float, bytes], wire_type: int) -> List[int]:
    """A repeated varint field's values from one field occurrence, packed or not."""
    if wire_type == VARINT:
        return [value]  # type: ignore[list-item]
    if wire_type != LEN or not isinstance(value, bytes):
        raise DecodeError("a repeated integer field with the wrong wire type")
    values = []
    position = 0
    while position < len(value):
        item, position = read_varint(value, position)
        values.append(item)
    return values


def delimited_messages(data: bytes) -> Iterator[bytes]:
    """The messages of a length-delimited stream (each prefixed with its varint length)."""
    position = 0
    end = len(data)
    while position < end:
        size, position = read_varint(data, position)
        if position + size > end:
            raise DecodeError(f"message of {size} bytes announced, {end - position} left")
        yield data[position : position + size]
        position += size
