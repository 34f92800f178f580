"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from prometheus_client.values import close_all_multiprocess_files


@pytest.fixture
def mp_dir(tmp_path, monkeypatch) -> Iterator[str]:
    """An empty PROMETHEUS_MULTIPROC_DIR for this test; this process's files are closed afterwards."""
    directory = str(tmp_path / "mp")
    os.mkdir(directory)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", directory)
    yield directory
    close_all_multiprocess_files()
