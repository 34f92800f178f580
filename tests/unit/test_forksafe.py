"""Fork safety: a lock held by another thread at fork time must not deadlock the child."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from prometheus_client import CollectorRegistry, Counter
from prometheus_client._forksafe import ForkSafeLock

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Forking while other threads run is the very scenario under test.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def _fork_while_held(lock: ForkSafeLock, in_child) -> int:
    """Fork while another thread holds ``lock``; run ``in_child()`` in the child; return its exit status."""
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(5)
    pid = os.fork()
    if pid == 0:
        try:
            in_child()
            os._exit(0)
        except BaseException:
            os._exit(1)
    release.set()
    thread.join()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("child deadlocked on a lock held by a thread of the parent at fork time")


def test_child_creates_a_labelled_child_while_parent_thread_held_the_label_lock():
    counter = Counter("c", "C.", ["k"], registry=None)

    def in_child() -> None:
        counter.labels("new").inc()
        assert counter.labels("new")._get() == 1.0

    assert _fork_while_held(counter._lock, in_child) == 0


def test_child_registers_while_parent_thread_held_the_registry_lock():
    registry = CollectorRegistry()

    def in_child() -> None:
        Counter("registered_in_child", "C.", registry=registry)
        assert registry.get_sample_value("registered_in_child_total") == 0.0

    assert _fork_while_held(registry._lock, in_child) == 0


def test_lock_excludes_other_threads():
    lock = ForkSafeLock()
    assert lock.acquire()
    assert not lock.acquire(blocking=False)
    assert lock.locked()
    lock.release()
    assert not lock.locked()
    with lock:
        assert lock.locked()


def _in_forked_child(body) -> int:
    """Run ``body()`` in a forked child; return its exit code (0: returned, 1: raised, 2: died otherwise)."""
    pid = os.fork()
    if pid == 0:
        code = 2
        try:
            body()
            code = 0
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_releasing_an_unlocked_lock_raises_as_threading_does():
    lock = ForkSafeLock()
    with pytest.raises(RuntimeError):
        lock.release()
    with lock:
        pass
    with pytest.raises(RuntimeError):
        lock.release()


def test_child_of_a_fork_inside_the_with_block_may_release_once_and_only_once():
    lock = ForkSafeLock()
    outcome = {}

    def leave_block_then_release_again() -> None:
        lock.release()  # the release the parent's ``with`` owes: a no-op on the fresh lock
        try:
            lock.release()
        except RuntimeError:
            outcome["second"] = "raised"
        if outcome.get("second") != "raised":
            raise AssertionError("a second release of the unlocked lock was swallowed")

    lock.acquire()
    try:
        code = _in_forked_child(leave_block_then_release_again)
    finally:
        lock.release()
    assert code == 0


def test_child_of_a_fork_while_another_thread_held_the_lock_raises_on_a_stray_release():
    lock = ForkSafeLock()

    def take_then_release_twice() -> None:
        with lock:  # the holder was another thread: taking the lock settles that no release is owed
            pass
        lock.release()

    def in_child() -> None:
        try:
            take_then_release_twice()
        except RuntimeError:
            return
        raise AssertionError("a stray release of the unlocked lock was swallowed")

    assert _fork_while_held(lock, in_child) == 0


def test_child_of_a_fork_while_unlocked_raises_on_a_stray_release():
    lock = ForkSafeLock()

    def stray_release() -> None:
        lock.release()

    assert _in_forked_child(stray_release) == 1


def test_child_of_a_fork_inside_the_with_block_can_leave_it():
    lock = ForkSafeLock()
    status = 2
    with lock:
        pid = os.fork()
    if pid == 0:  # the child left the block without a RuntimeError and can take the lock again
        try:
            status = 0 if lock.acquire(blocking=False) else 3
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not lock.locked()


def test_child_claims_a_new_box_while_parent_thread_held_the_claim_lock():
    from prometheus_client import _thread_cells

    counter = Counter("c", "C.", ["k"], registry=None)

    def in_child() -> None:
        counter.labels("new").inc()  # a new child's first write claims its box under that lock
        assert counter.labels("new")._get() == 1.0

    assert _fork_while_held(_thread_cells._claim_lock, in_child) == 0  # type: ignore[arg-type]
