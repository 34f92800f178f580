#!/usr/bin/env bash
# The development venv: .venv/py3.11 with the package editable, the test extras (the same venv
# scripts/test.sh runs the full suite in) and the dev extras (matplotlib, for scripts/plot_scaling.py).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
python=$(find_python 3.11)
python=${python:-$(command -v python3)}
make_venv .venv/py3.11 "$python" -e ".[test,dev]"
