"""The trends page: RAG counts over time replayed from the update log, and framework RAG counts per round."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from inspections.models import Assessment, Rating
from reports.dashboards import end_of, month_ends
from reports.sql import rag_spans
from tests.factories import (
    make_action,
    make_brag_scale,
    make_criterion,
    make_plan,
    make_priority,
    make_update,
    rag_level,
)
from tests.reports.pages import bars, charts, table

pytestmark = pytest.mark.django_db
URL = reverse("reports:trends")
TODAY = timezone.localdate()
LABELS = {"blue": "Complete", "green": "On track", "amber": "At risk", "red": "Off track", None: "Not rated"}


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def history(officer):
    """Three actions whose RAG moved over the last months, each change dated in the update log."""
    scale = make_brag_scale()
    plan = make_plan(title="Written Statement of Action")
    priority = make_priority(plan)
    amber = {"rag_reason": "Late.", "recovery_plan": "Catching up."}
    with time_machine.travel(_at(200)):
        first = make_action(priority, [officer], reference="1.1")
    with time_machine.travel(_at(150)):
        make_update(first, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(scale, "green"))
    with time_machine.travel(_at(90)):
        second = make_action(priority, [officer], reference="1.2")
        make_update(first, officer, rag=rag_level(scale, "amber"), **amber)
    with time_machine.travel(_at(60)):
        make_update(second, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(scale, "red"), **amber)
    with time_machine.travel(_at(10)):
        make_update(
            first, officer, status=Action.Status.COMPLETE, rag=rag_level(scale, "blue"), evidence="Done."
        )
    with time_machine.travel(_at(5)):
        withdrawn = make_action(priority, [officer], reference="1.3")
        make_update(withdrawn, officer, status=Action.Status.WITHDRAWN)
    return plan


def _replay(plan, day: datetime.date) -> Counter:
    """Count RAG colours at the end of `day` by reading each action's log entry by entry."""
    counts = Counter()
    for action in Action.objects.filter(plan=plan).select_related("rag"):
        log = list(
            ActionUpdate.objects.filter(action=action)
            .select_related("rag_before", "rag_after")
            .order_by("created_at")
        )
        start = min([action.created_at] + [u.created_at for u in log])
        if start >= end_of(day):
            continue
        done = [u for u in log if u.created_at < end_of(day)]
        if done:
            status, rag = done[-1].status_after, done[-1].rag_after
        elif log:
            status, rag = log[0].status_before, log[0].rag_before
        else:
            status, rag = action.status, action.rag
        if status != Action.Status.WITHDRAWN:
            counts[rag.colour if rag else None] += 1
    return counts


def test_rag_counts_over_time_are_replayed_from_the_update_log(client, scrutiny_member, history):
    # A stored RAG changed outside the log must not rewrite the past.
    Action.objects.filter(reference="1.2").update(rag=None)
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, f"Delivery RAG of the actions in {history.title} over time")
    assert rows[0] == ["Month end", "Complete", "On track", "At risk", "Off track", "Not rated", "Total"]
    dates = [*month_ends(TODAY, 12), TODAY]
    assert len(rows) == 1 + len(dates)
    for row, day in zip(rows[1:], dates, strict=True):
        counts = _replay(history, day)
        assert row[1:6] == [str(counts[c]) for c in LABELS], day
    # The data moved: the picture is not the same at every date.
    assert len({tuple(row[1:]) for row in rows[1:]}) > 2


@pytest.mark.parametrize("lookups", [True, False])
def test_both_ways_of_counting_replay_the_update_log(history, officer, lookups):
    """SQLite looks each action's state up at each date; PostgreSQL replays the log: the same counts."""
    scale = history.rag_scale
    with time_machine.travel(_at(40)):
        imported = make_action(history.priorities.get(), [officer], reference="1.4")
    with time_machine.travel(_at(70)):  # an imported update dated before the action was created
        make_update(imported, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(scale, "green"))
    dates = [*month_ends(TODAY, 12), TODAY]

    spans = rag_spans(Action.objects.live(), [end_of(day) for day in dates], lookups=lookups)

    counted = [Counter() for _ in dates]
    for plan_id, first, until, colour, count in spans:
        assert plan_id == history.pk
        for index in range(first, until):
            counted[index][colour] += count
    assert counted == [+_replay(history, day) for day in dates]
    assert len({tuple(sorted(c.items(), key=str)) for c in counted}) > 2


def test_the_trend_chart_has_a_segment_per_non_zero_count(client, scrutiny_member, history):
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    svg = charts(html)[f"plan-{history.pk}-trend"]
    dates = [*month_ends(TODAY, 12), TODAY]
    expected = Counter()
    for day in dates:
        for colour, count in _replay(history, day).items():
            expected[LABELS[colour]] += count
    drawn = Counter()
    for series, value in bars(svg):
        drawn[series] += value
    assert drawn == expected
    assert len(bars(svg)) == sum(1 for day in dates for count in _replay(history, day).values() if count)


def _rate(assessment: Assessment, criteria, letters: str) -> None:
    for criterion, letter in zip(criteria, letters, strict=True):
        Rating.objects.create(assessment=assessment, criterion=criterion, rag=letter)


def test_framework_rag_counts_per_assessment_round(client, scrutiny_member):
    criteria = [make_criterion(f"A{i}") for i in range(1, 6)]
    framework = criteria[0].section.framework
    rounds = [
        ("Nov 17", datetime.date(2017, 11, 30), "RRRAA"),
        ("Jan 18", datetime.date(2018, 1, 31), "RRAAG"),
        ("Feb 18", datetime.date(2018, 2, 28), "RAAGG"),
    ]
    for label, day, letters in rounds:
        _rate(Assessment.objects.create(framework=framework, label=label, assessed_on=day), criteria, letters)
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    rows = table(html, f"RAG ratings of the {framework.name} criteria, per assessment round")
    assert rows[0] == ["Assessment round", "Green", "Amber", "Red", "Total"]
    for row, (label, _, letters) in zip(rows[1:], rounds, strict=True):
        counts = Counter(letters)
        assert row == [label, str(counts["G"]), str(counts["A"]), str(counts["R"]), "5"]
    svg = charts(html)[f"framework-{framework.pk}-trend"]
    assert len(bars(svg)) == sum(len(set(letters)) for _, _, letters in rounds)


def test_the_number_of_queries_does_not_grow_with_actions_updates_or_rounds(
    client, scrutiny_member, officer, history, django_assert_max_num_queries
):
    client.force_login(scrutiny_member)
    client.get(URL)
    # session, user, groups and permissions (one query), plans, the data's fingerprint (the month-end counts
    # come from the cache), RAG levels, assessments with their counts; no session save within a minute
    warm = 7
    # the first load after a change also replays the update log (actions joined to it) into the cache
    cold = warm + 1
    with django_assert_max_num_queries(warm) as small_warm:
        assert client.get(URL).status_code == 200
    scale = make_brag_scale()
    first = history.priorities.first()
    make_update(first.actions.get(reference="1.2"), officer, rag=rag_level(scale, "green"))
    with django_assert_max_num_queries(cold) as small_cold:
        assert client.get(URL).status_code == 200
    for index in range(6):
        action = make_action(first, [officer], reference=f"2.{index}")
        make_update(action, officer, rag=rag_level(scale, "green"))
    criteria = [make_criterion(f"B{i}") for i in range(3)]
    for month in range(1, 4):
        assessment = Assessment.objects.create(
            framework=criteria[0].section.framework,
            label=f"M{month}",
            assessed_on=datetime.date(2020, month, 1),
        )
        _rate(assessment, criteria, "RAG")
    with django_assert_max_num_queries(cold) as large_cold:
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(warm) as large_warm:
        assert client.get(URL).status_code == 200
    assert (len(small_warm), len(small_cold)) == (len(large_warm), len(large_cold))
    assert len(large_warm) < len(large_cold)
