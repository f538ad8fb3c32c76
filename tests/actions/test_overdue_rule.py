"""One rule for "overdue" (and "needs attention"): Action.objects.overdue(), Action.is_overdue and every page
that marks or counts overdue actions agree, actions of closed plans included.

The pages mark an open action of a closed plan as overdue once its due date has passed (My actions, All
actions and its overdue filter, the action page, the overview's attention list, the plan dashboard and the
update cycle's status page of that plan); pages that leave closed plans out do it by choosing plans, not by
another rule. So overdue() does not look at the plan's status, and these tests fail if a page and the
queryset ever part ways.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Plan, Priority
from actions.querysets import attention_q, open_q, overdue_q
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level

NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2025, 6, 2)
PAST = TODAY - datetime.timedelta(days=10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plans(db, frozen) -> dict[str, Plan]:
    scale = make_brag_scale()
    return {"active": make_plan(rag_scale=scale), "closed": make_plan(rag_scale=scale)}


@pytest.fixture
def actions(plans, officer) -> dict[str, Action]:
    """Actions of an active and a closed plan led by the officer: two overdue, the rest not."""
    active, closed = make_priority(plans["active"]), make_priority(plans["closed"])
    red = rag_level(plans["active"].rag_scale, "red")
    made = {
        "late": make_action(active, [officer], due_date=PAST),
        "late_of_closed_plan": make_action(closed, [officer], due_date=PAST),
        "due_today": make_action(active, [officer], due_date=TODAY),
        "red_not_due": make_action(active, [officer], due_date=TODAY, rag=red),
        "late_complete": make_action(active, [officer], due_date=PAST, status=Action.Status.COMPLETE),
        "late_withdrawn": make_action(closed, [officer], due_date=PAST, status=Action.Status.WITHDRAWN),
        "red_complete": make_action(active, [officer], due_date=PAST, status=Action.Status.COMPLETE, rag=red),
        "late_archived": make_action(active, [officer], due_date=PAST, archived_at=timezone.now()),
    }
    # Closed after its actions were made, as a plan is closed in delivery.
    Plan.objects.filter(pk=plans["closed"].pk).update(status=Plan.Status.CLOSED)
    return made


def pks(*actions: Action) -> set[int]:
    return {action.pk for action in actions}


def overdue_pks() -> set[int]:
    return set(Action.objects.overdue().values_list("pk", flat=True))


def rows_marked_overdue(response) -> set[int]:
    """Return the pks of the action rows on the page that carry the Overdue tag."""
    rows = re.findall(r'<tr id="action-row-(\d+)"(.*?)</tr>', response.content.decode(), flags=re.S)
    return {int(pk) for pk, row in rows if "tag--overdue" in row}


def test_overdue_is_open_and_past_due_in_every_plan_closed_ones_included(actions):
    assert overdue_pks() == pks(actions["late"], actions["late_of_closed_plan"])
    for action in Action.objects.all():
        assert action.is_overdue() == (action.pk in overdue_pks()), action.reference


def test_the_rule_is_the_same_through_a_relation(actions):
    counted = {p.pk: (p.n_open, p.n_overdue) for p in Priority.objects.with_delivery(TODAY)}
    by_priority = {
        p.pk: (
            Priority.objects.filter(pk=p.pk).filter(open_q("actions__")).count(),
            Priority.objects.filter(pk=p.pk).filter(overdue_q(TODAY, "actions__")).count(),
        )
        for p in Priority.objects.all()
    }
    assert (
        counted
        == by_priority
        == {
            actions["late"].priority_id: (3, 1),
            actions["late_of_closed_plan"].priority_id: (1, 1),
        }
    )


def test_my_actions_marks_and_counts_what_overdue_returns(client, officer, actions):
    client.force_login(officer)

    response = client.get(reverse("actions:mine"))

    assert rows_marked_overdue(response) == overdue_pks()
    assert response.context["counts"]["overdue"] == Action.objects.overdue().count() == 2


def test_all_actions_marks_and_filters_what_overdue_returns(client, plan_lead, actions):
    client.force_login(plan_lead)

    # Closed plans' actions are listed on request ("Live and closed plans"); live plans' alone by default.
    every = client.get(reverse("actions:list"), {"plans": "all", "per_page": 100})
    only_overdue = client.get(reverse("actions:list"), {"plans": "all", "overdue": "true", "per_page": 100})
    live_only = client.get(reverse("actions:list"), {"overdue": "true", "per_page": 100})

    assert rows_marked_overdue(every) == overdue_pks()
    assert rows_marked_overdue(live_only) == {actions["late"].pk}
    listed = {int(pk) for pk in re.findall(r'<tr id="action-row-(\d+)"', only_overdue.content.decode())}
    assert listed == rows_marked_overdue(only_overdue) == overdue_pks()


def test_the_action_page_tags_what_overdue_returns(client, plan_lead, actions):
    client.force_login(plan_lead)
    for name, action in actions.items():
        if action.archived_at:
            continue  # an archived action has no page
        html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
        assert ("tag--overdue" in html) == (action.pk in overdue_pks()), name


def test_the_overview_lists_what_needing_attention_returns(client, scrutiny_member, actions):
    client.force_login(scrutiny_member)

    response = client.get(reverse("reports:overview"))

    listed = {action.pk for action in response.context["attention"].items}
    assert listed == set(Action.objects.needing_attention().values_list("pk", flat=True))
    assert listed == set(Action.objects.filter(attention_q()).values_list("pk", flat=True))
    assert listed == overdue_pks() | pks(actions["red_not_due"])


def test_the_plan_dashboard_counts_what_overdue_returns_for_a_closed_plan_too(
    client, scrutiny_member, plans, actions
):
    client.force_login(scrutiny_member)
    for plan in plans.values():
        response = client.get(reverse("reports:plan", args=[plan.pk]))

        assert (
            response.context["entry"].tally.overdue == Action.objects.overdue().filter(plan=plan).count() == 1
        )


def test_the_update_cycle_counts_what_overdue_returns(client, plan_lead, plans, actions):
    client.force_login(plan_lead)

    index = client.get(reverse("cycle:index"))

    shown = {row["plan"].pk: row["overdue"] for row in index.context["rows"]}
    assert shown == {plans["active"].pk: Action.objects.overdue().filter(plan=plans["active"]).count()}
    for plan in plans.values():
        status = client.get(reverse("cycle:status", args=[plan.pk]))
        assert pks(*status.context["total"].overdue) == set(
            Action.objects.overdue().filter(plan=plan).values_list("pk", flat=True)
        )
