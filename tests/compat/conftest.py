"""Fixtures of the compat suite: the official interpreter and each side's results (one run per session)."""

from __future__ import annotations

import os
from typing import Any, Dict, Tuple

import pytest

from tests.compat import official, runner
from tests.compat.scenarios import all_scenarios, shared_ids


@pytest.fixture(scope="session")
def official_python() -> str:
    try:
        return official.find_or_make()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def compat_results(official_python: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(official results, our results): scenario id -> {"r": tagged result, "w": warnings}."""
    scenarios = all_scenarios()
    request = {"scenarios": sorted(scenarios.items()), "shared": shared_ids(scenarios)}
    theirs, ours = runner.run_both(official_python, request)
    runner.check_loaded(theirs, ours, official_python)
    return theirs["results"], ours["results"]

