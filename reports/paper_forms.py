"""Forms for committee papers: each carries the paper version it was loaded at."""

from __future__ import annotations

from django import forms

MAX_REASON_LENGTH = 2000


class VersionForm(forms.Form):
    """Publishing: the version the plan lead saw when they pressed the button."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CorrectionForm(VersionForm):
    reason = forms.CharField(
        label="What needs correcting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        help_text="Recorded in the paper's history and printed with the corrected version.",
    )
