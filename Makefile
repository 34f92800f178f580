# Everyday commands. `make test` is THE test command (the same as CI's .ci/run).
PORT ?= 8000
VENV := .venv/py3.11
PY := $(VENV)/bin/python

.PHONY: run test lint typecheck docs diagram bench dev clean

run:  ## demo exporter on http://127.0.0.1:$(PORT)/metrics
	PORT=$(PORT) bash scripts/run-demo.sh

test:  ## everything CI runs: all Pythons, integration servers, coverage, lint, types, docs
	bash scripts/test.sh

dev: $(PY)  ## the development venv (.venv/py3.11 with the test extras)

$(PY): pyproject.toml
	bash scripts/dev-venv.sh

lint: $(PY)
	$(VENV)/bin/ruff check prometheus_client tests bench

typecheck: $(PY)
	$(VENV)/bin/mypy prometheus_client

docs: $(PY)
	$(VENV)/bin/mkdocs build --strict

diagram: $(PY)  ## docs/architecture.svg and the rooms table of docs/architecture.md, from the imports
	$(PY) scripts/architecture_diagram.py

bench: $(PY)
	$(PY) bench/run.py

clean:
	rm -rf .venv .bench site .coverage .pytest_cache .mypy_cache .ruff_cache
