"""Scrape latency through ``start_http_server``: a 10k-series registry fetched over loopback HTTP.

Two ways to run it:

- from the harness: ``bench/run.py`` picks these workloads up once ``workloads.py`` imports this
  module (they register in the same ``WORKLOADS`` table); each reports seconds per scrape.
- standalone: ``python bench/workloads_http.py [--rounds 5] [--official PYTHON]`` runs each side in
  fresh processes (ours from this repo, the official client from the given interpreter's venv,
  default ``/tmp/official/bin/python``), alternating which goes first, and prints the medians and
  the ratio ours/official (below 1: ours is faster).
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workloads import Result, build_registry, workload  # noqa: E402

SERIES = 10_000
SCRAPES = 20
WARMUP = 3


def _start_http_server(pc: ModuleType) -> Any:
    """The side's start_http_server (ours may live only in the private module until re-exported)."""
    start = getattr(pc, "start_http_server", None)
    if start is None:
        start = importlib.import_module("prometheus_client._http").start_http_server
    return start


def scrape_latency(pc: ModuleType, accept_encoding: str) -> Result:
    """Median seconds for one full scrape (new connection, request, read body) of a 10k-series registry."""
    registry = build_registry(pc, SERIES)
    server, thread = _start_http_server(pc)(0, "127.0.0.1", registry)
    port = server.server_port
    headers = {"Accept": "text/plain", "Accept-Encoding": accept_encoding}

    def scrape() -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", "/metrics", headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"scrape answered {response.status}: {body[:200]!r}")
            return len(body)
        finally:
            connection.close()

    try:
        for _ in range(WARMUP):
            size = scrape()
        timings = []
        for _ in range(SCRAPES):
            started = time.perf_counter()
            scrape()
            timings.append(time.perf_counter() - started)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return statistics.median(timings), {"bytes_on_wire": size}


@workload()
def http_scrape_10k(pc: ModuleType) -> Result:
    """One scrape of ~10k series through start_http_server over loopback, no compression."""
    return scrape_latency(pc, "identity")


@workload()
def http_scrape_10k_gzip(pc: ModuleType) -> Result:
    """One scrape of ~10k series through start_http_server over loopback, gzip (as Prometheus asks)."""
    return scrape_latency(pc, "gzip")


# --- standalone runner ----------------------------------------------------------------------------------

WORKER_FLAG = "--worker"


def _worker(name: str) -> None:
    import prometheus_client

    seconds, info = {"http_scrape_10k": http_scrape_10k, "http_scrape_10k_gzip": http_scrape_10k_gzip}[name](
        prometheus_client
    )
    print(json.dumps({"seconds": seconds, "info": info}))


def _run_side(python: str, env: Dict[str, str], name: str) -> Tuple[float, Dict[str, Any]]:
    done = subprocess.run(
        [python, str(Path(__file__).resolve()), WORKER_FLAG, name],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=str(HERE),  # not the repo root, so the official side cannot import our package by accident
    )
    if done.returncode != 0:
        raise RuntimeError(f"{python} {name} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["info"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--official", default="/tmp/official/bin/python", help="python of a venv with the official client"
    )
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    sides = {
        "ours": (sys.executable, {**base_env, "PYTHONPATH": str(HERE.parent)}),
        "official": (args.official, base_env),
    }
    print(f"{'workload':24} {'ours ms':>9} {'official ms':>12} {'ratio':>7}")
    for name in ("http_scrape_10k", "http_scrape_10k_gzip"):
        samples: Dict[str, List[float]] = {"ours": [], "official": []}
        for round_number in range(args.rounds):
            order = ["ours", "official"] if round_number % 2 == 0 else ["official", "ours"]
            for side in order:
                python, env = sides[side]
                samples[side].append(_run_side(python, env, name)[0])
        ours, official = statistics.median(samples["ours"]), statistics.median(samples["official"])
        print(f"{name:24} {ours * 1e3:9.2f} {official * 1e3:12.2f} {ours / official:7.2f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == WORKER_FLAG:
        _worker(sys.argv[2])
    else:
        main()
