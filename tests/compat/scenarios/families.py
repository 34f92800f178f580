"""Metric families, encoders, naming, registration clashes: the scenarios of the families/encoder work.

``_families_*.py`` are snapshots of that work's own scenario lists (``(name,
code)`` pairs whose code sets ``out``, written for a namespace with ``core`` = ``metrics_core``, ``om`` =
the OpenMetrics exposition module, ``gl`` / ``ogl`` = the two ``generate_latest``, ``R`` = a fresh registry
and ``reg(*families)`` = a collector of the given families). A prelude gives them that namespace here.
"""

from __future__ import annotations

import re
from typing import Dict

from tests.compat.scenarios import (
    _families_accept,
    _families_core,
    _families_encode,
    _families_instruments,
    _families_naming,
    _families_registry,
    _families_samples,
)

SCENARIOS: Dict[str, str] = {}

PRELUDE = """\
core = metrics_core
om = om_exposition
gl = exposition.generate_latest
ogl = om_exposition.generate_latest
R = CollectorRegistry()
globals().update({k: getattr(metrics_core, k) for k in dir(metrics_core) if not k.startswith('_')})
class reg:
    def __init__(self, *families):
        self.families = families
    def collect(self):
        return list(self.families)
"""


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.|+=-]", lambda m: f"~{ord(m.group(0)):x}", name)


MODULES = (
    ("core", _families_core), ("encode", _families_encode), ("accept", _families_accept),
    ("instruments", _families_instruments), ("naming", _families_naming), ("registry", _families_registry),
    ("samples", _families_samples),
)
# Left out: the official result itself varies from run to run (a restricted registry walks the matching
# collectors in set order, by id), so there is nothing fixed to compare with.
UNSTABLE_ON_OFFICIAL = re.compile(r"^registry\.restricted(-nameless-.*)?$")

for prefix, module in MODULES:
    for name, code in module.SCENARIOS:
        scenario_id = f"{prefix}.{_safe(name)}"
        if scenario_id in SCENARIOS or UNSTABLE_ON_OFFICIAL.match(scenario_id):
            continue
        SCENARIOS[scenario_id] = PRELUDE + code + "\nresult = out\n"
