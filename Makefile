# fazhi — the two commands: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: serve site check build test lint clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(TSTAMP): requirements-test.lock $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	touch $@

export NO_MKDOCS_2_WARNING := 1

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

site: $(STAMP)
	$(BIN)/python build_stats.py site

check: $(STAMP)
	$(BIN)/python build_stats.py check

build: $(STAMP)
	$(BIN)/python build_stats.py build

test: $(TSTAMP)
	$(BIN)/ruff check fazhi tests build_stats.py
	$(BIN)/python -m pytest

lint: $(TSTAMP)
	$(BIN)/ruff check fazhi tests build_stats.py

clean:
	rm -rf site content/generated .pytest_cache

# Regenerate the lock files after changing pyproject.toml (needs network).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements-test.lock
