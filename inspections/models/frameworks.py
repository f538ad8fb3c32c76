"""Frameworks as data: framework → section → criterion with its code, and the RAG colours of a rating."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from inspections.models.reviews import Review


class Rag(models.TextChoices):
    """The three colours a framework criterion is rated in."""

    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"


class Framework(models.Model):
    """An inspection framework (e.g. the 2016 Ofsted/CQC local area SEND framework) with its RAG scale.

    National frameworks are loaded from data files (`manage.py load_frameworks`); a plan lead adds local
    ones (e.g. the area's own self-evaluation headings) in the UI.
    """

    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the wording comes from.")
    is_local = models.BooleanField(
        default=False, help_text="Added by the area itself (e.g. its own SEF headings), not published."
    )
    outcomes = models.JSONField(
        default=list,
        blank=True,
        help_text="The review outcomes this framework allows (values of Review.Outcome).",
    )
    red_meaning = models.CharField(max_length=300, default="Substantial work to be carried out")
    amber_meaning = models.CharField(max_length=300, default="Work started but not embedded")
    green_meaning = models.CharField(max_length=300, default="Work started, strengths identified")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="framework_unique_name_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def meaning_of(self, rag: str) -> str:
        """Return what this framework says a rating of R, A or G means."""
        return {Rag.RED: self.red_meaning, Rag.AMBER: self.amber_meaning, Rag.GREEN: self.green_meaning}[rag]

    def edition(self) -> str:
        """Return "2016" or "2023" for a framework with that national framework's outcomes, else ""."""
        outcomes = set(self.outcomes or [])
        if outcomes & {Review.Outcome.POSITIVE, Review.Outcome.INCONSISTENT, Review.Outcome.SYSTEMIC}:
            return "2023"
        if outcomes & {Review.Outcome.WSOA, Review.Outcome.NO_WSOA}:
            return "2016"
        return ""

    def allows_outcome(self, outcome: str) -> bool:
        """Return whether a review judged under this framework may have this outcome."""
        return outcome in (self.outcomes or [])

    def clean(self) -> None:
        unknown = [value for value in self.outcomes or [] if value not in Review.Outcome.values]
        if unknown:
            raise ValidationError({"outcomes": f"Unknown outcomes: {', '.join(map(str, unknown))}."})


class Section(models.Model):
    """A question or section of a framework, e.g. "Q1. How effectively does the local area identify…"."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=20, help_text="e.g. Q1")
    title = models.TextField()
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="section_order_unique_in_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class Criterion(models.Model):
    """One criterion of a framework. Codes are unique within the framework; order is explicit."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="criteria")
    # Denormalised from the section so the database can keep codes unique within a framework.
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="criteria", editable=False
    )
    code = models.CharField(max_length=20, help_text="As the framework writes it, e.g. A9, A1a or C11.")
    wording = models.TextField()
    group_heading = models.CharField(
        max_length=300, blank=True, help_text="Sub-heading inside the section this criterion sits under."
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__framework", "section__order", "order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="criterion_order_unique_in_section"),
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique_in_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.wording[:80]}"

    def save(self, *args, **kwargs) -> None:
        if self.section_id:
            self.framework_id = self.section.framework_id
        super().save(*args, **kwargs)
