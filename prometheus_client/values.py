"""Where an instrument keeps its numbers: the one storage seam.

An instrument chooses its storage once, when it (or a labelled child) is
created, by calling :func:`value_class_for_new_metric`:

* ``None``: the numbers live in this process, in per-thread cells kept by the
  instrument itself (see :mod:`prometheus_client.metrics`). Each thread adds
  into a cell only it writes, so no update is lost and no lock is taken.
* a *value class* (the official client's ``ValueClass`` contract: built with
  ``(typ, metric_name, name, labelnames, labelvalues, help_text, **kwargs)``,
  with ``inc``/``set``/``get``/``set_exemplar``/``get_exemplar``): every number
  of the instrument is one such value. In multiprocess mode this is the class
  returned by :func:`MultiProcessValue`, whose instances all share this
  process's memory-mapped files.

The choice follows the official client's seam: code may assign
``prometheus_client.values.ValueClass`` (for example
``values.ValueClass = values.MultiProcessValue(lambda: uwsgi.worker_id())`` to
name files by a stable worker id instead of the pid), and instruments created
afterwards use it. Left alone, ``ValueClass`` follows ``PROMETHEUS_MULTIPROC_DIR``
as it is when an instrument is created, never frozen at import time.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Optional, Sequence

from ._mmap_dict import MmapedDict, mmap_key  # noqa: F401 - names the official module has
from .samples import Exemplar


class MutexValue:
    """A float protected by a lock; the reference value class."""

    _multiprocess = False

    def __init__(
        self,
        typ: str,
        metric_name: str,
        name: str,
        labelnames: Sequence[str],
        labelvalues: Sequence[str],
        help_text: str,
        **kwargs: Any,
    ) -> None:
        self._value = 0.0
        self._exemplar: Optional[Exemplar] = None
        self._lock = threading.Lock()

    def inc(self, amount: float) -> None:
        with self._lock:
            self._value += amount

    def set(self, value: float, timestamp: Optional[float] = None) -> None:
        with self._lock:
            self._value = value

    def set_exemplar(self, exemplar: Exemplar) -> None:
        with self._lock:
            self._exemplar = exemplar

    def get(self) -> float:
        with self._lock:
            return self._value

    def get_exemplar(self) -> Optional[Exemplar]:
        with self._lock:
            return self._exemplar


_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_OLD_DIR_VARIABLE = "prometheus_multiproc_dir"
_DIR_KEYS = (_DIR_VARIABLE.encode(), _OLD_DIR_VARIABLE.encode())
_IS_POSIX = os.name == "posix"
# The last directory read and the bytes it came from (declared before the function that sets them:
# PyPy refuses an annotated module name after a function declaring it global).
_last_raw_dir: object = None
_last_dir: Optional[str] = None


def multiprocess_dir() -> Optional[str]:
    """The multiprocess directory in force now, or None in single-process mode.

    Read on every call (each child created asks), so it is looked up in the mapping
    behind ``os.environ`` when there is one: ``os.environ.get`` of two missing names
    cost a third of creating a child.
    """
    global _last_raw_dir, _last_dir
    data = getattr(os.environ, "_data", None)
    if _IS_POSIX and type(data) is dict:
        raw = data.get(_DIR_KEYS[0]) or data.get(_DIR_KEYS[1])
        if not raw:
            return None
        if raw is not _last_raw_dir:  # the same bytes object as last time: the same text
            _last_dir = os.fsdecode(raw)
            _last_raw_dir = raw
        return _last_dir
    return os.environ.get(_DIR_VARIABLE) or os.environ.get(_OLD_DIR_VARIABLE) or None



def MultiProcessValue(process_identifier: Callable[[], int] = os.getpid) -> Callable[..., Any]:  # noqa: N802
    """Return a value class whose instances live in memory-mapped files (official name).

    Every instance of the returned class shares one store: one lock and one
    open file per file kind for the process that ``process_identifier()`` names.
    Each call makes a new store; call it once and keep the class.
    """
    from ._multiprocess_values import MultiProcessValue as _factory

    return _factory(process_identifier)


_default_multiprocess_class: Optional[Callable[..., Any]] = None


def default_multiprocess_value_class() -> Callable[..., Any]:
    """The value class of this process's default store (pid-named files), made once and shared."""
    global _default_multiprocess_class
    if _default_multiprocess_class is None:
        from ._multiprocess_values import default_value_class

        _default_multiprocess_class = default_value_class()
    return _default_multiprocess_class


def get_value_class() -> Callable[..., Any]:
    """The value class the official client would pick now: mmap-backed in multiprocess mode (official name)."""
    if multiprocess_dir():
        return default_multiprocess_value_class()
    return MutexValue


def close_all_multiprocess_files() -> None:
    """Close this process's multiprocess value files (official name; safe to call in any mode)."""
    from ._multiprocess_values import close_all_multiprocess_files as _close

    _close()


# The official seam, chosen at import as the official client does; see value_class_for_new_metric.
ValueClass: Callable[..., Any] = get_value_class()
_IMPORTED_VALUE_CLASS = ValueClass


def value_class_for_new_metric() -> Optional[Callable[..., Any]]:
    """The storage of a metric created now: a value class, or None for this process's per-thread cells.

    A ``ValueClass`` assigned by the user wins. Otherwise the environment as it
    is now decides: the shared multiprocess store when ``PROMETHEUS_MULTIPROC_DIR``
    is set, per-thread cells when it is not.
    """
    chosen = ValueClass
    if chosen is not _IMPORTED_VALUE_CLASS:
        return chosen
    if multiprocess_dir():
        return _default_multiprocess_class or default_multiprocess_value_class()
    return None
