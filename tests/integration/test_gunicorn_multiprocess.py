"""Real gunicorn workers (sync and gthread), recycled by max_requests and SIGKILLed, counted exactly."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn() -> str:
    found = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if found is None:
        message = "gunicorn is not installed (pip install gunicorn)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> Tuple[int, str]:
    for _ in range(50):  # a recycled worker may close the connection under us: retry on a fresh one
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except (ConnectionError, http.client.HTTPException, OSError):
            time.sleep(0.05)
        finally:
            connection.close()
    raise AssertionError(f"GET {path} kept failing")


def _start(binary: str, directory: Path, worker_class: str) -> Tuple[subprocess.Popen, int]:
    port = _free_port()
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(directory), PYTHONPATH=str(ROOT))
    threads = ["--threads", "4"] if worker_class == "gthread" else []
    process = subprocess.Popen(
        [
            binary, "--bind", f"127.0.0.1:{port}", "--workers", "3", "--worker-class", worker_class, *threads,
            "--max-requests", "40", "--max-requests-jitter", "10",
            "-c", "python:tests.integration.gunicorn_mp_app", "tests.integration.gunicorn_mp_app:app",
        ],
        cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stdout.read().decode() if process.stdout else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise AssertionError("gunicorn did not start listening within 20s")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def gunicorn_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tuple[int, Path]]:
    binary = _gunicorn()
    directory = tmp_path / "mp"
    directory.mkdir()
    process, port = _start(binary, directory, getattr(request, "param", "sync"))
    try:
        yield port, directory
    finally:
        _stop(process)


def _sample(text: str, pattern: str) -> float:
    match = re.search(r"^" + pattern + r" (\S+)$", text, re.MULTILINE)
    assert match, f"no sample {pattern!r} in:\n{text}"
    return float(match.group(1))


def _samples(text: str, metric: str) -> Dict[str, float]:
    """label value -> sample value of ``metric{worker_kind="..."}``."""
    return {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'^' + metric + r'\{worker_kind="([^"]*)"\} (\S+)$', text, re.MULTILINE)
    }


def _load(port: int, clients: int, per_client: int, labels: int, answered: Counter) -> None:
    """``clients`` threads send /work requests over ``labels`` label values; count what was answered."""
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(per_client):
            kind = f"k{(n * per_client + i) % labels}"
            status, body = _get(port, f"/work?k={kind}")
            assert (status, body) == (200, "ok")
            with lock:
                answered[kind] += 1

    pool = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool)


@pytest.mark.parametrize("gunicorn_server", ["sync", "gthread"], indirect=True)
def test_totals_survive_recycled_and_killed_workers(gunicorn_server):
    port, directory = gunicorn_server
    answered: Counter = Counter()
    _load(port, clients=6, per_client=60, labels=50, answered=answered)
    # Between two waves of load, SIGKILL a worker (no request in flight, so every answered request counts).
    _, pid_text = _get(port, "/pid")
    os.kill(int(pid_text), signal.SIGKILL)
    _load(port, clients=6, per_client=60, labels=50, answered=answered)
    status, text = _get(port, "/metrics")
    assert status == 200
    assert _samples(text, "app_requests_total") == {kind: float(n) for kind, n in answered.items()}
    total = sum(answered.values())
    assert total == 2 * 6 * 60
    assert _sample(text, r"app_latency_seconds_count") == total
    assert _sample(text, r'app_latency_seconds_bucket\{le="0.1"\}') == total
    assert _sample(text, r"app_latency_seconds_sum") == pytest.approx(0.05 * total)
    # Hundreds of requests recycled (and one SIGKILL ended) workers; their files were folded, not left behind.
    files = sorted(name for name in os.listdir(directory) if name.endswith(".db"))
    assert "counter_aggregate.db" in files and "histogram_aggregate.db" in files
    assert len(files) <= 2 + 2 * 5, files  # two aggregates + the live (and just-exited) workers
