"""Collecting what pre-fork workers wrote: the multiprocess collector and file upkeep.

Every worker writes its numbers into its own memory-mapped files in
``PROMETHEUS_MULTIPROC_DIR`` (see :mod:`prometheus_client._mmap_dict`).
:class:`MultiProcessCollector` reads them all in one pass and yields one
family per metric, as the official client does: counters, histograms and
summaries summed over processes; gauges per their ``multiprocess_mode``
(``all``/``liveall`` keep one series per ``pid`` label; ``min``, ``max``,
``sum``, ``mostrecent`` and their ``live`` variants combine).

A file it cannot read (empty, truncated or corrupt, typically left by a worker
killed while creating it) is logged with its name and skipped; a file whose end
is damaged contributes the records before the damage. The rest is served.

:func:`mark_process_dead` (call it from gunicorn's ``child_exit``) removes the
dead worker's live-gauge files and folds its other files into one aggregate file
per kind, so a long-running server does not accumulate one file per dead worker
and scrapes stay as cheap as the number of *live* workers. :func:`compact` does
the same for every dead pid at once.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import struct
import threading
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ._files import fsync_directory, pid_is_running, remove_stale_temp_files
from ._mmap_dict import (
    FLAG_CONSUMED,
    FLAG_EXEMPLAR,
    FLAG_REMOVED,
    HEADER_SIZE,
    LEGACY_HEADER_SIZE,
    PAIR,
    RECORD,
    FileFormatError,
    MmapedDict,
    check_header,
    check_legacy_header,
    is_legacy,
    iter_legacy_records,
    iter_records,
    legacy_file_id,
    read_consumed_ids,
    read_exemplar,
    read_file_id,
)
from .metrics import Gauge  # noqa: F401 - a name the official module has
from .metrics_core import Metric
from .registry import Collector, CollectorRegistry
from .samples import Exemplar, LabelSet, Sample
from .utils import floatToGoString  # noqa: F401 - a name the official module has
from .values import multiprocess_dir

__all__ = ["MultiProcessCollector", "mark_process_dead", "compact"]

logger = logging.getLogger("prometheus_client.multiprocess")

_LIVE_GAUGE_MULTIPROCESS_MODES = {"liveall", "livemin", "livemax", "livesum", "livemostrecent"}
_GAUGE_MODES = {"all", "min", "max", "sum", "mostrecent"} | _LIVE_GAUGE_MULTIPROCESS_MODES
_KINDS = ("counter", "histogram", "summary")
AGGREGATE = "aggregate"  # the "pid" part of an aggregate file's name
_SNAPSHOT_ATTEMPTS = 5


def _directory(path: Optional[str]) -> str:
    directory = path or multiprocess_dir()
    if not directory:
        raise ValueError(
            "env PROMETHEUS_MULTIPROC_DIR is not set or not a directory: pass path=... or set the variable"
        )
    if not os.path.isdir(directory):
        raise ValueError(
            f"env PROMETHEUS_MULTIPROC_DIR is not set or not a directory: {directory!r} does not exist "
            "or is not a directory"
        )
    return directory


def _parse_name(filename: str) -> Optional[Tuple[str, str, str]]:
    """(prefix, typ, pid-or-'aggregate') of a multiprocess file name, None if it is not one."""
    if not filename.endswith(".db") or filename.startswith("."):
        return None
    parts = filename[:-3].split("_")
    if len(parts) == 2 and parts[0] in _KINDS:
        prefix, typ, pid = parts[0], parts[0], parts[1]
    elif len(parts) == 3 and parts[0] == "gauge" and parts[1] in _GAUGE_MODES:
        prefix, typ, pid = f"gauge_{parts[1]}", "gauge", parts[2]
    else:
        return None
    if pid != AGGREGATE and not pid.isdigit():
        return None
    return prefix, typ, pid


_warned: Set[str] = set()


def _warn(message: str) -> None:
    """Log a problem with a file once per process (a broken file would otherwise flood the log every scrape)."""
    if message not in _warned:
        if len(_warned) > 10000:
            _warned.clear()
        _warned.add(message)
        logger.warning("%s; skipping it and serving the rest", message)


# -- parsed keys ---------------------------------------------------------------------------


class _Key:
    """One parsed record key, shared by every file that holds the same key bytes."""

    __slots__ = ("metric_name", "sample_name", "help", "labels", "pid", "le", "le_text", "child", "labelsets")

    def __init__(self, raw: bytes) -> None:
        parsed = json.loads(raw.decode("utf-8"))
        if not isinstance(parsed, list) or len(parsed) not in (4, 5) or not isinstance(parsed[2], dict):
            raise ValueError(f"unexpected key {raw[:200]!r}")
        self.metric_name: str = str(parsed[0])
        self.sample_name: str = str(parsed[1])
        self.labels: Dict[str, str] = {str(k): str(v) for k, v in parsed[2].items()}
        self.help: str = str(parsed[3])
        self.pid: Optional[str] = str(parsed[4]) if len(parsed) == 5 else None
        self.le: float = 0.0
        self.le_text = ""
        child_labels = self.labels
        if self.sample_name.endswith("_bucket") and "le" in self.labels:
            self.le_text = self.labels["le"]
            self.le = float(self.le_text)
            child_labels = {k: v for k, v in self.labels.items() if k != "le"}
        self.child: Tuple[str, Tuple[Tuple[str, str], ...]] = (self.metric_name, tuple(sorted(child_labels.items())))
        self.labelsets: Dict[Optional[str], LabelSet] = {}

    def labelset(self, pid: Optional[str] = None) -> LabelSet:
        """The sample labels (plus ``pid`` when given), reused across scrapes so the encoder caches them."""
        labelset = self.labelsets.get(pid)
        if labelset is None:
            labels = dict(self.labels)
            if pid is not None:
                labels["pid"] = pid
            labelset = self.labelsets[pid] = LabelSet(labels)
        return labelset


_keys: Dict[bytes, _Key] = {}


def _key_of(raw: bytes) -> _Key:
    key = _keys.get(raw)
    if key is None:
        if len(_keys) > 1_000_000:  # label churn: start over rather than grow without bound
            _keys.clear()
        key = _keys[raw] = _Key(raw)
    return key


class _Layout:
    """Where the records of one file are, parsed once; records are only ever appended.

    ``records`` holds (offset, key) in file order: the offset of a record of
    ours, or of the value pair of an official-client (legacy) record.
    """

    __slots__ = ("file_id", "is_legacy", "parsed_to", "records", "exemplars", "consumed")

    def __init__(self, file_id: int, is_legacy: bool) -> None:
        self.file_id = file_id
        self.is_legacy = is_legacy
        self.parsed_to = LEGACY_HEADER_SIZE if is_legacy else HEADER_SIZE
        self.records: List[Tuple[int, _Key]] = []
        self.exemplars: List[Tuple[int, int, _Key]] = []
        self.consumed: Set[int] = set()


# Layouts are shared by every collector in the process (scrapes may overlap): they change only
# under this lock, and a reader uses only the records below the ``used`` of its own snapshot.
_layouts: Dict[str, _Layout] = {}
_layouts_lock = threading.Lock()


def _parse_more(layout: _Layout, path: str, data: "mmap.mmap | bytes", used: int) -> None:
    """Extend ``layout`` with the records in [parsed_to, used); the caller holds the lock."""
    try:
        if layout.is_legacy:
            for value_pos, raw, _value, _ts in iter_legacy_records(data, used, path, layout.parsed_to):
                try:
                    layout.records.append((value_pos, _key_of(raw)))
                except (ValueError, TypeError, RecursionError) as error:  # bad JSON / UTF-8 / shape
                    _warn(f"multiprocess file {path!r}: unreadable key before offset {value_pos} ({error})")
                layout.parsed_to = value_pos + 16
            return
        for pos, flags, _value, _ts, raw in iter_records(data, layout.parsed_to, used, path):
            try:
                if flags & FLAG_CONSUMED:
                    layout.consumed.update(int(x) for x in json.loads(bytes(raw).decode("utf-8")))
                elif flags & FLAG_EXEMPLAR:
                    layout.exemplars.append((pos, len(raw), _key_of(bytes(raw))))
                else:
                    layout.records.append((pos, _key_of(bytes(raw))))
            except (ValueError, TypeError, RecursionError) as error:  # bad JSON / UTF-8 / shape
                _warn(f"multiprocess file {path!r}: unreadable key at offset {pos} ({error!r})")
            layout.parsed_to = pos + RECORD.unpack_from(data, pos)[0]
    except FileFormatError as error:
        _warn(str(error))


def _layout_of(file: "_OpenFile") -> _Layout:
    path = file.path
    with _layouts_lock:
        layout = _layouts.get(path)
        if (
            layout is None
            or layout.file_id != file.file_id
            or layout.is_legacy != file.is_legacy
            or layout.parsed_to > file.used
        ):
            layout = _layouts[path] = _Layout(file.file_id, file.is_legacy)
        if layout.parsed_to < file.used:
            _parse_more(layout, path, file.data, file.used)
    return layout


# -- reading a directory -------------------------------------------------------------------


class _OpenFile:
    __slots__ = ("path", "prefix", "typ", "pid", "data", "used", "file_id", "is_legacy")

    def __init__(
        self, path: str, prefix: str, typ: str, pid: str, data: "mmap.mmap | bytes", used: int, file_id: int,
        is_legacy: bool,
    ) -> None:
        self.path = path
        self.prefix = prefix
        self.typ = typ
        self.pid = pid
        self.data = data
        self.used = used
        self.file_id = file_id
        self.is_legacy = is_legacy


def _open_data(path: str) -> Optional[Tuple[bytes, int, int, int, bool]]:
    """(data, used, file_id, inode, is_legacy) of a file, None if it vanished or cannot be read (logged).

    The used part is copied with ``pread`` rather than mapped: a file truncated or replaced while it
    is read then gives a short read, logged and skipped, where a mapping would kill the process with
    SIGBUS. The copy is also a snapshot: later appends cannot move under the reader. Files of the
    official client (a rolling upgrade's older workers) are read too.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as error:
        _warn(f"multiprocess file {path!r} cannot be opened ({error})")
        return None
    try:
        stat = os.fstat(fd)
        header = os.pread(fd, HEADER_SIZE, 0)
        if len(header) < LEGACY_HEADER_SIZE:
            _warn(f"multiprocess file {path!r} is truncated ({len(header)} bytes, no complete header)")
            return None
        legacy = is_legacy(header)
        if legacy:
            used, file_id = check_legacy_header(header, stat.st_size, path), legacy_file_id(stat.st_ino)
        else:
            used, file_id = check_header(header, stat.st_size, path)
        data = os.pread(fd, used, 0)
    except FileFormatError as error:
        _warn(str(error))
        return None
    except OSError as error:
        _warn(f"multiprocess file {path!r} cannot be read ({error})")
        return None
    finally:
        os.close(fd)
    if len(data) < used:
        _warn(f"multiprocess file {path!r} shrank while being read ({len(data)} of {used} bytes)")
        return None
    return data, used, file_id, stat.st_ino, legacy


def _snapshot(paths: Sequence[str]) -> List[_OpenFile]:
    """Open aggregates first, then the rest; retry if a compaction replaced an aggregate meanwhile.

    A compaction replaces ``<kind>_aggregate.db`` before it deletes the files it
    folded. Holding an aggregate, then opening the per-pid files, then seeing the
    same aggregate still in place proves no folded file vanished before we got it:
    every number is counted exactly once.
    """
    entries = []
    for path in paths:
        parsed = _parse_name(os.path.basename(path))
        if parsed is None:
            _warn(f"{path!r} is not a multiprocess file name")
            continue
        entries.append((parsed[2] != AGGREGATE, path, parsed))
    entries.sort(key=lambda entry: entry[0])  # aggregates first
    opened: List[_OpenFile] = []
    for _attempt in range(_SNAPSHOT_ATTEMPTS):
        opened = []
        inodes: Dict[str, int] = {}
        for is_pid_file, path, (prefix, typ, pid) in entries:
            result = _open_data(path)
            if result is None:
                continue
            data, used, file_id, inode, legacy = result
            if not is_pid_file:
                inodes[path] = inode
            opened.append(_OpenFile(path, prefix, typ, pid, data, used, file_id, legacy))
        directory = os.path.dirname(entries[0][1]) if entries else ""
        current: Dict[str, int] = {}
        for name in _list_names(directory) if directory else []:
            if name.endswith(f"_{AGGREGATE}.db"):
                full = os.path.join(directory, name)
                try:
                    current[full] = os.stat(full).st_ino
                except FileNotFoundError:
                    pass
        if all(current.get(path) == inode for path, inode in inodes.items()) and set(current) <= set(inodes):
            return opened
        for file in opened:
            _close(file.data)
        entries = [
            (parsed[2] != AGGREGATE, os.path.join(directory, name), parsed)
            for name in _list_names(directory)
            for parsed in [_parse_name(name)]
            if parsed is not None
        ]
        entries.sort(key=lambda entry: entry[0])
    logger.warning("multiprocess files kept changing during %d attempts to read them", _SNAPSHOT_ATTEMPTS)
    return opened


def _list_names(directory: str) -> List[str]:
    try:
        return [entry.name for entry in os.scandir(directory) if entry.name.endswith(".db")]
    except FileNotFoundError:
        return []


def _close(data: "mmap.mmap | bytes") -> None:
    if isinstance(data, mmap.mmap):
        data.close()


class _HistogramChild:
    """The buckets and sum of one labelled histogram, gathered before they are made cumulative."""

    __slots__ = ("metric", "key", "buckets", "total", "has_sum")

    def __init__(self, metric: Metric, key: _Key) -> None:
        self.metric = metric
        self.key = key
        self.buckets: List[Tuple[float, _Key, float]] = []
        self.total = 0.0
        self.has_sum = False


class _Accumulator:
    """Numbers of every file combined per key, then turned into families."""

    def __init__(self) -> None:
        self.sums: Dict[_Key, float] = {}  # counters, histograms, summaries, gauge sum
        self.gauges: Dict[str, Dict[object, Tuple[float, float]]] = {}  # mode -> key -> (value, timestamp)
        self.exemplars: Dict[_Key, Exemplar] = {}
        self.types: Dict[str, str] = {}  # metric name -> type

    def add_file(self, file: _OpenFile, layout: _Layout, skip: Set[int]) -> None:
        if file.file_id in skip:
            return
        data = file.data
        used = file.used
        typ = file.typ
        types = self.types
        legacy = layout.is_legacy
        try:
            if typ != "gauge":
                sums = self.sums
                get = sums.get
                if legacy:
                    unpack_pair = PAIR.unpack_from
                    for pos, key in layout.records:
                        if pos >= used:
                            break  # parsed by an overlapping scrape from a later snapshot
                        sums[key] = get(key, 0.0) + unpack_pair(data, pos)[0]
                        if key.metric_name not in types:
                            types[key.metric_name] = typ
                else:
                    unpack = RECORD.unpack_from
                    for pos, key in layout.records:
                        if pos >= used:
                            break  # parsed by an overlapping scrape from a later snapshot
                        record = unpack(data, pos)
                        if not record[2] & FLAG_REMOVED:
                            sums[key] = get(key, 0.0) + record[4]
                            if key.metric_name not in types:
                                types[key.metric_name] = typ
            else:
                mode = file.prefix[6:]
                if mode.startswith("live"):
                    mode = mode[4:]
                values = self.gauges.setdefault(mode, {})
                pid = file.pid
                unpack = RECORD.unpack_from
                unpack_pair = PAIR.unpack_from
                for pos, key in layout.records:
                    if pos >= used:
                        break
                    if legacy:
                        value, timestamp = unpack_pair(data, pos)
                    else:
                        _, _, flags, _, value, timestamp = unpack(data, pos)
                        if flags & FLAG_REMOVED:
                            continue
                    if key.metric_name not in types:
                        types[key.metric_name] = "gauge"
                    slot: object = key
                    if mode == "all":
                        slot = (key, key.pid if key.pid is not None else pid)
                    old = values.get(slot)
                    if old is None:
                        values[slot] = (value, timestamp)
                    elif mode == "sum":
                        values[slot] = (old[0] + value, timestamp)
                    elif mode == "min":
                        if value < old[0]:
                            values[slot] = (value, timestamp)
                    elif mode == "max":
                        if value > old[0]:
                            values[slot] = (value, timestamp)
                    elif mode == "mostrecent":
                        if timestamp > old[1]:
                            values[slot] = (value, timestamp)
                    else:
                        values[slot] = (value, timestamp)
            for pos, key_length, key in layout.exemplars:
                if pos >= used:
                    break
                found = read_exemplar(data, pos, key_length)
                if found is not None:
                    labels, value, timestamp = found
                    current = self.exemplars.get(key)
                    if current is None or float(current.timestamp or 0.0) < timestamp:
                        self.exemplars[key] = Exemplar(labels, value, timestamp)
        except (struct.error, ValueError, IndexError) as error:
            _warn(f"multiprocess file {file.path!r} changed shape while being read ({error})")

    def families(self, accumulate: bool = True) -> List[Metric]:
        metrics: Dict[str, Metric] = {}

        def family(key: _Key) -> Metric:
            metric = metrics.get(key.metric_name)
            if metric is None:
                metric = metrics[key.metric_name] = Metric(
                    key.metric_name, key.help, self.types.get(key.metric_name, "untyped")
                )
            return metric

        histograms: Dict[Tuple[str, Tuple[Tuple[str, str], ...]], _HistogramChild] = {}
        exemplars = self.exemplars
        for key, value in self.sums.items():
            try:
                metric = family(key)
            except ValueError as error:
                _warn(f"multiprocess metric {key.metric_name!r} is invalid ({error})")
                continue
            if metric.type == "histogram":
                child = histograms.get(key.child)
                if child is None:
                    child = histograms[key.child] = _HistogramChild(metric, key)
                if key.le_text:
                    child.buckets.append((key.le, key, value))
                elif key.sample_name.endswith("_sum"):
                    child.total = value
                    child.has_sum = True
                continue
            metric.samples.append(Sample(key.sample_name, key.labelset(), value, None, exemplars.get(key)))

        for child in histograms.values():
            cumulative = 0.0
            child.buckets.sort(key=lambda bucket: bucket[0])
            samples = child.metric.samples
            child_labels = LabelSet(child.key.child[1])
            metric_name = child.key.metric_name
            if child.has_sum:  # first, then the buckets and the count: the official collector's order
                samples.append(Sample(metric_name + "_sum", child_labels, child.total))
            for _, bucket_key, count in child.buckets:
                cumulative = cumulative + count if accumulate else count
                samples.append(
                    Sample(bucket_key.sample_name, bucket_key.labelset(), cumulative, None, exemplars.get(bucket_key))
                )
            if accumulate and child.buckets:
                samples.append(Sample(metric_name + "_count", child_labels, cumulative))

        for values in self.gauges.values():
            for slot, (value, _timestamp) in values.items():
                if isinstance(slot, tuple):
                    key, pid = slot
                    labels = key.labelset(pid)
                else:
                    key = slot  # type: ignore[assignment]
                    labels = key.labelset()
                try:
                    metric = family(key)
                except ValueError as error:
                    _warn(f"multiprocess metric {key.metric_name!r} is invalid ({error})")
                    continue
                metric.samples.append(Sample(key.sample_name, labels, value))
        return list(metrics.values())


def _collect_paths(paths: Sequence[str], accumulate: bool = True) -> List[Metric]:
    files = _snapshot(paths)
    try:
        layouts = [_layout_of(f) for f in files]
        consumed: Set[int] = set()
        for file, layout in zip(files, layouts):
            if file.pid == AGGREGATE:
                consumed |= layout.consumed
        accumulator = _Accumulator()
        for file, layout in zip(files, layouts):
            accumulator.add_file(file, layout, consumed)
        seen = {f.path for f in files}
        directories = _dirs(files)
        with _layouts_lock:
            for stale in [path for path in _layouts if path not in seen and os.path.dirname(path) in directories]:
                del _layouts[stale]
        return accumulator.families(accumulate)
    finally:
        for file in files:
            _close(file.data)


def _dirs(files: Iterable[_OpenFile]) -> Set[str]:
    return {os.path.dirname(f.path) for f in files}


class MultiProcessCollector(Collector):
    """Collector for the files of every process in a multiprocess directory.

    ``path`` defaults to ``PROMETHEUS_MULTIPROC_DIR``; a ValueError names the
    problem when neither is set or the directory does not exist.
    """

    def __init__(self, registry: Optional[CollectorRegistry], path: Optional[str] = None) -> None:
        self._path = _directory(path)
        if registry:
            registry.register(self)

    @staticmethod
    def merge(files: Iterable[str], accumulate: bool = True) -> List[Metric]:
        """Merge the given files into metric families (official API).

        With ``accumulate=False`` histogram buckets are not made cumulative and no
        ``_count`` is added, for callers that merge further themselves.
        """
        return _collect_paths(list(files), accumulate)

    def collect(self) -> Iterable[Metric]:
        names = [os.path.join(self._path, name) for name in _list_names(self._path)]
        names = [name for name in names if _parse_name(os.path.basename(name)) is not None]
        return _collect_paths(names)

    def describe(self) -> Iterable[Metric]:
        return []


# -- folding the files of dead processes ---------------------------------------------------


class _DirectoryLock:
    """An exclusive ``flock`` on ``<dir>/.compact.lock``: one compaction at a time per directory."""

    def __init__(self, directory: str) -> None:
        self._path = os.path.join(directory, ".compact.lock")
        self._fd = -1

    def __enter__(self) -> "_DirectoryLock":
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except ImportError:  # no flock (Windows): callers must not compact concurrently
            pass
        return self

    def __exit__(self, *exc_info: object) -> None:
        os.close(self._fd)  # releases the flock


def _read_values(path: str) -> Tuple[Dict[str, Tuple[float, float]], Dict[str, Exemplar]]:
    """The visible values and exemplars of one file, as much as is readable (problems logged)."""
    values: Dict[str, Tuple[float, float]] = {}
    exemplars: Dict[str, Exemplar] = {}
    result = _open_data(path)
    if result is None:
        return values, exemplars
    data, used, _file_id, _inode, legacy = result
    try:
        if legacy:
            for _pos, raw, value, timestamp in iter_legacy_records(data, used, path):
                values[raw.decode("utf-8", "replace")] = (value, timestamp)
            return values, exemplars
        for pos, flags, value, timestamp, raw in iter_records(data, HEADER_SIZE, used, path):
            key = bytes(raw).decode("utf-8", "replace")
            if flags & FLAG_EXEMPLAR:
                found = read_exemplar(data, pos, len(raw))
                if found is not None:
                    exemplars[key] = Exemplar(*found)
            elif not flags & (FLAG_REMOVED | FLAG_CONSUMED):
                values[key] = (value, timestamp)
    except FileFormatError as error:
        _warn(str(error))
    finally:
        _close(data)
    return values, exemplars


def _with_pid(key: str, pid: str) -> str:
    """The key of a folded ``all``-mode gauge value: the original key plus the pid it came from."""
    try:
        parsed = json.loads(key)
    except (ValueError, RecursionError):
        return key
    if isinstance(parsed, list) and len(parsed) == 4:
        parsed.append(pid)
        return json.dumps(parsed, sort_keys=True)
    return key


def _combine(mode: str, old: Tuple[float, float], new: Tuple[float, float]) -> Tuple[float, float]:
    if mode in ("sum", "counter", "histogram", "summary"):
        return old[0] + new[0], max(old[1], new[1])
    if mode == "min":
        return new if new[0] < old[0] else old
    if mode == "max":
        return new if new[0] > old[0] else old
    return new if new[1] > old[1] else old  # mostrecent


def _fold(directory: str, prefix: str, aggregate: str, sources: List[Tuple[str, str]]) -> List[str]:
    """Write a new aggregate = old aggregate + ``sources`` (path, pid); return the source paths to delete."""
    mode = prefix[6:] if prefix.startswith("gauge_") else prefix
    combined: Dict[str, Tuple[float, float]] = {}
    exemplars: Dict[str, Exemplar] = {}
    if os.path.exists(aggregate):
        combined, exemplars = _read_values(aggregate)
    consumed: List[int] = []
    for path, pid in sources:
        file_id = read_file_id(path)
        values, file_exemplars = _read_values(path)
        for key, value in values.items():
            if mode == "all":
                key = _with_pid(key, pid)
            old = combined.get(key)
            combined[key] = value if old is None else _combine(mode, old, value)
        for key, exemplar in file_exemplars.items():
            if mode == "all":
                key = _with_pid(key, pid)
            old_exemplar = exemplars.get(key)
            if old_exemplar is None or float(old_exemplar.timestamp or 0) < float(exemplar.timestamp or 0):
                exemplars[key] = exemplar
        if file_id is not None:
            consumed.append(file_id)

    tmp = os.path.join(directory, f".{prefix}_{AGGREGATE}.db.{os.getpid()}.tmp")
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    out = MmapedDict(tmp)
    try:
        for key, (number, timestamp) in combined.items():
            out.add_record(key, number, timestamp)
        for key, exemplar in exemplars.items():
            out.write_exemplar(key, exemplar.labels, exemplar.value, float(exemplar.timestamp or 0.0))
        # Readers skip files whose id is listed here, so the sources count once even before they are deleted.
        out.add_record(json.dumps(consumed), 0.0, 0.0, flags=FLAG_CONSUMED)
        out.flush()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    finally:
        out.close()
    os.replace(tmp, aggregate)
    fsync_directory(directory)
    return [path for path, _ in sources]


def _finish_interrupted(directory: str, prefix: str, aggregate: str, names: List[str]) -> List[str]:
    """Delete files an existing aggregate already absorbed (a previous fold stopped before deleting them)."""
    try:
        consumed = read_consumed_ids(aggregate)
    except FileFormatError as error:
        broken = f"{aggregate}.corrupt"
        logger.error("%s; moving it to %r and starting a new aggregate", error, broken)
        os.replace(aggregate, broken)
        return names
    if not consumed:
        return names
    remaining = []
    for name in names:
        path = os.path.join(directory, name)
        if read_file_id(path) in consumed:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        else:
            remaining.append(name)
    return remaining


def _temp_file_pid(name: str) -> Optional[int]:
    """The pid in a multiprocess temporary file name (``.<name>.db.<pid>.<more>.tmp``), else None."""
    if not name.startswith(".") or ".db." not in name:
        return None
    text = name.split(".db.", 1)[1].split(".", 1)[0]
    return int(text) if text.isdigit() else None


def _fold_pids(directory: str, is_dead: Callable[[int], bool]) -> int:
    """Fold the files of every pid ``is_dead`` says is dead; return how many files were folded or removed."""
    done = 0
    with _DirectoryLock(directory):
        # Files are created as ``.<name>.db.<pid>.<id>.tmp`` and linked into place, and folds write
        # ``.<kind>_aggregate.db.<pid>.tmp``: a process killed in between leaves one behind.
        remove_stale_temp_files(directory, _temp_file_pid, is_dead)
        by_prefix: Dict[str, List[str]] = {}
        for name in _list_names(directory):
            parsed = _parse_name(name)
            if parsed is not None and parsed[2] != AGGREGATE:
                by_prefix.setdefault(parsed[0], []).append(name)
        for prefix, names in by_prefix.items():
            aggregate = os.path.join(directory, f"{prefix}_{AGGREGATE}.db")
            names = _finish_interrupted(directory, prefix, aggregate, names)
            dead = [(os.path.join(directory, name), name[len(prefix) + 1 : -3]) for name in names]
            dead = [(path, pid) for path, pid in dead if is_dead(int(pid))]
            if not dead:
                continue
            if prefix[6:] in _LIVE_GAUGE_MULTIPROCESS_MODES:
                doomed = [path for path, _ in dead]  # a dead process's live gauges simply go away
            else:
                doomed = _fold(directory, prefix, aggregate, dead)
            for path in doomed:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
                done += 1
    return done


def mark_process_dead(pid: int, path: Optional[str] = None) -> None:
    """Do the bookkeeping for a process that has exited (call it from gunicorn's ``child_exit``).

    Its live-mode gauge files are removed (as in the official client), and its
    counter, histogram, summary and other gauge files are folded into one
    aggregate file per kind, written to a temporary file and renamed into place
    before the folded files are deleted: an interruption at any point neither
    loses nor double-counts a number.
    """
    directory = _directory(path)
    pid = int(pid)
    if pid == os.getpid():
        from ._multiprocess_values import close_all_multiprocess_files

        close_all_multiprocess_files()  # a later update re-opens a fresh file
    _fold_pids(directory, lambda candidate: candidate == pid)


def compact(path: Optional[str] = None, live_pids: Optional[Iterable[int]] = None) -> int:
    """Fold the files of every process that is not live; return how many files went.

    ``live_pids`` lists the processes still writing; by default a pid counts as
    live when a process with that pid exists *on this machine* (``kill(pid, 0)``)
    and this process is always live. Pass ``live_pids`` explicitly when writers
    run in other pid namespaces (containers sharing the directory): folding the
    file of a process that is still writing would hide its later updates.
    """
    directory = _directory(path)
    if live_pids is None:
        own = os.getpid()
        return _fold_pids(directory, lambda pid: pid != own and not pid_is_running(pid))
    live = {int(pid) for pid in live_pids}
    return _fold_pids(directory, lambda pid: pid not in live)

