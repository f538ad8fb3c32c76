"""The overview dashboard: BRAG counts per plan and priority, overdue and red actions, what changed since."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Board, Meeting
from tests.factories import (
    make_action,
    make_brag_scale,
    make_plan,
    make_priority,
    make_update,
    make_user,
    rag_level,
)
from tests.reports.pages import bars, charts, table, tables

pytestmark = pytest.mark.django_db
URL = reverse("reports:overview")
TODAY = timezone.localdate()
SEGMENTS = ("blue", "green", "amber", "red", None)  # BRAG order, then not rated


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def area(officer):
    """Two plans with a spread of RAGs, statuses and due dates, plus an archived and a withdrawn action."""
    scale = make_brag_scale()
    first, second = make_plan(title="Written Statement of Action"), make_plan(title="Peer review plan")
    priorities = [
        make_priority(first, number="1", title="Records", order=1),
        make_priority(first, number="2", title="Quality assurance", order=2),
        make_priority(second, number="1", title="Leadership", order=1),
    ]
    specs = [
        # (priority, colour, status, due in days)
        (0, "green", Action.Status.IN_PROGRESS, 30),
        (0, "amber", Action.Status.IN_PROGRESS, -3),
        (0, "red", Action.Status.IN_PROGRESS, 10),
        (0, "blue", Action.Status.COMPLETE, -40),
        (1, "red", Action.Status.NOT_STARTED, -1),
        (1, None, Action.Status.NOT_STARTED, 60),
        (1, "green", Action.Status.ON_HOLD, -20),
        (2, "blue", Action.Status.COMPLETE, -5),
        (2, "green", Action.Status.IN_PROGRESS, 5),
        (2, "amber", Action.Status.WITHDRAWN, -9),  # withdrawn: left out of every count
    ]
    for index, (p, colour, status, due) in enumerate(specs):
        make_action(
            priorities[p],
            [officer],
            reference=f"{priorities[p].number}.{index}",
            rag=rag_level(scale, colour) if colour else None,
            status=status,
            due_date=_day(due),
        )
    make_action(
        priorities[0], [officer], rag=rag_level(scale, "red"), due_date=_day(-30), archived_at=timezone.now()
    )
    return {"plans": [first, second], "priorities": priorities}


def _expected(plan) -> tuple[list[int], int, int, int]:
    """Count the plan's live, not withdrawn actions in plain Python: segments, total, % complete, overdue."""
    actions = [
        a
        for a in Action.objects.filter(plan=plan, archived_at__isnull=True).select_related("rag")
        if a.status != Action.Status.WITHDRAWN
    ]
    colours = Counter(a.rag.colour if a.rag else None for a in actions)
    complete = sum(a.status == Action.Status.COMPLETE for a in actions)
    overdue = sum(a.status not in Action.CLOSED_STATUSES and a.due_date < TODAY for a in actions)
    return [colours[c] for c in SEGMENTS], len(actions), round(100 * complete / len(actions)), overdue


def test_the_counts_per_plan_equal_counts_made_from_the_actions(client, scrutiny_member, area):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, "Actions by delivery RAG, per plan")
    assert rows[0] == [
        "Plan",
        "Complete",
        "On track",
        "At risk",
        "Off track",
        "Not rated",
        "Total",
        "Complete",
        "Overdue",
    ]
    for plan in area["plans"]:
        segments, total, percent, overdue = _expected(plan)
        row = [plan.title, *map(str, segments), str(total), f"{percent}%", str(overdue)]
        assert row in rows[1:]
    # Split by priority on each plan's own page, not here: the overview compares plans.
    assert not any(caption.endswith("per priority") for caption in tables(html))


def test_the_counts_per_priority_equal_counts_made_from_the_actions(client, scrutiny_member, area):
    client.force_login(scrutiny_member)
    plan = area["plans"][0]

    html = client.get(reverse("reports:plan", args=[plan.pk])).content.decode()

    rows = table(html, "Written Statement of Action: actions by delivery RAG, per priority")
    for priority, row in zip(area["priorities"][:2], rows[2:], strict=True):
        actions = [a for a in priority.actions.filter(archived_at__isnull=True).select_related("rag")]
        colours = Counter(a.rag.colour if a.rag else None for a in actions)
        overdue = sum(a.status not in Action.CLOSED_STATUSES and a.due_date < TODAY for a in actions)
        assert row[0] == f"Priority {priority.number}: {priority.title}"
        assert row[1:6] == [str(colours[c]) for c in SEGMENTS]
        assert row[6] == str(len(actions))
        assert row[8] == str(overdue)


def test_the_stacked_bar_has_a_segment_per_non_zero_count_and_the_same_numbers(client, scrutiny_member, area):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    svg = charts(html)["plans-rag"]
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "Delivery RAG of the actions in each plan"
    # One bar a plan; a segment for each non-zero count in each bar.
    labels = ("Complete", "On track", "At risk", "Off track", "Not rated")
    expected = [_expected(plan)[0] for plan in area["plans"]]
    drawn = [(label, n) for counts in expected for label, n in zip(labels, counts, strict=True) if n]
    assert sorted(bars(svg)) == sorted(drawn)


def test_it_lists_overdue_and_red_actions_with_their_leads(client, scrutiny_member, area, officer):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, "Open actions that are overdue or rated red, soonest due first")
    expected = sorted(
        (
            a
            for a in Action.objects.filter(archived_at__isnull=True).select_related("rag")
            if a.status not in Action.CLOSED_STATUSES
            and (a.due_date < TODAY or (a.rag and a.rag.colour == "red"))
        ),
        key=lambda a: a.due_date,
    )
    assert [row[0] for row in rows[1:]] == [f"Action {a.reference}" for a in expected]
    assert all(row[3] == "Olivia Officer" for row in rows[1:])
    assert len(expected) == 4  # the data has both kinds: overdue only, red only, and both


def test_changes_since_a_date_list_status_and_rag_changes_completions_and_new_actions(
    client, scrutiny_member, officer
):
    scale = make_brag_scale()
    old = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=60)
    with time_machine.travel(old):
        before = make_action(leads=[officer], reference="1.1")
        moved_long_ago = make_action(before.priority, [officer], reference="1.2")
        make_update(moved_long_ago, officer, status=Action.Status.IN_PROGRESS)
    with time_machine.travel(old + datetime.timedelta(days=45)):
        make_update(before, officer, rag=rag_level(scale, "amber"), rag_reason="Late.", recovery_plan="Soon.")
        make_update(moved_long_ago, officer, "No change, just a note.")
        make_update(moved_long_ago, officer, status=Action.Status.COMPLETE, evidence="Report.")
        new = make_action(before.priority, [officer], reference="1.3")
    client.force_login(scrutiny_member)

    since = (old + datetime.timedelta(days=30)).date()
    html = client.get(URL, {"since": since.isoformat()}).content.decode()

    moved = table(html, f"Status and RAG changes since {since:%-d %B %Y}, newest first")
    assert [row[1].split()[0] for row in moved[1:]] == ["1.2", "1.1"]  # the note without a change is left out
    assert moved[1][2] == "In progress → Complete"
    assert moved[2][3] == "Not rated → At risk"
    assert f"What changed since {since:%-d %B %Y}" in html
    assert "Completed (1)" in html and "New actions (1)" in html
    new_rows = table(html, "Actions added since the date above")
    assert [row[0] for row in new_rows[1:]] == [f"Action {new.reference}"]


def test_changed_since_defaults_to_the_last_scrutiny_committee_meeting(client, scrutiny_member):
    scrutiny = Board.objects.create(name="Overview and Scrutiny", kind=Board.Kind.SCRUTINY)
    other = Board.objects.create(name="SEND Development Board", kind=Board.Kind.BOARD)
    Meeting.objects.create(board=scrutiny, date=_day(-100))
    Meeting.objects.create(board=scrutiny, date=_day(-30), title="Progress report")
    Meeting.objects.create(board=scrutiny, date=_day(20))  # not yet held
    Meeting.objects.create(board=other, date=_day(-2))  # not the scrutiny committee
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    assert f"What changed since {_day(-30):%-d %B %Y}" in html
    assert "Since the last meeting of the Overview and Scrutiny (Progress report)" in html


def test_without_any_committee_meeting_it_looks_back_four_weeks(client, scrutiny_member):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    assert f"What changed since {_day(-28):%-d %B %Y}" in html


@pytest.mark.parametrize("since", ["not-a-date", "2999-01-01", "1899-12-31"])
def test_a_bad_date_is_explained_and_the_default_is_used(client, scrutiny_member, since):
    client.force_login(scrutiny_member)

    response = client.get(URL, {"since": since})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_since_day"' in html
    assert f"What changed since {_day(-28):%-d %B %Y}" in html


def test_the_page_has_no_form_that_writes(client, scrutiny_member, area):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    # Sign out is the only form that posts; the date picker is a GET form.
    assert html.count('method="post"') == 1
    assert "/update/" not in html


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_a_user_without_a_role_is_refused(client, db):
    client.force_login(make_user("nobody_yet"))

    assert client.get(URL).status_code == 403


def test_the_reports_item_leading_to_the_overview_is_in_everyones_navigation(client, officer):
    client.force_login(officer)

    html = client.get(reverse("actions:mine")).content.decode()

    assert f'href="{URL}">Reports</a>' in html


def _grow(officer, count: int, since_days: int = 5) -> None:
    scale = make_brag_scale()
    plan = make_plan()
    priorities = [make_priority(plan) for _ in range(2)]
    for i in range(count):
        action = make_action(priorities[i % 2], [officer, make_user()], due_date=_day(-1 - i))
        make_update(
            action,
            officer,
            status=Action.Status.IN_PROGRESS,
            rag=rag_level(scale, "red"),
            rag_reason="Late.",
            recovery_plan="Soon.",
        )


def test_the_number_of_queries_does_not_grow_with_plans_actions_or_updates(
    client, scrutiny_member, officer, django_assert_max_num_queries
):
    client.force_login(scrutiny_member)
    _grow(officer, 3)
    client.get(URL)  # warm the session
    # session, user, groups and permissions (one query), plans (open and closed, with RAG scales), last
    # meeting, the three lists' totals (one query), a page of overdue/red actions (with the leads' names), a
    # page of changes, a page of new actions, RAG levels, priorities with their counts, the RAG moves since
    # the meeting, the KPI cards, the findings and their priorities (coverage), the moved due dates; no
    # session save within a minute of the last.
    with django_assert_max_num_queries(15) as small:
        assert client.get(URL).status_code == 200
    _grow(officer, 12)
    with django_assert_max_num_queries(15) as large:
        assert client.get(URL).status_code == 200
    assert len(small) == len(large)


SINCE = f"{(TODAY - datetime.timedelta(days=28)):%-d %B %Y}"  # four weeks back, without a committee meeting


def test_the_overview_reads_in_the_order_a_councillor_reads_it(client, scrutiny_member, area):
    from actions.models import Plan

    make_plan(title="An old closed plan", status=Plan.Status.CLOSED)
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    headings = [
        'id="state-heading">Where each plan stands',
        'id="kpi-heading">Key performance indicators',
        'id="coverage-heading">Coverage of the reviews',
        'id="attention-heading">Overdue or off track',
        'id="changes-heading">What changed since',
        'id="rebaselines-heading">Due dates moved',
        'id="progress-heading">Progress of each plan',
        "Closed plans (1)",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "<details" in html[html.index("Progress of each plan") :]
    assert "An old closed plan</a>" not in html[: html.index("Closed plans (1)")]


def test_each_plan_and_priority_has_a_state_with_its_word(client, scrutiny_member, area):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(
        html,
        f"Each plan in delivery and its priorities: overall state, actions, and how actions moved "
        f"since {SINCE}",
    )
    states = {row[0]: row[1] for row in rows[1:]}
    # Priority 1 has a red action; priority 2 a red one too; the peer review plan's only open one is green.
    assert states["Written Statement of Action"] == "Off track"
    assert states["Priority 1: Records"] == "Off track"
    assert states["Peer review plan"] == "On track"
    assert '<strong class="tag tag--red">Off track</strong>' in html


def test_moves_since_the_last_committee_are_counted_per_priority(client, scrutiny_member, officer):
    scale = make_brag_scale()
    old = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=60)
    with time_machine.travel(old):
        first = make_action(leads=[officer], reference="1.1", rag=rag_level(scale, "amber"))
        second = make_action(first.priority, [officer], reference="1.2", rag=rag_level(scale, "amber"))
        third = make_action(first.priority, [officer], reference="1.3", rag=rag_level(scale, "green"))
    with time_machine.travel(old + datetime.timedelta(days=45)):
        for action in (first, second):
            make_update(action, officer, rag=rag_level(scale, "green"))
        make_update(third, officer, rag=rag_level(scale, "red"), rag_reason="Late.", recovery_plan="Soon.")
    client.force_login(scrutiny_member)

    since = (old + datetime.timedelta(days=30)).date()
    html = client.get(URL, {"since": since.isoformat()}).content.decode()

    assert "2 actions moved amber → green, 1 action moved green → red" in html


def test_due_dates_moved_since_the_last_committee_are_listed_with_old_and_new_date_and_reason(
    client, scrutiny_member, officer
):
    action = make_action(leads=[officer], reference="2.4", due_date=datetime.date(2030, 1, 31))
    action.rebaseline(
        due_date=datetime.date(2030, 6, 30), reason="The new system slipped.", version=action.version
    )
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, f"Due dates moved since {SINCE}, newest first")
    assert rows[1][0].startswith("Action 2.4 Audit every EHC plan record")
    assert rows[1][1:4] == ["31 Jan 2030", "30 Jun 2030", "The new system slipped."]


def test_a_change_row_gives_the_actions_title(client, scrutiny_member, officer):
    action = make_action(leads=[officer], reference="3.1", description="Publish the local offer.")
    make_update(action, officer, status=Action.Status.IN_PROGRESS)
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, f"Status and RAG changes since {SINCE}, newest first")
    assert rows[1][1].startswith("3.1 Publish the local offer.")


def test_the_plan_filter_carries_to_the_kpi_and_coverage_links(client, scrutiny_member, area):
    plan = area["plans"][0]
    client.force_login(scrutiny_member)

    html = client.get(URL, {"plan": plan.pk}).content.decode()

    assert f'href="{reverse("reports:kpis")}?plan={plan.pk}"' in html
    assert f'href="{reverse("reports:trends")}?plan={plan.pk}"' in html
    assert f'href="{reverse("inspections:coverage")}?plan={plan.pk}"' in html


def test_the_overview_takes_as_many_queries_with_its_lists_empty_as_with_them_full(
    client, scrutiny_member, officer, django_assert_max_num_queries
):
    make_priority(make_plan())  # nothing overdue or red, no change, no new action: three empty lists
    client.force_login(scrutiny_member)
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(15) as empty:
        page = client.get(URL)
    assert [len(page.context[name].items) for name in ("attention",)] == [0]
    _grow(officer, 12)
    with django_assert_max_num_queries(15) as full:
        page = client.get(URL)
    assert len(page.context["attention"].items) > 0
    assert len(empty) == len(full)


def test_a_kpi_card_gives_its_figures_and_words_and_links_to_its_chart_and_actions(client, scrutiny_member):
    from decimal import Decimal

    from actions.models import Measure, MeasureTarget, MeasureValue
    from reports.dashboards import month_ends

    plan = make_plan(title="Written Statement of Action")
    priority = make_priority(plan)
    before, last = month_ends(TODAY, 2)
    late = Measure.objects.create(
        name="EHC plans issued within 20 weeks", plan=plan, priority=priority, higher_is_better=True
    )
    MeasureValue.objects.create(measure=late, period_end=before, value=Decimal("60.5"))
    MeasureValue.objects.create(measure=late, period_end=last, value=Decimal("58"), national=Decimal("50.25"))
    MeasureTarget.objects.create(measure=late, period_end=last, target=Decimal("65"))
    unrecorded = {"unit": Measure.Unit.NUMBER, "higher_is_better": True, "order": 1}
    Measure.objects.create(name="Annual reviews on time <all>", plan=plan, **unrecorded)
    client.force_login(scrutiny_member)

    html = client.get(URL, {"plan": plan.pk}).content.decode()

    start = html.index('<ul class="kpi-cards">')
    cards = html[start : html.index("</ul>", start)]
    assert cards.index("EHC plans issued within 20 weeks") < cards.index("Annual reviews on time &lt;all&gt;")
    assert f"Latest: <strong>58%</strong> ({last:%b %Y})." in cards
    assert "Target: 65%." in cards and "National: 50.25%." in cards
    assert '<strong class="tag tag--red">Missing its target</strong> Worse than the period before. ' in cards
    assert "Better than the national figure." in cards
    kpis = reverse("reports:kpis")
    assert f'href="{kpis}?plan={plan.pk}#measure-{late.pk}-heading"' in cards
    assert f'href="{reverse("actions:list")}?priority={priority.pk}"' in cards
    assert "Latest: <strong>no figure yet</strong>." in cards
    assert "Target: none set." in cards and "National: none published." in cards
