# Two commands matter: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.PHONY: run test lint format bench fuzz install migrate seed clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

run: seed
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_DEBUG=1 $(BIN)/honcho start -f Procfile -p $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m matchmaker.bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts
