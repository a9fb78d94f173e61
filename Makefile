# Two commands do all the set-up on a fresh machine:
#   make site    build the bilingual site into ./site   (make serve: live preview)
#   make test    lint and run the whole test suite (installs Debian's chromium if missing)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# axe-core for the accessibility tests, pinned in package-lock.json; node_modules/ is not kept.
AXE    := node_modules/axe-core/axe.min.js

.PHONY: site serve test lint browser axe goldens bench clean

# The site needs the package alone; the tests add their extras (ruff, pytest, playwright…).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

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

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(TEST_STAMP) browser axe lint
	$(BIN)/python -m pytest

goldens: $(TEST_STAMP)
	$(BIN)/python -m tests.goldens

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site build .pytest_cache
