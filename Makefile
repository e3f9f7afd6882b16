# Two commands matter: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Named by pyproject.toml's content, not its date: a new checkout or worktree of the same
# file (a newer date) does not install again, an edited one does.
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)
PORT ?= 8000
export PORT

.PHONY: run serve test lint format bench evaluate calibrate fuzz load mutate install migrate seed clean browser-deps messages

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed*
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP) messages
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

# Debian packages the suite needs, installed when missing: Chromium for the browser tests
# (never a downloaded build), Noto CJK so screenshots show Chinese, gettext for msgfmt.
SYSTEM_PACKAGES := chromium fonts-noto-cjk gettext
browser-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The Chinese catalogue (.po, committed) compiled for Django (.mo, built here).
messages: browser-deps $(STAMP)
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

test: $(STAMP) browser-deps messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.bench

# Learning from decisions, judged by a simulated institution with a hidden preference.
evaluate: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.evaluate

calibrate: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.evaluate --calibrate

# Schemathesis against the served OpenAPI schema, as each role (bounded, a few minutes).
fuzz: $(STAMP)
	$(BIN)/python -m matchmaker.devtools.fuzz

# The served stack under wrk (embedded, and PostgreSQL + Redis when they answer); a
# measurement, never a test. Installs Debian's wrk when missing. By default the uncached
# path on the benchmark's world, every request a different institution, filter and page;
# LOAD_WORLD=small for one institution's cached list. LOAD_BACKENDS=embedded (or
# postgres_redis) runs one backend; LOAD_DATABASE_URL, LOAD_BROKER_URL, LOAD_CACHE_URL move
# the PostgreSQL + Redis run to another database (dropped and created) and Redis databases.
load: $(STAMP)
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m matchmaker.devtools.load

# Mutation testing (mutmut) on the rules that matter; a measurement of the tests, not part
# of `make test`. `make mutate MUTANTS=programme` runs one group (matchmaker/devtools/mutate.py).
mutate: $(STAMP) messages
	$(BIN)/python -m matchmaker.devtools.mutate $(MUTANTS)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts mutants
