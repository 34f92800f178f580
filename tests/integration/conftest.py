"""Fixtures that run the real Prometheus stack (Debian packages) on loopback.

- ``prometheus_server(targets, extra_args=(), **options)``: a factory; returns a started PrometheusServer
  with ``.url``, ``.query(promql)``, ``.wait_for(promql, timeout)``, ``.targets()``, ``.wait_for_scrape()``.
- ``promtool``: ``.path`` and ``.check_metrics(text) -> (returncode, output)``.
- ``pushgateway``: a started Pushgateway with ``.url`` and ``.metrics_text()``.
- ``node_exporter(textfile_dir)``: a factory; ``.url`` and ``.metrics_text()``.
- ``carbon``: a started carbon-cache with ``.line_port``, ``.data_dir``, ``.whisper_path(series)``,
  ``.wait_for_points(path)``.

Every server gets a free port and a temp dir, and is stopped by pid at teardown. A missing binary fails
the test when CI=true (CI must install everything) and skips it elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator, List, Sequence

import pytest

from .realstack import Carbon, MissingBinary, NodeExporter, PrometheusServer, Promtool, Pushgateway


def _missing(error: MissingBinary) -> None:
    """Fail on CI (a missing install step must not pass silently), skip on a developer's machine."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{error} (CI=true: integration servers must be installed)", pytrace=False)
    pytest.skip(str(error))


def _start(factory: Callable[[], Any]) -> Any:
    try:
        return factory()
    except MissingBinary as error:
        _missing(error)


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Mark every test under tests/integration so ``-m 'not integration'`` deselects them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def prometheus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., PrometheusServer]]:
    """Factory: ``prometheus_server(['127.0.0.1:PORT'], extra_args=['--enable-feature=exemplar-storage'])``.

    Keyword options: scrape_interval ('1s'), metrics_path ('/metrics'), honor_labels (False), job ('t').
    """
    started: List[PrometheusServer] = []

    def start(targets: Sequence[str], extra_args: Sequence[str] = (), **options: Any) -> PrometheusServer:
        workdir = tmp_path_factory.mktemp("prometheus")
        server = _start(lambda: PrometheusServer(workdir, targets, extra_args, **options))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def promtool() -> Promtool:
    return _start(Promtool)


@pytest.fixture
def pushgateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushgateway]:
    workdir = tmp_path_factory.mktemp("pushgateway")
    gateway = _start(lambda: Pushgateway(workdir))
    yield gateway
    gateway.stop()


@pytest.fixture
def node_exporter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., NodeExporter]]:
    """Factory: ``node_exporter(textfile_dir, extra_args=())`` starts node_exporter reading that dir."""
    started: List[NodeExporter] = []

    def start(textfile_dir: "str | os.PathLike[str]", extra_args: Sequence[str] = ()) -> NodeExporter:
        workdir = tmp_path_factory.mktemp("node_exporter")
        exporter = _start(lambda: NodeExporter(workdir, textfile_dir, extra_args))
        started.append(exporter)
        return exporter

    yield start
    for exporter in started:
        exporter.stop()


@pytest.fixture
def carbon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Carbon]:
    """carbon-cache with tags enabled, 1s:1h retention for every series."""
    workdir = tmp_path_factory.mktemp("carbon")
    server = _start(lambda: Carbon(workdir))
    yield server
    server.stop()
