# Two commands do all the set-up on a fresh machine:
#   make site    build the bilingual site into ./site   (make serve: live preview)
#   make test    lint and run the whole test suite (installs Debian's chromium if missing)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core for the accessibility tests, pinned in package-lock.json; node_modules/ is not kept.
AXE    := node_modules/axe-core/axe.min.js

.PHONY: site serve test lint browser axe goldens bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/factsheet build -o site

serve: $(STAMP)
	$(BIN)/factsheet serve

browser:
	@sh .ci/install-browser

axe: $(AXE)

$(AXE): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(AXE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) browser axe lint
	$(BIN)/python -m pytest

goldens: $(STAMP)
	$(BIN)/python -m tests.goldens

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site build .pytest_cache
