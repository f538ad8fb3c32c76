"""Committee papers in the UK council format (see DESIGN.md): cover block, body, implications, appendices."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import Versioned


class PaperFrozenError(Exception):
    """Raised when code tries to change a published paper, one of its parts or a published version."""


class PaperRuleError(Exception):
    """A paper write broke one of its rules (e.g. publishing before every required sign-off)."""


class PaperQuerySet(models.QuerySet):
    def published(self) -> PaperQuerySet:
        """Papers with at least one published version: all that scrutiny members see."""
        return self.filter(versions__isnull=False).distinct()

    def live(self) -> PaperQuerySet:
        return self.filter(archived_at__isnull=True)

    def with_published_title(self) -> PaperQuerySet:
        """Annotate `published_title`: the title as the latest published version printed it.

        Readers see that one; while a correction is open the paper's own title may be an unpublished draft.
        """
        latest = PublishedVersion.objects.filter(paper=OuterRef("pk")).order_by("-number")
        return self.annotate(published_title=Subquery(latest.values(title=KT("snapshot__cover__title"))[:1]))

    def update(self, **kwargs):
        if self.filter(status=CommitteePaper.Status.PUBLISHED).exists():
            raise PaperFrozenError("A published paper cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        raise PaperFrozenError("Committee papers are archived, never deleted.")


def refuse_if_published(paper_ids) -> None:
    """Raise PaperFrozenError if any of these papers is published."""
    if CommitteePaper.objects.filter(pk__in=paper_ids, status=CommitteePaper.Status.PUBLISHED).exists():
        raise PaperFrozenError("A published paper's parts cannot be changed.")


class PaperPartQuerySet(models.QuerySet):
    """Refuses bulk writes that would reach a published paper's parts."""

    def update(self, **kwargs):
        refuse_if_published(self.values("paper_id"))
        return super().update(**kwargs)

    def delete(self):
        refuse_if_published(self.values("paper_id"))
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_published({obj.paper_id for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_published({obj.paper_id for obj in objs})
        return super().bulk_update(objs, *args, **kwargs)


class PaperPart(models.Model):
    """Base of the parts of a paper: none can be saved or deleted while the paper is published."""

    objects = PaperPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        refuse_if_published([self.paper_id])


class LivePartManager(models.Manager.from_queryset(PaperPartQuerySet)):
    """The parts a paper shows: archived ones (removed in the app, never deleted) are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class ArchivablePart(PaperPart):
    """A part the plan lead can remove from the paper: it is archived (kept, with its history), not deleted.

    `objects` (and so `paper.sections` and the like, the snapshot and the PDF) sees live parts only;
    `all_objects` sees archived ones too.
    """

    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LivePartManager()
    all_objects = PaperPartQuerySet.as_manager()

    class Meta:
        abstract = True


class CommitteePaper(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"

    class KeyDecision(models.TextChoices):
        KEY = "key", "Key"
        NON_KEY = "non_key", "Non-key"
        NOT_APPLICABLE = "n/a", "N/A"
        NOT_EXECUTIVE = "not_exec", "Not an executive decision"

    class Access(models.TextChoices):
        PUBLIC = "public", "Public"
        OPEN = "open", "Open"
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
    correction_reason = models.TextField(
        blank=True,
        editable=False,
        help_text="Why the published paper was reopened; printed with its correction.",
    )
    template = models.ForeignKey(
        "reports.PaperTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    history = HistoricalRecords(excluded_fields=["published_html"])

    objects = PaperQuerySet.as_manager()

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

    # Fields a plan lead edits in the browser through `edit`; everything else changes through its own method.
    EDITABLE_FIELDS = (
        "committee",
        "meeting_date",
        "agenda_item",
        "title",
        "wards_affected",
        "key_decision",
        "report_of",
        "accountable_assistant_director",
        "accountable_director",
        "access",
        "exempt_reason",
        "executive_summary",
        "plan",
        "author_name",
        "author_title",
        "author_department",
    )

    def save(self, *args, **kwargs) -> None:
        if (
            self.pk
            and not getattr(self, "_reopening", False)
            and CommitteePaper.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        ):
            raise PaperFrozenError("A published paper cannot be changed; open a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaperFrozenError("Committee papers are archived, never deleted.")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def _claim(self, version: int) -> None:
        """Move the stored paper from `version` to the next one, or raise: frozen (published) or stale."""

        def refused() -> None:
            if CommitteePaper.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
                raise PaperFrozenError("A published paper cannot be changed; open a correction instead.")

        self.claim_version(version, where=[~Q(status=self.Status.PUBLISHED)], refused=refused)

    def edit(self, *, by, version: int, **fields) -> None:
        """Change cover, summary or author fields of a draft made against `version`."""
        unknown = set(fields) - set(self.EDITABLE_FIELDS)
        if unknown:
            raise PaperRuleError(f"Not editable here: {sorted(unknown)}")
        with transaction.atomic():
            self._claim(version)
            for name, value in fields.items():
                setattr(self, name, value)
            self._change_reason = "Edited"
            self.save()

    def edit_parts(
        self,
        *,
        by,
        version: int,
        sections: dict[int, str],
        recommendations: dict[int, str],
        new_recommendation: str = "",
    ) -> None:
        """Change section bodies and recommendation texts (by pk), and add a recommendation, at `version`."""
        with transaction.atomic():
            self.touch(by=by, version=version, reason="Edited sections and recommendations")
            for section in self.sections.filter(pk__in=sections):
                if section.body != sections[section.pk]:
                    section.body = sections[section.pk]
                    section.save()
            for recommendation in self.recommendations.filter(pk__in=recommendations):
                if recommendation.text != recommendations[recommendation.pk]:
                    recommendation.text = recommendations[recommendation.pk]
                    recommendation.save()
            if new_recommendation:
                count = self.recommendations.count()
                Recommendation.objects.create(
                    paper=self, number=f"1.{count + 1}", text=new_recommendation, order=count + 1
                )

    def add_appendix(self, *, by, version: int, document=None, **fields) -> Appendix:
        """Add an appendix (generated, free text or an uploaded PDF) as the next number, at `version`."""
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Added appendix: {fields.get('title', '')}")
            number = (self.appendices.aggregate(models.Max("number"))["number__max"] or 0) + 1
            appendix = Appendix(paper=self, number=number, **fields)
            if document is not None:
                appendix.document.save(f"{self.pk}-appendix-{number}.pdf", document, save=False)
            appendix.full_clean(exclude=["document"])
            appendix.save()
        return appendix

    # The parts a plan lead can reorder, rename and remove in the app, and the field that names each.
    PART_NAME_FIELDS = {"section": "heading", "appendix": "title", "backgroundpaper": "title"}

    def _own_part(self, part: ArchivablePart) -> None:
        if part.paper_id != self.pk or part.archived_at is not None:
            raise PaperRuleError("That part is not in this paper.")

    def _siblings(self, part: ArchivablePart) -> list:
        """Return the live parts of the same kind as `part`, in their printed order."""
        if isinstance(part, Appendix):
            return list(self.appendices.order_by("number"))
        manager = {Section: self.sections, BackgroundPaper: self.background_papers}[type(part)]
        return list(manager.order_by("order", "pk"))

    def _renumber(self, parts: list) -> None:
        """Save `parts` in this order: appendices renumbered 1, 2… (in two steps, numbers being unique),
        sections and background papers given orders 1, 2…"""
        if parts and isinstance(parts[0], Appendix):
            for index, appendix in enumerate(parts, start=1):
                if appendix.number != index:
                    appendix.number = 10_000 + index
                    appendix.save(update_fields=["number"])
            for index, appendix in enumerate(parts, start=1):
                if appendix.number != index:
                    appendix.number = index
                    appendix.save(update_fields=["number"])
            return
        for index, part in enumerate(parts, start=1):
            if part.order != index:
                part.order = index
                part.save(update_fields=["order"])

    def move_part(self, part: ArchivablePart, *, by, version: int, step: int) -> None:
        """Move a section, appendix or background paper `step` places (-1 up, +1 down) at `version`."""
        self._own_part(part)
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Moved: {part}")
            parts = self._siblings(part)
            index = next(i for i, sibling in enumerate(parts) if sibling.pk == part.pk)
            target = min(max(index + step, 0), len(parts) - 1)
            parts.insert(target, parts.pop(index))
            self._renumber(parts)

    def rename_part(self, part: ArchivablePart, *, by, version: int, name: str) -> None:
        """Rename a section (its heading; blank for the standard one), an appendix or a background paper."""
        self._own_part(part)
        field = self.PART_NAME_FIELDS.get(part._meta.model_name)
        if field is None:
            raise PaperRuleError("That part has no name to change.")
        if not name.strip() and field == "title":
            raise PaperRuleError("Give it a title.")
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Renamed: {part}")
            setattr(part, field, name.strip())
            part.clean_fields(exclude=[other.name for other in part._meta.fields if other.name != field])
            part.save()

    def archive_part(self, part: ArchivablePart, *, by, version: int) -> None:
        """Remove a section, implication, background paper or appendix from the paper: archived, not deleted.
        The appendices after a removed one move up a number."""
        self._own_part(part)
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Removed: {part}")
            part.archived_at = timezone.now()
            part.save(update_fields=["archived_at"])
            if isinstance(part, Appendix):
                self._renumber(list(self.appendices.order_by("number")))

    def save_background_paper(self, *, by, version: int, background=None, title: str, location: str = ""):
        """Add a background paper (at the end), or change one, at `version`."""
        if background is not None:
            self._own_part(background)
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Background paper: {title}")
            if background is None:
                count = self.background_papers.count()
                background = BackgroundPaper(paper=self, order=count + 1)
            background.title, background.location = title, location
            background.full_clean()
            background.save()
        return background

    def save_implication(self, *, by, version: int, implication=None, kind: str = "", **fields):
        """Add an implication (one of each kind) or change one: its text and who verified it, at `version`."""
        allowed = {"body", "verified_by_name", "verified_by_title"}
        if set(fields) - allowed:
            raise PaperRuleError(f"Not editable here: {sorted(set(fields) - allowed)}")
        if implication is not None:
            self._own_part(implication)
        with transaction.atomic():
            self.touch(by=by, version=version, reason="Implications")
            if implication is None:
                if self.implications.filter(kind=kind).exists():
                    raise PaperRuleError("The paper already has implications of that kind: edit those.")
                kinds = list(Implication.Kind.values)
                order = kinds.index(kind) + 1 if kind in kinds else 0
                implication = Implication(paper=self, kind=kind, order=order)
            for name, value in fields.items():
                setattr(implication, name, value)
            implication.full_clean()
            implication.save()
        return implication

    def touch(self, *, by, version: int, reason: str) -> None:
        """Claim the next version for a change to one of the paper's parts (sections, sign-offs…)."""
        self._claim(version)
        self._change_reason = reason
        self.save(update_fields=["version"])

    def sign(self, sign_off: SignOff, *, by, version: int, name: str, signed_on) -> None:
        """Record a report reviewer's sign-off (name and date) against `version` of the paper."""
        if sign_off.paper_id != self.pk:
            raise PaperRuleError("That sign-off belongs to another paper.")
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Signed off: {sign_off.role}")
            sign_off.name = name
            sign_off.signed_on = signed_on
            sign_off.signed_by = by
            sign_off.save()

    def unsigned_required(self) -> list[SignOff]:
        return [s for s in self.sign_offs.all() if s.required and s.signed_on is None]

    def publish(self, *, by, version: int, at=None, note: str = "") -> PublishedVersion:
        """Freeze the paper: render it, store the PDF with its SHA-256 and the data it showed.

        Rendering takes seconds, so it happens before the version is claimed; the claim and the saves then
        take a short transaction, and the stored file is removed if that transaction fails (stale, frozen).
        """
        from reports.papers.render import render_paper_pdf
        from reports.papers.snapshot import build_snapshot

        if self.unsigned_required():
            raise PaperRuleError("Every required sign-off must be signed before the paper is published.")
        at = at or timezone.now()
        number = self.versions.count() + 1
        snapshot = build_snapshot(self, version_number=number, published_at=at)
        pdf = render_paper_pdf(snapshot, attachments=self.pdf_attachments())
        published = PublishedVersion(
            paper=self,
            number=number,
            published_at=at,
            published_by=by,
            sha256=hashlib.sha256(pdf.data).hexdigest(),
            size=len(pdf.data),
            page_count=pdf.page_count,
            snapshot=snapshot,
            note=note or self.correction_reason,
        )
        published.pdf.save(f"{self.pk}-v{number}.pdf", ContentFile(pdf.data), save=False)
        try:
            with transaction.atomic():
                self._claim(version)
                published.save()
                self.status = self.Status.PUBLISHED
                self.published_at = at
                self.correction_reason = ""
                self._change_reason = f"Published version {number}"
                self.save()
        except BaseException:
            published.pdf.delete(save=False)
            raise
        return published

    def open_correction(self, *, by, version: int, reason: str) -> None:
        """Reopen a published paper as a draft for a correction; its published versions stay as they are."""
        if not self.is_published:
            raise PaperRuleError("Only a published paper needs a correction.")
        with transaction.atomic():
            self.check_version(version)
            self.status = self.Status.DRAFT
            self.version = version + 1
            self.correction_reason = reason
            self._reopening = True
            self._change_reason = f"Correction opened: {reason}"
            try:
                self.save()
            finally:
                self._reopening = False

    def pdf_attachments(self) -> list:
        """Return the uploaded PDF appendices, in order, as (number, title, file) to merge after the paper."""
        return [
            (appendix.number, appendix.title, appendix.document)
            for appendix in self.appendices.all()
            if appendix.kind == Appendix.Kind.DOCUMENT and appendix.document
        ]


class Recommendation(PaperPart):
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


class Section(ArchivablePart):
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
    guidance = models.TextField(blank=True, help_text="From the template: what this section should say.")
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

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="implications")
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

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    signed_on = models.DateField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    required = models.BooleanField(default=True, help_text="The paper cannot be published until signed.")
    printed = models.BooleanField(default=True, help_text="Shown in the published paper's sign-off table.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "order"]
        verbose_name = "report reviewer sign-off"

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class BackgroundPaper(ArchivablePart):
    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="background_papers")
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


class PdfIntegrityError(Exception):
    """The stored PDF of a published version no longer matches the checksum taken when it was published."""


class PublishedVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PaperFrozenError("Published versions are never changed.")

    def delete(self):
        raise PaperFrozenError("Published versions are never deleted.")


class PublishedVersion(models.Model):
    """One published version of a paper: the PDF as printed, its SHA-256 and the data it showed. Immutable."""

    paper = models.ForeignKey(CommitteePaper, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="papers/published/")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="Everything the paper showed, as rendered.")
    note = models.TextField(blank=True, help_text="What a correction changed.")

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="published_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper.title}, version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PaperFrozenError("Published versions are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaperFrozenError("Published versions are never deleted.")

    def read_verified_pdf(self) -> bytes:
        """Return the stored PDF's bytes; raise PdfIntegrityError if they are not what was published."""
        with self.pdf.open("rb") as stored:
            data = stored.read()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PdfIntegrityError(f"{self.pdf.name} does not match its published SHA-256.")
        return data


# Paper templates live in their own module; imported here so Django finds the models.
from reports.paper_templates import PaperTemplate, TemplateSection, TemplateSignOff  # noqa: E402

__all__ = ["PaperTemplate", "TemplateSection", "TemplateSignOff"]
