"""docs/performance.md describes exactly the bench's workloads, and the scaling plot reads what the bench writes.

The bench itself is not run here (benchmarks live in bench/): only its table of workloads is read.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Set

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def workloads() -> Iterator[Dict[str, Any]]:
    # The bench measures with tracemalloc, which PyPy lacks; it runs on CPython (and CI checks these there).
    pytest.importorskip("_tracemalloc", reason="bench/workloads.py needs tracemalloc (CPython)")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        yield importlib.import_module("workloads").WORKLOADS
    finally:
        sys.path.remove(str(REPO / "bench"))


def documented_workloads() -> Set[str]:
    """Names in the first column of the Workloads table of docs/performance.md."""
    text = (REPO / "docs" / "performance.md").read_text()
    table = text.split("## Workloads", 1)[1].split("\n## ", 1)[0]
    names: Set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Za-z0-9_]+)`", line.split("|")[1]))
    return names


def test_every_documented_workload_exists_in_the_bench(workloads: Dict[str, Any]) -> None:
    assert documented_workloads() - set(workloads) == set()


def test_every_bench_workload_is_documented(workloads: Dict[str, Any]) -> None:
    assert set(workloads) - documented_workloads() == set()


def test_the_slowest_scaling_row_runs_fewer_rounds(workloads: Dict[str, Any]) -> None:
    assert workloads["scaling_1m"].rounds == 3
    assert workloads["scaling_10k"].rounds is None


def _load_plot_script() -> Any:
    spec = importlib.util.spec_from_file_location("plot_scaling", REPO / "scripts" / "plot_scaling.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaling_points_are_the_scaling_rows_by_series_count() -> None:
    def row(series: int, seconds: float) -> Dict[str, Any]:
        return {
            "seconds": {"ours": seconds, "official": 6 * seconds},
            "memory_bytes": {"ours": series * 900, "official": series * 480},
            "info": {"ours": {"series": series}, "official": {"series": series}},
        }

    results = {
        "workloads": {
            "scaling_1m": row(1_000_000, 1.0),
            "counter_inc": {"seconds": {"ours": 1e-7, "official": 2e-7}, "memory_bytes": None, "info": {}},
            "scaling_10k": row(10_000, 0.007),
        }
    }
    points = _load_plot_script().scaling_points(results)
    assert [p[0] for p in points] == [10_000, 1_000_000]
    assert points[1][1] == {"ours": 1.0, "official": 6.0}
    assert points[0][2] == {"ours": 9_000_000, "official": 4_800_000}


def test_scaling_points_refuse_results_without_scaling_rows() -> None:
    with pytest.raises(SystemExit, match="scaling_"):
        _load_plot_script().scaling_points({"workloads": {}})


def test_the_scaling_table_is_rewritten_between_its_markers(tmp_path) -> None:
    script = _load_plot_script()
    points = [(10_000, {"ours": 0.007, "official": 0.042}, {"ours": 3 * 2**20, "official": 6 * 2**20})]
    page = tmp_path / "performance.md"
    page.write_text(f"before\n{script.TABLE_START}\nold table\n{script.TABLE_END}\nafter\n")
    script.rewrite_table(page, script.scaling_table(points))
    assert page.read_text() == (
        f"before\n{script.TABLE_START}\n"
        "| series | scrape ours | scrape official | ratio | memory ours | memory official | ratio |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 10,000 | 7 ms | 42 ms | 0.17 | 3 MiB | 6 MiB | 0.50 |\n"
        f"{script.TABLE_END}\nafter\n"
    )
    assert script.TABLE_START in (REPO / "docs" / "performance.md").read_text()
