"""Long soak and stress tests, run once by the full suite (``pytest tests`` on CPython 3.11, see scripts/test.sh).

Each has a fast version in tests/unit that checks the same mechanism on every interpreter; the version here
adds the volume that only a measurement needs (memory growth over tens of thousands of threads, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Mark every test under tests/stress so ``-m 'not stress'`` deselects them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.stress)
            item.add_marker(pytest.mark.slow)
