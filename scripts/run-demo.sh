#!/usr/bin/env bash
# `make run`: a venv with the package installed (.venv/demo, made once), then the demo exporter on
# http://127.0.0.1:${PORT:-8000}/metrics. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
python=$(find_python 3.11)
python=${python:-$(command -v python3)}
make_venv .venv/demo "$python" -e . >&2
exec .venv/demo/bin/python examples/demo.py --port "${PORT:-8000}" "$@"
