# HingeCoach task runner. `make run` and `make test` work from a fresh clone: each builds
# the virtual environment in .venv first (make install).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck arch unit postgres bench clean help

help:
	@echo "make run      - the guided first session in the terminal (installs first)"
	@echo "make test     - lint, type checks, architecture check and the whole test suite"
	@echo "make postgres - install and start a local PostgreSQL for the store tests"
	@echo "make bench    - benchmarks (bench/)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "HingeCoach needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,vision]"
	$(BIN)/python -m hingecoach.adapters.pose_check
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/hinge db upgrade
	$(BIN)/hinge guide

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

arch: install
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest

test: lint typecheck arch unit

postgres:
	@scripts/postgres.sh

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
