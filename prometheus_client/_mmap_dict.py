"""The file format of multiprocess mode: one memory-mapped file per process and kind.

Layout (little endian, everything 8-byte aligned)::

    header  (32 bytes)  magic "PMPMMAP1" | used: u64 | file_id: u64 | reserved: u64
    record  (repeated)  length: u32 | key_length: u32 | flags: u32 | reserved: u32
                        value: f64 | timestamp: f64 | key (UTF-8 JSON, zero padded to 8)

* ``used`` is the end of the last complete record. A writer fills a record
  first and publishes it by storing ``used`` afterwards, so a reader never
  parses half a record. Values are aligned doubles written with one 8-byte
  store: a reader sees the old or the new number, never a mix.
* The fixed part of a record comes before its key, so a reader gets length,
  flags, value and timestamp with one ``struct.unpack_from``.
* Records are only appended: a key never moves, so readers cache the parsed
  layout of a file (offsets and keys) by its ``file_id`` and later re-read only
  the numbers.
* ``file_id`` is random, chosen when the file is created. The compactor records
  the ids of the files it folded into an aggregate (a ``CONSUMED`` record), so
  a reused pid's new file is never mistaken for a folded one.
* A file is created under a hidden temporary name, sized and given its header,
  then linked into place: a reader never sees an empty or header-less file from
  a worker killed while creating it.

Files written by the official client (its ``MmapedDict``: a ``used`` int32, 4
bytes of padding, then records of int32 key length, key, padding to 8, value
and timestamp doubles) are *legacy* files: readers here understand them, so a
rolling upgrade of a pre-fork server loses nothing, and a writer that finds one
under its own name (a reused pid) carries its values over into a new file.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import struct
import threading
from json.encoder import encode_basestring_ascii as _encode_json_string
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from .samples import Exemplar

__all__ = ["MmapedDict", "mmap_key", "FileFormatError", "is_legacy", "iter_legacy_records"]

MAGIC = b"PMPMMAP1"
HEADER = struct.Struct("<8sQQQ")
HEADER_SIZE = HEADER.size  # 32
USED = struct.Struct("<Q")
RECORD = struct.Struct("<IIIIdd")
RECORD_SIZE = RECORD.size  # 32
FLAGS = struct.Struct("<I")
VALUE_OFFSET = 16  # of the value within a record; the timestamp follows it
PAIR = struct.Struct("<dd")  # value, timestamp

FLAG_REMOVED = 1  # the child was removed (remove()/clear()); readers skip the record
FLAG_CONSUMED = 2  # key is a JSON list of the file ids an aggregate absorbed
FLAG_EXEMPLAR = 4  # the exemplar of the value with the same key; its labels follow the key

EXEMPLAR_SLOT = 2048  # sequence: u32 | length: u32 | labels JSON; exemplar labels are <= 128 characters
EXEMPLAR_KEY_PREFIX = "\x00exemplar:"  # how exemplar records are told apart in the in-memory index

_INITIAL_MMAP_SIZE = 1 << 16
_RECORD_HEADERS: Dict[int, bytes] = {}  # key length -> the fixed part of a new record (value 0)

LEGACY_USED = struct.Struct("<i")
LEGACY_HEADER_SIZE = 8
LEGACY_ID_BASE = 1 << 63  # legacy files have no id; readers use this plus the inode

logger = logging.getLogger("prometheus_client.multiprocess")


class FileFormatError(ValueError):
    """A multiprocess file that cannot be read (empty, truncated, corrupt or foreign)."""


_KeyBuilder = Callable[[Sequence[str]], str]
_key_builders: Dict[Tuple[str, str, Tuple[str, ...], str], Optional[_KeyBuilder]] = {}


def key_builder(metric_name: str, name: str, labelnames: Tuple[str, ...], help_text: str) -> Optional[_KeyBuilder]:
    """A function of the label values giving one metric's keys; None for repeated label names.

    The common label counts get a function without a loop: a comprehension costs more
    than the rest of building a key.
    """
    if len(set(labelnames)) != len(labelnames):
        return None  # dict semantics decide which value a repeated name keeps: leave it to json
    encode = _encode_json_string
    order = sorted(range(len(labelnames)), key=labelnames.__getitem__)
    prefix = "[" + encode(metric_name) + ", " + encode(name) + ", {"
    suffix = "}, " + encode(help_text) + "]"
    names = [encode(labelnames[i]) + ": " for i in order]
    if not order:
        key = prefix + suffix
        return lambda values: key
    if len(order) == 1:
        first = prefix + names[0]
        return lambda values: first + encode(values[0]) + suffix
    if len(order) == 2:
        a, b = order
        first, second = prefix + names[0], ", " + names[1]
        return lambda values: first + encode(values[a]) + second + encode(values[b]) + suffix
    pairs = list(zip(names, order))
    return lambda values: prefix + ", ".join([label + encode(values[i]) for label, i in pairs]) + suffix


def mmap_key(
    metric_name: str, name: str, labelnames: Sequence[str], labelvalues: Sequence[str], help_text: str
) -> str:
    """The key under which one value is stored: a JSON list, labels sorted by name.

    The same text as ``json.dumps([metric_name, name, labels, help_text], sort_keys=True)`` (what the
    official client writes), built from the C string encoder by a per-metric function: a key is made
    for every value of every child created.
    """
    names = tuple(labelnames)
    cache_key = (metric_name, name, names, help_text)
    try:
        builder = _key_builders[cache_key]
    except KeyError:
        if len(_key_builders) > 10_000:
            _key_builders.clear()
        builder = _key_builders[cache_key] = key_builder(metric_name, name, names, help_text)
    if builder is not None and len(labelvalues) == len(names):
        try:
            return builder(labelvalues)
        except TypeError:  # a value that is not a str: json writes it as what it is
            pass
    return json.dumps([metric_name, name, dict(zip(labelnames, labelvalues)), help_text], sort_keys=True)


def _padded(length: int) -> int:
    return (length + 7) & ~7


def _new_file_id() -> int:
    return int.from_bytes(os.urandom(8), "little") or 1


def create_file(
    path: str, size: int = _INITIAL_MMAP_SIZE, file_id: Optional[int] = None, replace: bool = False
) -> int:
    """Create ``path`` with a valid header without an empty-file window; return an O_RDWR fd.

    Raises FileExistsError when ``path`` already exists (another creator won),
    unless ``replace`` is true: then the new file atomically takes its place.
    """
    directory, base = os.path.split(path)
    tmp = os.path.join(directory, f".{base}.{os.getpid()}.{_new_file_id():x}.tmp")
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.ftruncate(fd, size)
        os.pwrite(fd, HEADER.pack(MAGIC, HEADER_SIZE, file_id or _new_file_id(), 0), 0)
        if replace:
            os.replace(tmp, path)
            return fd
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # A filesystem without hard links: rename cannot fail on an existing name,
            # but only this pid creates this name, so nobody else is racing us for it.
            if os.path.exists(path):
                raise FileExistsError(path) from None
            os.rename(tmp, path)
            return fd
        os.unlink(tmp)
        return fd
    except BaseException:
        os.close(fd)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def check_header(data: "bytes | mmap.mmap | memoryview", size: int, path: str) -> Tuple[int, int]:
    """Validate the header of a file of ``size`` bytes; return (used, file_id)."""
    if size < HEADER_SIZE:
        raise FileFormatError(f"multiprocess file {path!r} is truncated ({size} bytes, no complete header)")
    magic, used, file_id, _ = HEADER.unpack_from(data, 0)
    if magic != MAGIC:
        raise FileFormatError(f"multiprocess file {path!r} has an unknown format (magic {bytes(magic)!r})")
    if used < HEADER_SIZE or used > size or used % 8:
        raise FileFormatError(f"multiprocess file {path!r} is corrupt (used={used}, size={size})")
    return used, file_id


def iter_records(
    data: "bytes | mmap.mmap", start: int, used: int, path: str
) -> Iterator[Tuple[int, int, float, float, bytes]]:
    """Yield (offset, flags, value, timestamp, key bytes) of the records in [start, used).

    Raises FileFormatError at the first record that does not fit, after yielding the good ones.
    """
    unpack = RECORD.unpack_from
    pos = start
    while pos < used:
        if pos + RECORD_SIZE > used:
            raise FileFormatError(f"multiprocess file {path!r} is corrupt: partial record at offset {pos}")
        length, key_length, flags, _, value, timestamp = unpack(data, pos)
        if length < RECORD_SIZE or length % 8 or pos + length > used or RECORD_SIZE + key_length > length:
            raise FileFormatError(
                f"multiprocess file {path!r} is corrupt: bad record at offset {pos} (length={length}, key={key_length})"
            )
        yield pos, flags, value, timestamp, data[pos + RECORD_SIZE : pos + RECORD_SIZE + key_length]
        pos += length


def is_legacy(data: "bytes | mmap.mmap | memoryview") -> bool:
    """Whether ``data`` starts like a file of the official client rather than one of ours."""
    return len(data) >= LEGACY_HEADER_SIZE and bytes(data[:8]) != MAGIC


def check_legacy_header(data: "bytes | mmap.mmap | memoryview", size: int, path: str) -> int:
    """Validate the header of an official-client file; return its ``used``."""
    used = LEGACY_USED.unpack_from(data, 0)[0]
    if used < LEGACY_HEADER_SIZE or used > size:
        raise FileFormatError(
            f"multiprocess file {path!r} (official client layout) is corrupt (used={used}, size={size})"
        )
    return int(used)


def iter_legacy_records(
    data: "bytes | mmap.mmap", used: int, path: str, start: int = LEGACY_HEADER_SIZE
) -> Iterator[Tuple[int, bytes, float, float]]:
    """Yield (value offset, key bytes, value, timestamp) of an official-client file's records from ``start``.

    Raises FileFormatError at the first record that does not fit, after yielding the good ones.
    """
    pos = start
    unpack_length = LEGACY_USED.unpack_from
    unpack_pair = PAIR.unpack_from
    while pos < used:
        if pos + 4 > used:
            raise FileFormatError(f"multiprocess file {path!r} is corrupt: partial record at offset {pos}")
        length = unpack_length(data, pos)[0]
        value_pos = pos + 4 + length + (8 - (length + 4) % 8)
        if length < 0 or value_pos + 16 > used:
            raise FileFormatError(
                f"multiprocess file {path!r} is corrupt: bad record at offset {pos} (key length {length})"
            )
        value, timestamp = unpack_pair(data, value_pos)
        yield value_pos, bytes(data[pos + 4 : pos + 4 + length]), value, timestamp
        pos = value_pos + 16


def legacy_file_id(inode: int) -> int:
    """The id readers and the compactor give an official-client file, which has none of its own."""
    return LEGACY_ID_BASE | inode


class MmapedDict:
    """One process's values of one kind, in a memory-mapped file (official class name).

    Not thread-safe by itself: the value class serialises writers. ``read_mode``
    opens an existing file for reading only.
    """

    def __init__(self, filename: str, read_mode: bool = False) -> None:
        self._filename = filename
        self._read_mode = read_mode
        self._positions: Dict[str, int] = {}  # key -> record offset
        self._maps: List[mmap.mmap] = []  # older mappings stay open while values hold views into them
        # Serialises the updates of this file's values (held by the value classes, not by these methods).
        self.lock = threading.Lock()
        self.acquire = self.lock.acquire
        self.release = self.lock.release
        if read_mode:
            with open(filename, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size < HEADER_SIZE:
                    raise FileFormatError(f"multiprocess file {filename!r} is truncated ({size} bytes)")
                self._m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            self._fd = -1
        else:
            try:
                self._fd = create_file(filename)
            except FileExistsError:
                self._fd = os.open(filename, os.O_RDWR)
                if self._is_legacy_file():
                    os.close(self._fd)
                    _convert_legacy(filename)
                    self._fd = os.open(filename, os.O_RDWR)
            if not self._valid_for_writing():
                os.close(self._fd)
                self._fd = create_file(filename, replace=True)
            self._m = mmap.mmap(self._fd, os.fstat(self._fd).st_size)
        self._size = len(self._m)
        self._doubles: Any = None  # memoryview of the mapping as doubles, made on first use
        self._used, self.file_id = check_header(self._m, self._size, filename)
        for pos, flags, _value, _ts, key in iter_records(self._m, HEADER_SIZE, self._used, filename):
            prefix = EXEMPLAR_KEY_PREFIX if flags & FLAG_EXEMPLAR else ""
            self._positions[prefix + key.decode("utf-8")] = pos

    def _is_legacy_file(self) -> bool:
        return is_legacy(os.pread(self._fd, LEGACY_HEADER_SIZE, 0))

    def _valid_for_writing(self) -> bool:
        """Whether the existing file can be appended to; a bad one is logged and replaced."""
        size = os.fstat(self._fd).st_size
        header = os.pread(self._fd, HEADER_SIZE, 0)
        try:
            used, _ = check_header(header + b"\0" * (HEADER_SIZE - len(header)), size, self._filename)
            if used > HEADER_SIZE:
                data = os.pread(self._fd, used, 0)
                for _ in iter_records(data, HEADER_SIZE, used, self._filename):
                    pass
        except FileFormatError as error:
            logger.warning("%s; replacing it with an empty file for pid %d", error, os.getpid())
            return False
        return True

    # -- writing ------------------------------------------------------------------------

    def _grow(self, needed: int) -> None:
        size = self._size
        while size < needed:
            size *= 2
        os.ftruncate(self._fd, size)
        # Values keep memoryviews into the old mapping; it maps the same pages, so keep it open.
        self._maps.append(self._m)
        self._m = mmap.mmap(self._fd, size)
        self._size = size
        self._doubles = memoryview(self._m).cast("d")  # values index it on every update: never None here

    def _init_value(self, key: str) -> int:
        encoded = key.encode("utf-8")
        length = RECORD_SIZE + _padded(len(encoded))
        pos = self._used
        if pos + length > self._size:
            self._grow(pos + length)
        m = self._m
        m[pos + RECORD_SIZE : pos + RECORD_SIZE + len(encoded)] = encoded
        RECORD.pack_into(m, pos, length, len(encoded), 0, 0, 0.0, 0.0)
        self._used = pos + length
        USED.pack_into(m, 8, self._used)  # publish the complete record
        self._positions[key] = pos
        return pos

    def position(self, key: str) -> int:
        """The record offset of ``key``, appending a record (value 0) the first time."""
        pos = self._positions.get(key)
        if pos is None:
            pos = self._init_value(key)
        return pos

    def value_index(self, key: str) -> int:
        """Where the value of ``key`` is in :attr:`doubles` (its timestamp follows), appending it if new.

        ``doubles`` is replaced when the file grows; an index stays right in every view. A removed
        record is revived at zero, as a new child starts at zero.
        """
        pos = self._positions.get(key)
        if pos is None:
            # Append the record (value 0), as _init_value does, inline: a cell is made per new child.
            encoded = key.encode("utf-8")
            key_length = len(encoded)
            pos = self._used
            end = pos + RECORD_SIZE + ((key_length + 7) & ~7)
            if end > self._size:
                self._grow(end)
            m = self._m
            header = _RECORD_HEADERS.get(key_length)
            if header is None:
                header = _RECORD_HEADERS[key_length] = RECORD.pack(end - pos, key_length, 0, 0, 0.0, 0.0)
            m[pos : pos + RECORD_SIZE + key_length] = header + encoded
            self._used = end
            USED.pack_into(m, 8, end)  # publish the complete record
            self._positions[key] = pos
        else:
            flags = FLAGS.unpack_from(self._m, pos + 8)[0]
            if flags & FLAG_REMOVED:
                struct.pack_into("<dd", self._m, pos + VALUE_OFFSET, 0.0, 0.0)
                FLAGS.pack_into(self._m, pos + 8, flags & ~FLAG_REMOVED)
        if self._doubles is None:
            self._doubles = memoryview(self._m).cast("d")  # one view of the whole mapping, shared by values
        return (pos + VALUE_OFFSET) >> 3

    def mark_removed(self, key: str) -> None:
        """Hide ``key`` from readers (its child was removed); its space is reused if it comes back."""
        pos = self._positions.get(key)
        if pos is None:
            return
        flags = FLAGS.unpack_from(self._m, pos + 8)[0]
        struct.pack_into("<dd", self._m, pos + VALUE_OFFSET, 0.0, 0.0)
        FLAGS.pack_into(self._m, pos + 8, flags | FLAG_REMOVED)
        exemplar_pos = self._positions.get(EXEMPLAR_KEY_PREFIX + key)
        if exemplar_pos is not None:
            slot = exemplar_pos + RECORD_SIZE + _padded(len(key.encode("utf-8")))
            FLAGS.pack_into(self._m, slot, 0)  # no exemplar

    def write_value(self, key: str, value: float, timestamp: float) -> None:
        """Store ``value`` and ``timestamp`` under ``key`` (official API)."""
        pos = self.position(key)
        struct.pack_into("<dd", self._m, pos + VALUE_OFFSET, value, timestamp)

    def add_record(self, key: str, value: float, timestamp: float, flags: int = 0) -> None:
        """Append a record (used by the compactor, which writes each key once)."""
        pos = self._init_value(key)
        struct.pack_into("<dd", self._m, pos + VALUE_OFFSET, value, timestamp)
        if flags:
            FLAGS.pack_into(self._m, pos + 8, flags)

    def exemplar_position(self, key: str) -> int:
        """The offset of the exemplar record of ``key`` (created on first use)."""
        exemplar_key = EXEMPLAR_KEY_PREFIX + key
        pos = self._positions.get(exemplar_key)
        if pos is None:
            encoded = key.encode("utf-8")
            length = RECORD_SIZE + _padded(len(encoded)) + EXEMPLAR_SLOT
            pos = self._used
            if pos + length > self._size:
                self._grow(pos + length)
            m = self._m
            m[pos + RECORD_SIZE : pos + RECORD_SIZE + len(encoded)] = encoded
            RECORD.pack_into(m, pos, length, len(encoded), FLAG_EXEMPLAR, 0, 0.0, 0.0)
            self._used = pos + length
            USED.pack_into(m, 8, self._used)
            self._positions[exemplar_key] = pos
        return pos

    def write_exemplar(self, key: str, labels: Dict[str, str], value: float, timestamp: float) -> None:
        """Store the exemplar of ``key`` under a sequence lock, so readers never see a torn one.

        The caller serialises writers of the same key.
        """
        payload = json.dumps(labels, sort_keys=True, ensure_ascii=False).encode("utf-8")
        if len(payload) > EXEMPLAR_SLOT - 8:
            raise ValueError(f"exemplar labels {labels!r} are too long to store ({len(payload)} bytes encoded)")
        pos = self.exemplar_position(key)
        m = self._m
        slot = pos + RECORD_SIZE + _padded(len(key.encode("utf-8")))
        sequence = FLAGS.unpack_from(m, slot)[0]
        FLAGS.pack_into(m, slot, (sequence + 1) & 0xFFFFFFFF)  # odd: being written
        FLAGS.pack_into(m, slot + 4, len(payload))
        m[slot + 8 : slot + 8 + len(payload)] = payload
        struct.pack_into("<dd", m, pos + VALUE_OFFSET, value, timestamp)
        FLAGS.pack_into(m, slot, (sequence + 2) & 0xFFFFFFFF)  # even: complete

    def read_exemplar(self, key: str) -> "Optional[Exemplar]":
        """The exemplar stored for ``key``, or None."""
        pos = self._positions.get(EXEMPLAR_KEY_PREFIX + key)
        if pos is None:
            return None
        found = read_exemplar(self._m, pos, len(key.encode("utf-8")))
        if found is None:
            return None
        labels, value, timestamp = found
        return Exemplar(labels, value, timestamp)

    # -- reading ------------------------------------------------------------------------

    def read_value(self, key: str) -> Tuple[float, float]:
        """(value, timestamp) of ``key``, creating it at zero when missing (official API)."""
        pos = self.position(key)
        return struct.unpack_from("<dd", self._m, pos + VALUE_OFFSET)  # type: ignore[return-value]

    def read_all_values(self) -> Iterator[Tuple[str, float, float, int]]:
        """Yield (key, value, timestamp, offset) of each visible record (official API)."""
        used = USED.unpack_from(self._m, 8)[0]
        for pos, flags, value, timestamp, key in iter_records(self._m, HEADER_SIZE, used, self._filename):
            if not flags & (FLAG_REMOVED | FLAG_CONSUMED | FLAG_EXEMPLAR):
                yield key.decode("utf-8"), value, timestamp, pos

    @staticmethod
    def read_all_values_from_file(filename: str) -> Iterator[Tuple[str, float, float, int]]:
        """Yield (key, value, timestamp, offset) of each visible record of ``filename``."""
        with open(filename, "rb") as f:
            data = f.read()
        used, _ = check_header(data, len(data), filename)
        for pos, flags, value, timestamp, key in iter_records(data, HEADER_SIZE, used, filename):
            if not flags & (FLAG_REMOVED | FLAG_CONSUMED | FLAG_EXEMPLAR):
                yield key.decode("utf-8"), value, timestamp, pos

    def flush(self) -> None:
        """Write dirty pages to disk (only needed for durability across a machine crash)."""
        self._m.flush()

    def close(self) -> None:
        """Release the file. A mapping still viewed (by a value updating now) stays until the view goes."""
        for m in [*self._maps, self._m]:
            try:
                m.close()
            except BufferError:
                pass  # a value still exports a view into it; it goes when the value does
        self._maps = []
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _convert_legacy(path: str) -> None:
    """Replace an official-client file at ``path`` with one of ours holding the same values.

    The new file is complete before it takes the old one's name, so a reader
    sees one or the other, never neither.
    """
    with open(path, "rb") as f:
        data = f.read()
    records: List[Tuple[str, float, float]] = []
    try:
        used = check_legacy_header(data, len(data), path)
        for _pos, key, value, timestamp in iter_legacy_records(data, used, path):
            records.append((key.decode("utf-8"), value, timestamp))
    except (FileFormatError, UnicodeDecodeError) as error:
        logger.warning("%s; carrying over the %d records before the damage", error, len(records))
    directory, base = os.path.split(path)
    tmp = os.path.join(directory, f".{base}.{os.getpid()}.{_new_file_id():x}.legacy.tmp")
    converted = MmapedDict(tmp)
    try:
        for text_key, value, timestamp in records:
            converted.write_value(text_key, value, timestamp)
    finally:
        converted.close()
    os.replace(tmp, path)


def read_exemplar(
    data: "bytes | mmap.mmap", pos: int, key_length: int
) -> Optional[Tuple[Dict[str, str], float, float]]:
    """(labels, value, timestamp) of the exemplar record at ``pos``; None if unset or being written."""
    slot = pos + RECORD_SIZE + _padded(key_length)
    for _ in range(3):
        before, length = struct.unpack_from("<II", data, slot)
        if before == 0:
            return None
        if before % 2 == 0 and length <= EXEMPLAR_SLOT - 8:
            payload = bytes(data[slot + 8 : slot + 8 + length])
            value, timestamp = struct.unpack_from("<dd", data, pos + VALUE_OFFSET)
            if FLAGS.unpack_from(data, slot)[0] == before:
                try:
                    return json.loads(payload.decode("utf-8")), value, timestamp
                except ValueError:
                    return None
    return None


def read_consumed_ids(path: str) -> "set[int]":
    """The file ids an aggregate file records as folded into it (empty if there is no aggregate)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return set()
    used, _ = check_header(data, len(data), path)
    consumed: "set[int]" = set()
    for pos, flags, _value, _ts, key in iter_records(data, HEADER_SIZE, used, path):
        if flags & FLAG_CONSUMED:
            try:
                consumed.update(int(x) for x in json.loads(key.decode("utf-8")))
            except (ValueError, TypeError, RecursionError) as error:  # any damage: skip the record
                logger.warning("multiprocess file %r: unreadable record at offset %d (%r); skipped", path, pos, error)
    return consumed


def read_file_id(path: str) -> Optional[int]:
    """The file id in the header of ``path``, or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as f:
            header = f.read(HEADER_SIZE)
    except FileNotFoundError:
        return None
    if len(header) >= LEGACY_HEADER_SIZE and is_legacy(header):
        try:
            return legacy_file_id(os.stat(path).st_ino)
        except FileNotFoundError:
            return None
    if len(header) < HEADER_SIZE or header[:8] != MAGIC:
        return None
    return HEADER.unpack_from(header, 0)[2]  # type: ignore[no-any-return]
