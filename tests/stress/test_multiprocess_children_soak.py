"""Soak: 50,000 multiprocess children under a 256-file limit (the fast version, with 5,000, is in
tests/unit/test_multiprocess_store.py)."""

from __future__ import annotations

import pytest

from tests.unit.multiprocess_helpers import children_under_a_256_file_limit


@pytest.fixture
def mp_dir(tmp_path) -> str:
    """An empty directory for the child process's files (this process writes none)."""
    directory = tmp_path / "mp"
    directory.mkdir()
    return str(directory)


def test_fifty_thousand_children_under_a_256_file_limit(mp_dir):
    total, extra_fds = children_under_a_256_file_limit(mp_dir, 50000)
    assert total == 50000.0
    # One file per kind, each with its fd and one mapping per doubling of its size: not one per child.
    assert extra_fds < 40
