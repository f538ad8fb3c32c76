"""The whole-plan grid: a plan lead sees every live action of one plan, sorts it and updates rows in place."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.grid_views import GRID_ROWS_PER_PAGE
from tests.factories import make_action, make_busy_actions, make_plan, make_priority


def grid_url(plan) -> str:
    return reverse("plans:grid", args=[plan.pk])


def references(response) -> list[str]:
    """Return the action references of the grid's rows, in the order shown."""
    return re.findall(
        r'<tr id="action-row-\d+"[^>]*>\s*<td><a href="[^"]+">([^<]+)<', response.content.decode()
    )


@pytest.fixture
def plan_with_actions(db):
    plan = make_plan(title="Priority action plan 2025")
    first, second = make_priority(plan, number="1", order=1), make_priority(plan, number="2", order=2)
    make_action(second, reference="2.1", due_date=datetime.date(2026, 1, 31))
    make_action(first, reference="1.2", order=2, due_date=datetime.date(2026, 3, 31))
    make_action(first, reference="1.1", order=1, due_date=datetime.date(2026, 6, 30))
    make_action(first, reference="1.3", order=3, archived_at=timezone.now())
    make_action(make_priority(make_plan(title="Another plan")), reference="9.9")
    return plan


def test_the_grid_lists_every_live_action_of_the_plan_in_the_plans_order(
    client, plan_lead, plan_with_actions
):
    client.force_login(plan_lead)

    response = client.get(grid_url(plan_with_actions))

    assert response.status_code == 200
    assert references(response) == ["1.1", "1.2", "2.1"]  # not the archived 1.3, not another plan's 9.9
    assert "3 live actions." in response.content.decode()


def test_sorting_by_a_column_heading_reorders_the_grid_and_says_so(client, plan_lead, plan_with_actions):
    client.force_login(plan_lead)

    earliest_first = client.get(grid_url(plan_with_actions), {"sort": "due_date"})
    latest_first = client.get(grid_url(plan_with_actions), {"sort": "-due_date"})

    assert references(earliest_first) == ["2.1", "1.2", "1.1"]
    assert 'aria-sort="ascending"' in earliest_first.content.decode()
    assert references(latest_first) == ["1.1", "1.2", "2.1"]
    assert 'aria-sort="descending"' in latest_first.content.decode()


def test_a_sort_link_fetched_by_htmx_swaps_only_the_grid(client, plan_lead, plan_with_actions):
    client.force_login(plan_lead)

    response = client.get(grid_url(plan_with_actions), {"sort": "due_date"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="grid-results">')
    assert "<h1>" not in html
    assert 'data-hx-target="#grid-results"' in html
    assert response["Vary"].count("HX-Request") == 1


def test_rows_offer_the_in_place_update_to_a_plan_lead(client, plan_lead, plan_with_actions):
    client.force_login(plan_lead)
    action = plan_with_actions.actions.get(reference="1.1")

    html = client.get(grid_url(plan_with_actions)).content.decode()

    update = reverse("actions:update", args=[action.pk])
    assert f'data-hx-get="{update}?context=row"' in html
    assert 'role="region" aria-labelledby="grid-caption" tabindex="0"' in html


def test_a_long_plan_is_paged_so_the_page_stays_small(client, plan_lead):
    priority = make_priority(make_plan())
    for number in range(GRID_ROWS_PER_PAGE + 1):
        make_action(priority, reference=f"1.{number:03d}", order=number)
    client.force_login(plan_lead)

    first = client.get(grid_url(priority.plan))
    last = client.get(grid_url(priority.plan), {"page": 2})

    assert len(references(first)) == GRID_ROWS_PER_PAGE
    assert references(last) == [f"1.{GRID_ROWS_PER_PAGE:03d}"]
    assert "page 2 of 2" in last.content.decode()


@pytest.mark.parametrize("role_fixture", ["officer", "scrutiny_member"])
def test_only_plan_leads_open_the_grid(request, role_fixture, plan_with_actions):
    client = Client()
    client.force_login(request.getfixturevalue(role_fixture))

    assert client.get(grid_url(plan_with_actions)).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, plan_with_actions):
    response = client.get(grid_url(plan_with_actions))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_plan_page_links_to_its_grid(client, plan_lead, plan_with_actions):
    client.force_login(plan_lead)

    html = client.get(reverse("plans:detail", args=[plan_with_actions.pk])).content.decode()

    assert f'href="{grid_url(plan_with_actions)}"' in html


def test_the_grid_runs_as_many_queries_for_40_actions_as_for_4(
    client, plan_lead, django_assert_max_num_queries
):
    client.force_login(plan_lead)
    small = make_busy_actions(4, plan_count=1)[0].plan
    large = make_busy_actions(40, plan_count=1)[0].plan

    with django_assert_max_num_queries(15) as few:
        client.get(grid_url(small))
    with django_assert_max_num_queries(15) as many:
        client.get(grid_url(large))

    assert len(many.captured_queries) == len(few.captured_queries)
