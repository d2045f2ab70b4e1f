# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   – set up, migrate an SQLite database in instance/, load demo data, serve on :5000
#                 with the scheduler beside it (both stop on Ctrl-C)
#   make test   – set up with development dependencies and run the whole test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed

.PHONY: demo test install install-dev node translations lint bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

# axe-core (accessibility tests) and ical.js (an independent calendar parser) from the npm
# registry; without node the tests that need them skip with a message (fail under CI=true).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; \
		touch $@; \
	else echo "npm not found: the accessibility and ical.js tests will be skipped"; fi
node: $(NODE_STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d app/translations

# scripts/demo.sh migrates, loads the demo data and runs the scheduler (reminders, deadlines, the
# outbox: web requests only queue mail) beside the web app; Ctrl-C stops both. The browser test
# tests/browser/test_demo_scheduler.py starts the demo through the same script.
demo: install translations
	BIN=$(BIN) HOST=127.0.0.1 PORT=5000 sh scripts/demo.sh

test: install-dev translations node
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Screenshots at 360 and 1280 px (docs/screenshots/): the member's invitation, the council's
# request page (with a proposal, and after a swap and approval), the homes of the council, the
# member and the orderer, and the administrator's user editing. docs/screenshots/before/ holds
# the same pages as they looked before issue 23's visual language.
screenshots: install-dev translations
	LEVBIB_SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser/test_screenshots.py tests/browser/test_admin_editing.py \
		tests/browser/test_request_page.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

bench: install-dev
	$(BIN)/python bench/bench_latency.py
	$(BIN)/python bench/bench_stream.py
	$(BIN)/python bench/bench_insight.py

clean:
	rm -rf $(VENV) instance .pytest_cache
