"""RAG scales and their levels: what each rating word means for a plan."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.versioning import Versioned


class RagScale(Versioned):
    """A delivery RAG scale. Plans choose one; BRAG is the default, councils define their own."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def action_statuses() -> list[tuple[str, str]]:
    """Return the action statuses a level can belong to (Action's own; its module imports this one)."""
    from actions.models.action import Action

    return Action.Status.choices


class RagLevel(Versioned):
    """One level of a scale. Two levels may share a colour: the label (always shown) and a pattern tell
    them apart, e.g. "Reprogrammed" drawn amber and hatched beside plain amber "At risk"."""

    class Colour(models.TextChoices):
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"
        GREY = "grey", "Grey"

    class Pattern(models.TextChoices):
        NONE = "", "None (solid colour)"
        HATCHED = "hatched", "Hatched"
        DOTTED = "dotted", "Dotted"

    scale = models.ForeignKey(RagScale, on_delete=models.PROTECT, related_name="levels")
    colour = models.CharField(max_length=10, choices=Colour.choices)
    label = models.CharField(max_length=60, help_text='The word shown with the colour, e.g. "On track".')
    meaning = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    requires_reason = models.BooleanField(default=False, help_text="An update to this level must say why.")
    requires_recovery = models.BooleanField(
        default=False, help_text="An update to this level must say how delivery will recover."
    )
    pattern = models.CharField(max_length=10, choices=Pattern.choices, blank=True, default="")
    counts_as_closed = models.BooleanField(
        "counts as closed", default=False, help_text="e.g. Complete: the action needs no more updates."
    )
    counts_as_on_track = models.BooleanField("counts as on track", default=False)
    counts_as_not_started = models.BooleanField("counts as not yet started", default=False)
    # A two-tier scale: e.g. green, amber and red belong to "in progress", blue to "complete".
    status = models.CharField(
        "goes with status",
        max_length=20,
        choices=action_statuses,
        blank=True,
        default="",
        help_text="Leave empty if the level goes with any status.",
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Retired levels are kept but cannot be chosen."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="level_label_unique_in_scale"),
            models.CheckConstraint(
                condition=Q(colour__in=["blue", "green", "amber", "red", "grey"]),
                name="rag_level_colour_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.label}"


# An open action overdue by up to this many days is at risk; by more, off track (each plan may set its own).
