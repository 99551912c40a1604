# The portal's single entry point. `make run` starts it with demo data on SQLite;
# `make test` runs the whole suite against PostgreSQL and Redis.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint services system-deps install demo bench clean backup restore

$(VENV)/.installed: requirements.txt package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --requirement requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

# Start the portal with demo data: SQLite, Celery tasks run in-process, e-mails printed here.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian packages the tests need: Chromium for the browser tests, poppler for reading PDFs,
# Java for the Nu HTML Checker (npm vnu-jar) that validates every page.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# PostgreSQL, Redis and an S3-compatible object store (moto's server, 127.0.0.1:9000) on their usual
# ports; each started when it is not running.
services: install
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@curl -s -o /dev/null http://127.0.0.1:9000/ || (setsid nohup $(VENV)/bin/moto_server -H 127.0.0.1 -p 9000 >/dev/null 2>&1 &)
	@for i in $$(seq 1 30); do curl -s -o /dev/null http://127.0.0.1:9000/ && break; sleep 1; done
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done

# Back up the database (as its owner: DATABASE_MIGRATE_URL, else DATABASE_URL) and every private file
# into a new directory under backups/ (or BACKUP_DIR=...), with a manifest of checksums.
backup: install
	$(PY) manage.py backup $(BACKUP_DIR)

# Restore one into an EMPTY database and the private file store, then check the audit trail:
#   make restore FROM=backups/2026-12-07-020000
restore: install
	@test -n "$(FROM)" || { echo "Which backup? make restore FROM=backups/<date-time>"; exit 2; }
	$(PY) manage.py restore $(FROM)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

test: install system-deps services lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .test_private_media
