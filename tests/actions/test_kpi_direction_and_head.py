"""Defaults a user would expect: a new KPI says which way is better; GET pages answer HEAD."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import reverse

from actions.models import Measure
from tests.factories import make_action, make_plan


def test_a_kpi_cannot_be_saved_without_saying_which_way_is_better(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(name="Average waiting time for a CAMHS assessment", plan=make_plan())


def test_the_kpi_form_asks_which_way_is_better_and_offers_no_default(db):
    form_class = modelform_factory(Measure, fields=["name", "unit", "higher_is_better"])
    blank = form_class()
    assert blank["higher_is_better"].value() in (None, "")
    assert [label for _, label in blank.fields["higher_is_better"].choices] == [
        "---------",
        "Higher is better",
        "Lower is better",
    ]

    form = form_class({"name": "Average waiting time (weeks)", "unit": "weeks"})
    assert not form.is_valid()
    assert "higher_is_better" in form.errors

    form = form_class({"name": "Average waiting time (weeks)", "unit": "weeks", "higher_is_better": "False"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["higher_is_better"] is False


@pytest.mark.parametrize("name", ["home", "actions:list", "actions:mine", "actions:detail", "actions:row"])
def test_get_pages_answer_head_like_get(client, plan_lead, officer, name):
    action = make_action(leads=[officer])
    client.force_login(plan_lead)
    url = reverse(name, args=[action.pk] if name in ("actions:detail", "actions:row") else [])

    get, head = client.get(url), client.head(url)

    assert head.status_code == get.status_code != 405
    assert head.content == b""


def test_the_update_form_answers_head(client, officer):
    action = make_action(leads=[officer])
    client.force_login(officer)

    assert client.head(reverse("actions:update", args=[action.pk])).status_code == 200
