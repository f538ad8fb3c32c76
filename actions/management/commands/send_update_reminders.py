"""Email each action lead one reminder of their actions that need an update before the next deadline.

Run daily by cron or a scheduler. Running it again the same day sends nothing new: each lead is reminded
once per deadline, and only failed sends are tried again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from actions.reminders import pending_reminders, send_reminders


class Command(BaseCommand):
    help = "Email each lead one reminder listing their actions that need an update before the next deadline."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--within-days",
            type=int,
            default=None,
            help="Remind of deadlines at most this many days away (default: UPDATE_REMINDER_DAYS).",
        )

    def handle(self, *args, within_days: int | None = None, **options) -> None:
        reminders = pending_reminders(within_days=within_days)
        outcome = send_reminders(reminders, my_actions_url=settings.SITE_URL + reverse("actions:mine"))
        self.stdout.write(
            f"Reminders sent: {len(outcome.sent)}; failed (retried next run): {len(outcome.failed)}; "
            f"leads without an email address: {len(outcome.no_email)}."
        )
