"""Forms for committee papers: each carries the paper version it was loaded at."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core import dates
from core.versioning import VersionField
from reports.models import PLAN_KINDS, Appendix, CommitteePaper, Implication, PaperTemplate, SignOff
from reports.papers.uploads import make_inert

MAX_REASON_LENGTH = 2000
MAX_SECTION_LENGTH = 50_000
MAX_APPENDIX_BYTES = 10 * 1024 * 1024


class VersionForm(forms.Form):
    """Publishing: the version the plan lead saw when they pressed the button."""

    version = VersionField()


class CorrectionForm(VersionForm):
    reason = forms.CharField(
        label="What needs correcting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        help_text="Recorded in the paper's history and printed with the corrected version.",
    )


class NewPaperForm(dates.ModelForm):
    """The cover fields a new paper needs, and the starter it is built from."""

    starter = forms.ModelChoiceField(
        label="Template",
        queryset=PaperTemplate.objects.filter(archived_at__isnull=True),
        empty_label=None,
        help_text="The council's house style: sections, guidance, numbering and sign-offs. Plan leads and "
        "administrators change templates under Paper templates.",
    )

    class Meta:
        model = CommitteePaper
        fields = (
            "starter",
            "committee",
            "meeting_date",
            "agenda_item",
            "title",
            "plan",
            "report_of",
            "author_name",
        )
        help_texts = {
            "plan": "The action plan its first appendix shows. Leave blank for a paper without a plan (a "
            "strategy update, a peer review progress report): add any appendices from live data yourself."
        }


class CoverForm(dates.ModelForm):
    """Cover block, executive summary and author, edited against the version the form was loaded at."""

    version = VersionField()

    class Meta:
        model = CommitteePaper
        fields = [name for name in CommitteePaper.EDITABLE_FIELDS if name != "plan"]
        widgets = {
            "executive_summary": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "executive_summary": (
                "Plain text. A blank line starts a new paragraph; lines starting “- ” make a list; "
                "**bold**; [words](https://…) for a link."
            )
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access") == CommitteePaper.Access.EXEMPT and not cleaned.get("exempt_reason"):
            self.add_error("exempt_reason", "Give the exemption paragraph relied on for an exempt paper.")
        return cleaned


class PartsForm(forms.Form):
    """Section bodies and recommendation texts, one field each, and a new recommendation."""

    version = VersionField()
    new_recommendation = forms.CharField(
        label="Add a recommendation",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, paper: CommitteePaper, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labels number as the printed paper does only where its template numbers within sections.
        numbered = paper.template is None or paper.template.numbering == PaperTemplate.Numbering.SECTIONS
        self.recommendation_fields = []
        for number, recommendation in enumerate(paper.recommendations.all(), start=1):
            name = f"recommendation_{recommendation.pk}"
            self.fields[name] = forms.CharField(
                label=f"Recommendation {'1.' if numbered else ''}{number}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=recommendation.text,
                max_length=2000,
            )
            self.recommendation_fields.append(name)
        self.section_fields = []
        for number, section in enumerate(paper.sections.all(), start=2):
            name = f"section_{section.pk}"
            self.fields[name] = forms.CharField(
                label=f"{number}. {section.display_heading}" if numbered else section.display_heading,
                widget=forms.Textarea(attrs={"rows": 8}),
                initial=section.body,
                required=False,
                max_length=MAX_SECTION_LENGTH,
                help_text=section.guidance or "Each paragraph is numbered automatically.",
            )
            self.section_fields.append(name)
        # The new recommendation goes last, after the existing ones.
        self.order_fields([*self.recommendation_fields, "new_recommendation", *self.section_fields])

    def by_pk(self, prefix: str) -> dict[int, str]:
        return {
            int(name.removeprefix(prefix)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class SignOffForm(VersionForm):
    name = forms.CharField(label="Name and title", max_length=200)
    signed_on = dates.DateField(label="Date signed")


class AppendixForm(forms.ModelForm):
    """An appendix: generated from live data, free text, or an uploaded PDF merged into the published PDF."""

    version = VersionField()

    class Meta:
        model = Appendix
        fields = ("kind", "title", "plan", "framework", "action_filter", "include_progress", "rounds", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": "Text (free-text appendix) or introduction"}

    document = forms.FileField(
        label="PDF to attach",
        required=False,
        help_text=(
            "For an uploaded PDF appendix: a PDF of up to 10 MB. Its pages are added after the paper as they "
            "are, without tags for screen readers; the file itself is also attached to the PDF, so upload an "
            "accessible (tagged) PDF where you can."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        if upload.size > MAX_APPENDIX_BYTES:
            raise forms.ValidationError("The PDF must be 10 MB or smaller.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("The file must be a PDF.")
        try:
            reader = PdfReader(upload)
            if reader.is_encrypted or len(reader.pages) == 0:
                raise forms.ValidationError("The PDF must not be password-protected or empty.")
        except (PdfReadError, ValueError, KeyError) as error:
            raise forms.ValidationError("The PDF could not be read.") from error
        upload.seek(0)
        try:
            data, self.removed_from_document = make_inert(upload.read())
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise forms.ValidationError("The PDF could not be read.") from error
        if not self.removed_from_document:
            upload.seek(0)
            return upload
        return SimpleUploadedFile(upload.name, data, content_type="application/pdf")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in PLAN_KINDS and not cleaned.get("plan"):
            self.add_error("plan", "Choose the plan this appendix shows.")
        if kind == Appendix.Kind.RAG_MATRIX and not cleaned.get("framework"):
            self.add_error("framework", "Choose the framework this appendix shows.")
        if kind == Appendix.Kind.DOCUMENT and not cleaned.get("document"):
            self.add_error("document", "Choose a PDF to attach.")
        if kind == Appendix.Kind.TEXT and not cleaned.get("body"):
            self.add_error("body", "Write the text of the appendix.")
        return cleaned


class PartChangeForm(VersionForm):
    """One change to a section, appendix, background paper or implication, pressed as a button on the edit
    page: rename, move up or down, remove (archive), or save (background papers and implications)."""

    ACTIONS = ("rename", "up", "down", "remove", "save")

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    name = forms.CharField(max_length=300, required=False)


class BackgroundPaperForm(VersionForm):
    title = forms.CharField(label="Title", max_length=300)
    location = forms.CharField(
        label="Location",
        max_length=500,
        required=False,
        help_text="Where it is published, or why it is exempt.",
    )


class ImplicationForm(VersionForm):
    kind = forms.ChoiceField(label="Kind", choices=Implication.Kind.choices, required=False)
    body = forms.CharField(label="Implications", widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    verified_by_name = forms.CharField(label="Verified by (name)", max_length=200, required=False)
    verified_by_title = forms.CharField(label="Verified by (title)", max_length=300, required=False)


class AddSectionForm(VersionForm):
    heading = forms.CharField(label="Heading of the new section", max_length=300)


class SignOffNeedForm(VersionForm):
    need = forms.ChoiceField(label="Needed for this paper", choices=SignOff.Need.choices)
