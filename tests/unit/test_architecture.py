"""The package's imports follow the room rules of scripts/architecture_diagram.py, and its diagram is current.

The rules (which module is in which room, which rooms each may import) are data in that script; this
test reads every module's imports with ``ast`` and fails on an import the rules do not allow, on a module
no room claims, and on entries of the exception lists that no longer match anything (so the list of
pending violations can only shrink). docs/architecture.md explains the rooms.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "architecture_diagram.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("architecture_diagram", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


arch = _load_script()


@pytest.fixture(scope="module")
def modules():
    return arch.read_modules()


@pytest.fixture(scope="module")
def report(modules):
    return arch.check(modules)


def _fake_package(imports: Dict[str, List[Tuple[str, Optional[str]]]], external=None):
    """Modules named as in the package, with the given (target, name) imports: for testing the checker."""
    fake = {}
    for name, targets in imports.items():
        module = arch.Module(name, Path(f"{name}.py"))
        for line, (target, imported) in enumerate(targets, start=1):
            module.imports.append(arch.Import(name, target, imported, line, False))
        for top in (external or {}).get(name, []):
            module.external.append((top, 1, False))
        fake[name] = module
    return fake


def test_every_module_is_in_a_room(report):
    assert report.unplaced == [], "add a pattern for these modules to ROOMS in scripts/architecture_diagram.py"


def test_imports_follow_the_room_rules(report):
    assert [str(v) for v in report.violations] == []


def test_exception_lists_hold_only_live_entries(report):
    # A pending violation that is fixed, or an official-namespace import that is gone, must leave its list.
    assert report.stale == []


def test_room_table_is_consistent():
    names = [room.name for room in arch.ROOMS]
    assert len(names) == len(set(names))
    for room in arch.ROOMS:
        unknown = (room.may_import | room.may_import_for_types) - set(names) - {"*"}
        assert not unknown, f"{room.name} names unknown rooms {sorted(unknown)}"
        # The rows of the diagram need the allowed directions to have no cycle.
        seen, todo = set(), [t for t in room.may_import if t not in ("*", room.name)]
        while todo:
            current = todo.pop()
            assert current != room.name, f"{room.name} may import itself through {sorted(seen)}"
            if current not in seen:
                seen.add(current)
                todo.extend(t for t in arch.ROOMS_BY_NAME[current].may_import if t not in ("*", current))


def test_rooms_are_matched_by_the_first_pattern_in_order():
    assert arch.room_of("_http_server").name == "http_server"
    assert arch.room_of("_http_response").name == "http"
    assert arch.room_of("twisted._exposition").name == "twisted"
    assert arch.room_of("__init__").name == "facades"
    assert arch.room_of("no_such_module") is None


def test_checker_rejects_the_imports_the_rules_forbid():
    fake = _fake_package(
        {
            "_encoding": [("_http_response", "respond"), ("metrics_core", "Metric")],
            "_wsgi": [("_http_server", "start_wsgi_server"), ("_http_response", "respond")],
            "registry": [("_wsgi", "make_wsgi_app")],
            "metrics": [("registry", "REGISTRY"), ("_pushgateway", None)],
            "_http_response": [],
            "_http_server": [],
            "metrics_core": [],
            "_pushgateway": [],
        },
        external={"_encoding": ["socket", "re"], "metrics": ["requests"]},
    )
    unplaced, violations = arch.find_violations(fake, stdlib=frozenset({"socket", "re"}))
    assert unplaced == []
    found = sorted((v.importer, v.target) for v in violations)
    assert found == [
        ("_encoding", "_http_response"),  # the encoder knows nothing of HTTP
        ("_encoding", "socket"),
        ("_wsgi", "_http_server"),  # a backend importing another backend
        ("metrics", "_pushgateway"),  # the core importing a backend
        ("metrics", "requests"),  # a third-party import outside its backend
        ("registry", "_wsgi"),
    ]


def test_type_only_imports_are_allowed_only_where_listed():
    encoder, registry, instruments = (arch.ROOMS_BY_NAME[n] for n in ("encoder", "registry", "instruments"))
    assert arch.is_allowed(encoder, registry, type_only=True)
    assert not arch.is_allowed(encoder, registry, type_only=False)
    assert not arch.is_allowed(encoder, instruments, type_only=True)


def test_diagram_is_current(modules, report):
    expected = arch.render_svg(modules, report)
    assert arch.SVG_PATH.read_text(encoding="utf-8") == expected, (
        "docs/architecture.svg is stale: run `make diagram` (python scripts/architecture_diagram.py)"
    )


def test_rooms_table_of_the_docs_is_current(modules):
    document = arch.DOC_PATH.read_text(encoding="utf-8")
    assert document == arch.with_rooms_table(document, arch.rooms_table(modules)), (
        "the rooms table of docs/architecture.md is stale: run `make diagram`"
    )
