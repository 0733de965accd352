# HingeCoach task runner. `make run` and `make test` work from a fresh clone: each builds
# the virtual environment in .venv first (make install).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run guide test lint typecheck arch unit postgres chromium bench clean help

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
CHROMIUM := /usr/bin/chromium
# wrk loads the API in the benchmarks (bench/api.py).
WRK := /usr/bin/wrk
# npm installs the browser's pose model that live coaching serves (@mediapipe/pose; each file's
# SHA-256 is checked again by adapters/pose_web.py) and the JavaScript the browser tests
# inject (axe-core), pinned with their integrity hashes in package-lock.json.
NPM := /usr/bin/npm
NODE_DEPS := node_modules/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help:
	@echo "make run      - the web app on http://127.0.0.1:8000 (installs first)"
	@echo "make guide    - the guided first session in the terminal"
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

# Our own modules' bytecode, written ahead as a regular (non-editable) install would: where
# PYTHONDONTWRITEBYTECODE is set, every `hinge` command would otherwise compile them from source
# again (about 70 ms of a 0.5 s start, bench/cli.py). Up to date, it only looks at the files.
install: $(STAMP)
	@$(BIN)/python -m compileall -q src

run: install $(NODE_DEPS)
	$(BIN)/hinge serve --host 127.0.0.1 --port 8000

guide: install
	$(BIN)/hinge db upgrade
	$(BIN)/hinge guide

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

chromium: $(CHROMIUM)

$(NPM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null

$(NODE_DEPS): package.json package-lock.json $(STAMP) | $(NPM)
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	$(BIN)/python -m hingecoach.adapters.pose_web
	@touch $(NODE_DEPS)

$(WRK):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

arch: install
	$(BIN)/lint-imports

unit: install $(CHROMIUM) $(NODE_DEPS)
	$(BIN)/pytest

test: lint typecheck arch unit

postgres:
	@scripts/postgres.sh

bench: install $(WRK)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis node_modules
