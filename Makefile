# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   – set up, migrate an SQLite database in instance/, load demo data, serve on :5000
#   make test   – set up with development dependencies and run the whole test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test install install-dev translations lint bench clean screenshots

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

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d app/translations

demo: install translations
	$(BIN)/levbib db upgrade
	$(BIN)/levbib demo-data
	$(BIN)/levbib run --host 127.0.0.1 --port 5000

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Screenshots of the invitation and council request pages at 360 and 1280 px (docs/screenshots/).
screenshots: install-dev translations
	LEVBIB_SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser/test_keyboard_and_phone.py -k screenshots

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

bench: install-dev
	$(BIN)/python bench/bench_latency.py
	$(BIN)/python bench/bench_stream.py
	$(BIN)/python bench/bench_insight.py

clean:
	rm -rf $(VENV) instance .pytest_cache
