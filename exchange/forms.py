from __future__ import annotations

from django import forms

from actions.models import Plan
from exchange.files import MAX_BYTES, ImportFileError, read_upload
from exchange.models import ImportUpload
from inspections.models import Framework


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportUpload.Kind.choices,
        widget=forms.RadioSelect,
        initial=ImportUpload.Kind.ACTION_PLAN,
    )
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(archived_at__isnull=True).exclude(status=Plan.Status.CLOSED),
        required=False,
        empty_label="Choose a plan",
        help_text="For an action plan or a KPI sheet: the plan its actions or measures belong to.",
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("-year", "name"),
        required=False,
        empty_label="Choose a framework",
        help_text="For a RAG grid: the framework whose criteria are its rows.",
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="An .xlsx or .csv file of at most 5 MB, 20,000 rows and 200 columns. Formulas are read as "
        "the values Excel saved; files with macros or a password are refused.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        data = upload.read()
        try:
            self.sheets = read_upload(upload.name, data)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        self.data_bytes = data
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in (ImportUpload.Kind.ACTION_PLAN, ImportUpload.Kind.KPI_SHEET) and not cleaned.get("plan"):
            self.add_error("plan", "Choose the plan to import into")
        if kind == ImportUpload.Kind.RAG_GRID and not cleaned.get("framework"):
            self.add_error("framework", "Choose the framework the grid rates")
        return cleaned
