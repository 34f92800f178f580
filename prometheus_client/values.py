"""Where an instrument keeps its numbers.

Single-process instruments keep their numbers in per-thread cells (see
:mod:`prometheus_client.metrics`): each thread adds into a cell only it writes,
so no update is lost and no lock is taken per update; a scrape sums the cells.

Value objects (``inc``/``set``/``get``) remain for code that stores numbers
elsewhere: :class:`MutexValue` is the portable, lock-based one, and in
multiprocess mode each instrument gets a value backed by a memory-mapped file
(see :mod:`prometheus_client.multiprocess`). The choice is made when an
instrument is created, from ``PROMETHEUS_MULTIPROC_DIR`` as it is then, never
frozen at import time.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Optional, Sequence

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


def multiprocess_dir() -> Optional[str]:
    """The multiprocess directory in force now, or None in single-process mode."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir") or None


def get_value_class() -> Callable[..., Any]:
    """The value class an instrument created now should use."""
    if multiprocess_dir():
        from ._multiprocess_values import MultiProcessValue

        return MultiProcessValue()
    return MutexValue


def MultiProcessValue(process_identifier: Callable[[], int] = os.getpid) -> Callable[..., Any]:  # noqa: N802
    """Return a value class backed by this process's memory-mapped files (official name)."""
    from ._multiprocess_values import MultiProcessValue as _factory

    return _factory(process_identifier)


def close_all_multiprocess_files() -> None:
    """Close this process's multiprocess value files (official name; safe to call in any mode)."""
    from ._multiprocess_values import close_all_multiprocess_files as _close

    _close()


# Kept for code written against the official client; chosen lazily instead of at import.
ValueClass: Callable[..., Any] = MutexValue

