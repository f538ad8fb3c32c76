"""`python manage.py generate_large_area`: a large local area for benchmarks (see ../large_area.py)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actions.models import Action
from demo import large_area


class Command(BaseCommand):
    help = (
        "Generate a large local area (8 plans, 2,000 actions, 40,000 updates, 300 users...) into an empty "
        "database, for benchmarks. Deterministic: seeded random numbers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even when DEBUG is off (the generated users share a published password).",
        )

    def handle(self, *args, **options) -> None:
        if not options["force"] and not settings.DEBUG:
            raise CommandError(
                "Refusing to create users with a published password outside development; use --force "
                "on a throwaway database."
            )
        if Action.objects.exists():
            raise CommandError("The database already has actions: generate the large area into an empty one.")
        started = time.perf_counter()
        summary = large_area.generate()
        elapsed = time.perf_counter() - started
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<16} {count:>6}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Large area generated in {elapsed:.1f}s. Sign in as {summary.busy_officer} "
                f"(leads 400 actions) with the password {large_area.PASSWORD}."
            )
        )
