"""``python -m prometheus_client check``."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from prometheus_client._check import check_text, is_openmetrics, main

GOOD = "# HELP a_total A help.\n# TYPE a_total counter\na_total 1\n"


def test_clean_text_exits_zero():
    assert check_text(GOOD) == (0, [])


@pytest.mark.parametrize(
    "text, problem",
    [
        ("# HELP a x\n# TYPE a counter\na 1\n", 'a counter metrics should have "_total" suffix'),
        ("a 1\n", "a no help text"),
        ("# HELP a_milliseconds x\n# TYPE a_milliseconds gauge\na_milliseconds 1\n",
         'a_milliseconds use base unit "seconds" instead of "milliseconds"'),
        ("# HELP fooBar x\n# TYPE fooBar gauge\nfooBar 1\n",
         "fooBar metric names should be written in 'snake_case' not 'camelCase'"),
        ('# HELP a x\n# TYPE a gauge\na{le="1"} 1\n', 'a non-histogram metrics should not have "le" label'),
        ("# HELP a_total x\n# TYPE a_total gauge\na_total 1\n",
         'a_total non-counter metrics should not have "_total" suffix'),
        ("# HELP a:b x\n# TYPE a:b gauge\na:b 1\n", "a:b metric names should not contain ':'"),
        ("# HELP a_sec x\n# TYPE a_sec gauge\na_sec 1\n", "a_sec metric names should not contain abbreviated units"),
        ("# HELP a_gauge x\n# TYPE a_gauge gauge\na_gauge 1\n", "a_gauge metric name should not include type 'gauge'"),
    ],
)
def test_lint_problems_exit_three_and_are_worded_like_promtool(text, problem):
    code, lines = check_text(text)
    assert code == 3
    assert problem in lines


def test_parse_error_exits_one_and_names_the_line():
    code, lines = check_text('ok 1\na{b="1} 1\n')
    assert code == 1
    assert "line 2" in lines[0]


def test_second_type_line_is_a_parse_error_like_promtool():
    assert check_text("# HELP a x\n# TYPE a gauge\na 1\n# HELP a x\n# TYPE a gauge\na 2\n")[0] == 1


def test_openmetrics_is_detected_by_eof_and_checked_strictly():
    assert is_openmetrics("a 1\n# EOF\n")
    assert not is_openmetrics("a 1\n")
    assert is_openmetrics("a 1\n", "application/openmetrics-text; version=1.0.0")
    assert check_text("# HELP a x\n# TYPE a counter\na_total 1\n# EOF\n") == (0, [])
    assert check_text("# HELP a x\n# TYPE a counter\na_total -1\n# EOF\n")[0] == 1


def test_main_reads_files(tmp_path, capsys):
    path = tmp_path / "m.prom"
    path.write_text("# HELP a x\n# TYPE a counter\na 1\n")
    assert main(["check", str(path)]) == 3
    assert 'a counter metrics should have "_total" suffix' in capsys.readouterr().out


def test_main_reports_a_missing_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 1
    assert "nope" in capsys.readouterr().err


def test_main_rejects_non_http_urls(capsys):
    assert main(["check", "file:///etc/passwd"]) == 1
    assert "http" in capsys.readouterr().err


def test_module_entry_point_reads_stdin():
    done = subprocess.run(
        [sys.executable, "-m", "prometheus_client", "check", "-"],
        input=b"a 1\n",
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert b"a no help text" in done.stdout


def test_main_fetches_urls_and_uses_the_content_type(capsys):
    body = b"# HELP a x\n# TYPE a counter\na_total 1\n# EOF\n"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            self.send_response(200)
            self.send_header("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    # The stdlib server polls for shutdown: its default 0.5 s would be this test's whole time.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        assert main(["check", f"http://127.0.0.1:{server.server_port}/metrics", "--timeout", "5"]) == 0
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_native_histograms_are_checked_and_their_missing_labels_tolerated():
    text = (
        "# HELP nh x\n# TYPE nh histogram\n"
        "nh {count:2,sum:1,schema:0,zero_threshold:0,zero_count:0}\n"
        'nh{a="b"} {count:2,sum:1,schema:0,zero_threshold:0,zero_count:0}\n# EOF\n'
    )
    assert check_text(text) == (0, [])


def test_utf8_names_need_quotes_in_metadata_like_the_parsers():
    assert check_text('# HELP "a.b" x\n# TYPE "a.b" gauge\n{"a.b"} 1\n') == (0, [])
    code, lines = check_text("# HELP a.b x\na 1\n")
    assert code == 1 and "line 1" in lines[0]


def test_parsers_and_check_share_one_lexer():
    import inspect

    from prometheus_client import _check, _lexer, parser
    from prometheus_client.openmetrics import parser as om_parser

    assert parser.parse_labels is _lexer.parse_labels
    assert om_parser.parse_labels is _lexer.parse_labels
    assert _check.parse_text_sample is _lexer.parse_text_sample
    for module in (_check, om_parser):
        source = inspect.getsource(module)
        assert "from .parser import" not in source and "from ..parser import" not in source


def _protobuf_registry():
    from prometheus_client import CollectorRegistry, Counter, Gauge

    registry = CollectorRegistry()
    Counter("jobs", "Jobs.", registry=registry).inc()
    Gauge("no_help", "", registry=registry).set(1)
    return registry


def test_protobuf_files_are_detected_and_linted(tmp_path, capsys):
    from prometheus_client._protobuf import encode_protobuf

    path = tmp_path / "m.bin"
    path.write_bytes(encode_protobuf(_protobuf_registry()))
    assert main(["check", str(path)]) == 3
    assert capsys.readouterr().out == "no_help no help text\n"
    path.write_bytes(encode_protobuf(_protobuf_registry())[:-2])
    assert main(["check", str(path), "--format", "protobuf"]) == 1
    assert "protobuf parsing error" in capsys.readouterr().err


def test_format_protobuf_asks_a_url_for_protobuf(capsys):
    from prometheus_client.exposition import start_http_server

    server, thread = start_http_server(0, "127.0.0.1", _protobuf_registry())
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        assert main(["check", url, "--format", "protobuf", "--timeout", "5"]) == 3
        assert capsys.readouterr().out == "no_help no help text\n"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
