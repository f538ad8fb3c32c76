"""Committee papers in the UK council format (see DESIGN.md): cover block, body, implications, appendices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CommitteePaper(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"

    class KeyDecision(models.TextChoices):
        KEY = "key", "Key"
        NON_KEY = "non_key", "Non-key"
        NOT_APPLICABLE = "n/a", "N/A"

    class Access(models.TextChoices):
        PUBLIC = "public", "Public"
        EXEMPT = "exempt", "Exempt"

    # Cover block
    committee = models.ForeignKey("actions.Board", on_delete=models.PROTECT, related_name="papers")
    meeting_date = models.DateField()
    agenda_item = models.CharField(max_length=20, blank=True, help_text="e.g. 9")
    title = models.CharField(max_length=300)
    wards_affected = models.CharField("wards and communities affected", max_length=300, default="All")
    key_decision = models.CharField(
        max_length=10, choices=KeyDecision.choices, default=KeyDecision.NOT_APPLICABLE
    )
    report_of = models.CharField(max_length=300, help_text="Name and title of the officer reporting.")
    accountable_assistant_director = models.CharField(max_length=300, blank=True)
    accountable_director = models.CharField(max_length=300, blank=True)
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.PUBLIC)
    exempt_reason = models.CharField(
        max_length=300, blank=True, help_text="The exemption paragraph relied on, when the paper is exempt."
    )
    # Body
    executive_summary = models.TextField("executive summary / purpose", blank=True)
    plan = models.ForeignKey(
        "actions.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    author_name = models.CharField("report author", max_length=200)
    author_title = models.CharField(max_length=300, blank=True)
    author_department = models.CharField(max_length=200, blank=True)
    # Lifecycle
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A published paper is a frozen record: its rendered appendices are stored, not recomputed.
    published_html = models.TextField(blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["published_html"])

    class Meta:
        ordering = ["-meeting_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(access="exempt") | ~Q(exempt_reason=""), name="exempt_paper_gives_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_paper_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.committee}, {self.meeting_date:%d %b %Y})"


class Recommendation(models.Model):
    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="recommendations")
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


class Section(models.Model):
    """A numbered body section of the paper, in the council format's order."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction and background"
        ISSUES = "issues", "Issues, options and analysis of options"
        REASONS = "reasons", "Reasons for recommendation"
        CONSULTATION = "consultation", "Consultation (including Overview and Scrutiny, if applicable)"
        IMPACT = "impact", "Impact on corporate policies, priorities, performance and community impact"
        OTHER = "other", "Other"

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(
        max_length=300, blank=True, help_text="Leave blank to use the standard heading."
    )
    body = models.TextField()
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]

    def __str__(self) -> str:
        return self.display_heading

    @property
    def display_heading(self) -> str:
        return self.heading or self.get_kind_display()


class Implication(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        LEGAL = "legal", "Legal"
        DIVERSITY = "diversity", "Diversity and equality"
        OTHER = "other", "Other implications"

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="implications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField()
    verified_by_name = models.CharField("verified by", max_length=200, blank=True)
    verified_by_title = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]
        constraints = [models.UniqueConstraint(fields=["paper", "kind"], name="one_implication_of_each_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class SignOff(models.Model):
    """A report reviewer's sign-off (e.g. finance, legal, director) with role, name and date."""

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    signed_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]
        verbose_name = "report reviewer sign-off"

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class BackgroundPaper(models.Model):
    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="background_papers")
    title = models.CharField(max_length=300)
    location = models.CharField(max_length=500, blank=True, help_text="Where it is published, or why exempt.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]

    def __str__(self) -> str:
        return self.title


class Appendix(models.Model):
    class Kind(models.TextChoices):
        ACTION_PLAN = "action_plan", "Action plan (from live data)"
        RAG_MATRIX = "rag_matrix", "RAG matrix with history (from live data)"
        KPI_CHARTS = "kpi_charts", "KPI charts (from live data)"
        DOCUMENT = "document", "Attached document"

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="appendices")
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "number"]
        verbose_name_plural = "appendices"
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="appendix_number_unique_in_paper"),
            models.CheckConstraint(
                condition=~Q(kind__in=["action_plan", "kpi_charts"]) | Q(plan__isnull=False),
                name="plan_appendix_names_plan",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rag_matrix") | Q(framework__isnull=False),
                name="rag_appendix_names_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"Appendix {self.number}: {self.title}"
