"""Every scenario gives the same result on our package and on the official client, unless allowlisted."""

from __future__ import annotations

import pytest

from tests.compat.allowlist import ALLOWLIST, KINDS, entry_for, matches
from tests.compat.runner import compare, explain
from tests.compat.scenarios import all_scenarios

SCENARIOS = all_scenarios()


def test_corpus_is_large_enough():
    assert len(SCENARIOS) >= 300, len(SCENARIOS)


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_scenario(scenario_id, compat_results):
    theirs, ours = compat_results
    why = compare(theirs[scenario_id], ours[scenario_id])
    entry = entry_for(scenario_id)
    if entry is not None:
        if why is None and scenario_id not in ALLOWLIST:
            return  # a variant covered by a wildcard entry that matches here: test_wildcard_entries_not_stale
        if why is None:
            pytest.fail(f"stale allowlist entry {scenario_id!r}: ours now behaves like the official client; "
                        "remove it from tests/compat/allowlist.py and run `python -m tests.compat.gen_docs`",
                        pytrace=False)
        return
    if why is not None:
        pytest.fail(explain(scenario_id, SCENARIOS[scenario_id], theirs[scenario_id], ours[scenario_id], why),
                    pytrace=False)


BROKEN = ("builtins.SyntaxError", "builtins.NameError", "builtins.UnboundLocalError")


def _broken(tree) -> bool:
    """A SyntaxError/NameError anywhere in an official result: the scenario's code is wrong, not a client."""
    if isinstance(tree, list) and tree:
        if tree[0] == "exc":
            return tree[1] in BROKEN
        return any(_broken(child) for child in tree[1:])
    return False


def test_official_side_ran_cleanly(compat_results):
    """No scenario crashed the official worker or failed there on its own code (it would check nothing)."""
    theirs, _ = compat_results
    crashed = sorted(i for i, result in theirs.items() if result["r"][0] == "crash")
    assert crashed == []
    broken = sorted(i for i, result in theirs.items() if _broken(result["r"]))
    assert broken == [], f"scenarios whose code is broken (SyntaxError/NameError on the official side): {broken}"


@pytest.mark.parametrize("scenario_id", sorted(ALLOWLIST))
def test_allowlist_entry_is_well_formed(scenario_id):
    entry = ALLOWLIST[scenario_id]
    assert matches(scenario_id, SCENARIOS), f"allowlist entry {scenario_id!r} names no scenario"
    assert entry.get("kind") in KINDS, entry
    assert entry.get("reason", "").strip(), entry


@pytest.mark.parametrize("key", sorted(k for k in ALLOWLIST if "*" in k))
def test_wildcard_entries_not_stale(key, compat_results):
    """A wildcard entry must still cover at least one scenario that differs."""
    theirs, ours = compat_results
    covered = matches(key, SCENARIOS)
    assert any(compare(theirs[i], ours[i]) is not None for i in covered), (
        f"stale allowlist entry {key!r}: none of its {len(covered)} scenarios differs any more")
