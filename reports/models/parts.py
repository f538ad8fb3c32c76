"""The parts of a committee paper: recommendations, sections, implications, sign-offs, background papers and
appendices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from reports.models.base import ArchivablePart, PaperPart


class Recommendation(PaperPart):
    paper = models.ForeignKey(
        "reports.CommitteePaper", on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.CharField(max_length=10, help_text="e.g. 1.1")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="recommendation_number_unique_in_paper"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}"


class Section(ArchivablePart):
    """A numbered body section of the paper, in the council format's order."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction and background"
        ISSUES = "issues", "Issues, options and analysis of options"
        REASONS = "reasons", "Reasons for recommendation"
        CONSULTATION = "consultation", "Consultation (including Overview and Scrutiny, if applicable)"
        IMPACT = "impact", "Impact on corporate policies, priorities, performance and community impact"
        OTHER = "other", "Other"

    paper = models.ForeignKey("reports.CommitteePaper", on_delete=models.PROTECT, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(
        max_length=300, blank=True, help_text="Leave blank to use the standard heading."
    )
    body = models.TextField()
    guidance = models.TextField(blank=True, help_text="From the template: what this section should say.")
    required = models.BooleanField(default=False, help_text="From the template: the paper cannot drop it.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]

    def __str__(self) -> str:
        return self.display_heading

    @property
    def display_heading(self) -> str:
        return self.heading or self.get_kind_display()


class Implication(ArchivablePart):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        LEGAL = "legal", "Legal"
        DIVERSITY = "diversity", "Diversity and equality"
        OTHER = "other", "Other implications"

    paper = models.ForeignKey("reports.CommitteePaper", on_delete=models.PROTECT, related_name="implications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField()
    verified_by_name = models.CharField("verified by", max_length=200, blank=True)
    verified_by_title = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "kind"],
                condition=Q(archived_at__isnull=True),
                name="one_live_implication_of_each_kind",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SignOff(PaperPart):
    """A report reviewer's sign-off (e.g. finance, legal, director) with role, name and date."""

    paper = models.ForeignKey("reports.CommitteePaper", on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    signed_on = models.DateField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    required = models.BooleanField(default=True, help_text="The paper cannot be published until signed.")
    printed = models.BooleanField(default=True, help_text="Shown in the published paper's sign-off table.")
    applicable = models.BooleanField(default=True, help_text="Off: the paper prints it as not applicable.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]
        verbose_name = "report reviewer sign-off"

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"

    class Need(models.TextChoices):
        REQUIRED = "required", "Required"
        OPTIONAL = "optional", "Not required"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    @property
    def need(self) -> str:
        if not self.applicable:
            return self.Need.NOT_APPLICABLE
        return self.Need.REQUIRED if self.required else self.Need.OPTIONAL


class BackgroundPaper(ArchivablePart):
    paper = models.ForeignKey(
        "reports.CommitteePaper", on_delete=models.PROTECT, related_name="background_papers"
    )
    title = models.CharField(max_length=300)
    location = models.CharField(max_length=500, blank=True, help_text="Where it is published, or why exempt.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]

    def __str__(self) -> str:
        return self.title


# Appendix kinds that show one plan (the check constraint and the form read this).
PLAN_KINDS = ["action_plan", "kpi_charts", "coverage", "rebaselines"]


class Appendix(ArchivablePart):
    class Kind(models.TextChoices):
        ACTION_PLAN = "action_plan", "Action plan (from live data)"
        RAG_MATRIX = "rag_matrix", "RAG matrix with history (from live data)"
        KPI_CHARTS = "kpi_charts", "KPI charts (from live data)"
        COVERAGE = "coverage", "Coverage of the inspection's findings, with status (from live data)"
        REBASELINES = (
            "rebaselines",
            "Due dates moved: re-baselines with old date, new date and reason (live data)",
        )
        TEXT = "text", "Free text (e.g. a glossary)"
        DOCUMENT = "document", "Uploaded PDF"

    class ActionFilter(models.TextChoices):
        ALL = "all", "All actions"
        OPEN = "open", "Open actions only"
        AT_RISK = "at_risk", "Off track or at risk (red or amber) only"

    paper = models.ForeignKey("reports.CommitteePaper", on_delete=models.PROTECT, related_name="appendices")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    plan = models.ForeignKey(
        "actions.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    framework = models.ForeignKey(
        "inspections.Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(blank=True, help_text="Text of an attached document, or an introduction.")
    action_filter = models.CharField(max_length=10, choices=ActionFilter.choices, default=ActionFilter.ALL)
    include_progress = models.BooleanField(
        default=True, help_text="Show status, RAG and the latest update (off for a plan not yet started)."
    )
    rounds = models.PositiveSmallIntegerField(
        default=4, help_text="How many of the latest assessments the RAG matrix shows as columns."
    )
    document = models.FileField(upload_to="papers/appendices/", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "number"]
        verbose_name_plural = "appendices"
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "number"],
                condition=Q(archived_at__isnull=True),
                name="live_appendix_number_unique_in_paper",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PLAN_KINDS) | Q(plan__isnull=False),
                name="plan_appendix_names_plan",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rag_matrix") | Q(framework__isnull=False),
                name="rag_appendix_names_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"Appendix {self.number}: {self.title}"
