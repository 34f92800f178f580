"""Run a callable every N seconds on a daemon thread: the one scheduler of the push backends.

Both the periodic textfile writer and the Graphite bridge use :class:`PeriodicTask`, so the
scheduling rules live in one place:

- drift-free: tick ``k`` is due at ``start + k * interval`` on the monotonic clock, so a slow run
  does not push every later run back; ticks missed while a run was slow are skipped, not bunched up;
- never dies: an exception is logged with the task's name and the next tick retries;
- prompt stop: the thread waits on an Event, so ``stop()`` returns without sleeping out the interval.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable, Optional

logger = logging.getLogger("prometheus_client")


class PeriodicTask:
    """Calls ``function()`` every ``interval`` seconds on a daemon thread until :meth:`stop`.

    ``run_immediately`` makes the first call at start (tick 0); otherwise the first call is one
    interval later. ``failures`` counts calls that raised, ``runs`` counts every call.
    """

    def __init__(
        self,
        function: Callable[[], object],
        interval: float,
        name: str = "prometheus_client periodic task",
        run_immediately: bool = True,
        _clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not callable(function):
            raise TypeError(f"PeriodicTask needs a callable, got {function!r}")
        try:
            interval = float(interval)
        except (TypeError, ValueError):
            raise TypeError(f"interval must be a number of seconds, got {interval!r}") from None
        if not interval > 0 or math.isinf(interval):
            raise ValueError(f"interval must be a positive, finite number of seconds, got {interval!r}")
        self.function = function
        self.interval = interval
        self.name = name
        self.runs = 0
        self.failures = 0
        self._run_immediately = run_immediately
        self._clock = _clock
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()

    def start(self) -> PeriodicTask:
        """Start the thread (once); returns self so ``task = PeriodicTask(...).start()`` reads well."""
        with self._lock:
            if self._thread is not None:
                raise RuntimeError(f"{self.name} was already started; create a new PeriodicTask to restart")
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()
        return self

    @property
    def is_running(self) -> bool:
        """True while the thread is alive and no stop was asked."""
        thread = self._thread
        return thread is not None and thread.is_alive() and not self._stopping.is_set()

    def stop(self, timeout: Optional[float] = None) -> None:
        """Ask the thread to stop and wait (up to ``timeout`` seconds) for a running call to finish.

        Safe to call more than once, before start, or from inside ``function`` (then it does not join).
        """
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _next_tick(self, tick: int, start: float, now: float) -> int:
        # The first tick due after now: ticks that passed during a slow run are skipped, never bunched.
        return max(tick + 1, math.floor((now - start) / self.interval) + 1)

    def _loop(self) -> None:
        start = self._clock()
        tick = 0 if self._run_immediately else 1
        while True:
            delay = start + tick * self.interval - self._clock()
            if delay > 0 and self._stopping.wait(delay):
                return
            if self._stopping.is_set():
                return
            self._run_once()
            tick = self._next_tick(tick, start, self._clock())

    def _run_once(self) -> None:
        self.runs += 1
        try:
            self.function()
        except Exception:
            self.failures += 1
            # Log with context and keep going: a push target that is down now may be back next tick.
            logger.exception(
                "%s failed (failure %d of %d runs); retrying in %g s",
                self.name,
                self.failures,
                self.runs,
                self.interval,
            )

    def __repr__(self) -> str:
        state = "running" if self.is_running else "stopped"
        return f"<PeriodicTask {self.name!r} every {self.interval:g}s, {state}>"
