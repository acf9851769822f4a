# fazhi — the two commands: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: serve site check build test data-build adoption lint clean lock

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

# The tool's tests run on their own sample (tests/data/); then the project's data/ is checked
# and built into a temporary folder, so a data error still fails `make test` (with the checker's
# Chinese report) while valid records of any agency keep it green.
test: $(TSTAMP)
	$(BIN)/ruff check fazhi tests build_stats.py
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory data-build

data-build: $(STAMP)
	@echo "检查并试构建 data/（构建到临时文件夹）……"
	$(BIN)/python build_stats.py check
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && $(BIN)/python build_stats.py site --site-dir "$$tmp/site"

# Copy the project, replace its data/ with a synthetic record set and run the copy's whole suite,
# check and site build (tests/test_adoption.py; CI runs it after `make test`).
adoption: $(TSTAMP)
	$(BIN)/python -m pytest -m adoption tests/test_adoption.py

lint: $(TSTAMP)
	$(BIN)/ruff check fazhi tests build_stats.py

clean:
	rm -rf site content/generated .pytest_cache

# Regenerate the lock files after changing pyproject.toml (needs network).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements-test.lock
