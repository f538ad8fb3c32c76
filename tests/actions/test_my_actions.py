"""My actions: the actions an officer leads, overdue first, then those due an update, then the rest."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.factories import make_action, make_busy_actions, make_plan, make_priority, make_update, make_user

URL = reverse("actions:mine")
# A Monday in term time; every date below is relative to it.
NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2025, 6, 2)
DAY = datetime.timedelta(days=1)


def row_pks(response) -> list[int]:
    """Return the pks of the action rows in the page, in page order."""
    return [int(pk) for pk in re.findall(r'<tr id="action-row-(\d+)"', response.content.decode())]


def set_last_updated(action: Action, when: datetime.datetime | None) -> None:
    Action.objects.filter(pk=action.pk).update(last_updated_at=when)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_officer_sees_only_the_actions_they_lead(client, officer, other_officer):
    mine = make_action(leads=[officer], reference="1.1")
    shared = make_action(leads=[other_officer, officer], reference="1.2")
    theirs = make_action(leads=[other_officer], reference="1.3")
    make_action(reference="1.4")
    client.force_login(officer)

    response = client.get(URL)

    assert response.status_code == 200
    assert sorted(row_pks(response)) == sorted([mine.pk, shared.pk])
    assert theirs.pk not in row_pks(response)
    assert 'aria-current="page">My actions' in response.content.decode()


def test_it_lists_overdue_actions_first_then_stale_ones_then_the_rest(client, officer, frozen):
    # Without a board, the weekly plan's last deadline was Friday 30 May, the four-weekly's Friday 23 May.
    weekly = make_plan(update_cycle_days=7)
    four_weekly = make_plan(update_cycle_days=28)
    weekly_priority, priority = make_priority(weekly), make_priority(four_weekly)

    overdue_late = make_action(priority, [officer], due_date=datetime.date(2025, 5, 1))
    overdue_early = make_action(priority, [officer], due_date=datetime.date(2025, 4, 1))
    never_updated = make_action(priority, [officer], due_date=datetime.date(2025, 9, 1))
    updated_40_days_ago = make_action(priority, [officer], due_date=datetime.date(2025, 8, 1))
    weekly_updated_10_days_ago = make_action(weekly_priority, [officer], due_date=datetime.date(2025, 12, 1))
    fresh = make_action(priority, [officer], due_date=datetime.date(2025, 7, 1))
    four_weekly_updated_9_days_ago = make_action(priority, [officer], due_date=datetime.date(2025, 12, 15))
    complete_past_due = make_action(
        priority, [officer], due_date=datetime.date(2025, 3, 1), status=Action.Status.COMPLETE
    )
    set_last_updated(overdue_late, NOW - datetime.timedelta(days=1))
    set_last_updated(overdue_early, NOW - datetime.timedelta(days=1))
    set_last_updated(updated_40_days_ago, NOW - datetime.timedelta(days=40))
    set_last_updated(weekly_updated_10_days_ago, NOW - datetime.timedelta(days=10))
    set_last_updated(fresh, NOW - datetime.timedelta(days=3))
    set_last_updated(four_weekly_updated_9_days_ago, NOW - datetime.timedelta(days=9))
    set_last_updated(complete_past_due, NOW - datetime.timedelta(days=200))
    client.force_login(officer)

    response = client.get(URL)

    assert row_pks(response) == [
        # overdue, earliest due first
        overdue_early.pk,
        overdue_late.pk,
        # stale (no update since the plan's last deadline, or never updated), by due date
        updated_40_days_ago.pk,
        never_updated.pk,
        weekly_updated_10_days_ago.pk,
        # the rest, by due date; a complete action is neither overdue nor stale
        complete_past_due.pk,
        fresh.pk,
        four_weekly_updated_9_days_ago.pk,
    ]
    assert "You lead 8 actions: <strong>2 overdue</strong> and <strong>3 due an update</strong>" in (
        response.content.decode()
    )


def test_an_action_is_stale_when_not_updated_since_the_plans_last_deadline(client, officer, frozen):
    priority = make_priority(make_plan())  # the default cycle of 28 days: last deadline Friday 23 May
    assert priority.plan.update_cycle_days == 28
    after_the_deadline = make_action(priority, [officer], due_date=datetime.date(2025, 7, 1))
    on_the_deadline_day = make_action(priority, [officer], due_date=datetime.date(2025, 8, 1))
    london = zoneinfo.ZoneInfo("Europe/London")
    set_last_updated(after_the_deadline, datetime.datetime(2025, 5, 24, 0, 1, tzinfo=london))
    set_last_updated(on_the_deadline_day, datetime.datetime(2025, 5, 23, 23, 59, tzinfo=london))
    client.force_login(officer)

    response = client.get(URL)

    assert row_pks(response) == [on_the_deadline_day.pk, after_the_deadline.pk]
    assert "<strong>0 overdue</strong> and <strong>1 due an update</strong>" in response.content.decode()


def test_an_update_takes_an_action_out_of_the_stale_group(client, officer, frozen):
    priority = make_priority()
    early = make_action(priority, [officer], due_date=datetime.date(2025, 7, 1))
    late = make_action(priority, [officer], due_date=datetime.date(2025, 8, 1))
    set_last_updated(early, NOW - datetime.timedelta(days=2))
    client.force_login(officer)
    assert row_pks(client.get(URL)) == [late.pk, early.pk]

    make_update(Action.objects.get(pk=late.pk), officer)

    assert row_pks(client.get(URL)) == [early.pk, late.pk]


def test_rows_are_tagged_overdue_or_update_due(client, officer, frozen):
    priority = make_priority()
    overdue = make_action(priority, [officer], due_date=datetime.date(2025, 5, 1))
    stale = make_action(priority, [officer], due_date=datetime.date(2025, 9, 1))
    fresh = make_action(priority, [officer], due_date=datetime.date(2025, 9, 2))
    set_last_updated(fresh, NOW)
    client.force_login(officer)

    html = client.get(URL).content.decode()

    rows = dict(re.findall(r'<tr id="action-row-(\d+)"[^>]*>(.*?)</tr>', html, flags=re.S))
    assert "Overdue" in rows[str(overdue.pk)]
    assert "Update due" in rows[str(stale.pk)]
    assert "Overdue" not in rows[str(fresh.pk)]
    assert "Update due" not in rows[str(fresh.pk)]


def test_archived_actions_are_not_listed(client, officer):
    live = make_action(leads=[officer])
    make_action(leads=[officer], archived_at=timezone.now())
    client.force_login(officer)

    response = client.get(URL)

    assert row_pks(response) == [live.pk]
    assert "You lead 1 action:" in response.content.decode()


def test_each_row_links_to_the_update_form_of_an_action_the_officer_leads(client, officer):
    action = make_action(leads=[officer])
    client.force_login(officer)

    html = client.get(URL).content.decode()

    update_url = reverse("actions:update", args=[action.pk])
    assert f'href="{update_url}?next=/actions/mine/"' in html
    assert f'data-hx-get="{update_url}?context=row"' in html


def test_an_officer_who_leads_nothing_is_pointed_to_all_actions(client, officer, other_officer):
    make_action(leads=[other_officer])
    client.force_login(officer)

    response = client.get(URL)

    assert response.status_code == 200
    assert row_pks(response) == []
    assert "You do not lead any actions yet." in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={URL}"


def test_a_user_without_a_role_is_forbidden(client, db):
    client.force_login(make_user("no_role"))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client, officer, method):
    client.force_login(officer)

    assert getattr(client, method)(URL).status_code == 405


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_my_actions_takes_the_same_number_of_queries_however_many_actions(
    client, db, persona, request, django_assert_max_num_queries
):
    # None first: the demo's councillors lead no action, the large area's lead some (issue #32).
    user = request.getfixturevalue(persona)
    made, counts = 0, []
    for count in (0, 3, 30):
        made += len(make_busy_actions(count - made, lead=user)) if count else 0
        client.force_login(user)

        # 1 session, 2 user, 3 the user's groups with their permissions and the user's own (require_view
        # and the role in the header, one query: accounts.backends), 4 every plan's deadlines (plans
        # with their board's recent meetings), 5 the actions, 6 their priorities with plans, 7 their RAG
        # levels, 8 their leads, 9 their lead organisations. No session write: the session's expiry is less
        # than a minute old (core.sessions; one UPDATE more on the first request a minute later).
        with django_assert_max_num_queries(9) as queries:
            response = client.get(URL)

        assert len(row_pks(response)) == count
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_my_actions_come_fifty_a_page_most_urgent_first_with_counts_over_all_of_them(client, officer, frozen):
    priority = make_priority(make_plan(update_cycle_days=28))
    # 53 actions all overdue (due before today), the earliest due first; none updated since the deadline.
    actions = [
        make_action(priority, [officer], reference=f"1.{n}", due_date=datetime.date(2025, 1, 1) + n * DAY)
        for n in range(53)
    ]
    client.force_login(officer)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert row_pks(first) == [action.pk for action in actions[:50]]
    assert row_pks(second) == [action.pk for action in actions[50:]]
    for response in (first, second):
        page = response.content.decode()
        assert "You lead 53 actions: <strong>53 overdue</strong>" in page
        assert 'aria-label="Pages of your actions"' in page
    assert "Showing actions 1 to 50 of 53." in first.content.decode()
    assert 'href="?page=2#my-actions"' in first.content.decode()
    assert "Showing actions 51 to 53 of 53." in second.content.decode()
