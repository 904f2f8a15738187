# Zelfscan: two commands on a fresh machine.
#   make run   set up everything and serve on http://127.0.0.1:8000 (SQLite, demo data)
#   make test  set up everything and run the whole test suite
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup messages makemessages lint format bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Zelfscan needs Python 3.11 or newer as '$(PYTHON)' (set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

messages: $(STAMP)
	$(PY) scripts/compile_messages.py

setup: $(STAMP) messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_municipalities
	$(PY) manage.py load_instrument
	ZELFSCAN_DEMO_MODE=1 $(PY) manage.py load_demo_data

run: setup
	@echo "Zelfscan runs on http://$(HOST):$(PORT)/ (demo mode, e-mail printed to this console)"
	ZELFSCAN_DEMO_MODE=1 $(PY) manage.py send_outbox --loop --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	ZELFSCAN_DEMO_MODE=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite; and again on PostgreSQL when ZELFSCAN_TEST_DATABASE_URL is set
# (.ci/run starts a PostgreSQL on loopback and sets it).
test: $(STAMP) messages
	DATABASE_URL= $(PY) -m pytest
	@if [ -n "$$ZELFSCAN_TEST_DATABASE_URL" ]; then \
	  echo "--- again on PostgreSQL ---"; \
	  DATABASE_URL="$$ZELFSCAN_TEST_DATABASE_URL" $(PY) -m pytest; \
	fi

# Regenerate the .po catalogues from the source (needs GNU gettext's xgettext).
makemessages: $(STAMP)
	$(PY) manage.py makemessages --locale nl --locale en --no-obsolete --ignore ".venv/*" --ignore "bench/*"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
