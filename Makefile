# Two commands matter: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.PHONY: run serve test lint format bench fuzz load install migrate seed clean browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

# Web, worker and beat under one supervisor: each restarts on its own if it dies.
run: seed
	DJANGO_DEBUG=1 $(BIN)/python -m matchmaker.serve --dev --port $(PORT)

# As in production: gunicorn (2 workers per core + 1), Celery worker and beat, static files
# collected and served by WhiteNoise. Embedded SQLite by default, or DATABASE_URL /
# CELERY_BROKER_URL. Plain HTTP on this machine; behind an HTTPS proxy set
# DJANGO_SECURE_SSL_REDIRECT=1 DJANGO_SECURE_COOKIES=1 (the settings' own defaults).
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} \
	  $(BIN)/python -m matchmaker.serve --port $(PORT)

# The browser tests drive Debian's Chromium (never a downloaded build).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.bench

# Schemathesis against the served OpenAPI schema, as each role (bounded, a few minutes).
fuzz: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.fuzz

# The served stack under wrk (embedded, and PostgreSQL + Redis when they answer); a
# measurement, never a test. Installs Debian's wrk when missing.
load: $(STAMP)
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m matchmaker.devtools.load

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts
