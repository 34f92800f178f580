"""Draw memory held and scrape time against the series count, ours and the official client, log-log.

    python scripts/plot_scaling.py                       # bench/results.json -> docs/scaling.png + table
    python scripts/plot_scaling.py --input X.json --output Y.png --page ''

Reads the ``scaling_*`` rows (10k, 100k, 1M series) that ``bench/run.py`` writes to ``bench/results.json``
beside ``bench/results.md``, so the picture is redrawn from the same run as the table. Needs matplotlib
(the ``dev`` extra: ``pip install -e '.[dev]'``); the library itself never imports it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parent.parent
SIDES = ("ours", "official")
COLOURS = {"ours": "tab:blue", "official": "tab:orange"}


def scaling_points(results: Dict[str, Any]) -> List[Tuple[int, Dict[str, float], Dict[str, float]]]:
    """(series, seconds per side, memory bytes per side) of each scaling row, smallest first."""
    points = []
    for name, row in results["workloads"].items():
        if not name.startswith("scaling_"):
            continue
        series = int(row["info"]["ours"]["series"])
        points.append((series, row["seconds"], row["memory_bytes"]))
    if len(points) < 2:
        raise SystemExit("fewer than two scaling_* rows in the results: run bench/run.py -w scaling_10k ... first")
    return sorted(points)


def plot(points: List[Tuple[int, Dict[str, float], Dict[str, float]]], output: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: a file only
    import matplotlib.pyplot as plt

    series = [p[0] for p in points]
    figure, (memory_axes, time_axes) = plt.subplots(1, 2, figsize=(10, 4.2))
    for side in SIDES:
        memory = [p[2][side] / 2**20 for p in points]
        seconds = [p[1][side] * 1000 for p in points]
        style = {"color": COLOURS[side], "marker": "o", "label": side if side == "ours" else "official 0.26.0"}
        memory_axes.loglog(series, memory, **style)
        time_axes.loglog(series, seconds, **style)
    memory_axes.set_title("RSS held after one scrape")
    memory_axes.set_ylabel("MiB")
    time_axes.set_title("generate_latest()")
    time_axes.set_ylabel("ms per scrape")
    for axes in (memory_axes, time_axes):
        axes.set_xlabel("series (exposition lines)")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(output, dpi=100)
    plt.close(figure)


TABLE_START = "<!-- scaling table: written by scripts/plot_scaling.py -->"
TABLE_END = "<!-- end of scaling table -->"


def _seconds_text(seconds: float) -> str:
    return f"{seconds:.3g} s" if seconds >= 1 else f"{seconds * 1000:.3g} ms"


def scaling_table(points: List[Tuple[int, Dict[str, float], Dict[str, float]]]) -> str:
    """The markdown table of the scaling rows (scrape time and memory held, each side and the ratio)."""
    lines = [
        "| series | scrape ours | scrape official | ratio | memory ours | memory official | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for series, seconds, memory in points:
        lines.append(
            f"| {series:,} | {_seconds_text(seconds['ours'])} | {_seconds_text(seconds['official'])} | "
            f"{seconds['ours'] / seconds['official']:.2f} | {memory['ours'] / 2**20:.3g} MiB | "
            f"{memory['official'] / 2**20:.3g} MiB | {memory['ours'] / memory['official']:.2f} |"
        )
    return "\n".join(lines)


def rewrite_table(page: Path, table: str) -> None:
    """Replace the table between the markers of ``page`` (docs/performance.md) with ``table``."""
    text = page.read_text()
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    page.write_text(text[:start] + "\n" + table + "\n" + text[end:])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(REPO / "bench" / "results.json"))
    parser.add_argument("--output", default=str(REPO / "docs" / "scaling.png"))
    parser.add_argument("--page", default=str(REPO / "docs" / "performance.md"), help="page whose table to rewrite")
    args = parser.parse_args(argv)
    results = json.loads(Path(args.input).read_text())
    points = scaling_points(results)
    title = f"Growth with the series count (Python {results['python']}, medians of fresh processes)"
    plot(points, Path(args.output), title)
    if args.page:
        rewrite_table(Path(args.page), scaling_table(points))
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
