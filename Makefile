# tthc-analysis: self-documenting task runner. `make help` lists the targets.
# Everything runs inside a local virtual environment (.venv) built from the pinned
# versions in requirements/constraints.txt; nothing has to be installed by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?= 2025
DATA   ?= data/sample
OUT    ?= reports/$(YEAR)
JOBS   ?=
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help env report test test-fast lint format lab dashboard sample browser office bench lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt tthc_analysis/cli/dev.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	# The kernel "Python (tthc-analysis)" and JupyterLab's defaults (widget state saved with the
	# notebook: no "model not found" on reopening; no news fetched), as `tthc lab` does for conda/Windows
	$(BIN)/tthc lab --setup-only >/dev/null
	touch $(STAMP)

env: $(STAMP) ## Create or update the local virtual environment (.venv)

report: $(STAMP) ## Build the HTML review report from the bundled sample data into reports/2025
	$(BIN)/tthc review --year $(YEAR) --data $(DATA) --out $(OUT) $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

browser: ## Install Debian's Chromium for the browser tests (needs root or sudo; skipped if present)
	@./scripts/ensure-chromium.sh

office: ## Install Debian's LibreOffice Writer for the Word-draft rendering test (root or sudo; skipped if present)
	@./scripts/ensure-libreoffice.sh

test: $(STAMP) browser office ## Run the whole test suite (ruff, pyright, unit, property, notebooks, report build, browser)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pyright
	$(BIN)/python -m pytest -n 2 -m "not serial" $(ARGS)
	$(BIN)/python -m pytest -m serial $(ARGS)

test-fast: $(STAMP) ## Run the tests that need no notebook execution or browser
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser" $(ARGS)

lint: $(STAMP) ## ruff check, format check and pyright (basic)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pyright

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

lab: $(STAMP) ## Start JupyterLab with the project's kernel in notebooks/
	$(BIN)/tthc lab

dashboard: $(STAMP) ## Serve the overview with its filters as a web app for leaders (Voilà, localhost, offline; DATA=folder)
	$(BIN)/tthc dashboard $(if $(filter-out data/sample,$(DATA)),--data $(DATA)) $(ARGS)

sample: $(STAMP) ## Regenerate the bundled small sample in data/sample
	$(BIN)/tthc sample --out data/sample --scale small --seed 2025

bench: $(STAMP) ## Run the benchmarks (generates the province-scale sample on first use)
	$(BIN)/python benchmarks/run_all.py

lock: ## Re-resolve requirements/constraints.txt from pyproject.toml (needs network)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements/constraints.txt
	rm -rf .venv-lock

clean: ## Remove the virtual environment, caches and built reports
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis reports/20* data/processed
