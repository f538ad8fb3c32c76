# SEND Tracker: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run with production-like settings (DEBUG off) and a throwaway secret, over plain http (the live
# server for browser tests has no TLS); tests of the HTTPS settings set them back explicitly.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-0123456789-0123456789-0123456789 \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	DJANGO_ALLOW_ASYNC_UNSAFE=true
DEV_ENV := DEBUG=1

.PHONY: run test install browser-deps lint format bench loadtest ci clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo ""
	@echo "SEND Tracker is starting on http://$(HOST):$(PORT)/"
	@echo "Demo logins (password for all: demo-password):"
	@echo "  officer   - an officer who leads actions"
	@echo "  lead      - the SEND improvement plan lead"
	@echo "  scrutiny  - a councillor on the scrutiny committee (read only)"
	@echo "  admin     - administrator (also /admin/)"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's chromium (browser tests) and libharfbuzz-subset0 (fast PDF font subsetting); skipped when present.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ldconfig -p | grep -q libharfbuzz-subset; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium libharfbuzz-subset0 >/dev/null; \
	fi

test: $(STAMP) browser-deps
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(BIN)/python -m pytest --ignore=tests/bench -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Timings depend on the machine's load, so they are measured here and never decide a test run.
bench: $(STAMP)
	BENCH=1 $(TEST_ENV) $(BIN)/python -m pytest -p no:randomly tests/bench -s -q
	$(TEST_ENV) $(BIN)/python -m tests.bench.run_large_area

# Load test (issue #16; README "Deployment"): recreates LOADTEST_DATABASE_URL (PostgreSQL), loads it with
# LOADTEST_DATA, serves it with gunicorn on loopback and runs LOADTEST_USERS simulated officers for
# LOADTEST_SECONDS; prints a summary and writes var/loadtest.json. Not part of `make test`.
LOADTEST_DATABASE_URL ?= postgres://app:app@127.0.0.1:5432/send_tracker_loadtest
LOADTEST_DATA ?= load_demo --force
LOADTEST_USERS ?= 25
LOADTEST_SECONDS ?= 60
loadtest: $(STAMP)
	$(BIN)/python loadtest/run.py --database-url "$(LOADTEST_DATABASE_URL)" --data "$(LOADTEST_DATA)" \
		--users $(LOADTEST_USERS) --seconds $(LOADTEST_SECONDS)

ci: lint test

clean:
	rm -rf $(VENV) var
