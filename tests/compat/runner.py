"""Run scenarios in one subprocess per implementation and compare the results.

``start``/``finish`` (or ``run_both``) run ``_worker.py`` once under ``python``: with ``repo`` set, our package
is loaded from there; without it, whatever the interpreter has installed (the official client in its venv).
``compare(official, ours)`` says where two results differ (None when they match), under these rules:

- values of the same tag must be equal (floats by their repr, so ``nan`` equals ``nan`` and ``1`` differs
  from ``1.0``); bytes must be equal byte for byte;
- an exception (raised, or returned by ``catch``) must have the same type (module and qualname) and our
  message must equal the official one or start with it (ours may add detail after); for an exception
  raised with several arguments (a message, then objects), our first argument must start with the
  official one and the other arguments must match;
- warnings must match in category, message by the same prefix rule.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORKER = HERE / "_worker.py"


def _command(python: str) -> List[str]:
    # Not -I: it would also ignore PYTHONHASHSEED, and set order shows in some messages. -s drops the user
    # site, the environment has no PYTHONPATH (see start), the worker drops its own directory from sys.path
    # and check_loaded verifies which package each side imported.
    return [python, "-s", "-X", "utf8", str(WORKER)]


def start(python: str, request: Dict[str, Any]) -> Tuple[subprocess.Popen, str, str]:
    """Start one worker; returns (process, request path, result path). Finish it with ``finish``."""
    fd, request_path = tempfile.mkstemp(prefix="compat-req-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        json.dump(request, handle)
    fd, result_path = tempfile.mkstemp(prefix="compat-res-", suffix=".json")
    os.close(fd)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PROMETHEUS", "COV_", "COVERAGE"))}
    env["PYTHONHASHSEED"] = "0"
    process = subprocess.Popen(
        _command(python) + [request_path, result_path],
        cwd=tempfile.gettempdir(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    return process, request_path, result_path


def finish(started: Tuple[subprocess.Popen, str, str], timeout: float = 300) -> Dict[str, Any]:
    process, request_path, result_path = started
    try:
        out, err = process.communicate(timeout=timeout)
        if process.returncode != 0:
            raise RuntimeError(
                f"compat worker {process.args} exited {process.returncode}:\n{err.decode(errors='replace')}"
            )
        with open(result_path) as handle:
            return json.load(handle)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for path in (request_path, result_path):
            try:
                os.unlink(path)
            except OSError:
                pass


def run_both(official_python: str, requests: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(official output, our output) for the same request, both workers running at once."""
    theirs = start(official_python, dict(requests, repo=None))
    ours = start(sys.executable, dict(requests, repo=str(REPO)))
    return finish(theirs), finish(ours)


def check_loaded(official: Dict[str, Any], ours: Dict[str, Any], official_python: str) -> None:
    """Each side really loaded the implementation it should have."""
    our_file = Path(ours["meta"]["file"]).resolve()
    their_file = Path(official["meta"]["file"]).resolve()
    assert our_file == REPO / "prometheus_client" / "__init__.py", f"our worker loaded {our_file}"
    assert REPO / "prometheus_client" not in their_file.parents, f"official worker loaded {their_file}"
    assert "site-packages" in their_file.parts, f"official worker loaded {their_file}"


# ---- comparison ---------------------------------------------------------------------------------------
def _exc_differs(theirs: list, ours: list) -> Optional[str]:
    if theirs[1] != ours[1]:
        return f"exception type {ours[1]} (official {theirs[1]})"
    if ours[2].startswith(theirs[2]):
        return None
    # Raised with several arguments (message, then objects): str(exc) is the tuple's repr, so detail added
    # to the message lands inside it. Then the first argument follows the prefix rule, the others must match.
    a, b = theirs[3], ours[3]
    if (len(a) >= 2 and len(a) == len(b) and a[0][:1] == b[0][:1] == ["str"] and b[0][1].startswith(a[0][1])
            and all(differs(x, y) is None for x, y in zip(a[1:], b[1:]))):
        return None
    return f"exception message {ours[2]!r} does not start with the official {theirs[2]!r}"


def differs(theirs: Any, ours: Any, path: str = "result") -> Optional[str]:
    """None when ``ours`` matches ``theirs`` (tagged trees from the worker), else where and how they differ."""
    if isinstance(theirs, list) and isinstance(ours, list) and theirs and ours:
        if theirs[0] == "exc" and ours[0] == "exc":
            why = _exc_differs(theirs, ours)
            return f"{path}: {why}" if why else None
        if theirs[0] != ours[0]:
            return f"{path}: {show(ours)} (official {show(theirs)})"
        if len(theirs) != len(ours):
            return f"{path}: {show(ours)} (official {show(theirs)})"
        for a, b in zip(theirs[1:], ours[1:]):
            if isinstance(a, list) and isinstance(b, list) and a and isinstance(a[0], str):
                why = differs(a, b, path)
            elif isinstance(a, list) and isinstance(b, list):
                if len(a) != len(b):
                    return f"{path}: {len(b)} items (official {len(a)}): {show(ours)} (official {show(theirs)})"
                why = None
                for position, (x, y) in enumerate(zip(a, b)):
                    why = differs(x, y, f"{path}[{position}]")
                    if why:
                        break
            elif a != b:
                return f"{path}: {show(ours)} (official {show(theirs)})"
            else:
                why = None
            if why:
                return why
        return None
    return None if theirs == ours else f"{path}: {show(ours)} (official {show(theirs)})"


def compare(theirs: Dict[str, Any], ours: Dict[str, Any]) -> Optional[str]:
    why = differs(theirs["r"], ours["r"])
    if why:
        return why
    if len(theirs["w"]) != len(ours["w"]):
        return f"warnings {ours['w']} (official {theirs['w']})"
    for a, b in zip(theirs["w"], ours["w"]):
        if a[0] != b[0] or not b[1].startswith(a[1]):
            return f"warning {b} (official {a})"
    return None


def show(tree: Any, limit: int = 600) -> str:
    """A short Python-like rendering of a tagged tree."""
    text = _render(tree)
    return text if len(text) <= limit else text[:limit] + "..."


def _render(tree: Any) -> str:
    if not isinstance(tree, list) or not tree:
        return repr(tree)
    tag, rest = tree[0], tree[1:]
    if tag == "None":
        return "None"
    if tag in ("bool", "int"):
        return repr(rest[0])
    if tag == "float":
        return rest[0]
    if tag == "str":
        return repr(rest[0])
    if tag == "bytes":
        return repr(rest[0].encode("latin-1"))
    if tag in ("list", "tuple", "iterator", "set"):
        inner = ", ".join(_render(x) for x in rest[0])
        return {"list": "[%s]", "tuple": "(%s)", "iterator": "iter[%s]", "set": "{%s}"}[tag] % inner
    if tag == "dict":
        return "{" + ", ".join(f"{_render(k)}: {_render(v)}" for k, v in rest[0]) + "}"
    if tag == "namedtuple":
        return rest[0] + "(" + ", ".join(f"{k}={_render(v)}" for k, v in rest[1]) + ")"
    if tag == "metric":
        return f"{rest[0]}({', '.join(_render(x) for x in rest[1:])})"
    if tag == "exc":
        return f"{rest[0]}({rest[1]!r})"
    if tag == "raised":
        return "raised " + _render(rest[0])
    if tag == "Timestamp":
        return "Timestamp(" + ", ".join(map(str, rest)) + ")"
    if tag in ("type", "obj"):
        return rest[-1] if tag == "obj" else f"<class {rest[0]}>"
    return repr(tree)


def explain(scenario_id: str, code: str, theirs: Dict[str, Any], ours: Dict[str, Any], why: str) -> str:
    """The failure message for a scenario that differs: id, code, both results, a text diff for bytes."""
    lines = [f"compat scenario {scenario_id!r} differs: {why}", "--- code ---", code.strip(),
             "--- official ---", show(theirs["r"], 4000), "--- ours ---", show(ours["r"], 4000)]
    if theirs["w"] or ours["w"]:
        lines += [f"warnings: official {theirs['w']}, ours {ours['w']}"]
    a, b = _texts(theirs["r"]), _texts(ours["r"])
    if a and b and len(a) == len(b):
        for x, y in zip(a, b):
            if x != y:
                lines += ["--- text diff (official -> ours) ---"]
                lines += list(difflib.unified_diff(x.splitlines(), y.splitlines(), "official", "ours", lineterm=""))
    return "\n".join(lines)


def _texts(tree: Any) -> Sequence[str]:
    """Every multi-line bytes/str leaf, in order (for diffs)."""
    found: List[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list) and node:
            if node[0] in ("bytes", "str") and len(node) == 2 and isinstance(node[1], str):
                if "\n" in node[1]:
                    found.append(node[1])
                return
            for child in node[1:]:
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(tree)
    return found
