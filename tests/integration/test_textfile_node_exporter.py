"""node_exporter's textfile collector reads what write_to_textfile and the periodic writer write."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from prometheus_client._textfile import start_textfile_writer, write_to_textfile
from prometheus_client.metrics import Counter, Gauge
from prometheus_client.registry import CollectorRegistry

from .realstack import NodeExporter

SCRAPE_ERROR_OK = "node_textfile_scrape_error 0"


def test_node_exporter_reads_written_textfile(tmp_path: Path, node_exporter: Callable[..., NodeExporter]) -> None:
    registry = CollectorRegistry()
    Gauge("raid_status", "1 if the RAID array is OK", ["array"], registry=registry).labels("md0").set(1)
    Counter("backup_runs", "Backups run", registry=registry).inc(3)
    write_to_textfile(str(tmp_path / "raid.prom"), registry)
    exporter = node_exporter(tmp_path)
    text = exporter.metrics_text()
    assert SCRAPE_ERROR_OK in text.splitlines()
    assert 'raid_status{array="md0"} 1' in text.splitlines()
    assert "backup_runs_total 3" in text.splitlines()


def test_no_partial_reads_while_the_periodic_writer_rewrites_quickly(
    tmp_path: Path, node_exporter: Callable[..., NodeExporter]
) -> None:
    registry = CollectorRegistry()
    rows = Gauge("batch_rows", "Rows per shard", ["shard"], registry=registry)
    ticks = Counter("batch_ticks", "Rewrites so far", registry=registry)
    shards = 300  # a file of ~12 kB: larger than one write() chunk
    for shard in range(shards):
        rows.labels(str(shard)).set(shard)
    target = tmp_path / "batch.prom"
    writer = start_textfile_writer(target, registry, interval=0.01)
    exporter = node_exporter(tmp_path)
    shard_line = re.compile(r'^batch_rows\{shard="(\d+)"\} (\S+)$', re.MULTILINE)
    try:
        for scrape in range(100):
            ticks.inc()
            text = exporter.metrics_text()
            assert SCRAPE_ERROR_OK in text.splitlines(), f"scrape {scrape} saw a parse error:\n{text[-2000:]}"
            found = {int(s): float(v) for s, v in shard_line.findall(text)}
            assert found == {shard: float(shard) for shard in range(shards)}, f"scrape {scrape} saw a partial file"
    finally:
        writer.stop()
    assert writer.failures == 0
    final = exporter.metrics_text()
    assert "batch_ticks_total 100" in final.splitlines()  # the last write on stop() is what the collector reads
    assert [p.name for p in tmp_path.iterdir()] == ["batch.prom"]
