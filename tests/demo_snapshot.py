"""The demo data, loaded once per test process and copied back into the database for each later test.

`load_demo` takes several seconds, and the browser tests each need it in a database their live server can see
(a transactional test, flushed after each test). The first test of a process loads it and keeps a copy of
the database; later tests get the same rows back in a fraction of a second: PostgreSQL's tables through
binary COPY, SQLite's whole in-memory database through its backup API. The copy is exact, ids and content
types included, so a test cannot tell a restored load from a fresh one. A copy is kept per database and
per day, because the demo's dates are live (relative to today).
"""

from __future__ import annotations

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from demo import sources as demo_sources

_copies: dict[tuple, dict[str, bytes] | sqlite3.Connection] = {}


def load_demo() -> None:
    """Fill the (empty or freshly flushed) test database with the demo data."""
    key = (connection.vendor, connection.settings_dict["NAME"], timezone.localdate())
    copy = _copies.get(key)
    if copy is None:
        call_command("load_demo", "--force", verbosity=0)
        _copies[key] = _take()
    else:
        _restore(copy)
    # Ids may differ from those this process cached before the copy came back.
    ContentType.objects.clear_cache()
    demo_sources.forget()


def _take() -> dict[str, bytes] | sqlite3.Connection:
    """Return a copy of the database: each table's binary COPY data, or an in-memory SQLite database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    copy = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as out:
                copy[table] = b"".join(bytes(chunk) for chunk in out)
    return copy


def _restore(copy: dict[str, bytes] | sqlite3.Connection) -> None:
    """Put the copy's rows back in place of whatever the tables hold now."""
    if isinstance(copy, sqlite3.Connection):
        copy.backup(connection.connection)
        return
    quote = connection.ops.quote_name
    # One transaction: the foreign keys (deferred) are checked at commit, whatever the order of the tables.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in copy:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, data in copy.items():
            with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as into:
                into.write(data)
        # COPY writes ids without moving the sequences; the next row must not reuse one.
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
