"""The scenario corpus: id -> Python code, gathered from the modules of this package.

Each module has ``SCENARIOS``, a dict filled with ``add(SCENARIOS, id, code)``. Code runs in the worker's
namespace (see ``tests/compat/_worker.py``): ``prometheus_client``'s ``__all__`` and ``core``'s names, the
modules (``pc``, ``core``, ``metrics``, ``registry``, ``exposition``, ``om_exposition``, ``parser``,
``om_parser``, ``samples``, ``utils``, ``validation``, ``values``, ``metrics_core``) and helpers:
``text(reg)`` / ``om(reg)`` (the two ``generate_latest``), ``parse_text(s)`` / ``parse_om(s)`` (lists of
families), ``catch(fn, *args)`` (the value, or the exception as a value). The result is the last
expression, or ``result``. A scenario makes its own ``CollectorRegistry()``; each runs in its own forked
child (so one that uses the global ``REGISTRY`` or changes a setting leaks nothing), except those of
SHARED_MODULES, which build only their own objects and run many to a child.
"""

from __future__ import annotations

import importlib
import textwrap
from typing import Dict

# Modules whose scenarios touch no global state (only their own families, registries and parsers): the
# worker may run several of them in one forked child.
SHARED_MODULES = ("families", "parsers")
MODULES = ("instruments", "labels", "errors", "exposition", "parsers", "registry", "samples", "misc", "families")


def add(table: Dict[str, str], scenario_id: str, code: str) -> None:
    if scenario_id in table:
        raise ValueError(f"duplicate scenario id {scenario_id!r}")
    table[scenario_id] = textwrap.dedent(code).strip() + "\n"


def all_scenarios() -> Dict[str, str]:
    found: Dict[str, str] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for scenario_id, code in module.SCENARIOS.items():
            full = f"{name}.{scenario_id}"
            if full in found:
                raise ValueError(f"duplicate scenario id {full!r}")
            found[full] = code
    return found


def shared_ids(scenarios: Dict[str, str]) -> list:
    """The ids of ``scenarios`` from SHARED_MODULES."""
    return sorted(i for i in scenarios if i.split(".", 1)[0] in SHARED_MODULES)
