"""Signature-preserving decorators: the part of the ``decorator`` package the official client vendors here.

``decorate(func, caller)`` returns a function with exactly ``func``'s signature (same
argument names, defaults and introspection; wrong arguments fail before ``caller`` runs)
that calls ``caller(func, *args, **kwargs)``. :class:`FunctionMaker` builds such functions
from a source template. Written for this package; behaves like ``decorator`` 4.0.
"""

from __future__ import annotations, print_function  # noqa: UP010 - print_function: the official namespace has it

import collections
import inspect
import itertools  # noqa: F401 - the official module's namespace has it
import operator  # noqa: F401 - the official module's namespace has it
import re
import sys  # noqa: F401 - the official module's namespace has it
from contextlib import _GeneratorContextManager
from inspect import getfullargspec
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar, Union

__version__ = "4.0.10"  # the decorator release whose behaviour this follows

__all__ = ["FunctionMaker", "decorate", "decorator", "contextmanager", "ContextManager", "getargspec"]

F = TypeVar("F", bound=Callable[..., Any])

# Finds the function name in a "def name(" template.
DEF = re.compile(r"\s*def\s*([_\w][_\w\d]*)\s*\(")

ArgSpec = collections.namedtuple("ArgSpec", "args varargs varkw defaults")

# The names the generated functions use for the caller and the decorated function.
_RESERVED = ("_call_", "_func_")


def getargspec(f: Callable[..., Any]) -> ArgSpec:
    """The old ``inspect.getargspec`` shape ``(args, varargs, varkw, defaults)``; keyword-only arguments left out."""
    spec = getfullargspec(f)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def _signature_texts(func: Callable[..., Any]) -> Tuple[str, str]:
    """``(signature, shortsignature)``: parameters without defaults/annotations, and the call passing them on."""
    params: List[str] = []
    calls: List[str] = []
    star_written = False
    parameters = list(inspect.signature(func, follow_wrapped=False).parameters.values())
    for index, param in enumerate(parameters):
        kind = param.kind
        if kind is param.POSITIONAL_ONLY:
            params.append(param.name)
            calls.append(param.name)
            following = parameters[index + 1] if index + 1 < len(parameters) else None
            if following is None or following.kind is not param.POSITIONAL_ONLY:
                params.append("/")
        elif kind is param.POSITIONAL_OR_KEYWORD:
            params.append(param.name)
            calls.append(param.name)
        elif kind is param.VAR_POSITIONAL:
            params.append("*" + param.name)
            calls.append("*" + param.name)
            star_written = True
        elif kind is param.KEYWORD_ONLY:
            if not star_written:
                params.append("*")
                star_written = True
            params.append(param.name)
            calls.append(f"{param.name}={param.name}")
        else:  # VAR_KEYWORD
            params.append("**" + param.name)
            calls.append("**" + param.name)
    return ", ".join(params), ", ".join(calls)


class FunctionMaker:
    """Makes functions with a given name and signature from a source template (``%(name)s``, ``%(signature)s``...).

    From an existing function it copies the name, signature, defaults, doc, module,
    ``__dict__``, annotations and qualified name, so the made function introspects alike.
    """

    def __init__(
        self,
        func: Optional[Callable[..., Any]] = None,
        name: Optional[str] = None,
        signature: Optional[str] = None,
        defaults: Optional[Tuple[Any, ...]] = None,
        doc: Optional[str] = None,
        module: Optional[str] = None,
        funcdict: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.shortsignature = signature
        self.kwonlydefaults: Optional[Dict[str, Any]] = None
        self.annotations: Dict[str, Any] = {}
        self.qualname: Optional[str] = None
        self.dict: Dict[str, Any] = {}
        if func is not None:
            self.name = func.__name__
            if self.name == "<lambda>":  # not a valid identifier in a def
                self.name = "_lambda_"
            self.doc = func.__doc__
            self.module = func.__module__
            if inspect.isfunction(func):
                spec = getfullargspec(func)
                self.args = spec.args
                self.varargs = spec.varargs
                self.varkw = spec.varkw
                self.kwonlyargs = spec.kwonlyargs
                self.kwonlydefaults = func.__kwdefaults__
                self.annotations = dict(getattr(func, "__annotations__", {}) or {})
                self.signature, self.shortsignature = _signature_texts(func)
                self.dict = func.__dict__.copy()
                self.qualname = func.__qualname__
            self.defaults = getattr(func, "__defaults__", None)
        if name:
            self.name = name
        if signature is not None:
            self.signature = signature
        if defaults:
            self.defaults = defaults
        if doc:
            self.doc = doc
        if module:
            self.module = module
        if funcdict:
            self.dict = funcdict
        if not hasattr(self, "signature"):
            raise TypeError(f"You are decorating a non function: {func!r}")

    def update(self, func: Any, **kw: Any) -> None:
        """Give the made function this maker's name, doc, defaults and module, plus ``kw`` as attributes."""
        func.__name__ = self.name
        func.__doc__ = getattr(self, "doc", None)
        func.__dict__ = getattr(self, "dict", {})
        func.__defaults__ = getattr(self, "defaults", None)
        func.__kwdefaults__ = self.kwonlydefaults or None
        func.__annotations__ = self.annotations
        if self.qualname is not None:
            func.__qualname__ = self.qualname
        try:
            frame = sys._getframe(3)
            calling_module = frame.f_globals.get("__name__", "?")
        except (AttributeError, ValueError):  # no frame introspection (other Pythons) or a shallow stack
            calling_module = "?"
        func.__module__ = getattr(self, "module", calling_module)
        func.__dict__.update(kw)

    def make(
        self, src_templ: str, evaldict: Optional[Dict[str, Any]] = None, addsource: bool = False, **attrs: Any
    ) -> Any:
        """Compile ``src_templ % vars(self)`` into a function and :meth:`update` it."""
        src = src_templ % vars(self)
        evaldict = evaldict or {}
        match = DEF.search(src)
        if match is None:
            raise SyntaxError(f"not a valid function template\n{src}")
        name = match.group(1)
        # Argument names must not shadow the names the template's body refers to.
        names = set([name] + [arg.strip(" *") for arg in (self.shortsignature or "").split(",")])
        for reserved in _RESERVED:
            if reserved in names:
                raise NameError(f"{reserved} is overridden in\n{src}")
        if not src.endswith("\n"):
            src += "\n"  # a trailing newline keeps old compilers happy with the last line
        filename = f"<decorator-gen-{next(_counter)}>"
        try:
            code = compile(src, filename, "single")
            exec(code, evaldict)  # noqa: S102 - the whole point: a def with the wanted signature
        except Exception:
            print("Error in generated code:", file=sys.stderr)
            print(src, file=sys.stderr)
            raise
        func = evaldict[name]
        if addsource:
            attrs["__source__"] = src
        self.update(func, **attrs)
        return func

    @classmethod
    def create(
        cls,
        obj: Union[str, Callable[..., Any]],
        body: str,
        evaldict: Dict[str, Any],
        defaults: Optional[Tuple[Any, ...]] = None,
        doc: Optional[str] = None,
        module: Optional[str] = None,
        addsource: bool = True,
        **attrs: Any,
    ) -> Any:
        """A function from ``obj`` (a function, or ``"name(signature)"``) whose body is ``body``."""
        if isinstance(obj, str):
            name, rest = obj.strip().split("(", 1)
            signature = rest[:-1]  # drop the closing parenthesis
            func = None
        else:
            name = None
            signature = None
            func = obj
        self = cls(func, name, signature, defaults, doc, module)
        indented = "".join("    " + line for line in body.splitlines(True))
        return self.make("def %(name)s(%(signature)s):\n" + indented, evaldict, addsource, **attrs)


_counter = itertools.count()


def decorate(func: F, caller: Callable[..., Any]) -> F:
    """``func`` wrapped so that calls go to ``caller(func, *args, **kwargs)``, with ``func``'s exact signature."""
    evaldict = dict(_call_=caller, _func_=func)
    made: F = FunctionMaker.create(func, "return _call_(_func_, %(shortsignature)s)", evaldict, __wrapped__=func)
    if hasattr(func, "__qualname__"):
        made.__qualname__ = func.__qualname__
    return made


def decorator(caller: Callable[..., Any], _func: Optional[Callable[..., Any]] = None) -> Any:
    """Turn ``caller(func, *args, **kwargs)`` into a signature-preserving decorator (or apply it to ``_func``)."""
    if _func is not None:
        return decorate(_func, caller)
    doc: Optional[str]
    if inspect.isclass(caller):
        name = caller.__name__.lower()
        doc = f"decorator({caller.__name__}) converts functions/generators into factories of {caller.__name__} objects"
    elif inspect.isfunction(caller):
        name = "_lambda_" if caller.__name__ == "<lambda>" else caller.__name__
        doc = caller.__doc__
    else:  # a callable object
        name = caller.__class__.__name__.lower()
        doc = type(caller).__call__.__doc__
    evaldict = dict(_call_=caller, _decorate_=decorate)
    return FunctionMaker.create(
        f"{name}(func)",
        "return _decorate_(func, _call_)",
        evaldict,
        doc=doc,
        module=caller.__module__,
        __wrapped__=caller,
    )


class ContextManager(_GeneratorContextManager):  # type: ignore[type-arg]
    """A generator-based context manager that also decorates functions, keeping their signature."""

    def __init__(self, g: Callable[..., Any], *a: Any, **k: Any) -> None:
        super().__init__(g, a, k)

    def _recreate_cm(self) -> ContextManager:
        # contextlib's version passes args and kwds as two positional arguments; ours takes them spread out.
        return self.__class__(self.func, *self.args, **self.kwds)  # type: ignore[attr-defined]

    def __call__(self, func: F) -> F:  # type: ignore[override]
        """Run ``func`` inside a fresh context made from the same generator function and arguments."""

        def caller(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            with self._recreate_cm():
                return f(*args, **kwargs)

        return decorate(func, caller)


# The official module's helper names: the arguments of _GeneratorContextManager.__init__.
init = getfullargspec(_GeneratorContextManager.__init__)
n_args = len(init.args)


# Decorating a generator function makes a factory of ContextManager objects, with its signature kept.
contextmanager = decorator(ContextManager)

# The official module's name for ContextManager's initialiser.
__init__ = ContextManager.__init__


def get_init(cls: type) -> Any:
    """``cls.__init__`` (a helper the official module exposes)."""
    return cls.__init__  # type: ignore[misc]


def append(a: type, vancestors: List[type]) -> None:
    """Add class ``a`` to the virtual ancestors ``vancestors``, keeping only the most specific classes."""
    replaced = False
    for index, known in enumerate(vancestors):
        if issubclass(known, a):
            return  # something at least as specific is already there
        if issubclass(a, known):
            vancestors[index] = a
            replaced = True
    if not replaced:
        vancestors.append(a)


def dispatch_on(*dispatch_args: str) -> Callable[[F], F]:
    """A decorator making generic functions that dispatch on the types of the named arguments.

    ``@dispatch_on('x')`` gives ``f.register(SomeType)`` to add implementations; a call runs
    the implementation registered for the most specific classes in the arguments' MROs,
    the decorated function when none matches.
    """
    if not dispatch_args:
        raise TypeError("No dispatch args passed")
    label = "(" + ", ".join(dispatch_args) + ",)"

    def check(arguments: Tuple[Any, ...], wrong: Callable[[int, int], bool] = operator.ne, msg: str = "") -> None:
        if wrong(len(arguments), len(dispatch_args)):
            raise TypeError(f"Expected {len(dispatch_args)} arguments, got {len(arguments)}{msg}")

    def gen_func_dec(func: F) -> F:
        missing = set(dispatch_args) - set(getfullargspec(func).args)
        if missing:
            raise NameError(f"Unknown arguments {missing}")
        typemap: Dict[Tuple[type, ...], Callable[..., Any]] = {}

        def vancestors(*types: type) -> List[List[type]]:
            """The registered classes each type is a virtual (ABC) subclass of, without being a real one."""
            check(types)
            found: List[List[type]] = [[] for _ in dispatch_args]
            for registered in typemap:
                for t, r, bucket in zip(types, registered, found):
                    if issubclass(t, r) and r not in t.__mro__:
                        append(r, bucket)
            return found

        def ancestors(*types: type) -> List[List[type]]:
            """Each type's MRO (``object`` left out) with its virtual ancestors, for the dispatch order."""
            check(types)
            result = []
            for t, virtual in zip(types, vancestors(*types)):
                if len(virtual) > 1:
                    raise RuntimeError(f"Ambiguous dispatch for {t}: {virtual}")
                mro = t.__mro__ if not virtual else type("t", (t, virtual[0]), {}).__mro__[1:]
                result.append(list(mro[:-1]))  # without object: the decorated function is the fallback
            return result

        def register(*types: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
            check(types)

            def dec(implementation: Callable[..., Any]) -> Callable[..., Any]:
                check(tuple(getfullargspec(implementation).args), operator.lt, " in " + implementation.__name__)
                typemap[types] = implementation
                return implementation

            return dec

        def dispatch_info(*types: type) -> List[Tuple[str, ...]]:
            """The type combinations a call with ``types`` would try, in order."""
            check(types)
            return [tuple(t.__name__ for t in combo) for combo in itertools.product(*ancestors(*types))]

        def _dispatch(dispatch_values: Tuple[Any, ...], *args: Any, **kw: Any) -> Any:
            types = tuple(type(value) for value in dispatch_values)
            implementation = typemap.get(types)
            if implementation is None:
                for combo in itertools.product(*ancestors(*types)):
                    implementation = typemap.get(combo)
                    if implementation is not None:
                        break
            return (implementation or func)(*args, **kw)

        return FunctionMaker.create(  # type: ignore[no-any-return]
            func,
            "return _f_(" + label + ", %(shortsignature)s)",
            dict(_f_=_dispatch),
            register=register,
            default=func,
            typemap=typemap,
            vancestors=vancestors,
            ancestors=ancestors,
            dispatch_info=dispatch_info,
            __wrapped__=func,
        )

    gen_func_dec.__name__ = "dispatch_on" + label
    return gen_func_dec
