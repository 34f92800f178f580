"""prometheus_client.decorator: signature-preserving decorators, as the official vendored module behaves."""

from __future__ import annotations

import collections.abc
import inspect
from typing import Any, Dict, List, Tuple

import pytest

from prometheus_client.decorator import (
    FunctionMaker,
    append,
    contextmanager,
    decorate,
    decorator,
    dispatch_on,
    getargspec,
)


def sample(a: int, b: int = 2, *args: Any, c: int, d: int = 4, **kw: Any) -> Tuple[Any, ...]:
    """Sample doc."""
    return (a, b, args, c, d, kw)


def test_decorate_keeps_the_exact_signature_and_metadata() -> None:
    decorated = decorate(sample, lambda f, *a, **k: f(*a, **k))
    assert inspect.getfullargspec(decorated) == inspect.getfullargspec(sample)
    assert str(inspect.signature(decorated, follow_wrapped=False)) == str(inspect.signature(sample))
    assert (decorated.__name__, decorated.__qualname__, decorated.__doc__) == ("sample", "sample", "Sample doc.")
    assert decorated.__module__ == __name__
    assert decorated.__wrapped__ is sample  # type: ignore[attr-defined]
    assert decorated is not sample


def test_caller_gets_positional_arguments_with_defaults_filled_in() -> None:
    seen: List[Tuple[Tuple[Any, ...], Dict[str, Any]]] = []

    def caller(f: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((args, kwargs))
        return f(*args, **kwargs)

    decorated = decorate(sample, caller)
    assert decorated(1, c=3) == (1, 2, (), 3, 4, {})
    assert decorated(1, 5, 6, c=3, e=7) == (1, 5, (6,), 3, 4, {"e": 7})
    assert seen == [((1, 2), {"c": 3, "d": 4}), ((1, 5, 6), {"c": 3, "d": 4, "e": 7})]


def test_wrong_arguments_fail_before_the_caller_runs() -> None:
    calls: List[int] = []
    decorated = decorate(sample, lambda f, *a, **k: calls.append(1))
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        decorated()  # type: ignore[call-arg]
    assert calls == []


def test_decorator_turns_a_caller_into_a_decorator() -> None:
    @decorator
    def tag(f: Any, *args: Any, **kwargs: Any) -> Any:
        return ("tagged", f(*args, **kwargs))

    @tag
    def add(x: int, y: int) -> int:
        return x + y

    assert add(1, 2) == ("tagged", 3)
    assert list(inspect.signature(add, follow_wrapped=False).parameters) == ["x", "y"]
    assert tag.__name__ == "tag"
    assert decorator(lambda f, *a: f(*a) * 2, add)(1, 2) == ("tagged", 3, "tagged", 3)


def test_context_manager_works_with_and_as_a_decorator() -> None:
    events: List[str] = []

    @contextmanager
    def section(name: str) -> Any:
        events.append("enter " + name)
        yield name
        events.append("exit " + name)

    with section("a") as value:
        events.append("body " + value)

    @section("b")
    def job(n: int) -> int:
        events.append("job")
        return n * 2

    assert job(3) == 6
    assert job(4) == 8
    assert list(inspect.signature(job, follow_wrapped=False).parameters) == ["n"]
    assert events == ["enter a", "body a", "exit a", "enter b", "job", "exit b", "enter b", "job", "exit b"]


def test_function_maker_create_from_a_signature_string() -> None:
    made = FunctionMaker.create("double(x, y=1)", "return _scale_ * (x + y)", {"_scale_": 2}, defaults=(1,))
    assert made(3) == 8
    assert made.__name__ == "double"
    assert "def double(x, y=1):" in made.__source__


def test_reserved_argument_names_are_refused() -> None:
    def bad(_func_: int) -> int:
        return _func_

    with pytest.raises(NameError, match="_func_ is overridden"):
        decorate(bad, lambda f, *a: f(*a))


def test_non_functions_are_refused() -> None:
    with pytest.raises(TypeError, match="You are decorating a non function"):
        decorate(len, lambda f, *a: f(*a))  # type: ignore[arg-type]


def test_getargspec_has_the_old_four_fields() -> None:
    assert getargspec(lambda a, b=1: None) == (["a", "b"], None, None, (1,))
    assert getargspec(sample) == (["a", "b"], "args", "kw", (2,))


def test_dispatch_on_picks_the_most_specific_registration() -> None:
    @dispatch_on("obj")
    def describe(obj: Any) -> str:
        return "default"

    @describe.register(int)  # type: ignore[attr-defined]
    def _int(obj: Any) -> str:
        return "int"

    @describe.register(collections.abc.Mapping)  # type: ignore[attr-defined]
    def _mapping(obj: Any) -> str:
        return "mapping"

    assert [describe(1), describe(True), describe("s"), describe({})] == ["int", "int", "default", "mapping"]
    assert describe.dispatch_info(bool) == [("bool",), ("int",)]  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="Expected 1 arguments, got 2"):
        describe.register(int, str)  # type: ignore[attr-defined]


def test_append_keeps_only_the_most_specific_classes() -> None:
    ancestors: List[type] = []
    append(int, ancestors)
    append(bool, ancestors)  # more specific than int: replaces it
    append(int, ancestors)  # a superclass of what is there: ignored
    append(str, ancestors)
    assert ancestors == [bool, str]


def test_context_managers_of_the_package_still_keep_signatures() -> None:
    from prometheus_client.metrics import Gauge
    from prometheus_client.registry import CollectorRegistry

    gauge = Gauge("in_progress", "In progress", registry=CollectorRegistry())

    @gauge.track_inprogress()
    def work(a: int, b: int = 1) -> int:
        return a + b

    assert work(1) == 2
    assert list(inspect.signature(work).parameters) == ["a", "b"]
