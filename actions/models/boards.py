"""Boards and their meetings: the dates update deadlines follow."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import Versioned

# A series longer than this is almost certainly a typing slip (weekly for ten years).
MAX_SERIES_MEETINGS = 60


def every_n_weeks(start: datetime.date, weeks: int, until: datetime.date) -> list[datetime.date]:
    """Return `start` and every `weeks` weeks after it, up to and including `until`."""
    dates, day = [], start
    while day <= until:
        dates.append(day)
        day += datetime.timedelta(weeks=weeks)
    return dates


def nth_weekday_monthly(
    start: datetime.date, weekday: int, nth: int, until: datetime.date
) -> list[datetime.date]:
    """Return the `nth` (1-4; -1 the last) `weekday` (0 Monday) of each month from `start` to `until`."""
    dates = []
    year, month = start.year, start.month
    while datetime.date(year, month, 1) <= until:
        days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday] != 0]
        day = datetime.date(year, month, days[nth - 1 if nth > 0 else -1])
        if start <= day <= until:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


class Board(Versioned):
    """A governance body that owns or scrutinises plans, e.g. the SEND Development Board."""

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        SCRUTINY = "scrutiny", "Scrutiny committee"
        OPERATIONAL = "operational", "Operational group"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BOARD)
    chair = models.CharField(max_length=200, blank=True, help_text="e.g. Portfolio Holder for Education")
    meeting_cadence = models.CharField(max_length=100, blank=True, help_text="e.g. fortnightly, termly")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def add_meetings(
        self, *, version: int, dates: list[datetime.date], title: str = "", location: str = ""
    ) -> tuple[list[Meeting], list[datetime.date]]:
        """Add a meeting on each date (a series), made against the board's `version`.

        Dates that already have a meeting are skipped and returned as such; each meeting is then edited or
        cancelled on its own. Raises StaleVersionError (writing nothing) if the board changed since `version`,
        ValidationError for an empty or overlong series.
        """
        if not dates:
            raise ValidationError("The series has no dates: check its first date and its end.")
        if len(dates) > MAX_SERIES_MEETINGS:
            raise ValidationError(
                f"That is {len(dates)} meetings; a series can have at most {MAX_SERIES_MEETINGS}."
            )
        with transaction.atomic():
            self.check_version(version)
            taken = set(self.meetings.filter(date__in=dates).values_list("date", flat=True))
            created = [
                Meeting.objects.create(board=self, date=day, title=title, location=location)
                for day in dates
                if day not in taken
            ]
        return created, sorted(taken)


class Meeting(Versioned):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(
        default=False, help_text="A cancelled meeting sets no update deadline; it is kept, not deleted."
    )
    papers = models.TextField(blank=True, help_text="The papers put to the meeting, one per line.")
    minutes = models.TextField(
        "decisions and actions from the minutes",
        blank=True,
        help_text="Recorded after the meeting: what it decided and the actions it set.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.date:%d %b %Y}"

    def check_edit(self, changes: dict) -> None:
        date = changes.get("date", self.date)
        if changes.get("minutes", self.minutes).strip() and date > timezone.localdate():
            raise ValidationError({"minutes": "Record the minutes after the meeting has taken place"})
