"""Where the official client 0.26.0 lives for the compat tests: ``.venv/official`` (made on demand).

``scripts/test.sh`` makes the venv with ``make_venv`` (scripts/lib.sh) and passes its interpreter as
``PROM_OFFICIAL_PYTHON``. Without that variable, ``.venv/official`` is reused when it answers with version
0.26.0 and has make_venv's ``.stamp``; otherwise it is made here the same way, from this interpreter's base
Python, unless ``CI=true``: CI must have made it, so a missing official venv fails there instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from tests.compat.runner import REPO

VERSION = "0.26.0"
REQUIREMENT = f"prometheus-client=={VERSION}"
VENV = REPO / ".venv" / "official"
ENV_VAR = "PROM_OFFICIAL_PYTHON"


def version_of(python: str) -> Optional[str]:
    """The prometheus-client version installed for ``python`` (None when it cannot say)."""
    code = "import importlib.metadata as m; print(m.version('prometheus-client'))"
    try:
        done = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, timeout=60,
                              cwd="/")
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def base_python() -> str:
    """The interpreter this venv was made from (``python -m venv`` from it gives a clean venv)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in (Path(sys.base_prefix) / "bin" / f"python{version}", Path(sys.base_prefix) / "bin" / "python3"):
        if candidate.exists():
            return str(candidate)
    return getattr(sys, "_base_executable", None) or sys.executable


def create() -> None:
    """make_venv .venv/official BASE_PYTHON prometheus-client==0.26.0, as scripts/test.sh does."""
    script = 'source scripts/lib.sh && make_venv "$0" "$1" "$2"'
    done = subprocess.run(["bash", "-c", script, str(VENV), base_python(), REQUIREMENT], cwd=str(REPO),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"could not make {VENV}:\n{done.stdout}\n{done.stderr}")


def find_or_make() -> str:
    """The official interpreter's path; raises RuntimeError with the reason when there is none."""
    given = os.environ.get(ENV_VAR)
    if given:
        found = version_of(given)
        if found != VERSION:
            raise RuntimeError(f"{ENV_VAR}={given} has prometheus-client {found}, not {VERSION}")
        return given
    python = VENV / "bin" / "python"
    if python.exists() and (VENV / ".stamp").exists() and version_of(str(python)) == VERSION:
        return str(python)
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but no official client venv: {ENV_VAR} unset and {VENV} missing or invalid "
                           "(scripts/test.sh makes it)")
    create()
    if version_of(str(python)) != VERSION:
        raise RuntimeError(f"{VENV} was made but does not have prometheus-client {VERSION}")
    return str(python)
