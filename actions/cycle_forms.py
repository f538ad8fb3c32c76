"""Forms of the update cycle: boards, meetings, an update recorded on a lead's behalf, the cycle field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.cycle import CYCLE_PRESETS, MAX_CYCLE_DAYS
from actions.forms import ActionUpdateForm
from actions.models import Action, Board, CadenceChange, Meeting
from actions.models.boards import every_n_weeks, nth_weekday_monthly
from core.dates import DateField
from core.versioning import VersionedModelForm, VersionField

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


class CadenceChangeForm(VersionedModelForm):
    """A change of a plan's reporting cadence from a date; the instance carries its plan."""

    starts_on = DateField(
        label="From",
        help_text="The first update deadline of the new cycle; the next ones follow it every so many days.",
    )
    cycle_days = UpdateCycleField(
        label="New update cycle (days)", help_text="For example quarterly 91, annually 365."
    )

    class Meta:
        model = CadenceChange
        fields = ["starts_on", "cycle_days", "note"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_on"):
            try:
                self.instance.check_edit({"starts_on": data["starts_on"]})
            except ValidationError as broken:
                self.add_error(None, broken)
        return data


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


class MeetingSeriesForm(forms.Form):
    """A board's meetings as a series: every N weeks from a date, or one weekday of each month, until a date.

    `version` is the board's, as loaded.
    """

    EVERY_N_WEEKS = "weeks"
    MONTHLY = "monthly"
    WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
    WHICH = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]

    version = VersionField()
    pattern = forms.ChoiceField(
        label="How often",
        choices=[(EVERY_N_WEEKS, "Every so many weeks"), (MONTHLY, "On one weekday of each month")],
        widget=forms.RadioSelect,
    )
    starts_on = DateField(label="First meeting (or the series' start)")
    until = DateField(label="Last date of the series")
    weeks = forms.IntegerField(
        label="Every how many weeks",
        required=False,
        min_value=1,
        max_value=52,
        help_text="For every so many weeks.",
    )
    which = forms.TypedChoiceField(
        label="Which weekday of the month",
        choices=WHICH,
        coerce=int,
        required=False,
        help_text="For monthly.",
    )
    weekday = forms.TypedChoiceField(label="Weekday", choices=WEEKDAYS, coerce=int, required=False)
    title = forms.CharField(max_length=200, required=False)
    location = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, until = data.get("starts_on"), data.get("until")
        if start and until and until < start:
            self.add_error("until", "The last date must be on or after the first")
        if data.get("pattern") == self.EVERY_N_WEEKS and not data.get("weeks"):
            self.add_error("weeks", "Enter how many weeks apart the meetings are")
        if data.get("pattern") == self.MONTHLY:
            for name in ("which", "weekday"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "Choose which weekday of the month")
        return data

    def dates(self) -> list:
        """Return the series' dates from the cleaned form."""
        data = self.cleaned_data
        if data["pattern"] == self.EVERY_N_WEEKS:
            return every_n_weeks(data["starts_on"], data["weeks"], data["until"])
        return nth_weekday_monthly(data["starts_on"], data["weekday"], data["which"], data["until"])
