"""Each real-server fixture starts its server and the server does its job (no library code involved)."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from .realstack import http_get, read_whisper

EXPOSITION = b'# HELP fixture_probe A probe metric.\n# TYPE fixture_probe gauge\nfixture_probe{kind="static"} 42\n'


@pytest.fixture
def static_exporter() -> Iterator[str]:
    """A stdlib HTTP server serving a fixed exposition on /metrics; yields its 'host:port'."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(EXPOSITION)))
            self.end_headers()
            self.wfile.write(EXPOSITION)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_prometheus_server_scrapes_a_target_and_answers_queries(prometheus_server, static_exporter) -> None:
    prometheus = prometheus_server([static_exporter])
    assert http_get(prometheus.url + "/-/ready")[0] == 200
    result = prometheus.wait_for('fixture_probe{kind="static"}', timeout=30)
    assert result[0]["value"][1] == "42"
    (target,) = prometheus.targets()
    assert target["health"] == "up"
    assert target["lastError"] == ""


def test_prometheus_server_reports_a_down_target(prometheus_server) -> None:
    from .realstack import free_port

    prometheus = prometheus_server([f"127.0.0.1:{free_port()}"])
    (target,) = prometheus.wait_for_scrape(timeout=30)
    assert target["health"] == "down"
    assert target["lastError"] != ""


def test_promtool_accepts_good_exposition_and_rejects_bad(promtool) -> None:
    assert promtool.check_metrics(EXPOSITION) == (0, "")
    code, output = promtool.check_metrics('# TYPE x gauge\nx{a="1} 1\n')
    assert code == 1
    assert "parsing error" in output


def test_pushgateway_is_ready_and_shows_pushed_groups(pushgateway) -> None:
    assert http_get(pushgateway.url + "/-/ready")[0] == 200
    import urllib.request

    body = b"# TYPE raid_status gauge\nraid_status 1\n"
    request = urllib.request.Request(pushgateway.url + "/metrics/job/batch", data=body, method="PUT")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    assert 'raid_status{instance="",job="batch"} 1' in pushgateway.metrics_text()


def test_node_exporter_serves_textfile_metrics(node_exporter, tmp_path: Path) -> None:
    (tmp_path / "probe.prom").write_bytes(EXPOSITION)
    exporter = node_exporter(tmp_path)
    text = exporter.metrics_text()
    assert 'fixture_probe{kind="static"} 42' in text
    assert "node_textfile_scrape_error 0" in text


def test_node_exporter_flags_a_bad_textfile(node_exporter, tmp_path: Path) -> None:
    (tmp_path / "bad.prom").write_text('bad{a="1} 1\n')
    exporter = node_exporter(tmp_path)
    assert "node_textfile_scrape_error 1" in exporter.metrics_text()


def test_carbon_stores_a_plaintext_line_in_a_whisper_file(carbon) -> None:
    now = int(time.time())
    carbon.send_lines(f"pfx.fixture.probe 3.5 {now}\n")
    path = carbon.whisper_path("pfx.fixture.probe")
    points = carbon.wait_for_points(path, timeout=15, since=now - 5)
    assert (now, 3.5) in points
    assert read_whisper(path, now - 5) == points


def test_carbon_stores_a_tagged_series_under_its_hash(carbon) -> None:
    now = int(time.time())
    carbon.send_lines(f"fixture_tagged;a=x 7 {now}\n")
    path = carbon.tagged_whisper_path("fixture_tagged;a=x")
    points = carbon.wait_for_points(path, timeout=15, since=now - 5)
    assert points == [(now, 7.0)]
