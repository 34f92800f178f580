"""Real gunicorn sync workers, recycled every few requests, counted exactly by MultiProcessCollector."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, Tuple

import pytest

REQUESTS = 200
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


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[Tuple[int, Path]]:
    binary = _gunicorn()
    directory = tmp_path / "mp"
    directory.mkdir()
    port = _free_port()
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(directory), PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [
            binary, "--bind", f"127.0.0.1:{port}", "--workers", "3", "--worker-class", "sync",
            "--max-requests", "7", "--max-requests-jitter", "0",
            "-c", "python:tests.integration.gunicorn_mp_app", "tests.integration.gunicorn_mp_app:app",
        ],
        cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {process.stdout.read().decode() if process.stdout else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start listening within 20s")
        yield port, directory
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def _sample(text: str, pattern: str) -> float:
    match = re.search(r"^" + pattern + r" (\S+)$", text, re.MULTILINE)
    assert match, f"no sample {pattern!r} in:\n{text}"
    return float(match.group(1))


def test_totals_survive_recycled_workers(gunicorn_server):
    port, directory = gunicorn_server
    for _ in range(REQUESTS):
        status, body = _get(port, "/work")
        assert (status, body) == (200, "ok")
    status, text = _get(port, "/metrics")  # also a request: it may recycle its worker, not change totals
    assert status == 200
    assert _sample(text, r'app_requests_total\{worker_kind="sync"\}') == REQUESTS
    assert _sample(text, r"app_latency_seconds_count") == REQUESTS
    assert _sample(text, r'app_latency_seconds_bucket\{le="0.1"\}') == REQUESTS
    assert _sample(text, r"app_latency_seconds_sum") == pytest.approx(0.05 * REQUESTS)
    # 200 requests recycled dozens of workers; their files were folded, not left behind.
    files = sorted(name for name in os.listdir(directory) if name.endswith(".db"))
    assert "counter_aggregate.db" in files and "histogram_aggregate.db" in files
    assert len(files) <= 2 + 2 * 4, files  # two aggregates + at most the live (and just-exited) workers
