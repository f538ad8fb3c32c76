"""The plan filter on the overview and trends, and the overview's bounded, paginated lists."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from reports.dashboards import PAGE_SIZE
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_update, rag_level
from tests.reports.pages import charts, table

pytestmark = pytest.mark.django_db
OVERVIEW, TRENDS = reverse("reports:overview"), reverse("reports:trends")
TODAY = timezone.localdate()


@pytest.fixture
def two_plans(officer):
    scale = make_brag_scale()
    wsoa, strategy = make_plan(title="Written Statement of Action"), make_plan(title="SEND strategy")
    for plan, colours in ((wsoa, ["red", "red", "green"]), (strategy, ["red", "amber"])):
        priority = make_priority(plan, title=f"{plan.title} priority")
        for index, colour in enumerate(colours):
            action = make_action(
                priority,
                [officer],
                reference=f"{plan.pk}.{index}",
                rag=rag_level(scale, "green"),
                due_date=TODAY + datetime.timedelta(days=30),
            )
            make_update(
                action, officer, rag=rag_level(scale, colour), rag_reason="Why.", recovery_plan="How."
            )
    return {"wsoa": wsoa, "strategy": strategy}


def test_the_plan_filter_is_a_labelled_select_of_every_plan(client, scrutiny_member, two_plans):
    client.force_login(scrutiny_member)

    html = client.get(OVERVIEW).content.decode()

    assert '<label for="id_plan">Plan</label>' in html
    assert '<option value="" selected>All plans</option>' in html
    assert f'<option value="{two_plans["strategy"].pk}">SEND strategy</option>' in html


def test_the_plan_filter_applies_to_every_figure_of_the_overview(client, scrutiny_member, two_plans):
    wsoa, strategy = two_plans["wsoa"], two_plans["strategy"]
    client.force_login(scrutiny_member)

    html = client.get(OVERVIEW, {"plan": wsoa.pk, "since": "2000-01-01"}).content.decode()

    assert [row[0] for row in table(html, "Actions by delivery RAG, per plan")[1:]] == [wsoa.title]
    drawn = " ".join(charts(html)["plans-rag"].itertext())
    assert wsoa.title in drawn and strategy.title not in drawn
    red = sorted(a.reference for a in Action.objects.filter(plan=wsoa, rag__colour="red"))
    overdue_or_red = table(html, "Open actions that are overdue or rated red, soonest due first")
    assert sorted(row[0] for row in overdue_or_red[1:]) == [f"Action {ref}" for ref in red]
    moved = table(html, "Status and RAG changes since 1 January 2000, newest first")
    expected = ActionUpdate.objects.filter(action__plan=wsoa).exclude(rag_before=F("rag_after")).count()
    assert len(moved) - 1 == expected == 2
    new = table(html, "Actions added since the date above")
    assert len(new) - 1 == Action.objects.filter(plan=wsoa).count()
    assert f'<option value="{wsoa.pk}" selected>' in html


def test_a_plan_that_is_not_there_shows_every_plan(client, scrutiny_member, two_plans):
    client.force_login(scrutiny_member)

    html = client.get(OVERVIEW, {"plan": "99999"}).content.decode()

    shown = {row[0] for row in table(html, "Actions by delivery RAG, per plan")[1:]}
    assert {p.title for p in two_plans.values()} <= shown


def test_the_plan_filter_applies_to_the_trends(client, scrutiny_member, two_plans):
    wsoa, strategy = two_plans["wsoa"], two_plans["strategy"]
    client.force_login(scrutiny_member)

    html = client.get(TRENDS, {"plan": strategy.pk}).content.decode()

    found = charts(html)
    assert f"plan-{strategy.pk}-trend" in found and f"plan-{wsoa.pk}-trend" not in found
    today = table(html, f"Delivery RAG of the actions in {strategy.title} over time")[-1]
    # Today's column: one red and one amber, as the update log says.
    assert today[0] == "Today" and today[-1] == "2"


def test_the_changes_are_paginated_with_totals_and_filters_kept(client, scrutiny_member, officer):
    scale = make_brag_scale()
    priority = make_priority(make_plan())
    count = PAGE_SIZE + 5
    for index in range(count):
        action = make_action(priority, [officer], reference=f"9.{index}")
        status = Action.Status.COMPLETE if index % 10 == 0 else Action.Status.IN_PROGRESS
        make_update(action, officer, status=status, rag=rag_level(scale, "green"), evidence="Done.")
    client.force_login(scrutiny_member)
    caption = "Status and RAG changes since 1 January 2000, newest first"

    first = client.get(OVERVIEW, {"since": "2000-01-01"}).content.decode()
    second = client.get(OVERVIEW, {"since": "2000-01-01", "changes_page": "2"}).content.decode()
    completed = client.get(OVERVIEW, {"since": "2000-01-01", "show": "completed"}).content.decode()

    assert len(table(first, caption)) - 1 == PAGE_SIZE
    assert len(table(second, caption)) - 1 == count - PAGE_SIZE
    assert f"All changes ({count})" in first and "Completed (3)" in first
    assert f"Showing 1 to {PAGE_SIZE} of {count}." in first
    assert 'href="?since=2000-01-01&amp;changes_page=2#moved-heading"' in first
    assert f"New actions ({count})" in first
    completions = table(completed, "Actions completed since 1 January 2000, newest first")
    assert len(completions) - 1 == 3 and all("→ Complete" in row[2] for row in completions[1:])
    # A page past the end shows the last page rather than nothing, as the actions table does.
    past = client.get(OVERVIEW, {"since": "2000-01-01", "changes_page": "99"}).content.decode()
    assert len(table(past, caption)) - 1 == count - PAGE_SIZE
    assert f"Showing {PAGE_SIZE + 1} to {count} of {count}." in past


def test_the_filtered_overview_runs_a_fixed_number_of_queries(
    client, scrutiny_member, officer, two_plans, django_assert_max_num_queries
):
    client.force_login(scrutiny_member)
    url = f"{OVERVIEW}?plan={two_plans['wsoa'].pk}&since=2000-01-01"
    client.get(url)
    # As unfiltered: session, user, groups and permissions (one query), plans, last meeting, the lists'
    # totals (one query), overdue/red page, changes page, new actions page, RAG levels, priorities with
    # counts, RAG moves, KPI cards, coverage, moved due dates; no session save within a minute of the last
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    scale = make_brag_scale()
    priority = make_priority(two_plans["wsoa"])
    for index in range(PAGE_SIZE + 3):
        action = make_action(priority, [officer], reference=f"8.{index}", rag=rag_level(scale, "red"))
        make_update(action, officer, status=Action.Status.IN_PROGRESS)
    with django_assert_max_num_queries(15) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_the_trends_add_every_plan_up_in_one_chart_and_link_each_plans_own(
    client, scrutiny_member, two_plans
):
    wsoa, strategy = two_plans["wsoa"], two_plans["strategy"]
    client.force_login(scrutiny_member)

    html = client.get(TRENDS).content.decode()

    found = charts(html)
    assert "plans-trend" in found and not any(f"plan-{p.pk}-trend" in found for p in (wsoa, strategy))
    rows = table(html, "Delivery RAG of the actions in every plan in delivery over time")
    assert rows[0] == ["Month end", "Complete", "On track", "At risk", "Off track", "Not rated", "Total"]
    # Today: the three red, one amber and one green of the two plans' update logs, added up.
    assert rows[-1] == ["Today", "0", "1", "1", "3", "0", "5"]
    for plan in (wsoa, strategy):
        assert f'<a href="?plan={plan.pk}">{plan.title}</a>' in html
