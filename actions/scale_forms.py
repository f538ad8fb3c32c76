"""Forms for RAG scales: a plan lead defines scales and levels in the app, and moves a plan between scales."""

from __future__ import annotations

from django import forms

from actions.models import Organisation, RagLevel, RagScale
from core.dates import DateField
from core.versioning import VersionedModelForm, VersionField


class ScaleForm(forms.ModelForm):
    class Meta:
        model = RagScale
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class LevelForm(VersionedModelForm):
    class Meta:
        model = RagLevel
        fields = [
            "label",
            "colour",
            "pattern",
            "meaning",
            "status",
            "order",
            "requires_reason",
            "requires_recovery",
            "counts_as_closed",
            "counts_as_on_track",
            "counts_as_not_started",
        ]
        help_texts = {
            "colour": "Two levels may share a colour; give one a pattern so they differ by more than words.",
            "order": "Levels are listed in this order (lowest first).",
            "status": (
                "For a two-tier scale: the action status this level belongs to (e.g. green, amber and red "
                "with “In progress”). Leave empty if it goes with any status."
            ),
        }

    def __init__(self, *args, scale: RagScale, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.fields["status"].choices = [("", "Any status"), *self.fields["status"].choices[1:]]

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        same = RagLevel.objects.filter(scale=self.scale, label__iexact=label).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError("Another level of this scale has this label")
        return label

    def clean(self) -> dict:
        data = super().clean()
        flags = ("counts_as_closed", "counts_as_on_track", "counts_as_not_started")
        if sum(bool(data.get(name)) for name in flags) > 1:
            raise forms.ValidationError("A level counts as closed, on track or not started: one at most")
        return data


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RagLevel) -> str:
        pattern = f", {obj.get_pattern_display().lower()}" if obj.pattern else ""
        return f"{obj.label} ({obj.get_colour_display().lower()}{pattern})"


class ScaleMoveForm(forms.Form):
    """Step 2 of moving a plan to another scale: map every level in use to a level of the new scale."""

    version = VersionField()
    scale = forms.ModelChoiceField(queryset=RagScale.objects.all(), widget=forms.HiddenInput)

    def __init__(self, *args, in_use: list[RagLevel], scale: RagScale, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.in_use = in_use
        targets = scale.levels.filter(retired_at__isnull=True).order_by("order")
        for level in in_use:
            same = next((t for t in targets if t.label.lower() == level.label.lower()), None)
            self.fields[f"map_{level.pk}"] = LevelChoiceField(
                queryset=targets,
                label=f"Actions now “{level.label}” become",
                initial=same.pk if same else None,
            )

    def mapping(self) -> dict[int, RagLevel]:
        return {level.pk: self.cleaned_data[f"map_{level.pk}"] for level in self.in_use}


class ScaleChoiceForm(forms.Form):
    """Step 1: choose the scale to move to (a GET form, so it works without JavaScript)."""

    scale = forms.ModelChoiceField(queryset=RagScale.objects.order_by("name"), label="Move the plan to")


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind"]
        help_texts = {"name": "Renaming keeps what the organisation led; its history keeps the old name."}


class SuccessionForm(forms.Form):
    version = VersionField()
    successor = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Replaced by")
    on = DateField(label="Date of the change")
    move_people = forms.BooleanField(
        label="Move its people to the new organisation",
        required=False,
        help_text="Their earlier organisation stays in their history; actions keep their lead organisations.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        kwargs.setdefault("prefix", "succession")  # shares a page with the rename form
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Organisation.objects.exclude(pk=organisation.pk).order_by("name")
