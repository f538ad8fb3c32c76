"""The plan form's update cycle field: any number of days, with named presets offered."""

from __future__ import annotations

import pytest
from django import forms

from actions.cycle_forms import UpdateCycleField


class PlanCycleForm(forms.Form):
    update_cycle_days = UpdateCycleField()


def test_the_field_offers_the_named_presets_as_suggestions():
    html = str(PlanCycleForm()["update_cycle_days"])
    assert 'list="id_update_cycle_days-presets"' in html
    assert '<datalist id="id_update_cycle_days-presets">' in html
    presets = [(7, "Weekly"), (14, "Fortnightly"), (30, "Monthly"), (42, "Six-weekly"), (91, "Quarterly")]
    for days, label in presets:
        assert f'<option value="{days}">{label}</option>' in html


@pytest.mark.parametrize(
    ("value", "valid"), [("10", True), ("91", True), ("366", True), ("0", False), ("400", False)]
)
def test_any_number_of_days_up_to_a_year_is_accepted(value, valid):
    form = PlanCycleForm({"update_cycle_days": value})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["update_cycle_days"] == int(value)
