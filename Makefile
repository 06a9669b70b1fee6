# lindra — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install services lint typecheck bench reliability clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres,dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, build the demo knowledge base, serve the web page and API
run: $(STAMP)
	$(VENV)/bin/lindra demo --no-questions
	$(VENV)/bin/lindra serve --host $(HOST) --port $(PORT)

## make test: install, set up PostgreSQL and Chromium for the integration tests, run everything
test: $(STAMP) services
	$(PY) -m pytest

# A service that cannot be installed makes its tests skip with the reason, not fail.
services:
	-bash scripts/setup-chromium.sh
	-bash scripts/setup-postgres.sh > /dev/null

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

## make reliability: 10,000 hostile inputs, 2,000 hostile requests, 50 kill -9 during ingest
reliability: $(STAMP)
	$(PY) benchmarks/reliability.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache test-output var
