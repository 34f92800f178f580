"""docs/compatibility.md lists exactly the allowlist's entries, with their reasons."""

from __future__ import annotations

import re

from tests.compat.allowlist import ALLOWLIST
from tests.compat.gen_docs import BEGIN, DOC, END, render, table


def test_doc_section_is_generated_from_the_allowlist():
    current = DOC.read_text(encoding="utf-8")
    assert current == render(current), "docs/compatibility.md is out of date: run python -m tests.compat.gen_docs"


def test_doc_table_lists_exactly_the_allowlist():
    section = DOC.read_text(encoding="utf-8").split(BEGIN, 1)[1].split(END, 1)[0]
    listed = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    assert sorted(listed) == sorted(ALLOWLIST)
    for scenario_id, entry in ALLOWLIST.items():
        assert " ".join(entry["reason"].split()) in section.replace("\\|", "|"), scenario_id


def test_table_has_a_row_per_entry():
    assert len(table().splitlines()) == 2 + len(ALLOWLIST)
