from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from actions.models import ComparatorSeries, Measure, MeasureValue, Plan, Priority
from core.dates import DateField
from core.versioning import VersionedModelForm


class SinceForm(forms.Form):
    """The "changed since" date of the overview, sent by GET; blank means the last committee meeting."""

    since = DateField(
        label="Show changes since",
        required=False,
        help_text="Leave blank for the last scrutiny committee meeting.",
    )

    def clean_since(self) -> datetime.date | None:
        since = self.cleaned_data["since"]
        if since and since > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        if since and since.year < 2000:
            raise forms.ValidationError("Enter a date after 1 January 2000")
        return since


class ValueRowForm(forms.Form):
    """One period of a measure: our value, and the national figure with its own period when published."""

    period_end = forms.DateField(widget=forms.HiddenInput)
    value = forms.DecimalField(required=False, max_digits=12, decimal_places=2)
    national = forms.DecimalField(required=False, max_digits=12, decimal_places=2, label="National figure")
    national_period = forms.CharField(required=False, max_length=60, label="National period")
    national_source = forms.CharField(required=False, max_length=300, label="National source")
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, measure: Measure, existing: MeasureValue | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.measure, self.existing = measure, existing

    def _check_range(self, name: str) -> None:
        number = self.cleaned_data.get(name)
        if number is None:
            return
        if number < 0:
            self.add_error(name, "Enter a figure of 0 or more")
        elif self.measure.unit == Measure.Unit.PERCENT and number > 100:
            self.add_error(name, "Enter a percentage between 0 and 100")

    def clean(self) -> dict:
        data = super().clean()
        self._check_range("value")
        self._check_range("national")
        if self.errors:
            return data
        # A period may have a national figure and no local value yet (a national-only row).
        if data.get("value") is None:
            if self.existing is not None and self.existing.value is not None:
                self.add_error("value", "A recorded value cannot be removed: correct it instead")
            elif data.get("national") is None and data.get("note"):
                self.add_error(
                    "value", "Enter the value or the national figure for this period before a note"
                )
            elif data.get("national") is None and self.existing is not None:
                self.add_error("national", "A recorded national figure cannot be removed: correct it instead")
        if (data.get("national_period") or data.get("national_source")) and data.get("national") is None:
            self.add_error("national", "Enter the national figure for the period or source you gave")
        return data

    def row(self) -> dict | None:
        """Return what to record, or None for a row left blank."""
        data = self.cleaned_data
        if data.get("value") is None and data.get("national") is None:
            return None
        return {
            "period_end": data["period_end"],
            "value": data["value"],
            "national": data.get("national"),
            "national_period": (data.get("national_period") or "").strip(),
            "national_source": (data.get("national_source") or "").strip(),
            "note": (data.get("note") or "").strip(),
        }


class NewPeriodForm(ValueRowForm):
    """A row for a period that is not in the grid yet (e.g. an older month), with its date."""

    period_end = DateField(required=False, label="Period ending")

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("value") is not None or data.get("national") is not None) and not data.get("period_end"):
            self.add_error("period_end", "Enter the date the period ends")
        return data


class MeasureDefinitionForm(VersionedModelForm):
    """A measure's definition: a new measure (no version yet) or an edit made against its version."""

    higher_is_better = forms.TypedChoiceField(
        label="Polarity",
        choices=[("True", "Higher is better"), ("False", "Lower is better (e.g. absence or exclusions)")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Measure
        fields = list(Measure.DEFINITION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "baseline_on": "Baseline date",
            "final_target_on": "Final target date",
            "plan": "Plan it evidences",
            "priority": "Priority it evidences",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(archived_at__isnull=True).order_by("title")
        self.fields["priority"].queryset = Priority.objects.select_related("plan").order_by(
            "plan__title", "order", "number"
        )
        self.fields["priority"].label_from_instance = lambda p: f"{p.plan.title} – {p.number}. {p.title}"

    def _post_clean(self) -> None:
        # Measure.define / edit_definition run the model's rules (a priority of the chosen plan).
        pass

    def clean(self) -> dict:
        data = super().clean()
        priority, plan = data.get("priority"), data.get("plan")
        if priority is not None and priority.plan_id != getattr(plan, "pk", None):
            self.add_error("priority", "Choose a priority of the plan this measure evidences")
        start, end = data.get("baseline_on"), data.get("final_target_on")
        if start and end and end <= start:
            self.add_error("final_target_on", "The final target date must be after the baseline date")
        if data.get("unit") == Measure.Unit.PERCENT:
            for name in ("baseline", "final_target"):
                number = data.get(name)
                if number is not None and not 0 <= number <= 100:
                    self.add_error(name, "Enter a percentage between 0 and 100")
        return data


class TargetRowForm(forms.Form):
    """A milestone: the date it falls due and its target. Milestones can be changed, not removed."""

    period_end = DateField(required=False, label="Milestone date")
    target = forms.DecimalField(required=False, max_digits=12, decimal_places=2)
    # No help text: grid cells show none, and aria-describedby must point at something on the page.
    label = forms.CharField(required=False, max_length=20, label="Milestone label")

    def __init__(self, *args, existing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if self.existing and data.get("target") is None:
            self.add_error("target", "A milestone cannot be removed: enter its target")
        elif data.get("target") is not None and not data.get("period_end"):
            self.add_error("period_end", "Enter the date of the milestone")
        elif data.get("period_end") and data.get("target") is None:
            self.add_error("target", "Enter the target for this milestone")
        return data


class PlanFilterForm(forms.Form):
    """The plan a dashboard shows, sent by GET; blank means every plan. Choices: the plans already read."""

    plan = forms.TypedChoiceField(label="Plan", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, plans, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.plans = {plan.pk: plan for plan in plans}
        self.fields["plan"].choices = [("", "All plans"), *((plan.pk, plan.title) for plan in plans)]

    @property
    def chosen(self):
        """Return the chosen plan, or None for all plans (or a choice that is not valid)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.plans.get(self.cleaned_data["plan"])


def page_number(data, name: str) -> int:
    """Return a positive page number from GET data; 1 for anything else."""
    try:
        return max(1, int(data.get(name, 1)))
    except (TypeError, ValueError):
        return 1


class SeriesForm(VersionedModelForm):
    """A national or comparator series' name, area, unit and usual source."""

    class Meta:
        model = ComparatorSeries
        fields = ["name", "area", "unit", "source"]


class SeriesValueRowForm(forms.Form):
    """One period of a comparator series: its end date, the period as published, the figure and its source.

    An existing period's date is fixed (the view sets it); a blank new row is ignored.
    """

    period_end = DateField(required=False, label="Period ends")
    # Not "period_label": grid templates read form.period_label as the row's name.
    published = forms.CharField(required=False, max_length=60, label="Period as published")
    value = forms.DecimalField(required=False, max_digits=12, decimal_places=2, label="Figure")
    source = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, existing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        blank = data.get("value") is None and not data.get("period_end") and not data.get("published")
        if blank and not self.existing:
            return data
        if data.get("value") is None:
            self.add_error("value", "Enter the figure" if not self.existing else "A value cannot be removed")
        if not data.get("period_end"):
            self.add_error("period_end", "Enter the date the period ends")
        if not data.get("published", "").strip():
            self.add_error("published", 'Enter the period as published, e.g. "2023"')
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("value") is None:
            return None
        return {
            "period_end": data["period_end"],
            "period_label": data["published"].strip(),
            "value": data["value"],
            "source": data["source"].strip(),
        }
