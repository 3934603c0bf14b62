# ncc-scorecard: `make demo` builds the bundled example into out/, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_AT := 2017-12-31

.PHONY: demo test lint fix clean system-deps bench fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

system-deps:
	@scripts/system-deps.sh

demo: system-deps $(VENV)/.installed
	$(BIN)/ncc-scorecard build --as-at $(AS_AT) --format html,pdf,json,csv

test: $(VENV)/.installed-test
	@scripts/system-deps.sh --test
	@if [ -f package.json ] && [ ! -d node_modules ] && command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; fi
	$(BIN)/python -m pytest -q

# the long fuzzing run: FUZZ_SECONDS of generated projects (PDFs and the site for every 10th), one summary line
FUZZ_SECONDS ?= 600
fuzz: $(VENV)/.installed-test
	@NCC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest -q -s -p no:cacheprovider --no-header -o addopts="" \
		tests/test_fuzz.py::test_fuzz_long

lint: $(VENV)/.installed-test
	$(BIN)/ruff check ncc_scorecard tests scripts/*.py
	$(BIN)/ruff format --check ncc_scorecard tests scripts/*.py
	$(BIN)/mypy ncc_scorecard

fix: $(VENV)/.installed-test
	$(BIN)/ruff check --fix ncc_scorecard tests
	$(BIN)/ruff format ncc_scorecard tests

bench: system-deps $(VENV)/.installed
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) out
