"""Forms a plan lead uses to prepare the public page; each carries the version it was loaded at."""

from __future__ import annotations

from django import forms

from core.versioning import VersionField


class VersionedForm(forms.Form):
    """A form for a record that may not exist yet: version 0 creates it."""

    version = VersionField(allow_new=True)


class PurposeForm(VersionedForm):
    purpose = forms.CharField(
        label="Purpose in plain words",
        help_text="What the plan is for, written for families: one idea per paragraph.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        error_messages={"required": "Enter the plan's purpose in plain words"},
    )


class SummaryForm(VersionedForm):
    done = forms.CharField(
        label="What has been done",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": "Enter what has been done"},
    )
    next_steps = forms.CharField(
        label="What happens next",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": "Enter what happens next"},
    )


class YouSaidWeDidForm(VersionedForm):
    you_said = forms.CharField(
        label="You said",
        help_text="What families told the area, in their words where you can.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what families said"},
    )
    we_did = forms.CharField(
        label="We did",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what the area did"},
    )


class VersionOnlyForm(VersionedForm):
    """A button that acts on a record (approve, publish, withdraw), carrying the version it was shown at."""


class MeasureForm(VersionedForm):
    is_public = forms.TypedChoiceField(
        choices=[("1", "Show on the public page"), ("0", "Do not show")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Choose whether to show the measure"},
    )
