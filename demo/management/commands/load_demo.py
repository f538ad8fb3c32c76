"""`python manage.py load_demo`: create or refresh the demo data (safe to run again)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from demo.base import DEMO_PASSWORD
from demo.loader import load
from demo.people import PEOPLE

# The SQLite file `make run` uses (settings' default DATABASE_URL).
DEV_DATABASE = str(settings.VAR_DIR / "send_tracker.sqlite3")


class Command(BaseCommand):
    help = (
        "Load the SEND Tracker demo data: people, reviews, the framework, plans, actions, KPIs and a paper."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo users have a published password).",
        )

    def handle(self, *args, **options) -> None:
        if not options["force"] and (refusal := self.refusal()):
            raise CommandError(f"{refusal} Use --force on a throwaway environment.")
        started = time.perf_counter()
        counts = load()
        elapsed = time.perf_counter() - started
        for label, count in counts.items():
            self.stdout.write(f"  {label:<18} {count:>5}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f}s. Sign in as officer, lead, scrutiny or admin "
                f"with the password {DEMO_PASSWORD}."
            )
        )

    def refusal(self) -> str | None:
        """Return why loading demo users (published password) here looks like a mistake, or None."""
        if not (settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY):
            return (
                "Refusing to load demo users with a published password outside development "
                "(DEBUG on with the development secret key)."
            )
        if str(connection.settings_dict["NAME"]) != DEV_DATABASE:
            return (
                f"Refusing to load demo users into {connection.vendor} database "
                f"{connection.settings_dict['NAME']!r}: only the development file {DEV_DATABASE} gets them."
            )
        if others := list(User.objects.exclude(username__in=PEOPLE).values_list("username", flat=True)[:3]):
            return f"Refusing to add demo users to a database with real users ({', '.join(others)}, ...)."
        return None
