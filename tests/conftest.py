"""Shared test setup: hypothesis profiles and a fresh registry per test."""

from __future__ import annotations

import os
import platform
import sys
import threading
import time
from typing import Any, Iterator

import pytest


def _cache_bytecode_outside_the_tree() -> None:
    """Where PYTHONDONTWRITEBYTECODE keeps __pycache__ out of the tree, cache bytecode in a prefix instead.

    Without any cache every run compiles (and pytest assertion-rewrites) every test module, hypothesis and
    the package anew, and so does every subprocess a test starts: ~5 s of CPU per PyPy run, whose compiler
    is slow. ``sys.pycache_prefix`` (PYTHONPYCACHEPREFIX for the subprocesses) keeps the tree clean all the
    same; a prefix the user chose is kept. Set here, before hypothesis and the test modules are imported.
    """
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    prefix = os.path.join(cache_home, "prometheus_client-tests", "pycache")
    try:
        os.makedirs(prefix, exist_ok=True)
    except OSError:
        return  # no writable cache: compile every time, as before
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_cache_bytecode_outside_the_tree()

from hypothesis import HealthCheck, settings  # noqa: E402  (after the bytecode cache is set up)


def _stop_tracing_in_forked_child() -> None:
    """In a child forked by a test, turn off coverage's tracer before anything else runs.

    coverage's tracer takes a lock of its own; a fork while another thread holds it leaves the child
    deadlocked on its first traced line (seen in test_fork_while_other_thread_updates_does_not_deadlock_child).
    Forked test children end with os._exit and never save coverage data, so nothing is lost.
    """
    if sys.gettrace() is not None:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]


# Registered when pytest loads this file, before any test imports prometheus_client, so it runs before the
# library's own after-fork hooks (after_in_child hooks run in registration order).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_stop_tracing_in_forked_child)

# The machine has 2 shared cores: no per-example deadline (timing flakes). Hypothesis's own engine runs
# uncompiled on PyPy (each example costs ~4x CPython's there): PyPy gets a third of the examples. The
# properties are pure Python and the same on every interpreter; CPython runs the whole budget every time.
EXAMPLES = 100 if platform.python_implementation() == "CPython" else 35
settings.register_profile("dev", deadline=None, max_examples=EXAMPLES)
settings.register_profile(
    "ci", deadline=None, max_examples=EXAMPLES, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture
def registry():
    """A new, empty CollectorRegistry, so a test never touches the global REGISTRY."""
    from prometheus_client.registry import CollectorRegistry

    return CollectorRegistry()


@pytest.fixture(scope="session")
def running_reactor() -> Iterator[Any]:
    """The global Twisted reactor in a daemon thread, stopped at session end (a reactor cannot restart)."""
    try:
        from twisted.internet import reactor
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("twisted is not installed (pip install twisted)")
        pytest.skip("twisted is not installed")
    if reactor.running:  # type: ignore[attr-defined]
        yield reactor
        return
    thread = threading.Thread(target=reactor.run, kwargs={"installSignalHandlers": False}, daemon=True)  # type: ignore[attr-defined]
    thread.start()
    deadline = time.monotonic() + 5
    while not reactor.running and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)
    assert reactor.running  # type: ignore[attr-defined]
    yield reactor
    reactor.callFromThread(reactor.stop)  # type: ignore[attr-defined]
    thread.join(10)
    assert not thread.is_alive()
