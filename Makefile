# Parvis — developer commands.  `make` alone lists them.
#
# Everything is installed inside the work tree:
#   .tools/  a small venv holding uv (pip in a venv avoids Debian's
#            "externally-managed-environment" refusal)
#   .venv/   the project's environment, built by `uv sync` from uv.lock
# Nothing is downloaded at run time; front-end files are vendored in
# parvis/static/vendor/ (see scripts/fetch_assets.py).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python >= 3.12.  Found once, and only when a recipe needs it, by
# scripts/find-python.sh; override with `make PYTHON=/path/to/python3.12`.
ifeq ($(origin PYTHON),undefined)
PYTHON = $(eval PYTHON := $(shell sh scripts/find-python.sh))$(PYTHON)
endif

UV_VERSION ?= 0.13.9
UV_PROJECT_ENVIRONMENT ?= .venv
VENV := $(UV_PROJECT_ENVIRONMENT)
UV := .tools/bin/uv
UV_STAMP := .tools/uv-$(UV_VERSION).stamp
SYNC_STAMP := $(VENV)/.parvis-synced
export UV_PROJECT_ENVIRONMENT
# uv must use the interpreter we found, never download one (no network for that).
export UV_PYTHON_DOWNLOADS := never

PORT ?= 8000
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/parvis
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install run test test-postgres lint fmt check-migrations bench assets \
        lock lock-check clean python messages messages-check

help: ## Show this list
	@echo "Parvis — make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'
	@echo "Variables: PORT=$(PORT) PYTEST_ARGS='...' PYTHON=... UV_PROJECT_ENVIRONMENT=$(VENV)"

python: ## Print the Python interpreter that will be used
	@test -n "$(PYTHON)" && echo "$(PYTHON)"

# --- bootstrap -------------------------------------------------------------

$(UV_STAMP):
	@test -n "$(PYTHON)" || exit 1
	@echo "==> uv $(UV_VERSION) into .tools/ (with $(PYTHON))"
	rm -rf .tools
	$(PYTHON) -m venv .tools || { \
	  echo "Could not create a venv: on Debian/Ubuntu, sudo apt install python3-venv" >&2; \
	  exit 1; }
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	touch $@

$(UV): $(UV_STAMP)

$(SYNC_STAMP): uv.lock pyproject.toml $(UV_STAMP)
	@test -n "$(PYTHON)" || exit 1
	@echo "==> uv sync into $(VENV)/ (with $(PYTHON))"
	$(UV) sync --frozen --python "$(PYTHON)"
	touch $@

$(VENV): $(SYNC_STAMP)

install: $(SYNC_STAMP) ## Create/update .venv from uv.lock (incremental)

lock: $(UV_STAMP) ## Re-resolve uv.lock after editing pyproject.toml
	$(UV) lock --python "$(PYTHON)"

lock-check: $(UV_STAMP) ## Fail if uv.lock is out of date with pyproject.toml
	$(UV) lock --locked --python "$(PYTHON)"

# --- run -------------------------------------------------------------------

run: install ## Migrate, load the demo data, serve on 127.0.0.1:PORT (worker included)
	$(VENV)/bin/parvis migrate --noinput
	$(VENV)/bin/parvis load-demo
	PORT=$(PORT) exec $(VENV)/bin/parvis run --port $(PORT)

# --- tests and checks ------------------------------------------------------

define browser_notice
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "note: $(CHROMIUM) not found, browser tests will be skipped" \
	       "(sudo apt install chromium to run them)."; fi
endef

test: install ## Run the test suite on SQLite (PYTEST_ARGS=... passed through)
	$(browser_notice)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install ## Run the test suite on PostgreSQL (127.0.0.1:5432, user postgres)
	$(browser_notice)
	DATABASE_URL=$(POSTGRES_URL) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install ## ruff format --check, ruff check, mypy, no unmarked user-visible text
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy parvis
	$(VENV)/bin/parvis check-translations

fmt: install ## Format and auto-fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: install ## Fail if models changed without a migration
	$(VENV)/bin/parvis makemigrations --check --dry-run

# --- translations (GNU gettext: apt-get install gettext) -------------------------------

messages: install ## Extract the marked strings and compile parvis/locale (makemessages, compilemessages)
	$(VENV)/bin/python scripts/messages.py

messages-check: install ## Fail if parvis/locale (.po and .mo) is not what the code says
	$(VENV)/bin/python scripts/messages.py --check

bench: ## Run the benchmarks (parvis.bench): one JSON object on stdout, progress on stderr
	@$(MAKE) --no-print-directory install >&2
	@$(VENV)/bin/python -m parvis.bench

assets: install ## Re-fetch vendored JS from npm, verifying integrity and sha256
	$(VENV)/bin/python scripts/fetch_assets.py

clean: ## Remove .venv, .tools and caches (keeps data/ and media/)
	rm -rf $(VENV) .tools .ruff_cache .mypy_cache .pytest_cache test-results staticfiles
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
