"""Timer, ExceptionCounter and InprogressTracker: context managers that are also decorators.

As decorators they work on plain and ``async def`` functions alike (for a
coroutine function the awaited work is what is measured), and keep the
decorated function's name, docstring and signature.
"""

from __future__ import annotations

import functools
import inspect
from timeit import default_timer
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple, Type, TypeVar, Union, cast

from .decorator import decorate  # noqa: F401 - the official module's name, imported by some code from here

if TYPE_CHECKING:
    from .metrics import Counter, Gauge

F = TypeVar("F", bound=Callable[..., Any])


def _wrap(function: F, make_manager: Callable[[], Any]) -> F:
    """Run ``function`` inside a fresh context manager per call, async-aware."""
    function.__name__  # noqa: B018 - not a function: AttributeError now, as the official decorator raises
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            with make_manager():
                return await function(*args, **kwargs)

        return cast(F, async_wrapper)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with make_manager():
            return function(*args, **kwargs)

    return cast(F, wrapper)


class ExceptionCounter:
    """Counts exceptions of the given type(s) raised in a block or function; re-raises them."""

    def __init__(
        self, counter: "Counter", exception: Union[Type[BaseException], Tuple[Type[BaseException], ...]]
    ) -> None:
        self._counter = counter
        self._exception = exception

    def __enter__(self) -> None:
        pass

    def __exit__(
        self,
        typ: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if isinstance(value, self._exception):
            self._counter.inc()

    def __call__(self, f: F) -> F:
        return _wrap(f, lambda: self)


class InprogressTracker:
    """Raises a gauge while a block or function runs and lowers it after."""

    def __init__(self, gauge: "Gauge") -> None:
        self._gauge = gauge

    def __enter__(self) -> None:
        self._gauge.inc()

    def __exit__(
        self,
        typ: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self._gauge.dec()

    def __call__(self, f: F) -> F:
        return _wrap(f, lambda: self)


class Timer:
    """Measures the duration of a block or function and passes it to ``metric.<callback_name>``.

    Inside a ``with`` block on a metric that has labels, call ``timer.labels(...)``
    to choose the child that receives the duration.
    """

    def __init__(self, metric: Any, callback_name: str) -> None:
        self._metric = metric
        self._callback_name = callback_name
        self._start: Optional[float] = None
        self.duration: Optional[float] = None  # seconds, once the block or call has ended

    def _new_timer(self) -> "Timer":
        return self.__class__(self._metric, self._callback_name)

    def __enter__(self) -> "Timer":
        self._start = default_timer()
        return self

    def __exit__(
        self,
        typ: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        start = self._start
        if start is None:
            raise RuntimeError("Timer exited without being entered")
        # The clock is monotonic, but guard against a negative duration all the same.
        self.duration = max(default_timer() - start, 0.0)
        getattr(self._metric, self._callback_name)(self.duration)

    def labels(self, *args: Any, **kwargs: Any) -> None:
        """Pick the labelled child to record into (for metrics that have labels)."""
        self._metric = self._metric.labels(*args, **kwargs)

    def __call__(self, f: F) -> F:
        # A fresh timer per call, so concurrent and recursive calls do not share a start time.
        return _wrap(f, self._new_timer)
