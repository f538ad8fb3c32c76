"""The migrations build a working database on their own (the suite's test database is built from the models).

A new database of the kind the suite runs on (SQLite, or PostgreSQL when DATABASE_URL names it) is migrated
by `manage.py migrate` in a separate process, as `make run` and the container do; then every model's table
and every column is read there, so a model whose migration is missing or wrong fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Run in a second process on the migrated database: every concrete column of every model, in one SELECT a
# model; then migrate again, which must find nothing to do.
READ_EVERY_COLUMN_THEN_MIGRATE = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
for model in apps.get_models(include_auto_created=True):
    list(model._base_manager.values(*[f.attname for f in model._meta.concrete_fields])[:1])
print("read", len(apps.get_models(include_auto_created=True)), "models")
call_command("migrate", "--no-input")
"""


def _run(args: list[str], database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def new_database(tmp_path):
    """Yield the URL of an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = {
        "host": settings["HOST"] or "localhost",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        user, password, host, port = admin["user"], admin["password"], admin["host"], admin["port"]
        yield f"postgres://{user}:{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.long(36)
def test_the_migrations_build_every_table_and_column_of_the_models(new_database):
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], new_database)

    out = _run([sys.executable, "-c", READ_EVERY_COLUMN_THEN_MIGRATE], new_database)

    assert out.startswith("read ")
    assert "No migrations to apply" in out
