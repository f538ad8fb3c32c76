"""Production deployment (issue #16): the documented environment passes check --deploy, the health check,
gunicorn's settings and the container files."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from accounts.throttling import over_limit
from core.env import env_list
from tests.send_tracker.test_settings import ROOT, manage

EXAMPLE_ENV = ROOT / "deploy" / "production.env.example"


def _example_environment() -> dict[str, str]:
    """Return the variables of deploy/production.env.example, with a real secret key in place."""
    values = {}
    for line in EXAMPLE_ENV.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    values["SECRET_KEY"] = secrets.token_urlsafe(64)
    return values


def test_the_documented_production_environment_passes_check_deploy_with_nothing_to_report():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **_example_environment())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_report_a_production_environment_without_https_cookies():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**_example_environment(), "CSRF_COOKIE_SECURE": "0"},
    )
    assert result.returncode != 0
    assert "security.W016" in result.stderr


def test_every_variable_in_the_production_example_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    undocumented = [name for name in _example_environment() if not re.search(rf"`{name}`", readme)]
    assert undocumented == []


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_signing_in_after_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = Client().get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "private, no-store"
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_the_health_check_says_503_when_the_database_does_not_answer():
    with mock.patch("send_tracker.health.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


@pytest.mark.django_db
def test_the_health_check_is_not_redirected_to_https_but_pages_are(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/health/").status_code == 200
    assert client.get("/login/").status_code == 301


def test_cache_in_database_switches_to_the_database_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", code, DEBUG="1", CACHE_IN_DATABASE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.django_db
def test_with_the_database_cache_every_process_counts_rate_limits_in_one_table(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "send_tracker_cache",
        }
    }
    call_command("createcachetable")
    assert [over_limit("reset", "address", limit=2) for _ in range(3)] == [False, False, True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM send_tracker_cache")
        assert cursor.fetchone()[0] == 1


def _gunicorn_settings(**env: str) -> dict:
    with mock.patch.dict("os.environ", env):
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_takes_its_worker_settings_from_the_environment():
    config = _gunicorn_settings(WEB_CONCURRENCY="7", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="20")
    assert (config["workers"], config["threads"], config["timeout"]) == (7, 4, 20)
    assert config["wsgi_app"] == "send_tracker.wsgi:application"


def test_gunicorn_defaults_to_two_workers_a_core_plus_one():
    with mock.patch("multiprocessing.cpu_count", return_value=4):
        config = _gunicorn_settings(WEB_CONCURRENCY="")
    assert config["workers"] == 9


def test_gunicorn_access_log_leaves_out_personal_data():
    log_format = _gunicorn_settings()["access_log_format"]
    # client address, user, request line and query string, referrer, user agent, any header or cookie
    for atom in ("%(h)s", "%(u)s", "%(r)s", "%(q)s", "%(f)s", "%(a)s", "}i", "}e"):
        assert atom not in log_format
    assert "%(U)s" in log_format and "%(s)s" in log_format


def test_the_image_runs_as_a_user_without_root_and_carries_its_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # The official base by default; `make image-check` passes a stand-in where Docker Hub is out of reach.
    assert re.search(r"^ARG BASE_IMAGE=python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)
    assert re.findall(r"^FROM (.*)$", dockerfile, re.MULTILINE) == ["${BASE_IMAGE} AS build", "${BASE_IMAGE}"]
    assert re.search(r"^USER app$", dockerfile, re.MULTILINE)
    assert "collectstatic --no-input" in dockerfile
    assert "--constraint requirements.lock" in dockerfile
    assert "HEALTHCHECK" in dockerfile
    # collectstatic refuses a STATIC_ROOT that is one of STATICFILES_DIRS (static/): staticfiles.E002.
    static_root = re.search(r"STATIC_ROOT=(\S+)", dockerfile).group(1)
    assert static_root.rstrip("/") not in {"/app/static", "/app/static/"}
    assert not static_root.startswith("/app/static/")


def test_the_image_and_make_run_install_the_same_debian_packages():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "deploy/debian-packages-run.txt" in dockerfile
    assert "deploy/debian-packages-run.txt" in makefile and "deploy/debian-packages-test.txt" in makefile
    run = (ROOT / "deploy" / "debian-packages-run.txt").read_text()
    for package in ("libglib2.0-0", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert re.search(rf"^{re.escape(package)}$", run, re.MULTILINE)
    test = (ROOT / "deploy" / "debian-packages-test.txt").read_text()
    for package in ("chromium-headless-shell", "libatomic1", "default-jre-headless", "postgresql-client"):
        assert re.search(rf"^{re.escape(package)}$", test, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()
    assert "deploy/debian-packages-run.txt" in readme and "deploy/debian-packages-test.txt" in readme


def test_compose_runs_reminders_from_one_scheduler_and_backs_up_the_database_and_media():
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert set(services) == {"db", "web", "scheduler", "backup"}
    assert services["db"]["image"] == "postgres:15"
    web = " ".join(services["web"]["command"])
    assert "manage.py migrate --no-input && python manage.py createcachetable && exec gunicorn" in web
    # send_update_reminders from the scheduler only, never from a web container.
    assert "send_update_reminders" not in web
    assert "manage.py send_update_reminders" in " ".join(services["scheduler"]["command"])
    assert "replicas" not in str(services["scheduler"].get("deploy", {}))
    # One media volume, shared by web and scheduler, and backed up with the database.
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert "media:/app/var/media" in services["scheduler"]["volumes"]
    assert "media:/media" in services["backup"]["volumes"]
    assert "backups:/backups" in services["backup"]["volumes"]
    assert services["backup"]["command"] == ["send-tracker-backup"]
    assert "./deploy/backup.sh:/usr/local/bin/send-tracker-backup:ro" in services["backup"]["volumes"]
    assert "BACKUP_KEEP_DAYS" in services["backup"]["environment"]


def test_the_production_example_can_be_sourced_by_a_shell_with_the_roles_in_one_variable():
    # Unquoted, `MFA_REQUIRED_ROLES=Administrator,Plan lead` made bash run a command called "lead".
    result = subprocess.run(
        [
            "bash",
            "-c",
            'set -euo pipefail; set -a; . "$1"; printf "%s" "$MFA_REQUIRED_ROLES"',
            "bash",
            EXAMPLE_ENV,
        ],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Administrator,Plan lead"


def test_the_quoted_roles_read_the_same_through_docker_env_file_which_keeps_the_quotes():
    literal = _example_environment()["MFA_REQUIRED_ROLES"]
    assert literal == '"Administrator,Plan lead"'
    with mock.patch.dict(os.environ, {"MFA_REQUIRED_ROLES": literal}):
        assert env_list("MFA_REQUIRED_ROLES", []) == ["Administrator", "Plan lead"]
