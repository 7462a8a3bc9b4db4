# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
LOCK_VENV := .venv-lock
PIP_VERSION := 26.3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PG_TEST_URL := postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint format bench-search install browser mailserver office clean lock

# The venv is rebuilt only when the locked requirements change; it gets exactly the locked tree.
$(BIN)/.installed: requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Debian: apt-get install python3.11 python3.11-venv)"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# Pins every package of requirements.txt and requirements-dev.txt, with hashes, from PyPI alone:
# run it after editing either file and commit the two .lock files.
lock:
	[ -x $(LOCK_VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools==7.7.0; }
	for name in requirements requirements-dev; do \
	  env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	    --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o $$name.lock $$name.txt; \
	done

install: $(BIN)/.installed

run: install
	$(FLASK) db upgrade
	$(FLASK) crm demo
	@$(FLASK) crm first-admin
	@# The worker runs imports in the background; it stops with the server.
	@$(FLASK) crm worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian's Chromium drives the browser journeys; Playwright never downloads a browser.
browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's Dovecot is the IMAP server the mailbox tests start (their own config, port and user; no service).
mailserver:
	@[ -x /usr/sbin/dovecot ] || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd; }

# Debian's LibreOffice Writer turns the merged letters into a PDF; without it letters come as .docx only.
office:
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui; }

# Runs on SQLite; set CRM_TEST_DATABASE_URL to run the same suite on PostgreSQL. On SQLite the tests run
# on two processes (pytest-xdist), each with its own database file; PostgreSQL's run shares one
# database, so it runs in one process.
XDIST = $(if $(CRM_TEST_DATABASE_URL),,-n 2)
test: install browser mailserver office
	$(BIN)/pytest -q $(XDIST)

test-sqlite: install browser mailserver office
	env -u CRM_TEST_DATABASE_URL $(BIN)/pytest -q -n 2

test-postgres: install browser mailserver office
	CRM_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-search: install
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache
