"""The package's rooms, the import rules between them, and docs/architecture.svg drawn from the code.

The rules are data: ``ROOMS`` says which modules live in which room (module-name patterns, first
match wins) and which rooms each may import; ``OFFICIAL_NAMESPACE_IMPORTS`` lists the few imports
that break a rule only to give a module the official client's namespace; ``PENDING_VIOLATIONS`` lists
the violations still waiting for a refactoring. ``tests/unit/test_architecture.py`` checks the
package's imports (read with ``ast``, nothing is imported) against them, and that the SVG is current.

    python scripts/architecture_diagram.py           # rewrite docs/architecture.svg and the table in architecture.md
    python scripts/architecture_diagram.py --check   # list the violations; exit 1 if any, or if either is stale

Standard library only; Python 3.9+.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "prometheus_client"
SVG_PATH = ROOT / "docs" / "architecture.svg"

# Standard-library modules that mean HTTP, sockets, files, threads or processes: the encoder and the
# negotiation turn families into bytes and headers into choices, and know none of these.
IO_MODULES = frozenset(
    {
        "asyncio", "gzip", "http", "io", "mmap", "multiprocessing", "os", "select", "selectors", "shutil",
        "socket", "socketserver", "ssl", "subprocess", "tempfile", "threading", "urllib", "wsgiref", "zlib",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Room:
    """A group of modules with one job, and the rooms its modules may import."""

    name: str
    title: str
    job: str
    patterns: Tuple[str, ...]  # module names relative to the package ("_encoding", "twisted.*"); "__init__" is the root
    may_import: FrozenSet[str] = frozenset()  # "*": any room
    may_import_for_types: FrozenSet[str] = frozenset()  # extra rooms allowed under ``if TYPE_CHECKING:`` only
    third_party: FrozenSet[str] = frozenset()  # top-level distributions its modules may import
    forbidden_stdlib: FrozenSet[str] = frozenset()
    group: str = ""  # rooms drawn together in one frame (the backends)


def _rooms(*names: str) -> FrozenSet[str]:
    return frozenset(names)


# The serving backends get their bytes from the shared response function only: formats and negotiation are
# not their business.
SERVING = _rooms("base", "registry", "http")
# Order matters: a module belongs to the first room with a matching pattern (so "_http_server" is the
# stdlib server's before "_http_*" makes it a shared HTTP piece).
ROOMS: Tuple[Room, ...] = (
    Room(
        "facades", "Public import paths", "the official client's module names; re-exports only",
        ("__init__", "core", "exposition", "mmap_dict", "openmetrics", "openmetrics.exposition", "bridge", "_http"),
        may_import=_rooms("*"),
    ),
    Room("http_server", "stdlib server", "start_http_server, start_wsgi_server", ("_http_server",),
         may_import=SERVING | {"wsgi"}, group="backends"),
    Room("wsgi", "WSGI", "make_wsgi_app", ("_wsgi",), may_import=SERVING, group="backends"),
    Room("asgi", "ASGI", "make_asgi_app", ("asgi",), may_import=SERVING, group="backends"),
    Room("twisted", "Twisted", "MetricsResource", ("twisted", "twisted.*"), may_import=SERVING,
         third_party=_rooms("twisted"), group="backends"),
    Room("aiohttp", "aiohttp", "make_aiohttp_handler", ("aiohttp", "aiohttp.*"), may_import=SERVING,
         third_party=_rooms("aiohttp"), group="backends"),
    Room("django", "Django", "PrometheusDjangoView", ("django", "django.*"),
         may_import=SERVING | {"store"},  # the view collects PROMETHEUS_MULTIPROC_DIR itself, as officially
         third_party=_rooms("django"), group="backends"),
    Room("pushgateway", "Pushgateway", "push_to_gateway & co.", ("_pushgateway",),
         may_import=_rooms("base", "registry", "encoder", "http"), third_party=_rooms("snappy"), group="backends"),
    Room("textfile", "Textfile", "write_to_textfile, TextfileWriter", ("_textfile",),
         may_import=_rooms("base", "registry", "encoder"), group="backends"),
    Room("graphite", "Graphite", "GraphiteBridge (its own line format)", ("bridge.graphite",),
         may_import=_rooms("base", "registry"), group="backends"),
    Room("http", "Shared HTTP pieces", "request -> (status, headers, body); TLS; deadline I/O",
         ("_http_*", "_deadline_io"), may_import=_rooms("base", "registry", "negotiation")),
    Room("cli", "check CLI", "python -m prometheus_client check", ("__main__", "_check"),
         may_import=_rooms("base", "families", "parsers")),
    Room("instruments", "Instruments", "Counter, Gauge, Summary, Histogram, Info, Enum; timers",
         ("metrics", "context_managers", "_family_settings", "_thread_cells", "_native_histogram", "_quantiles"),
         may_import=_rooms("base", "families", "registry", "store")),
    Room("collectors", "Built-in collectors", "process, platform, gc",
         ("process_collector", "platform_collector", "gc_collector"),
         may_import=_rooms("base", "families", "registry")),
    Room("store", "Value store", "where values live: this process, or memory-mapped files (multiprocess)",
         ("values", "_mmap_dict", "_multiprocess_values", "multiprocess"),
         may_import=_rooms("base", "families", "registry")),
    Room("negotiation", "Content negotiation", "Accept header -> encoder and content type",
         ("_negotiation", "_content_negotiation", "_negotiate*"),
         may_import=_rooms("base", "encoder"), may_import_for_types=_rooms("registry"),
         forbidden_stdlib=IO_MODULES),
    Room("registry", "Registry", "Collector protocol, CollectorRegistry, REGISTRY", ("registry",),
         may_import=_rooms("base", "families")),
    Room("encoder", "Encoder", "families -> text / OpenMetrics / protobuf bytes",
         ("_encoding", "_encoding_*", "_protobuf", "_protobuf_messages", "_protobuf_instruments"),
         may_import=_rooms("base", "families"), may_import_for_types=_rooms("registry"),
         forbidden_stdlib=IO_MODULES),
    Room("parsers", "Parsers", "text / OpenMetrics / protobuf -> families",
         ("_lexer", "parser", "openmetrics.parser", "_protobuf_parser"),
         may_import=_rooms("base", "families")),
    Room("families", "Metric families", "Metric and the *MetricFamily classes", ("metrics_core",),
         may_import=_rooms("base")),
    Room("base", "Base helpers", "records, name rules, fork-safe lock, scheduler, files",
         ("samples", "validation", "utils", "_forksafe", "decorator", "_files", "_periodic", "_protobuf_wire"),
         may_import=_rooms("base")),
)  # fmt: skip
ROOMS_BY_NAME: Dict[str, Room] = {room.name: room for room in ROOMS}

# (importer, imported module, imported name or None for the module itself): imports that cross a room
# rule only to give the importer the official client's module namespace (the official module imports
# the same name from the same place). Nothing else may come through these imports.
OFFICIAL_NAMESPACE_IMPORTS: Dict[Tuple[str, str, Optional[str]], str] = {
    ("django.exposition", "__init__", None): "official django.exposition does `import prometheus_client`",
    ("twisted._exposition", "exposition", None): "official twisted._exposition has `exposition`",
    ("multiprocess", "metrics", "Gauge"): "official multiprocess has Gauge",
}

# Violations waiting for a refactoring in progress. Each entry must still be a violation (a fixed one
# fails the test until it is removed here), so the list only shrinks; a new violation is never added
# here to make the test pass.
PENDING_VIOLATIONS: Dict[Tuple[str, str, Optional[str]], str] = {
}


@dataclass(frozen=True)
class Import:
    """One imported thing: ``from target import name`` (name None: the module ``target`` itself)."""

    importer: str
    target: str
    name: Optional[str]
    line: int
    type_only: bool

    @property
    def key(self) -> Tuple[str, str, Optional[str]]:
        return (self.importer, self.target, self.name)


@dataclass
class Module:
    name: str  # relative to the package: "_encoding", "twisted._exposition"; the root package is "__init__"
    path: Path
    file: str = ""  # the path inside the package, as shown: "twisted/__init__.py"
    imports: List[Import] = field(default_factory=list)  # inside the package
    external: List[Tuple[str, int, bool]] = field(default_factory=list)  # (top-level name, line, type_only)


def _relative(dotted: str) -> Optional[str]:
    if dotted == PACKAGE:
        return "__init__"
    if dotted.startswith(PACKAGE + "."):
        return dotted[len(PACKAGE) + 1 :]
    return None


def _is_type_checking_test(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


# What an import statement can be found in: a statement, an except clause, a case of a match.
_HOLDS_STATEMENTS = (ast.stmt, ast.excepthandler) + ((ast.match_case,) if hasattr(ast, "match_case") else ())


def _walk_imports(tree: ast.AST) -> Iterable[Tuple[ast.stmt, bool]]:
    """Every Import/ImportFrom statement at any depth, with whether it sits under ``if TYPE_CHECKING:``."""
    stack: List[Tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, type_only = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, type_only
            continue
        if isinstance(node, ast.If) and _is_type_checking_test(node.test):
            stack.extend((child, True) for child in node.body)
            stack.extend((child, type_only) for child in node.orelse)
            continue
        # Imports are statements, and statements sit only in the bodies of other statements (and of
        # except/case clauses): expressions are not entered, which is most of a tree's nodes.
        stack.extend((child, type_only) for child in ast.iter_child_nodes(node) if isinstance(child, _HOLDS_STATEMENTS))


def read_modules(package_dir: Path = ROOT / PACKAGE) -> Dict[str, Module]:
    """Every module of the package with its imports, read with ``ast`` (nothing is executed)."""
    paths = sorted(p for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts)
    dotted_names = {}
    for path in paths:
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        dotted_names[path] = dotted
    known = set(dotted_names.values())
    modules: Dict[str, Module] = {}
    for path, dotted in dotted_names.items():
        name = _relative(dotted)
        assert name is not None
        module = Module(name, path, path.relative_to(package_dir).as_posix())
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, type_only in _walk_imports(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    _add(module, alias.name, None, known, node.lineno, type_only)
                continue
            assert isinstance(node, ast.ImportFrom)
            if node.level:
                base = dotted.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    _add(module, submodule, None, known, node.lineno, type_only)
                else:
                    _add(module, source, alias.name, known, node.lineno, type_only)
        modules[name] = module
    return modules


def _add(module: Module, dotted: str, name: Optional[str], known: Set[str], line: int, type_only: bool) -> None:
    target = _relative(dotted)
    if target is None:
        top = dotted.split(".")[0]
        if top and top != "__future__":
            module.external.append((top, line, type_only))
        return
    if dotted not in known:
        raise ValueError(f"{module.path}:{line}: imports {dotted}, which is not a module of the package")
    module.imports.append(Import(module.name, target, name, line, type_only))


def room_of(module: str) -> Optional[Room]:
    """The first room with a pattern matching ``module``; None when no room claims it."""
    for room in ROOMS:
        if any(fnmatch.fnmatchcase(module, pattern) for pattern in room.patterns):
            return room
    return None


def is_allowed(importer: Room, target: Room, type_only: bool) -> bool:
    if importer.name == target.name or "*" in importer.may_import or target.name in importer.may_import:
        return True
    return type_only and target.name in importer.may_import_for_types


@dataclass(frozen=True)
class Violation:
    importer: str
    target: str
    name: Optional[str]
    line: int
    message: str

    @property
    def key(self) -> Tuple[str, str, Optional[str]]:
        return (self.importer, self.target, self.name)

    def __str__(self) -> str:
        return f"{self.importer}:{self.line}: {self.message}"


def stdlib_names() -> Optional[FrozenSet[str]]:
    """The standard library's top-level names (Python 3.10+), else None."""
    names = getattr(sys, "stdlib_module_names", None)
    return frozenset(names) if names is not None else None


def find_violations(
    modules: Dict[str, Module], stdlib: Optional[FrozenSet[str]] = None
) -> Tuple[List[str], List[Violation]]:
    """(modules no room claims, import violations), before the namespace and pending lists are applied."""
    unplaced = sorted(name for name in modules if room_of(name) is None)
    violations: List[Violation] = []
    for module in modules.values():
        importer = room_of(module.name)
        if importer is None:
            continue
        for item in module.imports:
            target = room_of(item.target)
            if target is None or is_allowed(importer, target, item.type_only):
                continue
            what = item.target + (f".{item.name}" if item.name else "")
            violations.append(
                Violation(
                    module.name, item.target, item.name, item.line,
                    f"{importer.name} imports {target.name} ({what}); {importer.name} may import "
                    f"{', '.join(sorted(importer.may_import)) or 'nothing'}",
                )
            )  # fmt: skip
        for top, line, _type_only in module.external:
            if top in importer.forbidden_stdlib:
                violations.append(
                    Violation(module.name, top, None, line, f"{importer.name} must not import {top} (I/O)")
                )
            elif stdlib is not None and top not in stdlib and top not in importer.third_party:
                violations.append(
                    Violation(module.name, top, None, line, f"{importer.name} must not import third-party {top}")
                )
    return unplaced, sorted(violations, key=lambda v: (v.importer, v.line, v.target, v.name or ""))


@dataclass
class Report:
    unplaced: List[str]
    violations: List[Violation]  # neither official namespace nor pending
    pending: List[Violation]  # expected, listed in PENDING_VIOLATIONS
    stale: List[str]  # list entries that no longer match an import or a violation

    @property
    def ok(self) -> bool:
        return not (self.unplaced or self.violations or self.stale)


def check(modules: Optional[Dict[str, Module]] = None) -> Report:
    """The package's imports against the rules, with the namespace and pending lists applied."""
    modules = read_modules() if modules is None else modules
    unplaced, found = find_violations(modules, stdlib_names())
    imported = {item.key for module in modules.values() for item in module.imports}
    stale = [f"OFFICIAL_NAMESPACE_IMPORTS {key}: no such import" for key in OFFICIAL_NAMESPACE_IMPORTS
             if key not in imported]  # fmt: skip
    left = [v for v in found if v.key not in OFFICIAL_NAMESPACE_IMPORTS]
    pending = [v for v in left if v.key in PENDING_VIOLATIONS]
    violations = [v for v in left if v.key not in PENDING_VIOLATIONS]
    still = {v.key for v in pending}
    stale += [f"PENDING_VIOLATIONS {key}: fixed, remove the entry" for key in PENDING_VIOLATIONS if key not in still]
    return Report(unplaced, violations, pending, stale)


# ---- the diagram ---------------------------------------------------------------------------------------
# Rooms are boxes listing their modules; a room's row is one more than the highest row of the rooms it may
# import, so every allowed arrow points down. Arrows are the imports found in the code, one per pair of
# rooms (the backends' allowed ones drawn once, from their frame), routed through the gaps between boxes.

WIDTH = 1500
MARGIN = 24
EDGE_LANE = 34  # room left at both ends of a row for arrows passing by
LANE = 44  # gap between two rooms of a row, where arrows pass
GROUP_GAP = 12
GROUP_HEADER = 30
ROW_GAP = 60
TITLE_SIZE = 15
TEXT_SIZE = 12
LINE = 16
PAD = 8
QUIET_TARGETS = ("base",)  # every room may import these: drawn without arrows (the legend says so)
QUIET_SOURCES = ("facades",)  # they may import everything: drawn without arrows
RANK = {"allowed": 0, "namespace": 1, "pending": 2, "forbidden": 3}
COLOURS = {"allowed": "#8795a6", "namespace": "#c08a1e", "pending": "#d0342c", "forbidden": "#d0342c"}


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float
    row: int = 0

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


def _layers() -> Dict[str, int]:
    """Each room's depth: 0 for a room importing nothing else, else 1 + the deepest room it may import;
    the rooms of a group share the deepest row of the group; rooms that may import anything go on top."""
    layer: Dict[str, int] = {}

    def depth(name: str) -> int:
        if name not in layer:
            room = ROOMS_BY_NAME[name]
            below = [t for t in room.may_import if t not in ("*", name)]
            layer[name] = 1 + max((depth(t) for t in below), default=-1)
        return layer[name]

    for room in ROOMS:
        if "*" not in room.may_import:
            depth(room.name)
    for group in sorted({room.group for room in ROOMS if room.group}):
        top = max(layer[room.name] for room in ROOMS if room.group == group)
        for room in ROOMS:
            if room.group == group:
                layer[room.name] = top
    highest = max(layer.values(), default=0)
    for room in ROOMS:
        if "*" in room.may_import:
            layer[room.name] = highest + 1
    return layer


def _wrap(words: Sequence[str], width_chars: int) -> List[str]:
    lines: List[str] = []
    current = ""
    for word in words:
        candidate = f"{current}  {word}" if current else word
        if len(candidate) > width_chars and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def room_edges(modules: Dict[str, Module], report: Report) -> Dict[Tuple[str, str], str]:
    """(importing room, imported room) -> the worst kind among its imports: allowed, namespace, pending,
    forbidden. Imports of a room by itself, from the quiet sources and of the quiet targets are left out
    when allowed."""
    bad = {v.key: "pending" for v in report.pending}
    bad.update({v.key: "forbidden" for v in report.violations})
    kinds: Dict[Tuple[str, str], str] = {}
    for module in modules.values():
        source = room_of(module.name)
        if source is None:
            continue
        for item in module.imports:
            target = room_of(item.target)
            if target is None or target.name == source.name:
                continue
            kind = bad.get(item.key, "namespace" if item.key in OFFICIAL_NAMESPACE_IMPORTS else "allowed")
            if kind == "allowed" and (source.name in QUIET_SOURCES or target.name in QUIET_TARGETS):
                continue
            pair = (source.name, target.name)
            if pair not in kinds or RANK[kind] > RANK[kinds[pair]]:
                kinds[pair] = kind
    return kinds


def _rows(edges: Dict[Tuple[str, str], str]) -> List[List[str]]:
    """Room names per row, top row first, each row ordered to keep arrows short (barycentre sweeps)."""
    layer = _layers()
    rows = [[room.name for room in ROOMS if layer[room.name] == depth] for depth in sorted(set(layer.values()))]
    rows.reverse()
    position = {name: (index + 0.5) / len(row) for row in rows for index, name in enumerate(row)}
    neighbours: Dict[str, List[str]] = {}
    for source, target in edges:
        neighbours.setdefault(source, []).append(target)
        neighbours.setdefault(target, []).append(source)
    for _sweep in range(6):
        for row in rows:
            if len(row) < 2 or any(ROOMS_BY_NAME[name].group for name in row):
                continue

            members = set(row)
            barycentre = {}
            for name in row:
                linked = [position[n] for n in neighbours.get(name, []) if n not in members]
                barycentre[name] = sum(linked) / len(linked) if linked else position[name]
            row.sort(key=lambda name: (barycentre[name], name))
            for index, name in enumerate(row):
                position[name] = (index + 0.5) / len(row)
    return rows


def _layout(rows: List[List[str]], members: Dict[str, List[str]]) -> Tuple[Dict[str, Box], Dict[str, Box], float]:
    """Boxes of the rooms and frames of the groups, and the y below the last row."""
    boxes: Dict[str, Box] = {}
    frames: Dict[str, Box] = {}
    y = MARGIN + 40.0
    char_width = TEXT_SIZE * 0.62
    for row_index, row in enumerate(rows):
        group = next((ROOMS_BY_NAME[name].group for name in row if ROOMS_BY_NAME[name].group), "")
        gap = GROUP_GAP if group else LANE
        left = MARGIN + (GROUP_GAP if group else EDGE_LANE)
        inner = WIDTH - 2 * left - gap * (len(row) - 1)
        weights = []
        for name in row:
            room = ROOMS_BY_NAME[name]
            longest = max([len(m) for m in members[name]] + [len(w) for w in room.job.split(" ")] + [10])
            weights.append(max(len(room.title) * TITLE_SIZE * 0.6, longest * char_width, 120.0) + 2 * PAD)
        scale = inner / sum(weights)
        texts = []
        height = 0.0
        for name, weight in zip(row, weights):
            chars = max(int((weight * scale - 2 * PAD) / char_width), 8)
            job = _wrap(ROOMS_BY_NAME[name].job.split(" "), chars)
            names = _wrap(members[name] or ["(no module yet)"], chars)
            texts.append((job, names))
            height = max(height, 2 * PAD + TITLE_SIZE + 4 + LINE * (len(job) + len(names)))
        top = y + (GROUP_HEADER if group else 0)
        x = left
        for name, weight in zip(row, weights):
            boxes[name] = Box(x, top, weight * scale, height, row_index)
            x += weight * scale + gap
        if group:
            frames[group] = Box(MARGIN, y, WIDTH - 2 * MARGIN, GROUP_HEADER + height + 2 * GROUP_GAP + 8, row_index)
            y = frames[group].bottom
        else:
            y = top + height
        y += ROW_GAP
    return boxes, frames, y - ROW_GAP


def _file_names(names: List[str], modules: Dict[str, Module]) -> List[str]:
    return [modules[name].file or name.replace(".", "/") + ".py" for name in names]


def _gaps(row: List[str], boxes: Dict[str, Box]) -> List[Tuple[float, float]]:
    """The free x intervals of a row, arrows' lanes; none across a group's frame."""
    if any(ROOMS_BY_NAME[name].group for name in row):
        return []
    spans = sorted((boxes[name].x, boxes[name].x + boxes[name].width) for name in row)
    edges = [MARGIN] + [v for span in spans for v in span] + [WIDTH - MARGIN]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _route_edges(
    edges: Dict[Tuple[str, str], str], rows: List[List[str]], boxes: Dict[str, Box], frames: Dict[str, Box]
) -> List[Tuple[str, str, str, List[Tuple[float, float]]]]:
    """Each edge as (source, target, kind, points): out of the source's bottom (its top when it points up),
    through a gap of every row in between, into the target's top (bottom)."""

    def box_of(name: str) -> Box:
        return frames[name[len("group:") :]] if name.startswith("group:") else boxes[name]

    plans = []
    lane_users: Dict[Tuple[int, int], List[int]] = {}
    for index, ((source, target), kind) in enumerate(sorted(edges.items())):
        s, t = box_of(source), box_of(target)
        down = t.row > s.row
        between = range(s.row + 1, t.row) if down else range(s.row - 1, t.row, -1)
        lanes = []
        steps = abs(t.row - s.row)
        for k, row in enumerate(between, start=1):
            wanted = s.centre + (t.centre - s.centre) * k / steps
            gaps = _gaps(rows[row], boxes)
            if not gaps:
                continue
            gap = min(range(len(gaps)), key=lambda g: abs((gaps[g][0] + gaps[g][1]) / 2 - wanted))
            lanes.append((row, gap))
            lane_users.setdefault((row, gap), []).append(index)
        plans.append((source, target, kind, s, t, down, lanes))
    # Spread the arrows sharing a gap across it, ordered by where they come from.
    lane_x: Dict[Tuple[int, Tuple[int, int]], float] = {}
    for (row, gap), users in lane_users.items():
        left, right = _gaps(rows[row], boxes)[gap]
        users.sort(key=lambda i: (plans[i][3].centre + plans[i][4].centre, i))
        for order, user in enumerate(users):
            lane_x[(user, (row, gap))] = left + (right - left) * (order + 1) / (len(users) + 1)
    # Spread the ends along each box edge, ordered by the x of the next point.
    first_x: Dict[int, float] = {}
    last_x: Dict[int, float] = {}
    for index, (_s, _t, _k, s, t, _down, lanes) in enumerate(plans):
        first_x[index] = lane_x[(index, lanes[0])] if lanes else t.centre
        last_x[index] = lane_x[(index, lanes[-1])] if lanes else s.centre
    ends: Dict[Tuple[str, str], List[int]] = {}
    for index, (source, target, _k, _s, _t, down, _l) in enumerate(plans):
        ends.setdefault((source, "bottom" if down else "top"), []).append(index)
        ends.setdefault((target, "top" if down else "bottom"), []).append(-index - 1)
    end_x: Dict[int, float] = {}
    for (name, _side), users in ends.items():
        box = box_of(name)
        users.sort(key=lambda u: (first_x[u] if u >= 0 else last_x[-u - 1], u))
        for order, user in enumerate(users):
            end_x[user] = box.x + box.width * (order + 1) / (len(users) + 1)
    routes = []
    for index, (source, target, kind, s, t, down, lanes) in enumerate(plans):
        start = (end_x[index], s.bottom if down else s.y)
        points = [start]
        for lane in lanes:
            row_boxes = [boxes[name] for name in rows[lane[0]]]
            top = min(b.y for b in row_boxes)
            bottom = max(b.bottom for b in row_boxes)
            x = lane_x[(index, lane)]
            points += [(x, top), (x, bottom)] if down else [(x, bottom), (x, top)]
        points.append((end_x[-index - 1], t.y if down else t.bottom))
        routes.append((source, target, kind, points))
    return routes


def _path(points: List[Tuple[float, float]]) -> str:
    """Curves between rows, straight runs through a row's gap (the odd segments)."""
    (x, y), rest = points[0], points[1:]
    d = [f"M{x:.1f},{y:.1f}"]
    for index, (nx, ny) in enumerate(rest):
        if index % 2 == 1:  # inside a row's gap
            d.append(f"L{nx:.1f},{ny:.1f}")
        else:
            bend = (ny - y) / 2
            d.append(f"C{x:.1f},{y + bend:.1f} {nx:.1f},{ny - bend:.1f} {nx:.1f},{ny:.1f}")
        x, y = nx, ny
    return " ".join(d)


def render_svg(modules: Dict[str, Module], report: Report) -> str:
    """docs/architecture.svg, deterministic: the same code gives the same bytes."""
    members: Dict[str, List[str]] = {room.name: [] for room in ROOMS}
    for name in sorted(modules):
        room = room_of(name)
        if room is not None:
            members[room.name].append(name)
    edges = room_edges(modules, report)
    rows = _rows(edges)
    files = {room: _file_names(names, modules) for room, names in members.items()}
    boxes, frames, bottom = _layout(rows, files)
    # The backends' allowed imports of a room: one arrow from their frame.
    drawn: Dict[Tuple[str, str], str] = {}
    for (source, target), kind in edges.items():
        group = ROOMS_BY_NAME[source].group
        if group and kind == "allowed" and ROOMS_BY_NAME[target].group != group:
            drawn[(f"group:{group}", target)] = "allowed"
        else:
            drawn[(source, target)] = kind
    same_row = {pair: kind for pair, kind in drawn.items() if not pair[0].startswith("group:")
                and boxes[pair[0]].row == boxes[pair[1]].row}  # fmt: skip
    routes = _route_edges({p: k for p, k in drawn.items() if p not in same_row}, rows, boxes, frames)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{bottom + 80:.0f}" '
        f'viewBox="0 0 {WIDTH} {bottom + 80:.0f}">',
        "<style>text{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;fill:#1d2733}"
        f".title{{font-size:{TITLE_SIZE}px;font-weight:bold}}"
        f".job{{font-size:{TEXT_SIZE}px;font-style:italic;fill:#4a5866}}"
        f".mod{{font-size:{TEXT_SIZE}px;font-family:DejaVu Sans Mono,Menlo,monospace}}"
        ".group{font-size:14px;font-weight:bold;fill:#4a5d78}.legend{font-size:13px}"
        ".heading{font-size:20px;font-weight:bold}path.edge{fill:none;stroke-width:1.5}"
        ".allowed{stroke:#8795a6}.namespace{stroke:#c08a1e;stroke-dasharray:2 3;stroke-width:1.8}"
        ".pending{stroke:#d0342c;stroke-dasharray:7 4;stroke-width:2.2}.forbidden{stroke:#d0342c;stroke-width:2.6}"
        "</style>",
        "<defs>"
        + "".join(
            f'<marker id="head-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for kind, colour in COLOURS.items()
        )
        + "</defs>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 14}" class="heading">prometheus_client: rooms, and the imports between'
        " them</text>",
        f'<text x="{WIDTH - MARGIN}" y="{MARGIN + 14}" text-anchor="end" class="job">drawn from the code by'
        " scripts/architecture_diagram.py</text>",
    ]
    for group, frame in sorted(frames.items()):
        out.append(
            f'<rect x="{frame.x:.0f}" y="{frame.y:.0f}" width="{frame.width:.0f}" height="{frame.height:.0f}" '
            f'rx="10" fill="#f4f7fb" stroke="#7a8da6" stroke-dasharray="6 4"/>'
            f'<text x="{frame.x + 12:.0f}" y="{frame.y + 20:.0f}" class="group">{group.capitalize()}: they only'
            " move bytes somewhere, and none imports another</text>"
        )
    for row in rows:
        for name in row:
            out.append(_room_svg(ROOMS_BY_NAME[name], boxes[name], files[name]))
    for source, target, kind, points in sorted(routes, key=lambda r: (RANK[r[2]], r[0], r[1])):
        out.append(_edge_svg(source, target, kind, _path(points)))
    for (source, target), kind in sorted(same_row.items()):
        s, t = boxes[source], boxes[target]
        x1, x2 = s.centre + s.width / 4, t.centre - t.width / 4
        y = s.bottom
        d = f"M{x1:.1f},{y:.1f} C{x1:.1f},{y + 22:.1f} {x2:.1f},{y + 22:.1f} {x2:.1f},{y + 1:.1f}"
        out.append(_edge_svg(source, target, kind, d))
    legend_y = bottom + 28
    items = [
        ("allowed", "an import the rules allow"),
        ("namespace", "only a name the official module has"),
        ("pending", "pending violation (listed; the list may only shrink)"),
        ("forbidden", "forbidden import"),
    ]
    x = MARGIN
    for kind, text in items:
        out.append(
            f'<path d="M{x},{legend_y - 4} L{x + 40},{legend_y - 4}" class="edge {kind}" '
            f'marker-end="url(#head-{kind})"/><text x="{x + 48}" y="{legend_y}" class="legend">{text}</text>'
        )
        x += 60 + len(text) * 7.2
    out.append(
        f'<text x="{MARGIN}" y="{legend_y + 26}" class="legend">Not drawn: every room may import the base helpers;'
        " the public import paths may import every room, and nothing in the package imports them. A room"
        " imports only rooms below it.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _room_svg(room: Room, box: Box, files: List[str]) -> str:
    fill = {"facades": "#e9eef5", "base": "#fffbea"}.get(room.name, "#ffffff")
    chars = max(int((box.width - 2 * PAD) / (TEXT_SIZE * 0.62)), 8)
    out = [
        f'<g id="room-{room.name}"><rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" '
        f'height="{box.height:.0f}" rx="6" fill="{fill}" stroke="#3d4f66" stroke-width="1.4"/>',
        f'<text x="{box.x + PAD:.0f}" y="{box.y + PAD + TITLE_SIZE - 2:.0f}" class="title">'
        f"{html.escape(room.title)}</text>",
    ]
    y = box.y + PAD + TITLE_SIZE + 4
    for text in _wrap(room.job.split(" "), chars):
        y += LINE
        out.append(f'<text x="{box.x + PAD:.0f}" y="{y - 3:.0f}" class="job">{html.escape(text)}</text>')
    for text in _wrap(files or ["(no module yet)"], chars):
        y += LINE
        out.append(f'<text x="{box.x + PAD:.0f}" y="{y - 3:.0f}" class="mod">{html.escape(text)}</text>')
    out.append("</g>")
    return "".join(out)


def _edge_svg(source: str, target: str, kind: str, d: str) -> str:
    source = source.replace("group:", "the ")
    return (
        f'<path d="{d}" class="edge {kind}" marker-end="url(#head-{kind})">'
        f"<title>{html.escape(source)} imports {html.escape(target)} ({kind})</title></path>"
    )


DOC_PATH = ROOT / "docs" / "architecture.md"
TABLE_START = "<!-- rooms table: written by scripts/architecture_diagram.py -->"
TABLE_END = "<!-- end of rooms table -->"


def rooms_table(modules: Dict[str, Module]) -> str:
    """The Markdown table of the rooms, their modules and what they may import (docs/architecture.md)."""
    lines = ["| Room | Job | Modules | May import |", "|---|---|---|---|"]
    for room in ROOMS:
        names = ", ".join(f"`{n}`" for n in _file_names(sorted(m for m in modules if room_of(m) is room), modules))
        allowed = (
            "every room"
            if "*" in room.may_import
            else ", ".join(ROOMS_BY_NAME[name].title.lower() for name in sorted(room.may_import - {room.name}))
            or "nothing else"
        )
        if room.may_import_for_types:
            allowed += " (types only: " + ", ".join(sorted(room.may_import_for_types)) + ")"
        if room.third_party:
            allowed += "; " + ", ".join(sorted(room.third_party))
        job = room.job.replace("*", "\\*")
        lines.append(f"| {room.title} | {job} | {names or '(none yet)'} | {allowed} |")
    return "\n".join(lines)


def with_rooms_table(document: str, table: str) -> str:
    """``document`` with the text between the table markers replaced by ``table``."""
    start, end = document.index(TABLE_START) + len(TABLE_START), document.index(TABLE_END)
    return document[:start] + "\n" + table + "\n" + document[end:]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 on violations or a stale SVG")
    args = parser.parse_args(argv)
    modules = read_modules()
    report = check(modules)
    for name in report.unplaced:
        print(f"no room claims module {name}: add a pattern to ROOMS")
    for violation in report.violations:
        print(f"violation: {violation}")
    for violation in report.pending:
        print(f"pending: {violation} [{PENDING_VIOLATIONS[violation.key]}]")
    for entry in report.stale:
        print(f"stale: {entry}")
    document = DOC_PATH.read_text(encoding="utf-8")
    outputs = {SVG_PATH: render_svg(modules, report), DOC_PATH: with_rooms_table(document, rooms_table(modules))}
    stale = False
    for path, text in outputs.items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if args.check:
            print(f"{path.relative_to(ROOT)} is stale: run python scripts/architecture_diagram.py")
            stale = True
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0 if report.ok and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
