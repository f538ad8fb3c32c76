"""Settings come from the environment; production settings refuse the dev secret and pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "x8#kP2vL9qR4tW7yZ1bN5mC3jH6gF0dS8aQ2wE4rT6yU8iO0pA-not-a-real-one"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_the_dev_secret_without_debug():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a real secret when DEBUG is off" in result.stderr


def test_it_refuses_a_short_secret_without_debug():
    result = manage("check", DEBUG="0", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_accepts_the_dev_secret_with_debug():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_debug_value_it_cannot_read():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage(
        "check", "--deploy", DEBUG="0", SECRET_KEY=REAL_SECRET, ALLOWED_HOSTS="send.example.gov.uk"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/send-tracker-test.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://app:app@db.internal:5432/send", "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_database_url(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "-c", code, DEBUG="1", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == engine


def test_no_environment_variable_switches_production_to_a_fast_password_hasher():
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = manage(
        "shell",
        "-c",
        code,
        DEBUG="0",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="send.example.gov.uk",
        FAST_PASSWORD_HASHER="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
