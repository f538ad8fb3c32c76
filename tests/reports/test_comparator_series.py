"""A national or comparator series is entered once, several periods in one save, and shared by measures on
any plan; each value keeps its period and source."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ComparatorSeries, ComparatorValue, Measure
from tests.factories import make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def series(db):
    return ComparatorSeries.objects.create(
        name="% of new EHC plans issued within 20 weeks", area="England", source="DfE SEN2"
    )


def rows(version, **fields):
    data = {
        "version": str(version),
        "new0-period_end": "2022-12-31",
        "new0-published": "2022",
        "new0-value": "49.2",
        "new0-source": "DfE SEN2 2023",
        "new1-period_end": "2023-12-31",
        "new1-published": "2023",
        "new1-value": "50.3",
        "new1-source": "DfE SEN2 2024",
    }
    data.update(fields)
    return data


def test_a_plan_lead_adds_a_series(client, plan_lead):
    client.force_login(plan_lead)

    response = client.post(
        reverse("reports:series-new"),
        {"name": "% of EHC plans within 20 weeks", "area": "England", "unit": "percent", "source": "SEN2"},
    )

    series = ComparatorSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:series", args=[series.pk])
    assert series.history.get().history_user == plan_lead


def test_a_series_without_a_name_is_refused(client, plan_lead):
    client.force_login(plan_lead)

    response = client.post(reverse("reports:series-new"), {"name": "", "area": "England", "unit": "percent"})

    assert response.status_code == 422
    assert not ComparatorSeries.objects.exists()


def test_several_periods_are_entered_in_one_save_each_with_its_period_and_source(client, plan_lead, series):
    client.force_login(plan_lead)

    response = client.post(reverse("reports:series", args=[series.pk]), rows(series.version))

    assert response.status_code == 302
    values = list(series.values.order_by("period_end").values_list("period_label", "value", "source"))
    assert values == [("2022", Decimal("49.2"), "DfE SEN2 2023"), ("2023", Decimal("50.3"), "DfE SEN2 2024")]
    series.refresh_from_db()
    assert series.version == 2
    assert series.history.first().history_user == plan_lead
    assert ComparatorValue.history.filter(history_user=plan_lead).count() == 2


def test_a_value_without_its_period_is_refused_and_nothing_is_saved(client, plan_lead, series):
    client.force_login(plan_lead)

    response = client.post(
        reverse("reports:series", args=[series.pk]), rows(series.version, **{"new1-published": ""})
    )

    assert response.status_code == 422
    assert "Enter the period as published" in response.content.decode()
    assert not series.values.exists()


def test_a_stale_save_is_refused_with_the_changes(client, plan_lead, administrator, series):
    loaded = series.version
    client.force_login(administrator)
    client.post(
        reverse("reports:series-edit", args=[series.pk]),
        {
            "version": loaded,
            "name": series.name,
            "area": "England and Wales",
            "unit": "percent",
            "source": "DfE SEN2",
        },
    )
    client.force_login(plan_lead)

    response = client.post(reverse("reports:series", args=[series.pk]), rows(loaded))

    assert response.status_code == 409
    assert "England and Wales" in response.content.decode()
    assert not series.values.exists()


def test_one_series_is_shared_by_measures_on_different_plans(client, plan_lead, series):
    first, second = make_plan(title="Priority action plan"), make_plan(title="SEND strategy")
    for plan in (first, second):
        Measure.define(
            name=f"EHC plans in 20 weeks ({plan.title})", higher_is_better=True, plan=plan, comparator=series
        )
    client.force_login(plan_lead)

    page = client.get(reverse("reports:series", args=[series.pk])).content.decode()

    assert "Priority action plan" in page and "SEND strategy" in page
    assert series.measures.count() == 2


def test_a_measure_is_given_a_shared_series_on_its_definition(client, plan_lead, series):
    client.force_login(plan_lead)

    response = client.post(
        reverse("reports:kpi-new"),
        {
            "name": "EHC plans in 20 weeks",
            "unit": "percent",
            "higher_is_better": "True",
            "comparator": series.pk,
        },
    )

    assert response.status_code == 302
    assert Measure.objects.get().comparator == series


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_read_series_but_cannot_enter_them(client, request, persona, series):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("reports:series", args=[series.pk])).status_code == 200
    assert client.post(reverse("reports:series", args=[series.pk]), rows(series.version)).status_code == 403
    assert client.get(reverse("reports:series-new")).status_code == 403
    assert (
        client.post(
            reverse("reports:series-edit", args=[series.pk]),
            {"version": 1, "name": "x", "area": "x", "unit": "percent"},
        ).status_code
        == 403
    )
    series.refresh_from_db()
    assert (series.version, series.values.count()) == (1, 0)
