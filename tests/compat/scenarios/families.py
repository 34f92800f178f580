"""Metric families and the encoders: the scenarios of the families/encoder work, run by this suite.

``_families_core.py`` and ``_families_encode.py`` are snapshots of that work's own scenario lists (``(name,
code)`` pairs whose code sets ``out``, written for a namespace with ``core`` = ``metrics_core``, ``om`` =
the OpenMetrics exposition module, ``gl`` / ``ogl`` = the two ``generate_latest``, ``R`` = a fresh registry
and ``reg(*families)`` = a collector of the given families). A prelude gives them that namespace here.
"""

from __future__ import annotations

import re
from typing import Dict

from tests.compat.scenarios import _families_core, _families_encode

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


for prefix, module in (("core", _families_core), ("encode", _families_encode)):
    for name, code in module.SCENARIOS:
        scenario_id = f"{prefix}.{_safe(name)}"
        if scenario_id in SCENARIOS:
            continue
        SCENARIOS[scenario_id] = PRELUDE + code + "\nresult = out\n"
