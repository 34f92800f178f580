"""The optional backends' imports in an interpreter where aiohttp and Django are not installed.

One fresh interpreter answers for both backends (the tests of each read their own line): starting one
costs about 0.3 s on PyPy, and the package and ``exposition`` import neither, so hiding both at once
tells each test what hiding its own would.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from typing import Dict

# aiohttp and django are made unimportable (a None entry in sys.modules), then the package is imported.
_PROGRAM = """
import json, sys
for name in ("aiohttp", "django"):
    sys.modules[name] = None  # as if it were not installed
import prometheus_client, prometheus_client.exposition
errors = {}
for backend in ("prometheus_client.aiohttp", "prometheus_client.django"):
    try:
        __import__(backend)
        errors[backend] = "imported"
    except ModuleNotFoundError as error:
        errors[backend] = f"{type(error).__name__} {error.name}"
print(json.dumps(errors))
"""


@functools.cache
def import_errors_without_aiohttp_and_django() -> Dict[str, str]:
    """Backend module -> "ModuleNotFoundError <missing name>" (or "imported"), from one fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr  # the package and exposition import without either
    return json.loads(done.stdout)
