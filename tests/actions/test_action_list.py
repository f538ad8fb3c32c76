"""All actions: the filterable, sortable, paginated table; htmx requests get only the results fragment."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.factories import (
    make_action,
    make_brag_scale,
    make_busy_actions,
    make_organisation,
    make_plan,
    make_priority,
    make_user,
    person_for,
    rag_level,
)

URL = reverse("actions:list")
NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
HTMX = {"HX-Request": "true"}


def row_pks(response) -> list[int]:
    """Return the pks of the action rows in the page, in page order."""
    return [int(pk) for pk in re.findall(r'<tr id="action-row-(\d+)"', response.content.decode())]


def references(response) -> set[str]:
    return set(Action.objects.filter(pk__in=row_pks(response)).values_list("reference", flat=True))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(frozen, officer, other_officer):
    """Two plans and five live actions that differ in every filterable way (today is 2 June 2025).

    Last updated: A1 3 days ago (30 May), A2 60 days ago (3 April), B1 20 days ago (13 May), others never.
    """
    scale = make_brag_scale()
    send_plan = make_plan(title="SEND written statement of action")
    ap_plan = make_plan(title="Alternative provision strategy")
    records, transitions = make_priority(send_plan, number="1"), make_priority(send_plan, number="2")
    ap = make_priority(ap_plan, number="1")
    council, health = make_organisation("Northshire County Council"), make_organisation("Northshire ICB")
    now = timezone.now()
    actions = {
        "A1": make_action(
            records,
            [officer],
            reference="A1",
            description="Audit EHC plan records",
            status=Action.Status.IN_PROGRESS,
            rag=rag_level(scale, "green"),
            due_date=datetime.date(2025, 9, 1),
        ),
        "A2": make_action(
            records,
            [other_officer],
            reference="A2",
            description="Train caseworkers on annual reviews",
            status=Action.Status.NOT_STARTED,
            rag=rag_level(scale, "red"),
            due_date=datetime.date(2025, 3, 1),
        ),
        "A3": make_action(
            transitions,
            [officer, other_officer],
            reference="A3",
            description="Preparation for adulthood pathway",
            status=Action.Status.COMPLETE,
            rag=rag_level(scale, "blue"),
            due_date=datetime.date(2025, 2, 1),
        ),
        "B1": make_action(
            ap,
            [other_officer],
            reference="B1",
            description="Commission alternative provision places",
            status=Action.Status.IN_PROGRESS,
            rag=rag_level(scale, "amber"),
            due_date=datetime.date(2025, 12, 1),
        ),
        "B2": make_action(
            ap,
            [],
            reference="B2",
            description="Publish the local offer for alternative provision",
            status=Action.Status.ON_HOLD,
            due_date=datetime.date(2025, 5, 1),
        ),
    }
    actions["A1"].lead_organisations.set([council])
    actions["A2"].lead_organisations.set([council, health])
    actions["B1"].lead_organisations.set([health])
    Action.objects.filter(pk=actions["A1"].pk).update(last_updated_at=now - datetime.timedelta(days=3))
    Action.objects.filter(pk=actions["A2"].pk).update(last_updated_at=now - datetime.timedelta(days=60))
    Action.objects.filter(pk=actions["B1"].pk).update(last_updated_at=now - datetime.timedelta(days=20))
    make_action(ap, [officer], reference="ARCHIVED", archived_at=now)
    return {
        "actions": actions,
        "send_plan": send_plan,
        "ap_plan": ap_plan,
        "transitions": transitions,
        "council": council,
        "health": health,
    }


def test_it_lists_every_live_action(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL)

    assert response.status_code == 200
    assert references(response) == {"A1", "A2", "A3", "B1", "B2"}
    assert "5 actions found." in response.content.decode()
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_progress"}, {"A1", "B1"}),
        ({"status": "on_hold"}, {"B2"}),
        ({"rag": "red"}, {"A2"}),
        ({"rag": "blue"}, {"A3"}),
        ({"q": "alternative provision"}, {"B1", "B2"}),
        ({"q": "a3"}, {"A3"}),
        ({"q": "EHC"}, {"A1"}),
        # A3 is past due but complete, so not overdue
        ({"overdue": "true"}, {"A2", "B2"}),
        ({"overdue": "false"}, {"A1", "A3", "B1"}),
        # never updated, or last updated before the date
        ({"not_updated_since": "2025-05-01"}, {"A2", "A3", "B2"}),
        ({"not_updated_since": "2025-05-30"}, {"A2", "A3", "B1", "B2"}),
        ({"not_updated_since": "2025-05-31"}, {"A1", "A2", "A3", "B1", "B2"}),
        ({"status": "in_progress", "rag": "amber"}, {"B1"}),
    ],
)
def test_each_filter_narrows_the_table(client, scrutiny_member, board, query, expected):
    client.force_login(scrutiny_member)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert references(response) == expected


def test_it_filters_by_plan(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"plan": board["ap_plan"].pk})

    assert references(response) == {"B1", "B2"}


def test_it_filters_by_priority(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"priority": board["transitions"].pk})

    assert references(response) == {"A3"}


def test_it_filters_by_lead(client, scrutiny_member, officer, other_officer, board):
    client.force_login(scrutiny_member)

    assert references(client.get(URL, {"lead": person_for(officer).pk})) == {"A1", "A3"}
    assert references(client.get(URL, {"lead": person_for(other_officer).pk})) == {"A2", "A3", "B1"}


def test_it_filters_by_lead_organisation(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    assert references(client.get(URL, {"organisation": board["council"].pk})) == {"A1", "A2"}
    assert references(client.get(URL, {"organisation": board["health"].pk})) == {"A2", "B1"}


def test_filters_combine(client, scrutiny_member, officer, board):
    client.force_login(scrutiny_member)

    lead = person_for(officer).pk
    response = client.get(URL, {"plan": board["send_plan"].pk, "lead": lead, "status": "complete"})

    assert references(response) == {"A3"}


def test_an_invalid_filter_shows_its_error_and_no_actions(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"plan": 999_999})

    assert response.status_code == 200
    assert row_pks(response) == []
    html = response.content.decode()
    assert "Choose the plan from the list" in html
    assert "No actions match these filters." in html


def test_the_filter_form_shows_the_filters_in_use(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    html = client.get(URL, {"status": "in_progress", "q": "audit", "per_page": 50}).content.decode()

    assert '<option value="in_progress" selected>' in html
    assert 'name="q" value="audit"' in html
    assert '<option value="50" selected>' in html


def test_it_sorts_by_due_date_both_ways(client, scrutiny_member, board):
    client.force_login(scrutiny_member)
    by_due_date = [board["actions"][ref].pk for ref in ("A3", "A2", "B2", "A1", "B1")]

    ascending = client.get(URL, {"sort": "due_date"})
    descending = client.get(URL, {"sort": "-due_date"})

    assert row_pks(ascending) == by_due_date
    assert row_pks(descending) == by_due_date[::-1]
    assert 'aria-sort="ascending"' in ascending.content.decode()
    assert 'aria-sort="descending"' in descending.content.decode()


@pytest.mark.parametrize("sort", ["bogus", "leads__password", "-leads"])
def test_an_unknown_or_unsortable_column_is_ignored(client, scrutiny_member, board, sort):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"sort": sort})

    assert response.status_code == 200
    assert references(response) == {"A1", "A2", "A3", "B1", "B2"}


def test_sort_links_keep_the_filters(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    html = client.get(URL, {"status": "in_progress", "sort": "due_date"}).content.decode()

    assert 'href="?status=in_progress&amp;sort=-due_date"' in html


@pytest.fixture
def thirty_actions(db):
    priority = make_priority()
    return [
        make_action(
            priority, reference=f"P{i:02}", due_date=datetime.date(2025, 1, 1) + datetime.timedelta(i)
        )
        for i in range(30)
    ]


def test_it_paginates_25_a_page_by_default(client, scrutiny_member, thirty_actions):
    client.force_login(scrutiny_member)

    first = client.get(URL, {"sort": "due_date"})
    second = client.get(URL, {"sort": "due_date", "page": 2})

    assert row_pks(first) == [a.pk for a in thirty_actions[:25]]
    assert row_pks(second) == [a.pk for a in thirty_actions[25:]]
    assert "30 actions found." in first.content.decode()


@pytest.mark.parametrize("per_page", [10, 25, 50, 100])
def test_it_shows_the_chosen_number_of_actions_a_page(client, scrutiny_member, thirty_actions, per_page):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"sort": "due_date", "per_page": per_page})

    assert row_pks(response) == [a.pk for a in thirty_actions[:per_page]]


def test_page_links_keep_the_filters_sort_and_page_size(client, scrutiny_member, thirty_actions):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"q": "P", "sort": "due_date", "per_page": 10, "page": 2})

    assert row_pks(response) == [a.pk for a in thirty_actions[10:20]]
    html = response.content.decode()
    assert 'href="?q=P&amp;sort=due_date&amp;per_page=10&amp;page=3" rel="next"' in html
    assert 'href="?q=P&amp;sort=due_date&amp;per_page=10&amp;page=1" rel="prev"' in html
    assert "page 2 of 3" in html


def test_a_page_past_the_end_shows_the_last_page(client, scrutiny_member, thirty_actions):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"sort": "due_date", "page": 99})

    assert response.status_code == 200
    assert row_pks(response) == [a.pk for a in thirty_actions[25:]]


@pytest.mark.parametrize(
    "per_page",
    [
        "lots",
        "",
        "0",
        "7",
        "1000",
        "-5",
    ],
)
def test_a_page_size_that_is_not_offered_falls_back_to_25(client, scrutiny_member, thirty_actions, per_page):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"sort": "due_date", "per_page": per_page})

    assert response.status_code == 200
    assert row_pks(response) == [a.pk for a in thirty_actions[:25]]


def test_an_htmx_request_gets_only_the_results_fragment(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"status": "in_progress"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="action-results"')
    assert "<html" not in html
    assert "Filter actions" not in html
    assert references(response) == {"A1", "B1"}
    assert "HX-Request" in response["Vary"]


def test_a_normal_request_gets_the_whole_page_and_varies_on_hx_request(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL)

    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert 'id="action-results"' in html
    assert "Filter actions" in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    response = client.get(URL, headers={**HTMX, "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()


def test_only_rows_the_user_may_update_have_an_update_link(client, officer, board):
    client.force_login(officer)

    html = client.get(URL).content.decode()

    rows = dict(re.findall(r'<tr id="action-row-(\d+)"[^>]*>(.*?)</tr>', html, flags=re.S))
    actions = board["actions"]
    for ref in ("A1", "A3"):
        assert reverse("actions:update", args=[actions[ref].pk]) in rows[str(actions[ref].pk)]
    for ref in ("A2", "B1", "B2"):
        assert "Read only" in rows[str(actions[ref].pk)]
        assert reverse("actions:update", args=[actions[ref].pk]) not in rows[str(actions[ref].pk)]


def test_the_update_link_of_a_row_returns_to_the_filtered_list(client, officer, board):
    client.force_login(officer)
    action = board["actions"]["A1"]

    html = client.get(URL, {"status": "in_progress", "sort": "due_date"}).content.decode()

    update_url = reverse("actions:update", args=[action.pk])
    assert f'href="{update_url}?next=/actions/%3Fstatus%3Din_progress%26sort%3Ddue_date"' in html


def test_the_no_results_row_spans_every_column(client, scrutiny_member, board):
    client.force_login(scrutiny_member)

    html = client.get(URL, {"q": "nothing matches this"}).content.decode()

    assert '<td colspan="10">No actions match these filters.</td>' in html


def test_a_plan_lead_may_update_every_row(client, plan_lead, board):
    client.force_login(plan_lead)

    html = client.get(URL).content.decode()

    assert "Read only" not in html
    for action in board["actions"].values():
        assert reverse("actions:update", args=[action.pk]) in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL, {"status": "complete"})

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/actions/%3Fstatus%3Dcomplete"


def test_a_user_without_a_role_is_forbidden(client, db):
    client.force_login(make_user("no_role"))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_list_only_answers_get(client, scrutiny_member, method):
    client.force_login(scrutiny_member)

    assert getattr(client, method)(URL).status_code == 405


def test_the_row_url_returns_one_row(client, officer, board):
    action = board["actions"]["A1"]
    client.force_login(officer)

    response = client.get(reverse("actions:row", args=[action.pk]), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="action-row-{action.pk}"')
    assert html.endswith("</tr>")
    assert "Audit EHC plan records" in html


def test_the_row_url_keeps_the_overdue_tag(client, officer, board):
    action = board["actions"]["A2"]  # due 1 March, not started: overdue on 2 June
    client.force_login(officer)

    html = client.get(reverse("actions:row", args=[action.pk]), headers=HTMX).content.decode()

    assert '<strong class="tag tag--overdue">Overdue</strong>' in html


def test_the_row_url_is_read_only_for_a_scrutiny_member(client, scrutiny_member, board):
    action = board["actions"]["A1"]
    client.force_login(scrutiny_member)

    html = client.get(reverse("actions:row", args=[action.pk])).content.decode()

    assert "Read only" in html
    assert reverse("actions:update", args=[action.pk]) not in html


def test_the_row_url_refuses_anonymous_and_wrong_methods(client, officer, board):
    url = reverse("actions:row", args=[board["actions"]["A1"].pk])

    assert client.get(url)["Location"] == f"/login/?next={url}"
    client.force_login(officer)
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("per_page", [10, 25, 100])
def test_the_table_takes_the_same_number_of_queries_however_many_actions(
    client, plan_lead, django_assert_max_num_queries, per_page
):
    made, counts = 0, []
    for count in (5, 60):
        made += len(make_busy_actions(count - made))
        client.force_login(plan_lead)

        # 1 session, 2 user, 3 the user's groups with their permissions and the user's own (require_view and
        # the role in the header, one query: accounts.backends), 4 every plan's update deadlines, 5
        # count of matching actions, 6 the page of actions, 7 their priorities with plans, 8 their RAG
        # levels, 9 their leads, 10 their lead organisations, 11-14 the options of the plan, priority, lead
        # and organisation filters (which also check a chosen one). No session write: its expiry is less
        # than a minute old (core.sessions; one UPDATE more on the first request a minute later, 15
        # in all).
        with django_assert_max_num_queries(14) as queries:
            response = client.get(URL, {"per_page": per_page})

        assert len(row_pks(response)) == min(count, per_page)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_htmx_fragment_takes_the_same_number_of_queries_however_many_actions(
    client, plan_lead, django_assert_max_num_queries
):
    made, counts = 0, []
    for count in (5, 60):
        made += len(make_busy_actions(count - made))
        client.force_login(plan_lead)

        # As the full page (14) without the four filter option lists, which the fragment does not render.
        with django_assert_max_num_queries(10) as queries:
            response = client.get(URL, {"per_page": 25, "status": "in_progress"}, headers=HTMX)

        assert len(row_pks(response)) == min(count, 25)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _inherited_htmx_of_links(html: str) -> dict[str, dict[str, str]]:
    """Return, for each link, the hx-* attributes it inherits from its ancestors (htmx inherits them)."""
    from html.parser import HTMLParser

    void = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[tuple[str, dict[str, str]]] = []
            self.links: dict[str, dict[str, str]] = {}

        def handle_starttag(self, tag, attrs):
            own = {
                k.removeprefix("data-"): v or ""
                for k, v in attrs
                if k.removeprefix("data-").startswith("hx-")
            }
            if tag == "a":
                inherited: dict[str, str] = {}
                for _, ancestor in self.stack:
                    inherited.update(ancestor)
                self.links[dict(attrs).get("href", "")] = inherited
            if tag not in void:
                self.stack.append((tag, own))

        def handle_endtag(self, tag):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break

    parser = Links()
    parser.feed(html)
    return parser.links


def test_an_actions_reference_link_is_a_plain_link_not_boosted_into_the_results(client, plan_lead, board):
    client.force_login(plan_lead)

    links = _inherited_htmx_of_links(client.get(reverse("actions:list")).content.decode())

    detail_links = {href: attrs for href, attrs in links.items() if re.fullmatch(r"/actions/\d+/", href)}
    assert detail_links
    for href, inherited in detail_links.items():
        assert "hx-boost" not in inherited, href
        assert "hx-target" not in inherited, href
        assert "hx-push-url" not in inherited, href


def test_sort_and_page_links_still_swap_only_the_results(client, scrutiny_member, thirty_actions):
    client.force_login(scrutiny_member)

    links = _inherited_htmx_of_links(client.get(reverse("actions:list")).content.decode())

    sort_and_page = {href: a for href, a in links.items() if "sort=" in href or "page=" in href}
    assert any("sort=" in href for href in sort_and_page) and any("page=" in href for href in sort_and_page)
    for href, inherited in sort_and_page.items():
        assert inherited.get("hx-boost") == "true", href
        assert inherited.get("hx-target") == "#action-results", href
