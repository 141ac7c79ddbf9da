# Aid: `make run` to try it, `make test` to check it. Everything installs itself into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium
AID_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
AID_TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run install install-dev browser axe test test-scale bench bench-quick lint typecheck translations screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/aid db upgrade
	PORT=$(PORT) $(BIN)/aid run

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium at $(CHROMIUM) (Debian: apt-get install chromium)"; exit 1; fi; \
	fi

# axe-core (accessibility rules) for the browser tests, into node_modules/ beside the code.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need npm (Debian: apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
axe: $(AXE)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m tests.import_circles

# mypy alone (also part of lint); what it checks is [tool.mypy] in pyproject.toml.
typecheck: install-dev
	$(BIN)/mypy

test: install-dev browser axe lint
	AID_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-scale: install-dev browser axe
	@AID_TEST_DATABASE_URL=$(AID_TEST_DATABASE_URL) AID_TEST_REDIS_URL=$(AID_TEST_REDIS_URL) \
	  $(BIN)/python -m tests.services_check
	AID_TEST_DATABASE_URL=$(AID_TEST_DATABASE_URL) AID_TEST_REDIS_URL=$(AID_TEST_REDIS_URL) \
	  AID_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -m "not walk" $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench

# A first look: the pages bench with fewer rounds and rows (`python -m bench --quick pages`).
bench-quick: install-dev
	$(BIN)/python -m bench --quick

screenshots: install-dev browser
	AID_CHROMIUM=$(CHROMIUM) $(BIN)/python docs/screenshots.py

# After changing interface text: pull new strings into the catalogues, then translate them.
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header -o aid/translations/messages.pot .
	$(BIN)/pybabel update -i aid/translations/messages.pot -d aid/translations --width 100 --ignore-obsolete
	rm aid/translations/messages.pot

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .ruff_cache
