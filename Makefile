# Lindung — the two commands of the README, and a few helpers.
# `make demo`: install, migrate, load reference + demo data, start worker and web app.
# `make test`: install and run the whole test suite (SQLite unless DATABASE_URL is set).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LINDUNG := $(BIN)/lindung
DEMO_WORKERS ?= 50000
HOST ?= 127.0.0.1:8000

.PHONY: demo test install lint typecheck clean-demo messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(LINDUNG) migrate --no-input
	$(LINDUNG) demo-setup --workers $(DEMO_WORKERS)
	$(LINDUNG) serve-demo --addr $(HOST)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lindung makemigrations --check --dry-run
	$(BIN)/mypy lindung

typecheck: install
	$(BIN)/mypy lindung

clean-demo:
	rm -f var/lindung.sqlite3 var/lindung.sqlite3-wal var/lindung.sqlite3-shm

# Refresh the English catalogue from the Indonesian source strings, then compile it.
# Translate any new (empty) or fuzzy entries in lindung/locale/en/LC_MESSAGES/django.po,
# run this again, and commit both the .po and the .mo.
MESSAGES_IGNORE := --ignore '$(VENV)/*' --ignore 'var/*' --ignore 'bench/*'

messages: install
	$(LINDUNG) makemessages -l en $(MESSAGES_IGNORE)
	$(LINDUNG) compilemessages $(MESSAGES_IGNORE)
