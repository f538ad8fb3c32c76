"""A finding's coverage status in every combination of its actions, through the coverage page (issue #30)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, Plan
from tests.factories import (
    make_action,
    make_brag_scale,
    make_finding,
    make_plan,
    make_priority,
    make_review,
    rag_level,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LATER = TODAY + datetime.timedelta(days=90)
COMPLETE = Action.Status.COMPLETE


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


# name: (actions as (RAG colour or None, due date, status), plan status, expected status, words on the page)
CASES = {
    "all green": (
        [("green", LATER, None), ("green", LATER, None)],
        "active",
        "On track",
        ["On track</strong> 2"],
    ),
    "one amber": (
        [("green", LATER, None), ("amber", LATER, None)],
        "active",
        "At risk",
        ["At risk</strong> 1"],
    ),
    "one overdue within the tolerance": (
        [("green", LATER, None), (None, days_ago(3), None)],
        "active",
        "At risk",
        ["Not rated</strong> 1", "Overdue</strong> 1"],
    ),
    "one overdue past the tolerance": (
        [("green", LATER, None), ("green", days_ago(29), None)],
        "active",
        "Off track",
        ["Overdue</strong> 1"],
    ),
    "one red": (
        [("green", LATER, None), ("red", LATER, None)],
        "active",
        "Off track",
        ["Off track</strong> 1"],
    ),
    "all complete": (
        [("blue", days_ago(60), COMPLETE), ("blue", days_ago(90), COMPLETE)],
        "active",
        "Closed",
        ["Every action is complete.", "Complete</strong> 2"],
    ),
    "a priority with no actions": ([], "active", "No action", ["Its priorities have no actions yet."]),
    "only actions of a closed plan": (
        [("red", days_ago(400), None)],
        "closed",
        "Closed",
        ["which is closed; no plan in delivery has an action on it."],
    ),
}


def build(actions, plan_status: str):
    scale = make_brag_scale()
    review = make_review()
    finding = make_finding(review, reference="ASW1", text="The weakness in question.")
    priority = make_priority(make_plan(title="The plan that answers it", status=plan_status))
    priority.findings.add(finding)
    for colour, due, status in actions:
        make_action(
            priority,
            rag=rag_level(scale, colour) if colour else None,
            due_date=due,
            status=status or Action.Status.IN_PROGRESS,
        )
    return review


def status_cell(body: str) -> str:
    return re.search(r'class="tag tag--\w+ coverage-status">([^<]+)<', body).group(1)


@pytest.mark.parametrize("case", CASES)
def test_a_findings_status_follows_its_actions(client, scrutiny_member, case):
    actions, plan_status, expected, words = CASES[case]
    review = build(actions, plan_status)
    client.force_login(scrutiny_member)

    body = client.get(reverse("inspections:coverage"), {"review": review.pk}).content.decode()
    review_page = client.get(reverse("inspections:review", kwargs={"review": review.pk})).content.decode()

    assert status_cell(body) == expected
    assert status_cell(review_page) == expected
    for word in words:
        assert word in body
    assert "The plan that answers it" in review_page  # under "Answered by", though made in the app


def test_a_finding_nothing_answers_has_no_action_and_says_why(client, scrutiny_member):
    finding = make_finding(reference="ASW9", text="Nothing answers this.")
    client.force_login(scrutiny_member)

    body = client.get(reverse("inspections:coverage"), {"review": finding.review_id}).content.decode()

    assert status_cell(body) == "No action"
    assert "No priority of any plan addresses it." in body
    assert "0 of 1 weaknesses on track, 1 no action." in body


def test_the_tolerance_is_the_plans_own(client, scrutiny_member):
    review = build([("green", days_ago(10), None)], "active")
    Plan.objects.update(off_track_tolerance_days=7)
    client.force_login(scrutiny_member)

    body = client.get(reverse("inspections:coverage"), {"review": review.pk}).content.decode()

    assert status_cell(body) == "Off track"


def test_the_filters_are_a_plain_url_and_combine(client, scrutiny_member):
    on_track = build([("green", LATER, None)], "active")
    red = build([("red", LATER, None)], "active")
    plan = Plan.objects.filter(priorities__findings__review=red).get()
    client.force_login(scrutiny_member)

    by_plan = client.get(reverse("inspections:coverage"), {"plan": plan.pk}).content.decode()
    by_review_and_status = client.get(
        reverse("inspections:coverage"), {"review": on_track.pk, "status": "off_track"}
    ).content.decode()
    nonsense = client.get(reverse("inspections:coverage"), {"plan": "x", "status": "lost"})

    assert "0 of 1 weaknesses on track, 1 off track." in by_plan
    assert (
        "1 of 1 weaknesses on track." in by_review_and_status and "No findings match." in by_review_and_status
    )
    assert nonsense.status_code == 200 and "There is a problem" in nonsense.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("inspections:coverage"))
    assert response.status_code == 302


@pytest.mark.parametrize("size", [1, 10])
def test_coverage_takes_the_same_queries_at_small_and_large_data(
    client, scrutiny_member, size, django_assert_max_num_queries
):
    scale = make_brag_scale()
    for n in range(size):
        finding = make_finding(reference=f"R{n}")
        for plan_status in ("active", "closed"):
            priority = make_priority(make_plan(status=plan_status))
            priority.findings.add(finding)
            make_action(priority, rag=rag_level(scale, "amber"))
            make_action(priority, due_date=days_ago(40))
    client.force_login(scrutiny_member)
    with django_assert_max_num_queries(9) as queries:
        body = client.get(reverse("inspections:coverage")).content.decode()
    assert f"of {size} weaknesses on track" in body
    SEEN[size] = len(queries)
    if size == 10:
        assert SEEN[1] == SEEN[10]


SEEN: dict[int, int] = {}
