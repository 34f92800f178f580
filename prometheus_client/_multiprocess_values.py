"""Values backed by memory-mapped files, for multiprocess mode.

Each process writes only its own files (``counter_<pid>.db``,
``gauge_<mode>_<pid>.db``, ...), so writers never coordinate across processes;
:class:`prometheus_client.multiprocess.MultiProcessCollector` reads them all.

A value holds a two-double view (value, timestamp) straight into its file, so
an update is a pid check, a lock and one 8-byte store. The pid is checked on
every update: after a fork the child re-opens *its own* files (starting at
zero) instead of writing into the parent's, even when it was forked while the
parent already had files open.
"""

from __future__ import annotations

import json
import os
import time
import weakref
from typing import Any, Callable, Dict, Optional, Sequence, Set, Tuple

from ._forksafe import ForkSafeLock, after_fork_in_child
from ._mmap_dict import MmapedDict, key_builder, mmap_key, read_consumed_ids, read_file_id
from .samples import Exemplar
from .values import multiprocess_dir

__all__ = ["MultiProcessValue", "close_all_multiprocess_files", "default_value_class", "file_prefix"]

_factories: "weakref.WeakSet[Any]" = weakref.WeakSet()

# Bumped in every forked child (os.register_at_fork) and whenever the files are closed: a value opened
# in an older generation re-opens before its next use. With the default process identifier a value
# compares this int instead of calling os.getpid() on each update: a syscall saved per update.
_generation = 0


def _next_generation() -> None:
    global _generation
    _generation += 1


after_fork_in_child(_next_generation)


def _acquire_holding_the_gil(lock: Any) -> None:
    """Take ``lock``, which another thread holds, without a blocking acquire.

    A blocking acquire hands the lock, when it is released, to a thread that does not
    hold the GIL yet; the releasing thread then blocks on its next acquire, and the two
    (or more) alternate on every value created. Threads creating children at once spent
    most of their time so. Retrying, with the GIL given up between tries, lets whoever
    holds the lock finish its few lines first.
    """
    while not lock.acquire(False):
        time.sleep(0)


def file_prefix(typ: str, multiprocess_mode: str = "") -> str:
    """The first part of a file name for values of type ``typ`` (gauges include their mode)."""
    if typ == "gauge":
        return f"gauge_{multiprocess_mode or 'all'}"
    return typ


def _open_for_pid(path: str, prefix: str) -> MmapedDict:
    """Open this process's file, discarding a leftover that an aggregate already absorbed.

    A reused pid may find the file of a dead process with the same pid that a
    compaction folded but had not yet deleted; appending to it would hide the
    new process's numbers from readers, who skip folded files.
    """
    if os.path.exists(path):
        file_id = read_file_id(path)
        directory = os.path.dirname(path)
        try:
            consumed = read_consumed_ids(os.path.join(directory, f"{prefix}_aggregate.db"))
        except ValueError:
            consumed = set()
        if file_id is not None and file_id in consumed:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
    return MmapedDict(path)


class _ProcessFiles:
    """The open files of one process, dropped when the pid changes (after a fork)."""

    def __init__(self, process_identifier: Callable[[], int]) -> None:
        self.process_identifier = process_identifier
        self.lock = ForkSafeLock()
        self.pid: Optional[int] = None
        self.generation = -1  # the generation in which ``pid`` was last read
        self.files: Dict[Tuple[str, str], MmapedDict] = {}  # (directory, prefix) -> this process's file
        self.directories: Set[str] = set()  # checked to exist once, not once per value

    def file_for(self, directory: str, prefix: str, pid: int) -> MmapedDict:
        """The file of ``prefix`` for ``pid``; the caller holds ``self.lock``."""
        if pid != self.pid:
            # Forked (or a new process identity): the mappings belong to the parent. Drop them
            # without closing: the parent's values in this child re-open before they write.
            self.files = {}
            self.pid = pid
        self.generation = _generation
        file = self.files.get((directory, prefix))
        if file is None:
            path = os.path.join(directory, f"{prefix}_{pid}.db")
            file = self.files[(directory, prefix)] = _open_for_pid(path, prefix)
        return file

    def check_directory(self, directory: Optional[str]) -> None:
        if not directory:
            raise ValueError(
                "env PROMETHEUS_MULTIPROC_DIR is not set or not a directory: multiprocess values "
                "need it to name an existing directory; it is not set"
            )
        if directory not in self.directories:
            if not os.path.isdir(directory):
                raise ValueError(
                    "env PROMETHEUS_MULTIPROC_DIR is not set or not a directory: "
                    f"PROMETHEUS_MULTIPROC_DIR={directory!r} is not an existing directory"
                )
            self.directories.add(directory)

    def close_all(self) -> None:
        with self.lock:
            _next_generation()  # every value re-opens on its next use
            for file in self.files.values():
                file.close()
            self.files = {}
            self.directories = set()
            self.pid = None


class _Series:
    """What the values of one series name share in one directory: file kind, key builder, open file."""

    __slots__ = ("directory", "prefix", "key_of", "label_count", "file", "generation")

    def __init__(self, directory: str, prefix: str, key_of: Optional[Callable[[Sequence[str]], str]],
                 label_count: int) -> None:
        self.directory = directory
        self.prefix = prefix
        self.key_of = key_of
        self.label_count = label_count
        self.file: Optional[MmapedDict] = None  # this process's file, as opened in ``generation``
        self.generation = -1


def _make_series(
    process: "_ProcessFiles",
    directory: Optional[str],
    typ: str,
    metric_name: str,
    name: str,
    labelnames: Sequence[str],
    help_text: str,
    multiprocess_mode: str,
) -> _Series:
    """Check the directory and describe a new series name (its values are made after this)."""
    if directory not in process.directories:
        process.check_directory(directory)
    names = tuple(labelnames)
    return _Series(
        directory,  # type: ignore[arg-type]  # checked just above
        file_prefix(typ, multiprocess_mode),
        key_builder(metric_name, name, names, help_text),
        len(names),
    )


def MultiProcessValue(process_identifier: Callable[[], int] = os.getpid) -> type:  # noqa: N802 - official name
    """Return a value class whose instances live in this process's memory-mapped files.

    ``process_identifier`` names the process (its files); the default is the pid.
    The directory is ``PROMETHEUS_MULTIPROC_DIR`` when a value is created.
    """
    process = _ProcessFiles(process_identifier)
    _factories.add(process)
    custom_identifier = process_identifier is not os.getpid
    uses_pid = not custom_identifier

    # What every value of one series name shares (file kind, key builder, directory), by the arguments
    # a value is made with: one lookup per value instead of recomputing each part.
    series_of: Dict[Tuple[Any, ...], _Series] = {}

    def _series_for(directory: Optional[str], typ: str, metric_name: str, name: str, labelnames: Sequence[str],
                    help_text: str, multiprocess_mode: str) -> _Series:
        series = _make_series(process, directory, typ, metric_name, name, labelnames, help_text, multiprocess_mode)
        if len(series_of) > 10_000:
            series_of.clear()
        series_of[(directory, typ, metric_name, name, tuple(labelnames), help_text, multiprocess_mode)] = series
        return series

    class MmapedValue:
        """One number (and its timestamp) of one process, in that process's file."""

        __slots__ = ("_series", "_key", "_index", "_file", "_lock", "_pid", "_opened", "__weakref__")
        _multiprocess = True

        def __init__(
            self,
            typ: str,
            metric_name: str,
            name: str,
            labelnames: Sequence[str],
            labelvalues: Sequence[str],
            help_text: str,
            multiprocess_mode: str = "",
            **kwargs: Any,
        ) -> None:
            directory = multiprocess_dir()
            try:
                series = series_of[(directory, typ, metric_name, name, labelnames, help_text, multiprocess_mode)]
            except (KeyError, TypeError):  # first value of this series name; labelnames given as a list
                series = _series_for(directory, typ, metric_name, name, labelnames, help_text, multiprocess_mode)
            self._series = series
            key_of = series.key_of
            if key_of is not None and len(labelvalues) == series.label_count:
                try:
                    self._key = key_of(labelvalues)
                except TypeError:  # a value that is not a str: json writes it as what it is
                    self._key = mmap_key(metric_name, name, labelnames, labelvalues, help_text)
            else:
                self._key = mmap_key(metric_name, name, labelnames, labelvalues, help_text)
            file = series.file
            if uses_pid and file is not None and series.generation == _generation:
                # This process opened the file already in this generation: no pid to read, no file to find.
                lock = process.lock._lock
                if not lock.acquire(False):
                    _acquire_holding_the_gil(lock)
                try:
                    self._index = file.value_index(self._key)
                finally:
                    lock.release()
                self._file = file
                self._lock = file.lock
                self._pid = process.pid
                self._opened = _generation
            else:
                self._open()

        def _open(self) -> None:
            # With pids for identity, nothing but a fork (which bumps the generation) changes the pid.
            pid = process.pid
            if not uses_pid or pid is None or process.generation != _generation:
                pid = process_identifier()
            series = self._series
            lock = process.lock._lock  # the plain lock inside: nothing here forks
            if not lock.acquire(False):
                _acquire_holding_the_gil(lock)
            try:
                file = process.files.get((series.directory, series.prefix))
                if file is None or pid != process.pid:  # first value of its kind, or forked
                    file = process.file_for(series.directory, series.prefix, pid)
                self._index = file.value_index(self._key)
                series.file = file
                series.generation = process.generation
            finally:
                lock.release()
            self._file = file
            # The file's lock serialises the updates of its values (a forked child's files, and so their
            # locks, are new). Kept, not bound methods of it: two fewer objects per value for the collector.
            self._lock = file.lock
            self._pid = pid
            self._opened = _generation

        def inc(self, amount: float) -> None:
            if self._opened != _generation:
                self._open()
            if not self._lock.acquire(False):
                _acquire_holding_the_gil(self._lock)
            try:
                self._file._doubles[self._index] += amount
            finally:
                self._lock.release()

        def set(self, value: float, timestamp: Optional[float] = None) -> None:
            if self._opened != _generation:
                self._open()
            if not self._lock.acquire(False):
                _acquire_holding_the_gil(self._lock)
            try:
                doubles = self._file._doubles
                if timestamp is not None:
                    doubles[self._index + 1] = timestamp
                doubles[self._index] = value
            finally:
                self._lock.release()

        def get(self) -> float:
            if self._opened != _generation:
                self._open()
            return self._file._doubles[self._index]  # type: ignore[no-any-return]

        def set_exemplar(self, exemplar: Exemplar) -> None:
            if self._opened != _generation:
                self._open()
            timestamp = exemplar.timestamp
            stamp = time.time() if timestamp is None else float(timestamp)
            with self._file.lock, process.lock:
                self._file.write_exemplar(self._key, dict(exemplar.labels), float(exemplar.value), stamp)

        def get_exemplar(self) -> Optional[Exemplar]:
            if self._opened != _generation:
                self._open()
            with process.lock:
                return self._file.read_exemplar(self._key)

        def remove(self) -> None:
            """Hide this value from collection (its child was removed)."""
            if self._opened != _generation:
                self._open()
            with self._file.lock, process.lock:
                self._file.mark_removed(self._key)

        def __repr__(self) -> str:
            return f"<MmapedValue {self._series.prefix} {json.loads(self._key)!r}>"

    if not custom_identifier:
        return MmapedValue

    class IdentifiedMmapedValue(MmapedValue):
        """Checks ``process_identifier()`` on every use: the process identity is the caller's to define."""

        __slots__ = ()

        def _check(self) -> None:
            if self._pid != process_identifier() or self._opened != _generation:
                self._open()

        def inc(self, amount: float) -> None:
            self._check()
            with self._file.lock:
                self._file._doubles[self._index] += amount

        def set(self, value: float, timestamp: Optional[float] = None) -> None:
            self._check()
            with self._file.lock:
                doubles = self._file._doubles
                if timestamp is not None:
                    doubles[self._index + 1] = timestamp
                doubles[self._index] = value

        def get(self) -> float:
            self._check()
            return self._file._doubles[self._index]  # type: ignore[no-any-return]

        def set_exemplar(self, exemplar: Exemplar) -> None:
            self._check()
            super().set_exemplar(exemplar)

        def get_exemplar(self) -> Optional[Exemplar]:
            self._check()
            return super().get_exemplar()

        def remove(self) -> None:
            self._check()
            super().remove()

    IdentifiedMmapedValue.__name__ = "MmapedValue"
    return IdentifiedMmapedValue


_default_lock = ForkSafeLock()
_default_class: Optional[type] = None


def default_value_class() -> type:
    """The value class of this process's default store (files named by pid), made on first use.

    Every instrument created in multiprocess mode without a ``values.ValueClass``
    of the user's shares it: one lock and one open file per kind for the whole
    process. It survives ``fork()``: the store notices the new pid and re-opens.
    """
    global _default_class
    if _default_class is None:
        with _default_lock:
            if _default_class is None:
                _default_class = MultiProcessValue()
    return _default_class


def close_all_multiprocess_files() -> None:
    """Close every multiprocess file this process opened; values re-open on their next update."""
    for process in list(_factories):
        process.close_all()
