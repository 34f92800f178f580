"""Folding a thread's per-thread cells into its instruments' base cell when the thread ends.

Instruments keep one cell per thread that updates them (see :mod:`prometheus_client.metrics`).
Without folding, a program that runs many short-lived threads (pools recycling workers,
threads with varied stack sizes, whose ids are not reused) leaves one dead cell per thread
per child: memory that is never freed and a scrape that sums ever more cells.

Each thread records, the first time it writes a child, that it has a cell there. The record
lives in a ``threading.local``: when the thread ends, CPython clears its thread-local data
before the thread id can be reused, and the record's finaliser moves each of the thread's
cells into the child's base cell. The update path takes no lock; folds serialise on one
lock among themselves (only folds write the base cell in place), and each fold changes the
cells with one ``dict.update`` so a concurrent scrape sees the value either in the thread's
cell or in the base cell, never in both or neither.
"""

from __future__ import annotations

import sys
import threading
from threading import get_ident
from typing import Any, List, Set, Tuple

from ._forksafe import ForkSafeLock, after_fork_in_child

__all__ = ["note_thread_cell"]

_fold_lock = ForkSafeLock()


class _ThreadCells:
    """The children a thread has cells in; folds them when the thread's local data is cleared."""

    __slots__ = ("ident", "children")

    def __init__(self) -> None:
        self.ident = get_ident()
        self.children: Set[Any] = set()

    # Kept on the class: at interpreter exit module globals are cleared before the last records go.
    _is_finalizing = staticmethod(sys.is_finalizing)

    def __del__(self) -> None:
        # At exit there is nothing left to scrape, and the module's globals may already be gone.
        if self.children and not self._is_finalizing():
            _fold(self.ident, self.children)


# Folds put off because a live thread had the same id (see _fold).
_deferred: List[Tuple[int, Set[Any]]] = []


def _fold(ident: int, children: Set[Any]) -> None:
    with _fold_lock:
        _deferred.append((ident, children))
        live = {thread.ident for thread in threading.enumerate()}
        # Where finalisers run late (PyPy's GC), a new thread may have this id by now and be writing the
        # same cells (it continues them): fold those only once no live thread has the id.
        waiting = [(i, c) for i, c in _deferred if i in live]
        for thread_id, touched in _deferred:
            if thread_id not in live:
                for child in touched:
                    child._fold_thread_cell(thread_id)
        _deferred[:] = waiting


class _ThreadRecord(threading.local):
    def __init__(self) -> None:
        self.cells = _ThreadCells()


_record = _ThreadRecord()

# The main thread lives as long as the process (its thread-local data goes only at exit, when nothing
# is folded), so it records nothing: a program writing its children from one thread keeps no set entry
# per child. In a forked child the thread that forked is the main one.
_main_ident = threading.main_thread().ident


def _forked() -> None:
    global _main_ident
    _main_ident = get_ident()


after_fork_in_child(_forked)


def note_thread_cell(child: Any) -> None:
    """Record that the calling thread now has a cell in ``child`` (called on its first write there)."""
    if get_ident() != _main_ident:
        _record.cells.children.add(child)
