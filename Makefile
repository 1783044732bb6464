# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv demo test lint typecheck unit bench clean distclean fmt validate moto-suite

venv: $(STAMP)

$(STAMP): pyproject.toml offline/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]' -e ./offline
	touch $(STAMP)

# checkov (static checks of the Terraform) pins many packages: it gets a venv of its own.
CHECKOV_VENV := .venv-checkov

$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install -q 'checkov==3.3.30'
	touch $@

lint: venv
	$(BIN)/ruff check src tests scripts offline benchmarks examples
	$(BIN)/ruff format --check src tests scripts offline benchmarks examples

# Terraform through the offline engine and provider mirror (.offline/, see
# docs/offline-terraform.md); the pre-commit hooks run these. `validate` runs
# `init -backend=false` in each directory (its .terraform/ and lock file are ignored by git).
TF      := $(BIN)/terraform-offline terraform --dir .offline --
TF_DIRS := . $(sort $(wildcard modules/*)) $(patsubst %/main.tf,%,$(sort $(wildcard examples/*/main.tf))) examples/pipelines/terraform

fmt: venv
	$(TF) fmt -recursive

validate: venv
	@for dir in $(TF_DIRS); do \
	  $(TF) -chdir=$$dir init -backend=false -input=false -no-color >/dev/null 2>&1 \
	    || { $(TF) -chdir=$$dir init -backend=false -input=false -no-color; exit 1; }; \
	  printf '%s: ' "$$dir"; $(TF) -chdir=$$dir validate -no-color 2>/dev/null || exit 1; \
	done

typecheck: venv
	$(BIN)/mypy
	$(BIN)/mypy --config-file offline/pyproject.toml

# moto's own test suites, from the sdist of the pinned moto (PyPI), for the peer check
# tests/simulator/test_moto_suite.py; freezegun is what those suites import besides moto.
MOTO_VERSION := 5.2.5
MOTO_SUITE   := .cache/moto-$(MOTO_VERSION)

moto-suite: $(MOTO_SUITE)/.extracted

$(MOTO_SUITE)/.extracted: | venv
	mkdir -p .cache/sdist
	$(BIN)/python -m pip download -q --no-deps --no-binary :all: 'moto==$(MOTO_VERSION)' -d .cache/sdist
	tar -xzf .cache/sdist/moto-$(MOTO_VERSION).tar.gz -C .cache \
		moto-$(MOTO_VERSION)/tests moto-$(MOTO_VERSION)/pyproject.toml
	$(BIN)/python -m pip install -q 'freezegun==1.5.5'
	touch $@

unit: export CHECKOV = $(CURDIR)/$(CHECKOV_VENV)/bin/checkov
unit: export ROOT_ACCESS_MOTO_SUITE = $(CURDIR)/$(MOTO_SUITE)
unit: venv $(CHECKOV_VENV)/.installed $(MOTO_SUITE)/.extracted
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck unit

demo: venv
	$(BIN)/python examples/demo/demo.py

bench: venv
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .offline .pytest_cache .mypy_cache .ruff_cache build dist .cache

# clean, plus what lives outside the clone: the jsii package cache (JSII_CACHE below).
distclean: clean
	rm -rf $(JSII_CACHE)

# --- cdktf / CDK Terrain variant (cdktf/): one venv per stack, the same tests on each ---
# Two venvs because an app brings exactly one stack (cdktn 0.24 or the archived cdktf
# 0.21) and root_access_cdktf must work with either alone. jsii unpacks each AWS provider
# (~500 MB per stack) on first use: the cache lives outside the clone, in
# ~/.cache/root-access/jsii (CI runs in a fresh clone on the same machine, so later runs
# reuse it; cdktf/tests/conftest.py uses the same default when pytest runs directly);
# `make distclean` removes it. Set JSII_CACHE=$(CURDIR)/.cache/jsii (ignored by git) to
# keep it in the repository, where `make clean` removes it. Node 20's end-of-life banner
# is silenced.
CDKTF_STACKS := cdktn cdktf
JSII_CACHE ?= $(HOME)/.cache/root-access/jsii

.PHONY: cdktf-venvs cdktf-lint cdktf-test cdktf-clean

.venv-%/.installed: cdktf/pyproject.toml pyproject.toml offline/pyproject.toml
	$(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install -q --upgrade pip
	.venv-$*/bin/python -m pip install -q -e './cdktf[$*,test]' -e '.[simulator]' -e ./offline
	touch $@

cdktf-venvs: $(CDKTF_STACKS:%=.venv-%/.installed)

cdktf-lint: venv
	cd cdktf && $(abspath $(BIN))/ruff check . && $(abspath $(BIN))/ruff format --check .

cdktf-test: export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = 20
cdktf-test: export JSII_RUNTIME_PACKAGE_CACHE_ROOT = $(JSII_CACHE)
cdktf-test: cdktf-venvs cdktf-lint
	cd cdktf && ../.venv-cdktn/bin/mypy
	for stack in $(CDKTF_STACKS); do (cd cdktf && ../.venv-$$stack/bin/pytest -n 2) || exit 1; done

cdktf-clean:
	rm -rf .venv-cdktn .venv-cdktf cdktf/.pytest_cache cdktf/.mypy_cache cdktf/.ruff_cache

test: cdktf-test
clean: cdktf-clean
