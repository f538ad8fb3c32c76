"""Forms of the paper template editor: the template's style, and its sections and sign-offs as rows."""

from __future__ import annotations

from django import forms

from core.versioning import VersionedModelForm
from reports.models import PaperTemplate
from reports.models.templates import COVER_FIELDS


class TemplateForm(VersionedModelForm):
    cover_fields = forms.MultipleChoiceField(
        label="Cover fields the council prints",
        choices=COVER_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The title, committee and meeting date always print.",
    )

    class Meta:
        model = PaperTemplate
        fields = PaperTemplate.EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
            "numbering": forms.RadioSelect,
        }


class RowForm(forms.Form):
    """One section or sign-off of a template; a blank new row is left out, "Remove" archives a saved one."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    position = forms.IntegerField(min_value=1, max_value=999, required=False)
    remove = forms.BooleanField(required=False)
    name_field = ""

    def row(self) -> dict | None:
        """Return the row's values for PaperTemplate.edit_layout, or None for a blank new row."""
        data = dict(self.cleaned_data)
        if not data or (not data.get("pk") and not data.get(self.name_field)):
            return None
        data.pop("position", None)
        return data

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pk") and not cleaned.get("remove") and not cleaned.get(self.name_field):
            self.add_error(self.name_field, "Give it a name, or tick Remove.")
        return cleaned


class SectionRowForm(RowForm):
    heading = forms.CharField(max_length=300, required=False)
    guidance = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    required = forms.BooleanField(required=False, help_text="A paper cannot drop it.")
    name_field = "heading"


class SignOffRowForm(RowForm):
    role = forms.CharField(max_length=200, required=False)
    required = forms.BooleanField(required=False, help_text="Signed before publishing.")
    printed = forms.BooleanField(required=False, help_text="In the report reviewers table.")
    name_field = "role"


class RowFormSet(forms.BaseFormSet):
    """Rows labelled by number ("Section 2 heading"), so each field has its own accessible name."""

    noun = ""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, field in form.fields.items():
            if name != "pk":
                field.label = f"{self.noun} {i + 1}: {name.replace('_', ' ')}"
        return form

    def rows(self) -> list[dict]:
        """Return the rows in the order their positions give (rows without one keep theirs, at the end)."""
        numbered = [
            (form.cleaned_data.get("position") or 1000 + index, index, form.row())
            for index, form in enumerate(self.forms)
        ]
        return [row for _position, _index, row in sorted(numbered, key=lambda t: t[:2]) if row is not None]


class SectionFormSet(RowFormSet):
    noun = "Section"


class SignOffFormSet(RowFormSet):
    noun = "Sign-off"


ROWS = {
    # prefix: (row form, formset, the template's rows, the fields each row shows)
    "sections": (SectionRowForm, SectionFormSet, "sections", ("heading", "guidance", "required")),
    "signoffs": (SignOffRowForm, SignOffFormSet, "sign_offs", ("role", "required", "printed")),
}


def row_formsets(template: PaperTemplate, data=None) -> list[RowFormSet]:
    """Return the sections and sign-offs formsets of a template, two blank rows each for adding."""
    formsets = []
    for prefix, (form, formset, related, fields) in ROWS.items():
        initial = [
            {"pk": row.pk, "position": n, **{name: getattr(row, name) for name in fields}}
            for n, row in enumerate(getattr(template, related).all(), start=1)
        ]
        formsets.append(
            forms.formset_factory(form, formset=formset, extra=2)(data, prefix=prefix, initial=initial)
        )
    return formsets


class StartTemplateForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Start from",
        queryset=PaperTemplate.objects.filter(archived_at__isnull=True),
        empty_label=None,
        help_text="A shipped template or one of yours: its style, sections and sign-offs are copied.",
    )
    name = forms.CharField(label="Name of the new template", max_length=200)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if PaperTemplate.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("A template has that name already.")
        return name


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(label="Name of the new template", max_length=200)

    clean_name = StartTemplateForm.clean_name
