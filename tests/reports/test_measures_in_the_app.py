"""Plan leads add, define and retire KPI measures in the app, with the plan and priority each evidences and
labelled milestones; no trip to the admin."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Measure
from tests.factories import make_plan, make_priority

pytestmark = pytest.mark.django_db
D = datetime.date


def definition(**fields) -> dict:
    data = {
        "name": "% of new EHC plans issued within 20 weeks",
        "description": "",
        "unit": "percent",
        "higher_is_better": "True",
        "baseline": "42",
        "baseline_on": "2023-03-31",
        "final_target": "80",
        "final_target_on": "2025-03-31",
        "source": "SEN2 return",
        "new0-period_end": "2023-09-30",
        "new0-label": "M1",
        "new0-target": "55",
        "new1-period_end": "2024-03-31",
        "new1-label": "M2",
        "new1-target": "65",
    }
    data.update(fields)
    return data


def test_a_plan_lead_adds_a_measure_for_a_plan_and_priority_with_labelled_milestones(client, plan_lead):
    plan = make_plan(title="Priority action plan")
    priority = make_priority(plan, number="1", title="Timeliness")
    client.force_login(plan_lead)

    page = client.get(reverse("reports:kpi-new") + f"?plan={plan.pk}")
    response = client.post(
        reverse("reports:kpi-new") + f"?plan={plan.pk}", definition(plan=plan.pk, priority=priority.pk)
    )

    assert page.status_code == 200 and f'<option value="{plan.pk}" selected>' in page.content.decode()
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.plan, measure.priority, measure.higher_is_better) == (plan, priority, True)
    assert (measure.baseline, measure.baseline_on) == (Decimal("42"), D(2023, 3, 31))
    assert (measure.final_target, measure.final_target_on) == (Decimal("80"), D(2025, 3, 31))
    targets = list(measure.targets.order_by("period_end").values_list("label", "period_end", "target"))
    assert targets == [("M1", D(2023, 9, 30), Decimal("55")), ("M2", D(2024, 3, 31), Decimal("65"))]
    assert measure.history.get().history_user == plan_lead


def test_a_priority_of_another_plan_is_refused(client, plan_lead):
    plan = make_plan()
    other = make_priority(make_plan())
    client.force_login(plan_lead)

    response = client.post(reverse("reports:kpi-new"), definition(plan=plan.pk, priority=other.pk))

    assert response.status_code == 422
    assert "Choose a priority of the plan this measure evidences" in response.content.decode()
    assert not Measure.objects.exists()


def test_a_measure_without_a_polarity_is_refused(client, plan_lead):
    client.force_login(plan_lead)

    response = client.post(reverse("reports:kpi-new"), definition(higher_is_better=""))

    assert response.status_code == 422
    assert not Measure.objects.exists()


def test_milestone_labels_are_edited_with_the_definition(client, plan_lead):
    measure = Measure.define(
        name="Waiting weeks", higher_is_better=False, unit="weeks", targets={D(2024, 3, 31): {"target": 20}}
    )
    client.force_login(plan_lead)

    response = client.post(
        reverse("reports:kpi-definition", args=[measure.pk]),
        definition(
            version=str(measure.version),
            name="Waiting weeks",
            unit="weeks",
            higher_is_better="False",
            baseline="30",
            final_target="12",
            **{
                "t0-target": "20",
                "t0-label": "M1",
                "new0-period_end": "",
                "new0-target": "",
                "new1-period_end": "",
                "new1-target": "",
            },
        ),
    )

    assert response.status_code == 302
    assert list(measure.targets.values_list("label", "target")) == [("M1", Decimal("20"))]
    measure.refresh_from_db()
    assert measure.version == 2


def test_a_plan_lead_retires_a_measure_which_keeps_its_history(client, plan_lead):
    measure = Measure.define(name="Retired KPI", higher_is_better=True)
    client.force_login(plan_lead)

    response = client.post(reverse("reports:kpi-retire", args=[measure.pk]), {"version": "1"})

    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.retired_at is not None and measure.version == 2
    assert measure.history.first().history_user == plan_lead
    assert f'id="measure-{measure.pk}-heading"' not in client.get(reverse("reports:kpis")).content.decode()
    assert client.get(reverse("reports:kpi-definition", args=[measure.pk])).status_code == 404


def test_a_stale_retirement_is_refused(client, plan_lead):
    measure = Measure.define(name="Contested KPI", higher_is_better=True)
    measure.edit_definition(version=1, source="Someone else's edit")
    client.force_login(plan_lead)

    response = client.post(reverse("reports:kpi-retire", args=[measure.pk]), {"version": "1"})

    assert response.status_code == 409
    assert "Someone else changed this measure" in response.content.decode()
    measure.refresh_from_db()
    assert measure.retired_at is None


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_cannot_add_or_retire_measures(client, request, persona):
    measure = Measure.define(name="Kept KPI", higher_is_better=True)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("reports:kpi-new")).status_code == 403
    assert client.post(reverse("reports:kpi-new"), definition()).status_code == 403
    assert client.post(reverse("reports:kpi-retire", args=[measure.pk]), {"version": "1"}).status_code == 403
    assert Measure.objects.count() == 1
    measure.refresh_from_db()
    assert (measure.retired_at, measure.version) == (None, 1)
