"""Per-thread cells: the box an instrument keeps its numbers in, and folding an ended thread's cells.

A child keeps its numbers in one small list, its *box*: ``[owner, others, *numbers]``. The thread
that first writes the child claims it (``owner`` is that thread's id) and from then on adds into
``numbers`` in place, with no lock and no dict. Any other thread that writes the child keeps its own
cell in ``others``, a dict thread id -> cell made only when a second thread writes; its key
:data:`UNOWNED` holds what ended threads left there. An unowned box (``owner`` is :data:`UNOWNED`: a
new child, a reset, or an owner that ended) is claimed by the next writer under a lock, the only
place where the owner changes besides folds. A whole-state update (``Gauge.set``, ``reset()``)
replaces the box, so an update racing with it lands in the discarded box: ordered before it.
The owner's id is one int object per thread (``_idents``), not one per child.

Without folding, a program that runs many short-lived threads (pools recycling workers,
threads with varied stack sizes, whose ids are not reused) leaves one dead cell per thread
per child: memory that is never freed and a scrape that sums ever more cells.

Each thread records, the first time it writes a child, that it has a cell there. The record
lives in a ``threading.local``: when the thread ends, CPython clears its thread-local data
before the thread id can be reused, and the record's finaliser folds each of the thread's cells.
A fold of the ended owner only marks the box unowned, leaving its numbers in place as the base the
next owner continues: no update racing with it can be lost. A fold of another thread's cell moves
it into ``others[UNOWNED]`` with one ``dict.update``, so a concurrent scrape sees the value either
in the thread's cell or in the base, never in both or neither. The update path takes no lock;
folds serialise on one lock among themselves.
"""

from __future__ import annotations

import sys
import threading
from threading import get_ident
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ._forksafe import ForkSafeLock, after_fork_in_child

__all__ = [
    "UNOWNED", "add_elsewhere", "box_total", "cell_elsewhere", "column_sums", "fold_box", "new_box",
    "new_boxes", "note_thread_cell",
]

_fold_lock = ForkSafeLock()

# Never a thread id: the owner of a box nobody owns, and the key of ended threads' numbers in ``others``.
UNOWNED = 0

# Claims of unowned boxes, and the making of a box's ``others``, serialise on this plain lock (a new
# child's first write takes it: a ForkSafeLock's Python-level ``with`` would cost a fifth of the build
# of a large registry). A fold never conflicts with a claim: it unowns only a box an ended thread owns,
# a claim takes only an unowned one. Forked children get a new one (see _forked).
_claim_lock = threading.Lock()

# One int object per thread that owns boxes (get_ident() returns a new int at each call).
_idents: Dict[int, int] = {}

Box = List[Any]


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
                _idents.pop(thread_id, None)
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
    global _main_ident, _claim_lock
    _main_ident = get_ident()
    _claim_lock = threading.Lock()  # another thread may have held it at the fork


after_fork_in_child(_forked)


def note_thread_cell(child: Any) -> None:
    """Record that the calling thread now has a cell in ``child`` (called on its first write there)."""
    if get_ident() != _main_ident:
        _record.cells.children.add(child)


def new_box(number: Any) -> Box:
    """An unowned box holding one number (the next writer claims it)."""
    return [UNOWNED, None, number]  # not [..., *numbers]: that over-allocates the list by a third


def new_boxes(numbers: List[Any]) -> Box:
    """An unowned box holding several numbers."""
    return [UNOWNED, None] + numbers  # a concatenation is allocated at its exact size


def _claim(child: Any, box: Box, thread: int) -> bool:
    """Make the calling thread the owner of ``box`` if nobody owns it; whether it now does."""
    with _claim_lock:
        if box[0] != UNOWNED:
            return False
        box[0] = _idents.setdefault(thread, thread)
    note_thread_cell(child)
    return True


def _others_of(box: Box) -> Dict[int, Any]:
    with _claim_lock:  # two threads making the dict at once would lose one's cell
        others: Optional[Dict[int, Any]] = box[1]
        if others is None:
            others = box[1] = {}
    return others


def add_elsewhere(child: Any, box: Box, amount: float) -> None:
    """Add ``amount`` for a thread that does not own ``box`` (one number): claim it, or use its own cell."""
    thread = get_ident()
    if box[0] == UNOWNED and _claim(child, box, thread):
        box[2] += amount
        return
    others = box[1] or _others_of(box)
    try:
        others[thread] += amount  # only this thread writes this key
    except KeyError:
        others[thread] = amount
        note_thread_cell(child)


def cell_elsewhere(child: Any, box: Box, new_cell: Callable[[], Box]) -> Box:
    """The list a thread that does not own ``box`` (several numbers) updates: the box once claimed, or
    its own cell in ``others``, laid out as a box (numbers from index 2) so one index serves both."""
    thread = get_ident()
    if box[0] == UNOWNED and _claim(child, box, thread):
        return box
    others = box[1] or _others_of(box)
    cell: Optional[Box] = others.get(thread)
    if cell is None:
        cell = others[thread] = new_cell()
        note_thread_cell(child)
    return cell


def box_total(box: Box) -> Any:
    """The number a one-number box holds, over all threads (the type the official value would have)."""
    others = box[1]
    if others is None:
        return box[2]
    try:
        return sum(others.values(), box[2])
    except RuntimeError:
        # Another thread added its first cell mid-iteration (possible without a GIL): sum a snapshot.
        return sum(others.copy().values(), box[2])


def column_sums(box: Box) -> List[Any]:
    """The numbers of a several-number box, each summed over all threads."""
    others = box[1]
    if others is None:
        return box[2:]
    cells = [cell[2:] for cell in [box, *others.copy().values()]]
    return [sum(column) for column in zip(*cells)]


def fold_box(box: Box, thread: int) -> None:
    """Fold the ended ``thread``'s numbers in ``box`` into its base (the caller holds the fold lock)."""
    if box[0] == thread:
        box[0] = UNOWNED  # its numbers stay in place as the base: an update racing with this is kept
    others = box[1]
    if not others:
        return
    cell = others.get(thread)
    if cell is None:
        return
    base = others.get(UNOWNED)
    if isinstance(cell, list):
        merged: Any = list(cell) if base is None else new_boxes([a + b for a, b in zip(base[2:], cell[2:])])
        emptied: Any = new_boxes([0] * (len(cell) - 2))
    else:
        merged = cell if base is None else base + cell
        emptied = 0
    others.update({UNOWNED: merged, thread: emptied})  # one step: a scrape sees the numbers once
    others.pop(thread, None)
