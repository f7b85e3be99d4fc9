# The two commands a newcomer needs:
#   make demo   create .venv if needed, install, clean samples/ and print the JSONL
#   make test   create .venv if needed, install with dev tools, run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test check lint format bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The test environment includes the Ray and integration extras, so the Ray adapter is tested
# on a real local cluster and cleaner.hf and the datatrove step in real pipelines; a user who needs neither
# installs plain `pip install .`.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,ray-data,hf,datatrove]'
	touch $@

# samples/bad/ holds inputs that fail on purpose, so exit code 1 (some inputs failed,
# all recorded) is expected here; anything else is a real failure.
demo: $(VENV)/.installed
	$(BIN)/cleaner clean samples/ ; status=$$?; [ $$status -le 1 ]

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff format --check cleaner tests scripts
	$(BIN)/ruff check cleaner tests scripts
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format cleaner tests scripts
	$(BIN)/ruff check --fix cleaner tests scripts

check: lint test

bench: $(VENV)/.installed
	$(BIN)/python scripts/benchmark.py --shared $(SHARED)

clean-venv:
	rm -rf $(VENV)
