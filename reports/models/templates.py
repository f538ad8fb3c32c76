"""Paper templates as data: a council's house style for committee papers, edited in the app by plan leads and
administrators. Which sections in which order (with the council's headings, guidance, and which are
required), the cover fields it prints, its headings for the fixed parts, how paragraphs are numbered, how
recommendations read, and which reviewers sign off (required before publishing? printed in the paper?).
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import Versioned

BACKGROUND_HEADING = (
    "Background papers used in preparing the report (including their location on the Council's website or "
    "identification whether any are exempt or protected by copyright)"
)

# The cover fields a template can print (the title, committee and meeting date always print).
COVER_FIELDS = [
    ("agenda_item", "Agenda item number"),
    ("wards_affected", "Wards and communities affected"),
    ("key_decision", "Key decision"),
    ("report_of", "Report of"),
    ("accountable_assistant_director", "Accountable assistant director"),
    ("accountable_director", "Accountable director"),
    ("classification", "Classification (public or exempt)"),
]


def all_cover_fields() -> list[str]:
    return [name for name, _label in COVER_FIELDS]


class PaperTemplate(Versioned):
    class Numbering(models.TextChoices):
        SECTIONS = "sections", "Within sections: 2.1, 2.2"
        CONTINUOUS = "continuous", "Continuously across the paper: 1, 2, 3"
        NONE = "none", "No paragraph numbers"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    summary = models.TextField("starting executive summary", blank=True)
    recommendation = models.TextField("starting recommendation", blank=True)
    appendix_title = models.CharField(
        max_length=300, blank=True, help_text="Title of the action-plan appendix a new paper starts with."
    )
    numbering = models.CharField(
        "paragraph numbering", max_length=20, choices=Numbering.choices, default=Numbering.SECTIONS
    )
    number_headings = models.BooleanField(
        "number the section headings",
        default=True,
        help_text="With continuous numbering: headings 1, 2, 3 as well as paragraphs. Within sections they "
        "always are; with no numbering never.",
    )
    cover_fields = models.JSONField(
        default=all_cover_fields, blank=True, help_text="The cover fields the council's papers print."
    )
    summary_heading = models.CharField(max_length=200, default="Executive Summary")
    recommendations_heading = models.CharField(max_length=200, default="Recommendation(s)")
    recommendations_lead_in = models.CharField(
        "recommendations lead-in", max_length=200, blank=True, help_text='e.g. "That:"'
    )
    lettered_recommendations = models.BooleanField(
        "letter the recommendations", default=False, help_text="a), b), c) instead of paragraph numbers."
    )
    implications_heading = models.CharField(max_length=200, default="Implications")
    background_heading = models.CharField(
        "background papers heading", max_length=300, default=BACKGROUND_HEADING
    )
    appendices_heading = models.CharField(max_length=200, default="Appendices to the report")
    order = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    # The fields the template editor changes, besides its sections and sign-offs.
    EDITABLE_FIELDS = (
        "name",
        "description",
        "numbering",
        "number_headings",
        "cover_fields",
        "summary_heading",
        "recommendations_heading",
        "recommendations_lead_in",
        "lettered_recommendations",
        "implications_heading",
        "background_heading",
        "appendices_heading",
        "summary",
        "recommendation",
        "appendix_title",
    )

    def house_style(self) -> dict:
        """Return what a paper made from this template prints the same way: numbering, headings, cover."""
        return {name: getattr(self, name) for name in self.EDITABLE_FIELDS if name not in self._NOT_STYLE}

    _NOT_STYLE = {"name", "description", "summary", "recommendation", "appendix_title"}

    def edit_layout(self, *, by, version: int, fields: dict, sections: list[dict], sign_offs: list[dict]):
        """Save the template's fields, sections and sign-offs (each row: pk or None, its values, `remove`),
        in the order given, made against `version`. Removed rows are archived, never deleted."""
        with transaction.atomic():
            self.claim_version(version)
            for name, value in fields.items():
                setattr(self, name, value)
            self._change_reason = "Edited in the app"
            self.save()
            self._sync(TemplateSection, self.sections, sections)
            self._sync(TemplateSignOff, self.sign_offs, sign_offs)

    def _sync(self, model, manager, rows: list[dict]) -> None:
        existing = {row.pk: row for row in manager.all()}
        order = 0
        for values in rows:
            values = dict(values)
            pk, remove = values.pop("pk", None), values.pop("remove", False)
            row = existing.get(pk) if pk else None
            if remove:
                if row is not None:
                    row.archived_at = timezone.now()
                    row.save(update_fields=["archived_at"])
                continue
            order += 1
            row = row or model(template=self)
            for name, value in {**values, "order": order}.items():
                setattr(row, name, value)
            row.full_clean(exclude=["template"])
            row.save()

    @classmethod
    def start_from(cls, source: PaperTemplate, *, by, name: str) -> PaperTemplate:
        """Create a template called `name` as a copy of `source`: its style, sections and sign-offs."""
        with transaction.atomic():
            template = cls(name=name, order=cls.objects.count() + 1)
            for field in cls.EDITABLE_FIELDS:
                if field != "name":
                    setattr(template, field, getattr(source, field))
            template._change_reason = f"Started from {source.name}"
            template.full_clean()
            template.save()
            for section in source.sections.all():
                TemplateSection.objects.create(
                    template=template,
                    heading=section.heading,
                    guidance=section.guidance,
                    required=section.required,
                    order=section.order,
                )
            for sign_off in source.sign_offs.all():
                TemplateSignOff.objects.create(
                    template=template,
                    role=sign_off.role,
                    required=sign_off.required,
                    printed=sign_off.printed,
                    order=sign_off.order,
                )
        return template

    @classmethod
    def from_paper(cls, paper, *, by, name: str) -> PaperTemplate:
        """Create a template called `name` from a paper: its style (from its own template), its sections as
        they now stand (headings, guidance, required) and the sign-offs it needs."""
        source = paper.template or cls(name="")
        with transaction.atomic():
            template = cls(name=name, order=cls.objects.count() + 1, summary=paper.executive_summary)
            for field in cls.EDITABLE_FIELDS:
                if field not in ("name", "summary"):
                    setattr(template, field, getattr(source, field))
            template._change_reason = f"Saved from the paper {paper.title}"
            template.full_clean()
            template.save()
            for order, section in enumerate(paper.sections.all(), start=1):
                TemplateSection.objects.create(
                    template=template,
                    heading=section.display_heading,
                    guidance=section.guidance,
                    required=section.required,
                    order=order,
                )
            for order, sign_off in enumerate(paper.sign_offs.filter(applicable=True), start=1):
                TemplateSignOff.objects.create(
                    template=template,
                    role=sign_off.role,
                    required=sign_off.required,
                    printed=sign_off.printed,
                    order=order,
                )
        return template


class LiveRowManager(models.Manager):
    """The rows a template has now: removed ones are archived (kept, with their history), not deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class TemplateRow(models.Model):
    """A section or sign-off of a template, in order; removed in the app means archived, never deleted."""

    order = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    all_objects = models.QuerySet.as_manager()
    objects = LiveRowManager()

    class Meta:
        abstract = True
        ordering = ["template", "order"]
        base_manager_name = "all_objects"
        default_manager_name = "objects"


class TemplateSection(TemplateRow):
    template = models.ForeignKey(PaperTemplate, on_delete=models.PROTECT, related_name="sections")
    heading = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, help_text="Shown to the writer beside the section.")
    required = models.BooleanField(default=False, help_text="A paper cannot drop a required section.")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.heading


class TemplateSignOff(TemplateRow):
    template = models.ForeignKey(PaperTemplate, on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(max_length=200)
    required = models.BooleanField(default=True, help_text="The paper cannot be published until signed.")
    printed = models.BooleanField(default=True, help_text="Printed in the paper's report reviewers table.")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.role
