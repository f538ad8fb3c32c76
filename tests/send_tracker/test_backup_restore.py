"""Backups restore (issue #26): deploy/backup.sh's dump and media tar, restored by deploy/restore.sh into an
empty database, hold every plan, update, history row and published paper, each PDF still matching its
SHA-256. PostgreSQL only (the scripts use pg_dump and pg_restore); skipped on SQLite."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from actions.models import Action, ActionUpdate, Plan
from reports.models import PublishedVersion
from tests.factories import make_action, make_published_paper, make_update, make_user
from tests.send_tracker.test_settings import ROOT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql", "pgsql"},
        reason="pg_dump and pg_restore need PostgreSQL",
    ),
]


def _libpq_environment(database: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"],
        "PGDATABASE": database,
    }


def _table_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def test_a_backup_restores_into_an_empty_database_with_every_record_and_paper(tmp_path, officer):
    action = make_action(leads=[officer], description="Reconcile every EHC plan record.")
    make_update(action, officer, narrative="First 50 records reconciled.")
    make_update(action, officer, narrative="All records reconciled.")
    make_action(priority=action.priority, leads=[make_user()])
    pdf = b"%PDF-1.7\n% a published paper\n" + os.urandom(64)
    paper = make_published_paper(action.plan)
    second = make_published_paper(action.plan, pdf=pdf)
    assert Plan.objects.count() >= 1 and ActionUpdate.objects.count() == 2
    assert Action.history.count() >= 2

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    backups, media = tmp_path / "backups", tmp_path / "restored-media"
    scripts = {"BACKUP_DIR": str(backups), "MEDIA_DIR": str(settings.MEDIA_ROOT)}
    subprocess.run(
        [ROOT / "deploy" / "backup.sh", "--once"],
        env={**_libpq_environment(source), **scripts},
        check=True,
        capture_output=True,
    )
    dumps = sorted(path.name for path in backups.iterdir())
    assert len(dumps) == 2 and dumps[0].startswith("db-") and dumps[1].startswith("media-")

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
        source_counts = _table_counts(cursor)
    try:
        subprocess.run(
            [ROOT / "deploy" / "restore.sh", *dumps],
            env={**_libpq_environment(restored), "BACKUP_DIR": str(backups), "MEDIA_DIR": str(media)},
            check=True,
            capture_output=True,
        )
        env = _libpq_environment(restored)
        with (
            psycopg.connect(
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env["PGUSER"],
                password=env["PGPASSWORD"],
                dbname=restored,
            ) as restored_db,
            restored_db.cursor() as cursor,
        ):
            restored_counts = _table_counts(cursor)
            cursor.execute("SELECT id, title FROM actions_plan ORDER BY id")
            plans = cursor.fetchall()
            cursor.execute("SELECT id, narrative FROM actions_actionupdate ORDER BY id")
            updates = cursor.fetchall()
            cursor.execute(f"SELECT pdf, sha256 FROM {PublishedVersion._meta.db_table} ORDER BY id")
            versions = cursor.fetchall()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    # Every table (plans, actions, updates, every history table, papers...) holds as many rows as before.
    assert restored_counts == source_counts
    assert restored_counts["actions_historicalaction"] == Action.history.count()
    assert plans == list(Plan.objects.order_by("id").values_list("id", "title"))
    assert updates == list(ActionUpdate.objects.order_by("id").values_list("id", "narrative"))
    assert len(versions) == 2
    for name, sha256 in versions:
        restored_file = Path(media, name)
        assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == sha256
    assert Path(media, second.versions.get().pdf.name).read_bytes() == pdf
    assert paper.versions.get().read_verified_pdf().startswith(b"%PDF")
