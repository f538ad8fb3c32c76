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

.PHONY: run test install run-deps test-deps browser-deps lint format bench loadtest ci clean image-check fresh-check

# Debian packages, one list each (deploy/debian-packages-*.txt; the Dockerfile installs the run list too):
# installed with apt-get when any is missing, with sudo when not root; skipped where there is no dpkg.
RUN_PACKAGES := $(shell sed 's/\#.*//' deploy/debian-packages-run.txt)
TEST_PACKAGES := $(shell sed 's/\#.*//' deploy/debian-packages-test.txt)
define apt_install_missing
	@if command -v dpkg-query >/dev/null 2>&1; then \
		missing=$$(for p in $(1); do dpkg-query -W -f='$${db:Status-Status}\n' $$p 2>/dev/null | grep -qx installed || echo $$p; done); \
		if [ -n "$$missing" ]; then \
			echo "Installing Debian packages:" $$missing; \
			if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
			$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	else echo "No dpkg here: install the equivalents of $(1) yourself."; fi
endef

# Debian's python3 has no venv module (ensurepip) until python3-venv is installed.
run-deps:
	$(call apt_install_missing,$(RUN_PACKAGES) $(if $(shell $(PYTHON) -c 'import ensurepip' 2>/dev/null && echo ok),,python3-venv))

test-deps: run-deps
	$(call apt_install_missing,$(TEST_PACKAGES))

browser-deps: test-deps

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: run-deps $(STAMP)
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

test: test-deps $(STAMP)
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(BIN)/python -m pytest --ignore=tests/bench -n auto --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Timings depend on the machine's load, so they are measured here and never decide a test run. The large-area
# bench crawls every page on SQLite, then on PostgreSQL when BENCH_POSTGRES_URL (or a postgres DATABASE_URL)
# names one, and fails when a page shape misses a target (both databases run either way).
BENCH_POSTGRES_URL ?= $(filter postgres%,$(DATABASE_URL))
bench: $(STAMP)
	BENCH=1 $(TEST_ENV) $(BIN)/python -m pytest -p no:randomly tests/bench -s -q
	@status=0; \
	env -u DATABASE_URL $(TEST_ENV) $(BIN)/python -m tests.bench.run_large_area || status=1; \
	if [ -n "$(BENCH_POSTGRES_URL)" ]; then \
		DATABASE_URL=$(BENCH_POSTGRES_URL) $(TEST_ENV) $(BIN)/python -m tests.bench.run_large_area || status=1; \
	else echo "PostgreSQL not measured: set BENCH_POSTGRES_URL=postgres://..."; fi; \
	exit $$status

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

# Issue #26 (README "Deployment"): build the production image with podman and run it against the host's
# PostgreSQL 15 (deploy/image-check.sh), and run `make run` and `make test` on a fresh minimal Debian 12
# container (deploy/fresh-check.sh; FRESH_PYTEST_ARGS picks the tests, "" for the whole suite).
image-check: $(STAMP)
	PYTHON=$(BIN)/python bash deploy/image-check.sh

# CI's subset: the dependency check, a paper PDF, security headers, a browser journey (Chromium through
# Playwright's driver: libatomic1) and the HTML checker (Java); the whole suite would not fit CI's time.
FRESH_SUBSET := tests/send_tracker/test_dependencies.py \
	tests/reports/test_paper_pdf.py::test_recommendations_are_numbered tests/security/test_headers.py \
	tests/browser/test_htmx_failures.py::test_a_detail_save_without_a_session_cookie_comes_back_to_the_form_with_the_text \
	tests/browser/test_crawl_every_page.py::test_the_html_checker_runs_and_finds_the_sign_in_page_valid
FRESH_PYTEST_ARGS ?= $(FRESH_SUBSET)
fresh-check: $(STAMP)
	PYTHON=$(BIN)/python bash deploy/fresh-check.sh $(FRESH_PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
