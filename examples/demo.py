"""A live demo exporter: a pretend web shop serving requests, exported on http://127.0.0.1:8000/metrics.

Run it with ``make run`` (or ``python examples/demo.py --port 8000``), then open the URL in a browser or
``curl -H 'Accept: application/openmetrics-text' http://127.0.0.1:8000/metrics`` for OpenMetrics.
A background thread simulates traffic so every metric type keeps changing. Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time

from prometheus_client import Counter, Enum, Gauge, Histogram, Info, Summary, start_http_server

APP_INFO = Info("demo_app", "Build information of the demo application.")
REQUESTS = Counter("demo_http_requests", "HTTP requests served.", ["method", "path", "status"])
FAILURES = Counter("demo_checkout_failures", "Checkouts that raised an exception.")
IN_PROGRESS = Gauge("demo_requests_in_progress", "Requests being served right now.", ["path"])
QUEUE_DEPTH = Gauge("demo_job_queue_depth", "Jobs waiting in the background queue.")
LATENCY = Histogram(
    "demo_request_duration_seconds",
    "Time spent serving a request.",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
PAYLOAD = Summary("demo_response_size_bytes", "Size of response bodies.", ["path"])
CACHE_STATE = Enum("demo_cache_state", "State of the product cache.", states=["warming", "ready", "stale"])

PATHS = {"/": 0.01, "/products": 0.03, "/cart": 0.02, "/checkout": 0.08}  # path -> typical latency


class CheckoutError(Exception):
    """A simulated payment failure."""


def serve_one(rng: random.Random) -> None:
    """Simulate one request: count it, time it, record its size, sometimes fail."""
    path = rng.choice(list(PATHS))
    method = "POST" if path in ("/cart", "/checkout") else "GET"
    with IN_PROGRESS.labels(path=path).track_inprogress(), LATENCY.labels(path=path).time():
        time.sleep(min(rng.expovariate(1 / PATHS[path]), 0.2))
        status = "500" if rng.random() < 0.03 else "200"
        if path == "/checkout" and status == "500":
            try:
                with FAILURES.count_exceptions(CheckoutError):
                    raise CheckoutError("card declined")
            except CheckoutError:
                pass
    REQUESTS.labels(method=method, path=path, status=status).inc()
    PAYLOAD.labels(path=path).observe(rng.randint(200, 20_000))


def simulate_traffic(stop: threading.Event, seed: int = 42) -> None:
    """The background loop: a request every few milliseconds, queue and cache changes now and then."""
    rng = random.Random(seed)
    CACHE_STATE.state("warming")
    started = time.monotonic()
    while not stop.is_set():
        serve_one(rng)
        QUEUE_DEPTH.set(max(0, rng.gauss(10, 4)))
        age = time.monotonic() - started
        CACHE_STATE.state("warming" if age < 5 else ("stale" if int(age) % 60 >= 50 else "ready"))
        stop.wait(rng.uniform(0.0, 0.02))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--addr", default=os.environ.get("ADDR", "127.0.0.1"))
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: run until Ctrl-C)")
    args = parser.parse_args()

    APP_INFO.info({"version": "1.0.0", "flavour": "demo"})
    start_http_server(args.port, addr=args.addr)
    stop = threading.Event()
    worker = threading.Thread(target=simulate_traffic, args=(stop,), name="traffic", daemon=True)
    worker.start()
    print(f"Serving metrics on http://{args.addr}:{args.port}/metrics (Ctrl-C to stop)", flush=True)
    try:
        if args.seconds:
            time.sleep(args.seconds)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        worker.join(timeout=2)


if __name__ == "__main__":
    main()
