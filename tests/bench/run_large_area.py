"""Run the large-area benchmark (tests/bench/large_area.py) in a plain Python process: make bench.

`python -m tests.bench.run_large_area` creates a fresh test database (as the test runner does: SQLite, or
PostgreSQL when DATABASE_URL points at it), measures every page in it and drops it again; exits 1 when a
page shape misses a target.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from django.test import Client

T = TypeVar("T")


def in_test_database(run: Callable[[Client], T]) -> T:
    """Set Django up, create a fresh test database, return `run(client)` and drop the database again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        # As the test suite runs (tests/conftest.py): the administrator's pages without a second factor.
        with override_settings(MFA_REQUIRED_ROLES=[], AXES_ENABLED=False):
            return run(Client())
    finally:
        teardown_databases(databases, verbosity=0)


def main() -> None:
    def measure(client: Client) -> int:
        from tests.bench.large_area import run

        return run(client)

    sys.exit(1 if in_test_database(measure) else 0)


if __name__ == "__main__":
    main()
