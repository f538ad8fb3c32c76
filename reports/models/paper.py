"""Committee papers in the UK council format (see DESIGN.md): the cover block, and every write to a paper."""

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
from reports.models.base import ArchivablePart, PaperFrozenError, PaperRuleError
from reports.models.parts import Appendix, BackgroundPaper, Implication, Recommendation, Section, SignOff
from reports.models.versions import PublishedVersion


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
        if isinstance(part, Section) and part.required:
            raise PaperRuleError(f"The template requires the section “{part}”: it cannot be removed.")
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Removed: {part}")
            part.archived_at = timezone.now()
            part.save(update_fields=["archived_at"])
            if isinstance(part, Appendix):
                self._renumber(list(self.appendices.order_by("number")))

    def add_section(self, *, by, version: int, heading: str) -> Section:
        """Add an optional section with its heading at the end of the body, at `version`."""
        if not heading.strip():
            raise PaperRuleError("Give the new section a heading.")
        with transaction.atomic():
            self.touch(by=by, version=version, reason=f"Added section: {heading.strip()}")
            order = (self.sections.aggregate(models.Max("order"))["order__max"] or 0) + 1
            section = Section(
                paper=self, kind=Section.Kind.OTHER, heading=heading.strip(), body="", order=order
            )
            section.full_clean(exclude=["body"])  # written afterwards, on the edit page
            section.save()
        return section

    def set_sign_off_need(self, sign_off: SignOff, *, by, version: int, need: str) -> None:
        """Make a sign-off required, not required or not applicable for this paper, at `version`."""
        if sign_off.paper_id != self.pk:
            raise PaperRuleError("That sign-off belongs to another paper.")
        if need not in SignOff.Need.values:
            raise PaperRuleError("Choose required, not required or not applicable.")
        with transaction.atomic():
            label = SignOff.Need(need).label.lower()
            self.touch(by=by, version=version, reason=f"Sign-off {sign_off.role}: {label}")
            sign_off.required = need == SignOff.Need.REQUIRED
            sign_off.applicable = need != SignOff.Need.NOT_APPLICABLE
            sign_off.save()

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
        return [s for s in self.sign_offs.all() if s.required and s.applicable and s.signed_on is None]

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
