"""Forms of the update cycle: boards, meetings, an update recorded on a lead's behalf, the cycle field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.cycle import CYCLE_PRESETS, MAX_CYCLE_DAYS
from actions.forms import ActionUpdateForm
from actions.models import Action, Board, Meeting
from core.dates import DateField
from core.versioning import VersionedModelForm

_TEXT = {"rows": 4}


class CycleWidget(forms.NumberInput):
    """A number of days with the named presets offered as suggestions (a <datalist>)."""

    template_name = "actions/widgets/cycle.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-presets"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["presets"] = CYCLE_PRESETS
        return context


class UpdateCycleField(forms.IntegerField):
    """A plan's update cycle in days: any number from 1 to a year, presets weekly to quarterly.

    For the plan form (#9): `update_cycle_days = UpdateCycleField()`.
    """

    widget = CycleWidget

    def __init__(self, **kwargs) -> None:
        presets = ", ".join(f"{label.lower()} {days}" for days, label in CYCLE_PRESETS)
        kwargs.setdefault("label", "Update cycle (days)")
        kwargs.setdefault(
            "help_text",
            f"Used when the plan has no board meeting to work to. For example {presets}.",
        )
        super().__init__(min_value=1, max_value=MAX_CYCLE_DAYS, **kwargs)


class BoardForm(VersionedModelForm):
    class Meta:
        model = Board
        fields = ["name", "kind", "chair", "meeting_cadence"]


class MeetingForm(VersionedModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "location", "cancelled", "papers", "minutes"]
        widgets = {
            "papers": forms.Textarea(attrs=_TEXT),
            "minutes": forms.Textarea(attrs=_TEXT),
        }

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        clash = Meeting.objects.filter(board_id=self.instance.board_id, date=data["date"])
        if clash.exclude(pk=self.instance.pk).exists():
            self.add_error("date", "The board already has a meeting on that day")
            return data
        try:
            self.instance.check_edit(self.changes())
        except ValidationError as error:
            self.add_error(None, error)
        return data


class RecordUpdateForm(ActionUpdateForm):
    """An update a lead gave by email or phone, recorded by the plan lead with the date it was given."""

    field_order = ["on_behalf_of", "given_on"]

    on_behalf_of = forms.ModelChoiceField(queryset=None, label="Update given by", empty_label=None)
    given_on = DateField(
        label="Date the update was given",
        help_text="The day the lead sent or told you the update.",
    )

    def __init__(self, *args, action: Action, **kwargs) -> None:
        super().__init__(*args, action=action, **kwargs)
        self.fields["on_behalf_of"].queryset = action.leads.all()
        self.fields["given_on"].initial = timezone.localdate()

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise ValidationError("The date the update was given must be today or in the past")
        return given_on
