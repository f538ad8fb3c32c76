"""Boards and their meetings: the dates update deadlines follow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import Versioned


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
