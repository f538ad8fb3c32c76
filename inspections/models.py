"""Where the local area stands: reviews and inspections, their findings, frameworks and RAG assessments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Rag(models.TextChoices):
    """The three colours a framework criterion is rated in."""

    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"


class Review(models.Model):
    class Kind(models.TextChoices):
        PEER_REVIEW = "peer_review", "Peer review"
        INSPECTION = "inspection", "Ofsted/CQC local area inspection"
        REVISIT = "revisit", "Revisit or monitoring visit"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation"

    class Outcome(models.TextChoices):
        NONE = "", "Not yet known"
        NO_WSOA = "no_wsoa", "No written statement of action required"
        WSOA = "wsoa", "Written statement of action required"
        POSITIVE = "positive", "Typically positive experiences and outcomes"
        INCONSISTENT = "inconsistent", "Inconsistent experiences and outcomes"
        SYSTEMIC = "systemic", "Widespread and/or systemic failings"
        SUFFICIENT_PROGRESS = "sufficient_progress", "Sufficient progress made"
        INSUFFICIENT_PROGRESS = "insufficient_progress", "Insufficient progress made"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    lead_body = models.CharField(
        "reviewers / lead body",
        max_length=300,
        blank=True,
        help_text="e.g. Ofsted and CQC, or the peer councils",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    report_published_on = models.DateField(null=True, blank=True)
    focus_question = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    wsoa_due_on = models.DateField(
        "written statement of action due",
        null=True,
        blank=True,
        help_text="Submission deadline for the WSOA.",
    )
    revisit_due_on = models.DateField("revisit due", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="review_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%B %Y})"


class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Key strength"
        GOOD_PRACTICE = "good_practice", "Good practice to share"
        RECOMMENDATION = "recommendation", "Recommendation"
        SIGNIFICANT_WEAKNESS = "significant_weakness", "Area of significant weakness"
        AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"

    # Kinds that need something done about them: the traceability check asks each is covered by a priority.
    NEEDS_ACTION = (Kind.RECOMMENDATION, Kind.SIGNIFICANT_WEAKNESS, Kind.AREA_FOR_IMPROVEMENT)

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    theme = models.CharField(max_length=300, blank=True, help_text="Heading the review groups this under.")
    reference = models.CharField(max_length=20, blank=True, help_text="e.g. R1.2 or ASW1")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reference"],
                condition=~Q(reference=""),
                name="finding_reference_unique_in_review",
            ),
        ]

    def __str__(self) -> str:
        label = self.reference or self.get_kind_display()
        return f"{label}: {self.text[:80]}"


class Framework(models.Model):
    """An inspection framework (e.g. the 2016 Ofsted/CQC local area SEND framework) with its RAG scale."""

    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    description = models.TextField(blank=True)
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
    """One criterion of a framework. Codes are the council's own and may repeat or nest; order is explicit."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="criteria")
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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.wording[:80]}"


class AssessmentQuerySet(models.QuerySet):
    def latest_for(self, framework: Framework) -> Assessment | None:
        return self.filter(framework=framework).order_by("-assessed_on").first()


class Assessment(models.Model):
    """A dated round of RAG ratings against a framework, e.g. "Feb 18"."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    label = models.CharField(max_length=50, help_text='Column heading, e.g. "Feb 18".')
    assessed_on = models.DateField()
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "assessed_on"], name="assessment_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name}: {self.label}"


class Rating(models.Model):
    """The RAG rating of one criterion in one assessment, with commentary and next steps to reach green."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    rag = models.CharField("RAG", max_length=1, choices=Rag.choices)
    commentary = models.TextField(blank=True)
    next_steps = models.TextField("next steps to achieve green", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__section__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating_per_criterion"),
            models.CheckConstraint(condition=Q(rag__in=Rag.values), name="rating_rag_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.get_rag_display()} ({self.assessment.label})"

    def clean(self) -> None:
        if (
            self.criterion_id
            and self.assessment_id
            and self.criterion.section.framework_id != self.assessment.framework_id
        ):
            raise ValidationError({"criterion": "This criterion belongs to a different framework."})
