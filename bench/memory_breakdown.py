"""Where the bytes of a labelled child go, ours vs the official client 0.26.0 (the findings of docs/memory.md).

    python bench/memory_breakdown.py            # both sides, every kind, markdown tables on stdout
    python bench/memory_breakdown.py --json out.json
    python bench/memory_breakdown.py --arenas   # pymalloc arenas and RSS around the first three scrapes

For each kind (Counter and Gauge with two labels, Histogram with one label and the default buckets) a
fresh process per side builds one family of 20,000 children, updates each once, scrapes twice, and reports
per child:

* RSS added (``/proc/self/statm`` after ``gc.collect()``), in a process without tracemalloc, since
  tracemalloc's own records would count;
* the bytes Python allocated (tracemalloc), in a second fresh process;
* ``sys.getsizeof`` of what one child holds: the object, each attribute's value as far as it is the
  child's alone (objects also reachable from a sibling child are shared and not counted), the parent's
  dict of children, and, on our side, the per-thread record and the encoder's cached text.

Each measurement runs in the interpreter of ``bench/run.py``'s venvs (``.bench/ours`` with this repo on
``PYTHONPATH``, ``.bench/official``), so run ``bench/run.py`` once first.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tracemalloc
import types
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHILDREN = 20_000
KINDS = ("counter", "gauge", "histogram")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Objects every child reaches and none owns: never walked into.
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.CodeType)


def rss_bytes() -> int:
    gc.collect()
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_SIZE


def reachable(root: Any, stop: Set[int]) -> Dict[int, Any]:
    """Every object reachable from ``root`` through gc referents, not entering ``stop`` or opaque objects."""
    found: Dict[int, Any] = {}
    pending = [root]
    while pending:
        obj = pending.pop()
        key = id(obj)
        if key in found or key in stop or isinstance(obj, _OPAQUE):
            continue
        found[key] = obj
        pending.extend(gc.get_referents(obj))
    return found


def exclusive_size(root: Any, shared: Set[int]) -> int:
    """Bytes (getsizeof) of the objects reachable from ``root`` that are not in ``shared``."""
    return sum(sys.getsizeof(obj) for obj in reachable(root, shared).values())


def build(pc: Any, kind: str) -> Any:
    registry = pc.CollectorRegistry()
    if kind == "counter":
        parent = pc.Counter("app_requests", "Requests.", ["method", "path"], registry=registry)
        for n in range(CHILDREN):
            parent.labels("GET", f"/api/item/{n}").inc()
    elif kind == "gauge":
        parent = pc.Gauge("app_depth", "Depth.", ["host", "queue"], registry=registry)
        for n in range(CHILDREN):
            parent.labels("host-1", f"queue-{n}").set(n)
    else:
        parent = pc.Histogram("app_latency_seconds", "Latency.", ["handler"], registry=registry)
        for n in range(CHILDREN):
            parent.labels(f"/api/item/{n}").observe(0.3)
    return registry, parent


def measure_rss(pc: Any, kind: str) -> Dict[str, float]:
    before = rss_bytes()
    registry, parent = build(pc, kind)
    built = rss_bytes()
    pc.generate_latest(registry)
    scraped = rss_bytes()
    pc.generate_latest(registry)
    again = rss_bytes()
    return {
        "rss_build": (built - before) / CHILDREN,
        "rss_first_scrape": (scraped - built) / CHILDREN,
        "rss_second_scrape": (again - scraped) / CHILDREN,
    }


def measure_traced(pc: Any, kind: str) -> Dict[str, float]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    registry, parent = build(pc, kind)
    gc.collect()
    built = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    pc.generate_latest(registry)
    gc.collect()
    scraped, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "traced_build": (built - before) / CHILDREN,
        "traced_first_scrape": (scraped - built) / CHILDREN,
        "traced_scrape_peak": (peak - built) / CHILDREN,
    }


def _ours_extras(pc: Any, parent: Any, child: Any, shared: Set[int]) -> Dict[str, float]:
    """What our side keeps per child outside the child: the thread's record, the encoder's text."""
    import prometheus_client._encoding as encoding
    import prometheus_client._thread_cells as thread_cells

    extras: Dict[str, float] = {}
    record = thread_cells._record.cells.children
    extras["thread record: set entry (per child, per writing thread)"] = sys.getsizeof(record) / max(len(record), 1)
    # The scrape keeps no label set and no text per series; only the texts of large values (_created
    # timestamps), packed into one str per family, counted here per child of the family.
    kept = encoding._LARGE_VALUE_TEXTS.get(parent._name)
    if kept is not None:
        extras["encoder: large value texts (packed, per child)"] = sys.getsizeof(kept) / max(len(parent._metrics), 1)
    return extras


def measure_objects(pc: Any, kind: str) -> Dict[str, Any]:
    """getsizeof of one child's parts, after one scrape (so caches it makes are there)."""
    registry, parent = build(pc, kind)
    pc.generate_latest(registry)
    children = list(parent._metrics.values())
    child, sibling = children[len(children) // 2], children[len(children) // 2 + 1]
    # Shared: whatever the sibling or the parent (apart from its dict of children) reaches. The sibling's
    # walk stops at the parent too (ours reach it through their shared settings' owner).
    stop = {id(parent._metrics), id(child)}
    shared = set(reachable(sibling, {id(child), id(parent)})) | set(reachable(parent, stop))
    shared.discard(id(child))
    parts: Dict[str, float] = {"child object": sys.getsizeof(child)}
    attributes = vars(child)  # read last: on 3.11 this may materialise a dict the child did not have
    parts["child __dict__"] = sys.getsizeof(attributes)
    for name, value in attributes.items():
        size = exclusive_size(value, shared | {id(attributes)})
        if size:
            parts[f"attribute {name} ({type(value).__name__})"] = size
    parts["parent's dict of children (per entry)"] = sys.getsizeof(parent._metrics) / len(parent._metrics)
    if hasattr(pc, "_encoding"):
        parts.update(_ours_extras(pc, parent, child, shared))
    return {"parts": parts, "attributes": len(attributes)}


def arena_stats() -> Dict[str, float]:
    """pymalloc's arenas, its allocated bytes and the free bytes inside pools in use, and RSS (MiB)."""
    import re
    import tempfile

    gc.collect()
    # _debugmallocstats writes to the C stderr: send that to a file for the time of the call.
    with tempfile.TemporaryFile(mode="w+") as capture:
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        text = capture.read()

    def figure(label: str) -> int:
        found = re.search(rf"# {label}\s*=\s*([\d,]+)", text)
        return int(found.group(1).replace(",", "")) if found else -1

    return {
        "arenas": figure("arenas allocated current"),
        "allocated_mib": round(figure("bytes in allocated blocks") / 2**20, 1),
        "free_in_used_pools_mib": round(figure("bytes in available blocks") / 2**20, 1),
        "rss_mib": round(rss_bytes() / 2**20, 1),
    }


def measure_arenas(pc: Any, kind: str) -> Dict[str, Any]:
    """Arena figures built and after each of three scrapes (``kind`` "issue": the issue #11 registry)."""
    if kind == "issue":
        sys.path.insert(0, str(HERE))
        from workloads_memory import build_issue_registry  # type: ignore[import-not-found]

        registry = build_issue_registry(pc)
    else:
        registry, _ = build(pc, kind)
    stages = {"built": arena_stats()}
    for count in ("one scrape", "two scrapes", "three scrapes"):
        pc.generate_latest(registry)
        stages[f"after {count}"] = arena_stats()
    return stages


def worker(mode: str, kind: str) -> None:
    import prometheus_client as pc

    if mode == "arenas":
        print(json.dumps(measure_arenas(pc, kind)))
    elif mode == "rss":
        print(json.dumps(measure_rss(pc, kind)))
    elif mode == "traced":
        print(json.dumps(measure_traced(pc, kind)))
    else:
        print(json.dumps(measure_objects(pc, kind)))


def run_side(python: Path, is_ours: bool, mode: str, kind: str) -> Dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONHASHSEED"] = "0"
    if is_ours:
        env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [str(python), str(Path(__file__).resolve()), "--worker", mode, kind],
        env=env,
        cwd=str(HERE),
        capture_output=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout.decode().splitlines()[-1])  # type: ignore[no-any-return]


def markdown(results: Dict[str, Dict[str, Dict[str, Any]]]) -> str:
    lines: List[str] = []
    for kind in KINDS:
        ours, official = results[kind]["ours"], results[kind]["official"]
        lines += [f"### {kind.capitalize()} child ({CHILDREN:,} children, bytes per child)", ""]
        lines += ["| what | ours | official |", "| --- | --- | --- |"]
        for key in (
            "rss_build",
            "traced_build",
            "rss_first_scrape",
            "traced_first_scrape",
            "traced_scrape_peak",
            "rss_second_scrape",
        ):
            lines.append(f"| **{key.replace('_', ' ')}** | {ours[key]:,.0f} | {official[key]:,.0f} |")
        names: List[str] = list(dict.fromkeys([*ours["parts"], *official["parts"]]))
        for name in names:
            a, b = ours["parts"].get(name), official["parts"].get(name)
            lines.append(f"| {name} | {_cell(a)} | {_cell(b)} |")
        lines.append(f"| attributes in the child's __dict__ | {ours['attributes']} | {official['attributes']} |")
        lines.append("")
    return "\n".join(lines)


def arena_table(results: Dict[str, Dict[str, Dict[str, Dict[str, float]]]]) -> str:
    lines = [
        "| | arenas | allocated blocks | free in used pools | RSS |",
        "| --- | --- | --- | --- | --- |",
    ]
    names = {"histogram": f"{CHILDREN // 1000}k histograms", "issue": "issue #11 registry"}
    for kind, sides in results.items():
        for side, stages in sides.items():
            for stage, f in stages.items():
                lines.append(
                    f"| {names[kind]}, {side}, {stage} | {f['arenas']:.0f} | {f['allocated_mib']} MiB "
                    f"| {f['free_in_used_pools_mib']} MiB | {f['rss_mib']} MiB |"
                )
    return "\n".join(lines)


def _cell(value: Optional[float]) -> str:
    return "" if value is None else f"{value:,.0f}"


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--arenas", action="store_true", help="instead: pymalloc arenas and RSS around scrapes (20k histograms, #11)"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.worker:
        worker(*args.worker)
        return 0
    pythons = {"ours": REPO / ".bench/ours/bin/python", "official": REPO / ".bench/official/bin/python"}
    missing = [str(p) for p in pythons.values() if not p.exists()]
    if missing:
        parser.error(f"missing {missing}: run bench/run.py once to create the venvs")
    if args.arenas:
        print(
            arena_table(
                {
                    kind: {side: run_side(p, side == "ours", "arenas", kind) for side, p in pythons.items()}
                    for kind in ("histogram", "issue")
                }
            )
        )
        return 0
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for kind in KINDS:
        results[kind] = {}
        for side, python in pythons.items():
            figures: Dict[str, Any] = {}
            for mode in ("rss", "traced", "objects"):
                figures.update(run_side(python, side == "ours", mode, kind))
            results[kind][side] = figures
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
