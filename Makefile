# The two commands the README promises: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-dev serve import-fixtures check lint format clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'

import-fixtures:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py import_protocols fixtures/protocols
	$(PY) manage.py import_attachments fixtures/attachments

## Install, create the SQLite database, import the fixtures and serve the site on http://127.0.0.1:8000
run: install import-fixtures
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST)

## Install everything and run the whole test suite (in parallel)
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check:
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=minutes.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
