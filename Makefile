# Meent: `make demo` to try it, `make test` to prove it. Everything installs itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint format bench messages check-messages clean

# The browser's bundles, built by `npm run build` (one esbuild run makes both) from our front-end
# modules and their npm packages, for staticfiles: the rich-text editor and the chat room.
FRONTEND_SOURCES := $(wildcard meent/frontend/*.js chat/frontend/*.js)
BUNDLES := build/static/meent/editor.js build/static/chat/chat.js

install: $(VENV)/.installed node_modules/.installed $(BUNDLES)

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Any source changed: both again (a few seconds; make runs the recipe once for both when they are
# made one after the other, as install does).
$(BUNDLES): node_modules/.installed $(FRONTEND_SOURCES)
	npm run build --silent

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --host $(HOST) --port $(PORT)
	@echo "Meent runs at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/python -m config.serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m tests.perf.bench

# Extract the translatable strings (no source locations, so diffs show real changes) and compile.
messages: install
	$(MANAGE) makemessages --locale nl --locale en --no-location --no-obsolete \
		--ignore 'node_modules/*' --ignore '.venv/*' --ignore 'tests/*' --ignore 'static_collected/*' --ignore 'build/*'
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules build db.sqlite3
