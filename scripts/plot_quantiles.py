"""Draw docs/summary-quantiles.png: a Summary's estimated quantiles against the exact ones over a stream.

A log-normal latency stream whose median doubles halfway through, observed through the real
instrument with a fake clock (100 observations a second for 20 minutes, max_age=300 s). Every 10 s
from the first minute on, the script reads the p50/p90/p99 estimates and computes the exact
quantiles of the same window. The lower panel shows each estimate's rank error against its objective.

Needs matplotlib (a development-only dependency: ``pip install -e '.[plot]'``)::

    python scripts/plot_quantiles.py [output.png]
"""

from __future__ import annotations

import random
import sys
from bisect import bisect_left, bisect_right
from collections import deque
from pathlib import Path
from typing import Deque, Dict, List, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

from prometheus_client import CollectorRegistry, Summary  # noqa: E402

OBJECTIVES = {0.5: 0.05, 0.9: 0.01, 0.99: 0.001}
MAX_AGE = 300.0
AGE_BUCKETS = 5
RATE = 100  # observations a second
SECONDS = 1200


def main(output: Path) -> None:
    now = [0.0]
    Summary._quantile_clock = staticmethod(lambda: now[0])  # type: ignore[assignment]
    registry = CollectorRegistry()
    summary = Summary("latency_seconds", "Latency.", registry=registry, objectives=OBJECTIVES,
                      max_age=MAX_AGE, age_buckets=AGE_BUCKETS)
    rnd = random.Random(5)
    kept: Deque[Tuple[float, float]] = deque()  # (time, value) of what the window holds
    times: List[float] = []
    estimated: Dict[float, List[float]] = {q: [] for q in OBJECTIVES}
    exact: Dict[float, List[float]] = {q: [] for q in OBJECTIVES}
    errors: Dict[float, List[float]] = {q: [] for q in OBJECTIVES}
    width = MAX_AGE / AGE_BUCKETS
    for step in range(SECONDS * RATE):
        now[0] = step / RATE
        median = 0.05 if now[0] < SECONDS / 2 else 0.1
        value = rnd.lognormvariate(0, 0.6) * median
        summary.observe(value)
        kept.append((now[0], value))
        if step % (10 * RATE) == 0 and now[0] >= 60:
            # The window holds the slices from (current slice - AGE_BUCKETS + 1) on.
            oldest = (now[0] // width - AGE_BUCKETS + 1) * width
            while kept and kept[0][0] < oldest:
                kept.popleft()
            window = sorted(v for _, v in kept)
            n = len(window)
            times.append(now[0] / 60)
            for quantile, error in OBJECTIVES.items():
                estimate = registry.get_sample_value("latency_seconds", {"quantile": str(quantile)})
                assert estimate is not None
                estimated[quantile].append(estimate)
                exact[quantile].append(window[min(n - 1, int(quantile * n))])
                first, last = bisect_left(window, estimate) + 1, bisect_right(window, estimate)
                target = quantile * n
                distance = 0.0 if first <= target <= last else min(abs(target - first), abs(target - last))
                errors[quantile].append(distance / n / error)

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True, height_ratios=(3, 2))
    colours = {0.5: "tab:blue", 0.9: "tab:orange", 0.99: "tab:red"}
    for quantile in OBJECTIVES:
        top.plot(times, exact[quantile], color=colours[quantile], linewidth=3, alpha=0.3,
                 label=f"exact p{quantile * 100:g}")
        top.plot(times, estimated[quantile], color=colours[quantile], linewidth=1,
                 label=f"estimated p{quantile * 100:g} (±{OBJECTIVES[quantile]:g})")
        bottom.plot(times, errors[quantile], color=colours[quantile], linewidth=1, label=f"p{quantile * 100:g}")
    top.set_ylabel("latency (s)")
    top.set_title(f"Summary quantiles over a {MAX_AGE:g} s window ({AGE_BUCKETS} age buckets); "
                  "median doubles at 10 min")
    top.legend(loc="upper left", fontsize=8, ncol=2)
    bottom.axhline(1.0, color="black", linestyle="--", linewidth=1)
    bottom.set_ylabel("rank error / objective")
    bottom.set_xlabel("minutes")
    bottom.set_ylim(0, 1.2)
    bottom.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(output, dpi=90)
    print(f"wrote {output}; worst rank error / objective: {max(max(e) for e in errors.values()):.2f}")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "docs" / "summary-quantiles.png"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
