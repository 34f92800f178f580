"""Locks that a forked child can always take.

``os.fork()`` copies only the calling thread. If another thread held a
``threading.Lock`` at that moment, the child's copy stays locked forever and the
first ``labels()`` or ``register()`` in the child deadlocks. Pre-fork servers
(gunicorn, uWSGI, multiprocessing) fork exactly when other threads may be busy.

:class:`ForkSafeLock` wraps a ``threading.Lock`` and, through
``os.register_at_fork``, gives every live instance a fresh, unlocked inner lock
in the child. What the lock protected is a dict or list whose single operations
are atomic under the GIL, so the child sees a consistent state.
"""

from __future__ import annotations

import os
import threading
import weakref
from typing import Any, Callable, List

__all__ = ["ForkSafeLock", "after_fork_in_child"]

_live_locks: "weakref.WeakSet[ForkSafeLock]" = weakref.WeakSet()
_child_callbacks: List[Callable[[], None]] = []


class ForkSafeLock:
    """A non-reentrant lock whose forked copy starts unlocked in the child process."""

    __slots__ = ("_lock", "_reset_while_held", "__weakref__")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # True in a forked child whose copy of this lock was held at fork time and replaced by a fresh,
        # unlocked one, until the release the forking thread's ``with`` block may still owe, or until the
        # child takes the lock (then the holder was another thread, which the child does not have).
        self._reset_while_held = False
        _live_locks.add(self)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock, as ``threading.Lock.acquire``."""
        acquired = self._lock.acquire(blocking, timeout)
        if acquired:
            self._reset_while_held = False
        return acquired

    def release(self) -> None:
        """Give the lock back.

        After a fork that happened while the lock was held, the child's inner lock
        is a new, unlocked one. A release of it before the child takes the lock is
        the one the forking thread's ``with`` block still owes: it is a no-op, not
        a ``RuntimeError`` in the middle of the caller's block (once only). Any
        other release of an unlocked lock raises ``RuntimeError``, as
        ``threading.Lock`` does.
        """
        try:
            self._lock.release()
        except RuntimeError:
            if not self._reset_while_held:
                raise
            self._reset_while_held = False

    def locked(self) -> bool:
        """Whether some thread holds the lock."""
        return self._lock.locked()

    def __enter__(self) -> bool:
        acquired = self._lock.acquire()
        self._reset_while_held = False  # taken in the child: no release was owed
        return acquired

    def __exit__(self, *exc_info: Any) -> None:
        self.release()

    def _reset(self) -> None:
        # Called in the child only: no other thread exists there to race with.
        self._reset_while_held = self._lock.locked()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<ForkSafeLock {'locked' if self.locked() else 'unlocked'}>"


def after_fork_in_child(callback: Callable[[], None]) -> None:
    """Run ``callback()`` in every child forked from now on (after the locks are reset)."""
    _child_callbacks.append(callback)


def _reset_in_child() -> None:
    for lock in list(_live_locks):
        lock._reset()
    for callback in list(_child_callbacks):
        callback()


if hasattr(os, "register_at_fork"):  # absent on Windows, where there is no fork
    os.register_at_fork(after_in_child=_reset_in_child)
