# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv demo test lint typecheck unit bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml offline/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]' -e ./offline
	touch $(STAMP)

lint: venv
	$(BIN)/ruff check src tests scripts offline benchmarks
	$(BIN)/ruff format --check src tests scripts offline benchmarks

typecheck: venv
	$(BIN)/mypy

unit: venv
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck unit

demo: venv
	$(BIN)/python examples/demo/demo.py

bench: venv
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) .offline .pytest_cache .mypy_cache .ruff_cache
