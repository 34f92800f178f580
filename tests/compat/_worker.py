# ruff: noqa: UP031  (the worker runs on any Python the official venv has: %-formatting kept simple)
"""Runs compat scenarios against whichever ``prometheus_client`` this interpreter imports.

Run as a script (never imported by the official side, so it depends on nothing in the repo):

    python -s tests/compat/_worker.py REQUEST.json RESULT.json   (no PYTHONPATH; PYTHONHASHSEED=0)

REQUEST.json is ``{"repo": PATH-or-null, "scenarios": [[id, code], ...], "shared": [id, ...]}``. With ``repo`` set, that
directory goes first on ``sys.path`` (this is how our package is loaded; the runner keeps ``PYTHONPATH``
and the user site out, and the script's own directory is dropped from ``sys.path``). Each scenario runs in
a child forked from this process after ``prometheus_client`` is imported, so globals (``REGISTRY``,
created-series switches, legacy validation, environment variables) never leak from one scenario to the
next; scenarios listed in ``shared`` (those of modules that only build their own families and registries)
run up to 50 to a child, for speed.

A scenario is Python code: its result is the value of its last statement when that is an expression, else
the variable ``result``. The result is written as a tagged JSON tree (see ``canon``); an exception raised by
the scenario is recorded as ``["raised", ["exc", "module.qualname", str(exc), [arg tree, ...]]]``.

Determinism: ``PROMETHEUS_DISABLE_CREATED_SERIES=True`` is set before the import (no ``_created`` samples
unless a scenario calls ``enable_created_metrics()``), and every number that looks like "now" (a float
within a day of the time the worker started, in a result or inside str/bytes text, written as Python or
Go float text) is replaced by ``<time>`` on both sides alike. In exception messages and str results, a set of
strings (``{'b', 'a'}``, whose order follows string hashes) is written with its items sorted. Object addresses
(``0x7f...``: ``0x`` and 6 or more hex digits) in reprs and strings are replaced by ``0x?``.
"""

import ast
import io
import json
import math
import os
import re
import select
import sys
import time
import traceback
import warnings

START = time.time()
LOW, HIGH = START - 86400, START + 86400

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# Floats as Python or Go write them, e.g. 1796123456.123, 1.796123456123e+09.
_NUMBER = re.compile(r"(?<![\w.])\d\.\d+e\+09(?![\w.])|(?<![\w.])\d{10}(?:\.\d+)?(?![\w.])")


def _mask_text(text):
    def repl(match):
        try:
            number = float(match.group(0))
        except ValueError:
            return match.group(0)
        return "<time>" if LOW <= number <= HIGH else match.group(0)

    return _NUMBER.sub(repl, text)


def _qualname(cls):
    return "%s.%s" % (getattr(cls, "__module__", "?"), getattr(cls, "__qualname__", cls.__name__))


# A set of strings as repr() writes it: {'a', 'b'}. Its order follows string hashes (random per process
# unless PYTHONHASHSEED is set), so messages that show one are compared with the items sorted.
_STR_SET = re.compile(r"\{('[^'\\]*'(?:, '[^'\\]*')*)\}")


def _sort_sets(text):
    return _STR_SET.sub(lambda m: "{%s}" % ", ".join(sorted(m.group(1).split(", "))), text)


def _message(text):
    return _sort_sets(_mask_text(_ADDRESS.sub("0x?", text)))


def canon_exc(exc, depth=0):
    """["exc", type, str(exc), args]: args as trees (a str arg with the message rules applied)."""
    args = []
    for arg in exc.args:
        try:
            args.append(["str", _message(arg)] if isinstance(arg, str) else canon(arg, depth + 1))
        except Exception:  # noqa: BLE001
            args.append(["obj", "?", "<unrepresentable>"])
    return ["exc", _qualname(type(exc)), _message(str(exc)), args]


def canon(value, depth=0):
    """A JSON tree for a result: [tag, ...]. Subclasses of dict/str/int/float are read as the base type."""
    if depth > 40:
        return ["deep"]
    if value is None:
        return ["None"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, BaseException):
        return canon_exc(value, depth)
    if isinstance(value, float):
        if LOW <= value <= HIGH:
            return ["float", "<time>"]
        return ["float", repr(float(value))]
    if isinstance(value, int):
        return ["int", int(value)]
    if isinstance(value, str):
        return ["str", _sort_sets(_mask_text(_ADDRESS.sub("0x?", str.__str__(value))))]
    if isinstance(value, (bytes, bytearray)):
        return ["bytes", _mask_text(bytes(value).decode("latin-1"))]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return ["namedtuple", type(value).__qualname__,
                [[f, canon(getattr(value, f), depth + 1)] for f in value._fields]]
    if isinstance(value, (list, tuple)):
        return ["list" if isinstance(value, list) else "tuple", [canon(v, depth + 1) for v in value]]
    if isinstance(value, dict):
        return ["dict", [[canon(k, depth + 1), canon(v, depth + 1)] for k, v in value.items()]]
    if isinstance(value, (set, frozenset)):
        items = [canon(v, depth + 1) for v in value]
        return ["set", sorted(items, key=lambda c: json.dumps(c, sort_keys=True))]
    if isinstance(value, type):
        return ["type", _qualname(value)]
    cls = type(value)
    if cls.__name__ == "Timestamp" and hasattr(value, "sec") and hasattr(value, "nsec"):
        if LOW <= value.sec <= HIGH:
            return ["Timestamp", "<time>"]
        return ["Timestamp", value.sec, value.nsec]
    if all(hasattr(value, a) for a in ("name", "documentation", "type", "samples")):
        return ["metric", _family_class(cls), canon(value.name), canon(value.documentation),
                canon(value.type), canon(getattr(value, "unit", None)), canon(list(value.samples), depth + 1)]
    if hasattr(value, "__next__") and hasattr(value, "__iter__"):
        return ["iterator", [canon(v, depth + 1) for v in value]]
    return ["obj", _qualname(cls), _mask_text(_ADDRESS.sub("0x?", repr(value)))]


_FAMILY_CLASSES = {
    "Metric", "CounterMetricFamily", "GaugeMetricFamily", "SummaryMetricFamily", "HistogramMetricFamily",
    "GaugeHistogramMetricFamily", "InfoMetricFamily", "StateSetMetricFamily", "UnknownMetricFamily",
}


def _family_class(cls):
    """The first official family class a family's class derives from: ours may use a private subclass
    (``type(family)`` itself is checked by a scenario of its own)."""
    for klass in cls.__mro__:
        if klass.__name__ in _FAMILY_CLASSES:
            return klass.__name__
    return cls.__qualname__


def _compile(code):
    tree = ast.parse(code, "<scenario>", "exec")
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        tree.body[-1] = ast.Assign(targets=[ast.Name(id="result", ctx=ast.Store())], value=last.value)
        ast.fix_missing_locations(tree)
    return compile(tree, "<scenario>", "exec")


def _namespace():
    import prometheus_client
    from prometheus_client import (
        core,
        exposition,
        metrics,
        metrics_core,
        parser,
        registry,
        samples,
        utils,
        validation,
        values,
    )
    from prometheus_client.openmetrics import exposition as om_exposition
    from prometheus_client.openmetrics import parser as om_parser

    ns = {"__name__": "__scenario__"}
    for mod in (prometheus_client, core):
        for name in getattr(mod, "__all__", None) or [n for n in dir(mod) if not n.startswith("_")]:
            if hasattr(mod, name):
                ns[name] = getattr(mod, name)
    ns.update(
        pc=prometheus_client, core=core, exposition=exposition, metrics=metrics, metrics_core=metrics_core,
        parser=parser, registry=registry, samples=samples, utils=utils, validation=validation, values=values,
        om_exposition=om_exposition, om_parser=om_parser, io=io, os=os, math=math, json=json, re=re,
        time=time, warnings=warnings,
    )

    def text(reg, *args, **kwargs):
        return exposition.generate_latest(reg, *args, **kwargs)

    def om(reg, *args, **kwargs):
        return om_exposition.generate_latest(reg, *args, **kwargs)

    def catch(fn, *args, **kwargs):
        """The value fn returns, or the exception it raises (compared by type and message prefix)."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return exc

    def parse_text(data):
        return list(parser.text_string_to_metric_families(data))

    def parse_om(data):
        return list(om_parser.text_string_to_metric_families(data))

    ns.update(text=text, om=om, catch=catch, parse_text=parse_text, parse_om=parse_om,
              CollectorRegistry=registry.CollectorRegistry, Collector=registry.Collector)
    return ns


def _run_one(code, ns):
    # Scenarios sharing a child must not see each other's patches: the clock and the environment come back.
    saved = (time.time, time.monotonic, time.perf_counter, dict(os.environ))
    try:
        return _run_one_unrestored(code, ns)
    finally:
        time.time, time.monotonic, time.perf_counter = saved[:3]
        if dict(os.environ) != saved[3]:
            os.environ.clear()
            os.environ.update(saved[3])


def _run_one_unrestored(code, ns):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        local = dict(ns)
        try:
            exec(_compile(code), local)  # noqa: S102
            result = canon(local.get("result"))
        except Exception as exc:  # noqa: BLE001
            result = ["raised", canon_exc(exc)]
    warned = [[_qualname(w.category), _mask_text(_ADDRESS.sub("0x?", str(w.message)))] for w in caught]
    return {"r": result, "w": warned}


def _run_forked(codes, ns, timeout=20.0):
    """Run each code of ``codes`` (a list) in one forked child, in turn; a list of results."""
    timeout *= len(codes)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_fd)
            sys.stdout = io.StringIO()
            sys.stderr = io.StringIO()
            try:
                payload = json.dumps([_run_one(code, ns) for code in codes]).encode()
            except BaseException:  # noqa: BLE001
                payload = json.dumps([{"r": ["crash", traceback.format_exc()], "w": []}] * len(codes)).encode()
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view):]
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    if timed_out:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return [{"r": ["crash", "timed out after %ss" % timeout], "w": []}] * len(codes)
    if not chunks:
        return [{"r": ["crash", "child died (status %s)" % status], "w": []}] * len(codes)
    return json.loads(b"".join(chunks).decode())


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    with open(argv[1]) as handle:
        request = json.load(handle)
    if request.get("repo"):
        sys.path.insert(0, request["repo"])
    os.environ["PROMETHEUS_DISABLE_CREATED_SERIES"] = "True"
    os.environ.pop("PROMETHEUS_LEGACY_NAME_VALIDATION", None)
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    os.environ.pop("prometheus_multiproc_dir", None)
    import prometheus_client

    if request.get("names"):
        output = {"names": _public_names(request["names"])}
    else:
        ns = _namespace()
        results = {}
        shared = set(request.get("shared", ()))
        batch = []  # consecutive scenarios that may share one child (they touch no global state)

        def flush():
            if batch:
                for (done_id, _), result in zip(batch, _run_forked([c for _, c in batch], ns)):
                    results[done_id] = result
                del batch[:]

        for scenario_id, code in request["scenarios"]:
            if not hasattr(os, "fork"):
                results[scenario_id] = _run_one(code, ns)
            elif scenario_id in shared:
                batch.append((scenario_id, code))
                if len(batch) >= 50:
                    flush()
            else:
                flush()
                results[scenario_id] = _run_forked([code], ns)[0]
        flush()
        output = {"results": results}
    output["meta"] = {"file": prometheus_client.__file__, "python": sys.version, "executable": sys.executable}
    with open(argv[2], "w") as handle:
        json.dump(output, handle)


# ---- public names (for tests/unit/test_compatibility.py) -----------------------------------------------
def _public_names(_unused):
    """Module -> public names, for every module of the loaded package (an import error as a string)."""
    import importlib
    import pkgutil
    import types

    import prometheus_client

    modules = ["prometheus_client"] + sorted(
        m.name for m in pkgutil.walk_packages(prometheus_client.__path__, "prometheus_client.")
    )
    out = {}
    for name in modules:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - an optional dependency is missing
            out[name] = {"error": "%s: %s" % (type(exc).__name__, exc)}
            continue
        names = set(getattr(module, "__all__", ()))
        for attr in dir(module):
            if attr.startswith("_"):
                continue
            value = getattr(module, attr)
            if isinstance(value, types.ModuleType):
                continue
            owner = getattr(value, "__module__", None)
            if isinstance(value, type) or callable(value):
                # Classes and functions re-exported from outside the package (typing, stdlib) are incidental.
                if not (isinstance(owner, str) and owner.startswith("prometheus_client")):
                    continue
            names.add(attr)
        out[name] = {"names": sorted(names)}
    return out


if __name__ == "__main__":
    main(sys.argv)
