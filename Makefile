# The front door: `make run` serves the app, `make test` checks it.
# Both set everything up from a fresh clone (virtualenv, packages, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install migrate seed run test lint format serve-prod bench clean catalog-check system-packages lock audit

# requirements.lock pins (with hashes) every package `.[dev]` needs, at the
# versions CI tested; `make lock` re-resolves it after a pyproject.toml change.
LOCK := requirements.lock

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed

run: seed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	# The import layers ([tool.importlinter] in pyproject.toml): imports only point down.
	$(BIN)/lint-imports --no-logo --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Chromium and poppler-utils (and WeasyPrint's libraries): installed with
# apt-get when run as root, otherwise a stop at once with the command to run.
system-packages:
	tools/system-packages

# The catalog warning first: pytest's summary stays the run's last line.
test: system-packages lint
	-@$(MAKE) --no-print-directory catalog-check
	$(BIN)/pytest

# The seeded catalog's stale or unsourced figures, in a scratch database: a
# warning for `make test`, never a failure (prices age while the code does not).
CHECK_DB := sqlite:///$(abspath $(VENV))/catalog-check.sqlite3

catalog-check: install
	@rm -f $(VENV)/catalog-check.sqlite3
	@DATABASE_URL=$(CHECK_DB) $(BIN)/python manage.py migrate --noinput -v0
	@DATABASE_URL=$(CHECK_DB) $(BIN)/python manage.py loaddata fixtures/10-catalog.json -v0
	@DATABASE_URL=$(CHECK_DB) $(BIN)/python manage.py catalog_check \
		|| echo "WARNING: catalog_check lists stale or unsourced catalog figures (above)."

# Tools that are not the app's: uv (re-locks) and pip-audit (audits the lock).
TOOLS_STAMP := $(VENV)/.tools-installed-stamp

$(TOOLS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[tools]'
	touch $(TOOLS_STAMP)

lock: $(TOOLS_STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal \
		--generate-hashes --quiet -o $(LOCK)
	# The production image's subset (deploy/Dockerfile), at the same versions.
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --universal \
		--generate-hashes --quiet -c $(LOCK) -o requirements.prod.lock

# Known vulnerabilities in the locked versions (needs the PyPI vulnerability
# API: not run by `make test` or CI). --strict: a package it could not look
# up fails the audit instead of passing unaudited.
audit: $(TOOLS_STAMP)
	$(BIN)/pip-audit --strict --disable-pip -r $(LOCK)

# Production settings against DATABASE_URL, served by gunicorn: the same path
# as deploy/Dockerfile, for machines without Docker. TLS is the proxy's job,
# so the redirect is off here; everything else is production. When tasks go
# to the database (PostgreSQL), TASK_WORKER_PROCESSES background workers
# (default 2) run beside gunicorn and stop with it (deploy/README.md,
# "Background workers"), niced: their renders take the CPU the web workers leave.
serve-prod: install
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py seed --no-demo-users
	backend=$$(DJANGO_DEBUG=false $(BIN)/python manage.py shell -v0 \
		-c "from django.conf import settings; print(settings.TASKS_BACKEND)"); \
	if [ "$$backend" = database ]; then \
		DJANGO_DEBUG=false nice -n 10 $(BIN)/python manage.py task_workers & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	fi; \
	DJANGO_DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
		$(BIN)/gunicorn --config deploy/gunicorn.conf.py advisor.wsgi

# Benchmarks and load tests (bench/run.py): a fresh PostgreSQL database on
# 127.0.0.1:5432 (started if stopped), gunicorn with production settings,
# locust against loopback only; about 7 minutes on 2 cores. Prints the table
# and writes bench/results/latest.md.
BENCH_STAMP := $(VENV)/.bench-installed-stamp

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 artifacts
