"""Deliberate differences from the official client 0.26.0: scenario id -> why ours differs.

Only differences that are on purpose and better belong here; anything else that differs is a bug. Each
entry: ``reason`` (one sentence, shown in docs/compatibility.md) and ``kind``:

- ``stricter``: ours rejects (with the official exception type) input the official client accepts silently
  and gets wrong;
- ``safer``: ours does something less surprising where the official behaviour is a bug or a hazard;
- ``faster``: a side effect of a faster design, documented;
- ``extension``: ours has something the official client lacks.

tests/compat/test_scenarios.py fails on an entry whose scenario no longer differs (stale), and
tests/compat/test_docs.py checks that docs/compatibility.md lists exactly these entries
(``python -m tests.compat.gen_docs`` rewrites that section).
"""

from __future__ import annotations

from typing import Dict

KINDS = ("stricter", "safer", "faster", "extension")

ALLOWLIST: Dict[str, Dict[str, str]] = {
}
