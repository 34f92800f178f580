"""Benchmark this library against the official prometheus_client 0.26.0, under the same Python.

    python bench/run.py                       # every workload, 5 rounds (make bench)
    python bench/run.py -w counter_inc -r 3   # some workloads, fewer rounds
    python bench/run.py --list

The official client lives in a venv, .bench/official (made once, pip install prometheus-client==0.26.0);
ours runs from this repo (PYTHONPATH) in an empty venv .bench/ours made from the same interpreter. Each
measurement is a fresh subprocess, alternating ours/official (and which goes first) round by round. The
table of medians and ratios (ours/official: below 1 means ours is faster or smaller) is printed and
written to bench/results.md, and the same medians as data to bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH_DIR = REPO / ".bench"
OFFICIAL_REQUIREMENT = "prometheus-client==0.26.0"
SIDES = ("ours", "official")
WORKER_TIMEOUT = 300  # seconds for one workload in one process


def venv_python(path: Path) -> Path:
    return path / "bin" / "python"


def ensure_venv(path: Path, base_python: str, requirements: List[str]) -> Path:
    """Create (or reuse, if made from the same interpreter and requirements) a venv; return its python."""
    stamp = json.dumps({"python": base_python, "requirements": requirements})
    stamp_file = path / ".stamp"
    python = venv_python(path)
    if python.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return python
    print(f"creating {path.relative_to(REPO)} from {base_python} ...", file=sys.stderr, flush=True)
    subprocess.run([base_python, "-m", "venv", "--clear", str(path)], check=True)
    if requirements:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements], check=True
        )
    stamp_file.write_text(stamp)
    return python


def base_interpreter() -> str:
    """The interpreter both sides run on: pyenv's 3.11 when present, else the one running this script."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob("3.11.*/bin/python"), key=lambda p: [int(x) for x in p.parts[-3].split(".")])
    if candidates:
        return str(candidates[-1])
    base = getattr(sys, "_base_executable", sys.executable)
    return base


def side_command(side: str, pythons: Dict[str, Path], ours_from: str) -> tuple:
    """(argv prefix, environment) that imports the given side's prometheus_client."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONHASHSEED"] = "0"
    if side == "ours" and ours_from == "repo":
        env["PYTHONPATH"] = str(REPO)
        return [str(pythons["ours"])], env
    return [str(pythons["official"])], env


def run_worker(side: str, name: str, pythons: Dict[str, Path], ours_from: str) -> Dict[str, Any]:
    argv, env = side_command(side, pythons, ours_from)
    done = subprocess.run(
        [*argv, str(Path(__file__).resolve()), "--worker", name],
        env=env,
        cwd=str(HERE),
        capture_output=True,
        timeout=WORKER_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name} on {side} failed (exit {done.returncode}):\n{done.stderr.decode()[-3000:]}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def worker(name: str) -> None:
    """In the subprocess: import whichever prometheus_client the environment gives, run one workload."""
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    import prometheus_client

    seconds, info = WORKLOADS[name].function(prometheus_client)
    print(json.dumps({"seconds": seconds, "info": info, "module": prometheus_client.__file__}))


def format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_bytes(size: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size:.0f} B"


def summarize_info(infos: List[Dict[str, Any]]) -> str:
    """The last round's extra facts, except peak memory (which has its own column)."""
    shown = {k: v for k, v in infos[-1].items() if k != "peak_bytes"}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def main(argv: Optional[List[str]] = None) -> int:
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    parser = argparse.ArgumentParser(description="Benchmark ours vs the official prometheus_client.")
    parser.add_argument("-w", "--workload", action="append", help="workload name (repeatable); default: all")
    parser.add_argument("-r", "--rounds", type=int, default=5, help="fresh processes per side per workload")
    parser.add_argument("--python", default=None, help="base interpreter for both sides (default: pyenv 3.11)")
    parser.add_argument(
        "--ours-from",
        choices=("repo", "official"),
        default="repo",
        help="'official' runs the official client on both sides (to check the harness itself)",
    )
    parser.add_argument("--output", default=str(HERE / "results.md"), help="markdown table to write ('' for none)")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(args.worker)
        return 0
    if args.list:
        for item in WORKLOADS.values():
            print(f"{item.name:24} {item.description}")
        return 0
    names = args.workload or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; --list shows them")

    base = args.python or base_interpreter()
    pythons = {
        "official": ensure_venv(BENCH_DIR / "official", base, [OFFICIAL_REQUIREMENT]),
        "ours": ensure_venv(BENCH_DIR / "ours", base, []),
    }
    started = time.monotonic()
    results: Dict[str, Dict[str, List[Dict[str, Any]]]] = {n: {s: [] for s in SIDES} for n in names}
    for round_number in range(args.rounds):
        order = SIDES if round_number % 2 == 0 else tuple(reversed(SIDES))
        for name in names:
            if WORKLOADS[name].rounds is not None and round_number >= WORKLOADS[name].rounds:
                continue  # a slow workload with fewer rounds of its own
            for side in order:
                result = run_worker(side, name, pythons, args.ours_from)
                results[name][side].append(result)
        print(f"round {round_number + 1}/{args.rounds} done ({time.monotonic() - started:.0f}s)", file=sys.stderr)

    modules = {s: results[names[0]][s][-1]["module"] for s in SIDES}
    version = (
        subprocess.run(
            [str(pythons["ours"]), "-c", "import platform; print(platform.python_version())"],
            stdout=subprocess.PIPE,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    header = [
        "# Benchmark: ours vs official prometheus_client 0.26.0",
        "",
        f"Python {version} ({platform.machine()}, {os.cpu_count()} cores), {args.rounds} rounds of fresh "
        f"processes per side, median shown. Ratio = ours / official (below 1: ours is faster or smaller).",
        f"Generated by `python bench/run.py` on {time.strftime('%Y-%m-%d %H:%M')} in "
        f"{time.monotonic() - started:.0f}s.",
        f"ours: `{modules['ours']}`; official: `{modules['official']}`.",
        "",
        "| workload | unit | ours | official | ratio | mem ours | mem official | mem ratio | ours info |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    capped = [f"{n} {WORKLOADS[n].rounds}" for n in names if (WORKLOADS[n].rounds or args.rounds) < args.rounds]
    if capped:
        header[2] += f" Fewer rounds for: {', '.join(capped)}."
    rows = []
    figures: Dict[str, Dict[str, Any]] = {}
    for name in names:
        medians = {s: statistics.median(r["seconds"] for r in results[name][s]) for s in SIDES}
        ratio = medians["ours"] / medians["official"] if medians["official"] else float("nan")
        peaks = {s: [r["info"].get("peak_bytes") for r in results[name][s]] for s in SIDES}
        peak = None
        if all(p is not None for s in SIDES for p in peaks[s]):
            peak = {s: statistics.median(peaks[s]) for s in SIDES}
            memory_ratio = f"{peak['ours'] / peak['official']:.2f}"
            memory = [format_bytes(peak["ours"]), format_bytes(peak["official"]), memory_ratio]
        else:
            memory = ["", "", ""]
        unit = "per op" if WORKLOADS[name].unit == "op" else "total"
        info = summarize_info([r["info"] for r in results[name]["ours"]])
        figures[name] = {
            "unit": WORKLOADS[name].unit,
            "rounds": len(results[name]["ours"]),
            "seconds": medians,
            "memory_bytes": peak,
            "info": {s: results[name][s][-1]["info"] for s in SIDES},
        }
        rows.append(
            f"| {name} | {unit} | {format_seconds(medians['ours'])} | {format_seconds(medians['official'])} "
            f"| {ratio:.2f} | " + " | ".join(memory) + f" | {info} |"
        )
    table = "\n".join(header + rows) + "\n"
    print(table)
    if args.output:
        Path(args.output).write_text(table)
        # The same medians as data, beside the table (scripts/plot_scaling.py reads them).
        data = Path(args.output).with_suffix(".json")
        data.write_text(json.dumps({"python": version, "rounds": args.rounds, "workloads": figures}, indent=1) + "\n")
        print(f"written to {args.output} and {data.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
