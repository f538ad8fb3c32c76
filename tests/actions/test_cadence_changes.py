"""A plan's reporting cadence changes from a date ("quarterly until March 2024, then annually"); deadlines
before the change keep the cadence they had. Plan leads record, edit and retire changes in the plan pages."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from actions import cycle
from actions.models import CadenceChange
from tests.factories import make_plan

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
QUARTERLY, ANNUALLY = 91, 365
# Quarterly from Monday 3 April 2023; annually from Thursday 28 March 2024 (before the Easter weekend).
START, CHANGE = D(2023, 4, 3), D(2024, 3, 28)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON), tick=False)


def deadlines(client, plan) -> cycle.Deadlines:
    return client.get(reverse("cycle:status", kwargs={"plan": plan.pk})).context["deadlines"]


def change_data(**fields) -> dict:
    return {
        "starts_on": "2024-03-28",
        "cycle_days": "365",
        "note": "Annual reporting after the revisit",
    } | fields


@pytest.fixture
def plan(db):
    return make_plan(title="Improvement plan", starts_on=START, update_cycle_days=QUARTERLY)


@pytest.fixture
def lead_client(client, plan_lead):
    client.force_login(plan_lead)
    return client


def test_quarterly_until_march_2024_then_annually():
    changes = [(CHANGE, ANNUALLY)]
    # 1 January 2024 is a bank holiday: that deadline moves back to Friday 29 December.
    assert cycle.cycle_deadlines(D(2024, 2, 15), QUARTERLY, START, changes) == (D(2023, 12, 29), CHANGE)
    assert cycle.cycle_deadlines(D(2024, 6, 1), QUARTERLY, START, changes) == (CHANGE, D(2025, 3, 28))
    # Without the change the next deadline after March would have been Monday 1 July 2024.
    assert cycle.cycle_deadlines(D(2024, 6, 1), QUARTERLY, START) == (CHANGE, D(2024, 7, 1))


def test_deadlines_before_a_change_keep_the_cadence_they_had():
    changes = [(CHANGE, ANNUALLY), (D(2026, 1, 5), 28)]
    day = START + datetime.timedelta(days=1)
    while day <= CHANGE:
        assert (
            cycle.cycle_deadlines(day, QUARTERLY, START, changes)[0]
            == cycle.cycle_deadlines(day, QUARTERLY, START)[0]
        ), day
        day += datetime.timedelta(days=1)
    # And the annual deadlines are unchanged by the later change to four-weekly.
    assert cycle.cycle_deadlines(D(2025, 12, 1), QUARTERLY, START, changes) == (D(2025, 3, 28), D(2026, 1, 5))
    assert cycle.cycle_deadlines(D(2026, 1, 6), QUARTERLY, START, changes) == (D(2026, 1, 5), D(2026, 2, 2))


def test_a_plan_lead_changes_the_cadence_from_a_date(lead_client, plan, plan_lead):
    with at(D(2024, 2, 15)):
        before = deadlines(lead_client, plan)
        response = lead_client.post(reverse("plans:cadence-create", kwargs={"plan": plan.pk}), change_data())
        after = deadlines(lead_client, plan)

    assert response.status_code == 302
    change = CadenceChange.objects.get(plan=plan)
    assert (change.starts_on, change.cycle_days, change.retired_at) == (CHANGE, ANNUALLY, None)
    assert change.history.get().history_user == plan_lead
    assert after.last == before.last == D(2023, 12, 29)  # the past deadline is unchanged
    with at(D(2024, 6, 1)):
        assert deadlines(lead_client, plan).next == D(2025, 3, 28)
        page = lead_client.get(reverse("plans:detail", kwargs={"plan": plan.pk}))
        status = lead_client.get(reverse("cycle:status", kwargs={"plan": plan.pk}))
        index = lead_client.get(reverse("cycle:index"))
    assert "From 28 March 2024: every 365 days" in page.content.decode()
    # The cycle pages name the cycle in force now, not the plan's first one.
    assert "None: every 365 days cycle" in status.content.decode()
    assert "None: every 365 days cycle" in index.content.decode()


def test_a_plan_lead_edits_a_change(lead_client, plan, plan_lead):
    change = CadenceChange.add(plan, starts_on=CHANGE, cycle_days=ANNUALLY)
    url = reverse("plans:cadence-edit", kwargs={"change": change.pk})
    assert lead_client.get(url).status_code == 200

    response = lead_client.post(url, change_data(cycle_days="182", version=str(change.version)))

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.cycle_days, change.version) == (182, 2)
    assert change.history.latest().history_user == plan_lead
    with at(D(2024, 6, 1)):
        assert deadlines(lead_client, plan).next == D(2024, 9, 26)


def test_a_stale_edit_is_refused_with_the_changes(lead_client, plan):
    change = CadenceChange.add(plan, starts_on=CHANGE, cycle_days=ANNUALLY)
    url = reverse("plans:cadence-edit", kwargs={"change": change.pk})
    lead_client.post(url, change_data(cycle_days="182", version="1"))

    response = lead_client.post(url, change_data(cycle_days="30", version="1"))

    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    assert "182" in response.content.decode()
    change.refresh_from_db()
    assert change.cycle_days == 182


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_on": "2023-04-03"}, "must come after the plan&#x27;s start"),
        ({"starts_on": ""}, "required"),
        ({"cycle_days": "0"}, "must be 1 or more"),
        ({"cycle_days": "400"}, "must be 366 or less"),
    ],
)
def test_an_invalid_change_is_refused(lead_client, plan, fields, message):
    response = lead_client.post(
        reverse("plans:cadence-create", kwargs={"plan": plan.pk}), change_data(**fields)
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CadenceChange.objects.exists()


def test_the_cadence_changes_once_a_day(lead_client, plan):
    CadenceChange.add(plan, starts_on=CHANGE, cycle_days=ANNUALLY)

    response = lead_client.post(reverse("plans:cadence-create", kwargs={"plan": plan.pk}), change_data())

    assert response.status_code == 422
    assert "already changes on this date" in response.content.decode()
    assert CadenceChange.objects.count() == 1


def test_a_retired_change_is_kept_and_no_longer_followed(lead_client, plan):
    change = CadenceChange.add(plan, starts_on=CHANGE, cycle_days=ANNUALLY)
    url = reverse("plans:cadence-retire", kwargs={"change": change.pk})

    assert lead_client.post(url, {"version": "1", "retired": "1"}).status_code == 302
    change.refresh_from_db()
    assert change.retired_at is not None
    with at(D(2024, 6, 1)):
        assert deadlines(lead_client, plan).next == D(2024, 7, 1)  # quarterly again
    assert lead_client.post(url, {"version": "1", "retired": "0"}).status_code == 409
    assert lead_client.post(url, {"version": "2", "retired": "0"}).status_code == 302
    change.refresh_from_db()
    assert change.retired_at is None
    assert change.history.count() == 3
    assert lead_client.post(url, {}).status_code == 422
    assert lead_client.get(url).status_code == 405


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_only_plan_leads_change_the_cadence(client, plan, persona, request):
    change = CadenceChange.add(plan, starts_on=CHANGE, cycle_days=ANNUALLY)
    client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("plans:cadence-create", kwargs={"plan": plan.pk}),
        reverse("plans:cadence-edit", kwargs={"change": change.pk}),
        reverse("plans:cadence-retire", kwargs={"change": change.pk}),
    ]
    for url in urls:
        assert client.post(url, change_data(version="1", retired="1")).status_code == 403
    assert client.get(urls[0]).status_code == 403
    change.refresh_from_db()
    assert (change.cycle_days, change.version, change.retired_at) == (ANNUALLY, 1, None)
    assert CadenceChange.objects.count() == 1


def test_anonymous_users_are_sent_to_sign_in(client, plan):
    response = client.get(reverse("plans:cadence-create", kwargs={"plan": plan.pk}))
    assert response.status_code == 302
    assert "login" in response.url
