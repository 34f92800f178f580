"""Start the real Prometheus stack (Debian packages) on loopback for integration tests.

Each server runs as a plain foreground process on a free 127.0.0.1 port with its data in a temp dir.
Start-up waits with a bounded poll; teardown stops the process by pid (terminate, wait, kill, wait).
Only the standard library is used, so a fixture never depends on the code under test.

The pytest fixtures built on these helpers live in ``tests/integration/conftest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

T = TypeVar("T")

# Upper bounds for every wait: a server that is not ready by then has failed.
START_TIMEOUT = 30.0
POLL_INTERVAL = 0.1


class MissingBinary(RuntimeError):
    """A server binary is not installed; the fixture turns this into fail (CI) or skip."""


class NotReady(RuntimeError):
    """A server did not become ready, or a condition did not hold, within its bound."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_binary(name: str) -> str:
    """Path of an installed binary, looking on PATH and in /usr/bin and /usr/sbin."""
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/bin", "/usr/sbin", "/usr/local/bin"):
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK):
            return candidate
    raise MissingBinary(f"{name!r} is not installed (apt-get install the package that provides it)")


def http_get(url: str, timeout: float = 5.0, headers: Optional[Dict[str, str]] = None) -> Tuple[int, bytes]:
    """GET a URL; return (status, body) for any HTTP status instead of raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """True when the URL answers 200; False for a refused or failed connection or another status."""
    try:
        return http_get(url, timeout=timeout)[0] == 200
    except (OSError, urllib.error.URLError):
        return False


def port_accepts(port: int, host: str = "127.0.0.1") -> bool:
    """True when a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def wait_until(
    predicate: Callable[[], Optional[T]],
    timeout: float,
    what: str,
    interval: float = POLL_INTERVAL,
    on_timeout: Optional[Callable[[], str]] = None,
) -> T:
    """Poll ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass.

    On timeout raise NotReady naming ``what``, with ``on_timeout()`` (a log tail, say) appended.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = on_timeout() if on_timeout else ""
            raise NotReady(f"timed out after {timeout:.0f}s waiting for {what}" + (f"\n{detail}" if detail else ""))
        time.sleep(interval)


class ManagedProcess:
    """A child process with its output in a log file, stopped by pid at teardown."""

    def __init__(self, name: str, argv: Sequence[str], workdir: Path, env: Optional[Dict[str, str]] = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = workdir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.argv,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(workdir),
            env=env,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the process printed, for error messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last output of {self.name} (pid {self.pid}, {' '.join(self.argv)}) ---\n{tail}"

    def wait_ready(self, check: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
        """Poll ``check`` until true; fail early with the log if the process exits meanwhile."""

        def ready() -> bool:
            if not self.is_running():
                raise NotReady(f"{self.name} exited with code {self.process.returncode}\n{self.log_tail()}")
            return check()

        wait_until(ready, timeout, f"{self.name} to be ready", on_timeout=self.log_tail)

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate, wait, then kill and wait: the process is gone when this returns."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self._log.close()


# --- Prometheus ---------------------------------------------------------------------------------


class PrometheusServer:
    """A running Prometheus scraping ``targets`` every ``scrape_interval``; query it over its HTTP API."""

    def __init__(
        self,
        workdir: Path,
        targets: Sequence[str],
        extra_args: Sequence[str] = (),
        scrape_interval: str = "1s",
        metrics_path: str = "/metrics",
        honor_labels: bool = False,
        job: str = "t",
    ) -> None:
        binary = find_binary("prometheus")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.targets_list = list(targets)
        self.config_path = workdir / "prometheus.yml"
        self.config_path.write_text(
            prometheus_config(self.targets_list, scrape_interval, metrics_path, honor_labels, job)
        )
        storage = workdir / "data"
        storage.mkdir()
        argv = [
            binary,
            f"--config.file={self.config_path}",
            f"--storage.tsdb.path={storage}",
            f"--web.listen-address=127.0.0.1:{self.port}",
            *extra_args,
        ]
        self.process = ManagedProcess("prometheus", argv, workdir)
        try:
            self.process.wait_ready(lambda: http_ok(self.url + "/-/ready"))
        except BaseException:
            self.process.stop()
            raise

    def api(self, path: str, **params: str) -> Any:
        """GET /api/v1/<path> with query params; return the ``data`` member, raising if status != success."""
        query = urllib.parse.urlencode(params)
        status, body = http_get(f"{self.url}/api/v1/{path}" + (f"?{query}" if query else ""), timeout=10.0)
        payload = json.loads(body)
        if status != 200 or payload.get("status") != "success":
            raise RuntimeError(f"Prometheus API {path} {params} answered {status}: {payload}")
        return payload["data"]

    def query(self, promql: str) -> List[Dict[str, Any]]:
        """Instant query; returns the result list (each has ``metric`` labels and ``value`` [ts, "v"])."""
        data = self.api("query", query=promql)
        result = data["result"]
        return result if isinstance(result, list) else [result]

    def wait_for(self, promql: str, timeout: float = 30.0) -> List[Dict[str, Any]]:
        """Poll the query until its result is non-empty (the first scrape takes ~5 s); return it."""
        return wait_until(
            lambda: self.query(promql),
            timeout,
            f"PromQL {promql!r} to return data",
            interval=0.25,
            on_timeout=lambda: f"targets: {self.targets()}\n{self.process.log_tail()}",
        )

    def targets(self) -> List[Dict[str, Any]]:
        """Active scrape targets: each has ``health`` ('up'/'down'/'unknown'), ``lastError``, ``scrapeUrl``."""
        return list(self.api("targets")["activeTargets"])

    def wait_for_scrape(self, timeout: float = 30.0) -> List[Dict[str, Any]]:
        """Wait until every target has been scraped at least once (health is not 'unknown'); return them."""

        def scraped() -> Optional[List[Dict[str, Any]]]:
            targets = self.targets()
            if len(targets) >= len(self.targets_list) and all(t["health"] != "unknown" for t in targets):
                return targets
            return None

        return wait_until(scraped, timeout, "every target to be scraped once", interval=0.25)

    def query_exemplars(self, promql: str, start: float, end: float) -> List[Dict[str, Any]]:
        """Exemplars for the series selected by ``promql`` (needs --enable-feature=exemplar-storage)."""
        return list(self.api("query_exemplars", query=promql, start=str(start), end=str(end)))

    def stop(self) -> None:
        self.process.stop()


def prometheus_config(
    targets: Sequence[str], scrape_interval: str, metrics_path: str, honor_labels: bool, job: str
) -> str:
    """A minimal prometheus.yml (JSON is valid YAML, so no YAML library is needed)."""
    config = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": scrape_interval},
        "scrape_configs": [
            {
                "job_name": job,
                "metrics_path": metrics_path,
                "honor_labels": honor_labels,
                "static_configs": [{"targets": list(targets)}],
            }
        ],
    }
    return json.dumps(config, indent=2) + "\n"


class Promtool:
    """The promtool binary: lint exposition text like Prometheus' own tooling does."""

    def __init__(self) -> None:
        self.path = find_binary("promtool")

    def check_metrics(self, text: "str | bytes", timeout: float = 30.0) -> Tuple[int, str]:
        """Run ``promtool check metrics`` on the text; return (exit code, combined output)."""
        data = text.encode() if isinstance(text, str) else text
        done = subprocess.run(
            [self.path, "check", "metrics"],
            input=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        return done.returncode, done.stdout.decode(errors="replace")

    def check_config(self, path: "str | os.PathLike[str]", timeout: float = 30.0) -> Tuple[int, str]:
        """Run ``promtool check config`` on a file; return (exit code, combined output)."""
        done = subprocess.run(
            [self.path, "check", "config", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        return done.returncode, done.stdout.decode(errors="replace")


# --- Pushgateway and node_exporter ---------------------------------------------------------------


class Pushgateway:
    """A running Pushgateway; push to ``url`` and read what it holds with ``metrics_text()``."""

    def __init__(self, workdir: Path, extra_args: Sequence[str] = ()) -> None:
        binary = find_binary("prometheus-pushgateway")
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"
        argv = [binary, f"--web.listen-address={self.address}", *extra_args]
        self.process = ManagedProcess("pushgateway", argv, workdir)
        try:
            self.process.wait_ready(lambda: http_ok(self.url + "/-/ready"))
        except BaseException:
            self.process.stop()
            raise

    def metrics_text(self) -> str:
        """The gateway's own /metrics: pushed groups appear there with job/instance labels."""
        status, body = http_get(self.url + "/metrics")
        if status != 200:
            raise RuntimeError(f"pushgateway /metrics answered {status}: {body[:200]!r}")
        return body.decode()

    def stop(self) -> None:
        self.process.stop()


class NodeExporter:
    """node_exporter with only the textfile collector, reading ``*.prom`` files from ``textfile_dir``."""

    def __init__(self, workdir: Path, textfile_dir: "str | os.PathLike[str]", extra_args: Sequence[str] = ()) -> None:
        binary = find_binary("prometheus-node-exporter")
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"
        self.textfile_dir = Path(textfile_dir)
        argv = [
            binary,
            f"--web.listen-address={self.address}",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={self.textfile_dir}",
            *extra_args,
        ]
        self.process = ManagedProcess("node_exporter", argv, workdir)
        try:
            self.process.wait_ready(lambda: http_ok(self.url + "/metrics"))
        except BaseException:
            self.process.stop()
            raise

    def metrics_text(self) -> str:
        """node_exporter's /metrics (textfile metrics plus node_textfile_scrape_error)."""
        status, body = http_get(self.url + "/metrics")
        if status != 200:
            raise RuntimeError(f"node_exporter /metrics answered {status}: {body[:200]!r}")
        return body.decode()

    def stop(self) -> None:
        self.process.stop()


# --- carbon (Graphite) ---------------------------------------------------------------------------


class Carbon:
    """A running carbon-cache storing every series at 1s resolution in whisper files under ``data_dir``."""

    def __init__(self, workdir: Path, enable_tags: bool = True) -> None:
        binary = find_binary("carbon-cache")
        self.line_port = free_port()
        self.pickle_port = free_port()
        self.query_port = free_port()
        root = workdir / "carbon"
        self.data_dir = root / "storage" / "whisper"
        for folder in ("conf", "storage", "storage/whisper", "storage/lists", "log", "run"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        conf = root / "conf"
        (conf / "storage-schemas.conf").write_text("[default]\npattern = .*\nretentions = 1s:1h\n")
        self.config_path = conf / "carbon.conf"
        self.config_path.write_text(
            "[cache]\n"
            f"STORAGE_DIR = {root / 'storage'}/\n"
            f"LOCAL_DATA_DIR = {self.data_dir}/\n"
            f"WHITELISTS_DIR = {root / 'storage' / 'lists'}/\n"
            f"CONF_DIR = {conf}/\n"
            f"LOG_DIR = {root / 'log'}/\n"
            f"PID_DIR = {root / 'run'}/\n"
            "USER =\n"
            "LINE_RECEIVER_INTERFACE = 127.0.0.1\n"
            f"LINE_RECEIVER_PORT = {self.line_port}\n"
            "PICKLE_RECEIVER_INTERFACE = 127.0.0.1\n"
            f"PICKLE_RECEIVER_PORT = {self.pickle_port}\n"
            "CACHE_QUERY_INTERFACE = 127.0.0.1\n"
            f"CACHE_QUERY_PORT = {self.query_port}\n"
            "ENABLE_UDP_LISTENER = False\n"
            "MAX_CREATES_PER_MINUTE = inf\n"
            "MAX_UPDATES_PER_SECOND = inf\n"
            "CACHE_WRITE_STRATEGY = sorted\n"
            f"ENABLE_TAGS = {enable_tags}\n"
            "LOG_LISTENER_CONN_SUCCESS = False\n"
        )
        argv = [binary, f"--config={self.config_path}", "--nodaemon", "start"]
        self.process = ManagedProcess("carbon-cache", argv, workdir)
        try:
            self.process.wait_ready(lambda: port_accepts(self.line_port))
        except BaseException:
            self.process.stop()
            raise

    def send_lines(self, text: str) -> None:
        """Send plaintext protocol lines (``path value timestamp\\n``) to the line receiver."""
        with socket.create_connection(("127.0.0.1", self.line_port), timeout=5.0) as sock:
            sock.sendall(text.encode())

    def whisper_path(self, series: str) -> Path:
        """Where carbon stores a plain dotted series (``a.b.c`` -> data_dir/a/b/c.wsp)."""
        return self.data_dir.joinpath(*series.split(".")).with_suffix(".wsp")

    def tagged_whisper_path(self, series: str) -> Path:
        """Where carbon stores a tagged series ``name;k=v``: _tagged/AAA/BBB/<sha256 of the series>.wsp."""
        import hashlib

        digest = hashlib.sha256(series.encode()).hexdigest()
        return self.data_dir / "_tagged" / digest[:3] / digest[3:6] / f"{digest}.wsp"

    def wait_for_file(self, path: Path, timeout: float = 15.0) -> Path:
        """Wait until carbon has created a whisper file (it flushes within a second or two)."""
        return wait_until(
            lambda: path if path.exists() else None,
            timeout,
            f"whisper file {path}",
            interval=0.2,
            on_timeout=self.log_tail,
        )

    def read_whisper(self, path: Path, since: Optional[float] = None) -> List[Tuple[int, float]]:
        """Points stored in a whisper file since ``since`` (default: last hour): [(timestamp, value)]."""
        return read_whisper(path, since)

    def wait_for_points(
        self, path: Path, timeout: float = 15.0, since: Optional[float] = None
    ) -> List[Tuple[int, float]]:
        """Wait until the whisper file exists and holds at least one point; return the points."""
        self.wait_for_file(path, timeout)
        return wait_until(
            lambda: self.read_whisper(path, since),
            timeout,
            f"points in {path}",
            interval=0.2,
            on_timeout=self.log_tail,
        )

    def log_tail(self) -> str:
        parts = [self.process.log_tail()]
        for log in sorted(self.config_path.parent.parent.joinpath("log").rglob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-20:]
            parts.append(f"--- {log.name} ---\n" + "\n".join(lines))
        return "\n".join(parts)

    def stop(self) -> None:
        self.process.stop()


def read_whisper(path: Path, since: Optional[float] = None) -> List[Tuple[int, float]]:
    """Read a whisper file with the ``whisper`` module if importable, else Debian's whisper-fetch."""
    start = int(since if since is not None else time.time() - 3600)
    try:
        import whisper  # type: ignore[import-not-found]
    except ImportError:
        whisper = None
    if whisper is not None:
        fetched = whisper.fetch(str(path), start)
        if fetched is None:
            return []
        (from_time, _until, step), values = fetched
        return [(from_time + i * step, float(v)) for i, v in enumerate(values) if v is not None]
    binary = find_binary("whisper-fetch")
    done = subprocess.run(
        [binary, f"--from={start}", str(path)],
        capture_output=True,
        timeout=30,
        check=True,
    )
    points: List[Tuple[int, float]] = []
    for line in done.stdout.decode().splitlines():
        stamp, _, value = line.partition("\t")
        if value and value != "None":
            points.append((int(stamp), float(value)))
    return points


def start_text_only_server(registry: Any) -> Tuple[Any, Any]:
    """A stdlib metrics server on 127.0.0.1 that answers text 0.0.4 whatever is asked: (server, thread).

    The Accept header is dropped before the shared handler reads it, so a scraper that prefers
    OpenMetrics or protobuf gets the plain text format: the reference scrape to compare with.
    """
    import threading

    from prometheus_client._http_server import MetricsHandler, _MetricsHTTPServer

    class TextOnlyHandler(MetricsHandler):
        def _serve(self) -> None:
            del self.headers["Accept"]
            super()._serve()

        do_GET = _serve  # noqa: N815

    server = _MetricsHTTPServer(("127.0.0.1", 0), TextOnlyHandler.factory(registry))
    server._init_bounds(8, 10.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
