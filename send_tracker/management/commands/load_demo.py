"""`python manage.py load_demo`: create or refresh the demo data (safe to run again)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from send_tracker.demo.base import DEMO_PASSWORD
from send_tracker.demo.loader import load
from send_tracker.settings import DEV_SECRET_KEY


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
        is_dev = settings.DEBUG and settings.SECRET_KEY == DEV_SECRET_KEY
        if not is_dev and not options["force"]:
            raise CommandError(
                "Refusing to load demo users with a published password outside development "
                "(DEBUG on with the development secret key). Use --force on a throwaway environment."
            )
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
