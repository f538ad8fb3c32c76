"""Send requests at the same moment from threads, each with its own database connection (PostgreSQL tests)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race between connections: needs PostgreSQL (SQLite locks the file)",
)


def race(signed_in: Client, posts: list[tuple[str, dict]]) -> list[int]:
    """POST each (url, data) from its own thread, all at once, as `signed_in`; return the statuses."""
    start, statuses, errors = threading.Barrier(len(posts)), [], []

    def post(url: str, data: dict) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.cookies = signed_in.cookies
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return statuses
