"""Update deadlines: N working days before the board's next meeting, or a cycle of any length, and stale."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from actions import cycle
from actions.models import Action, Board, CadenceChange, Meeting
from tests.factories import make_action, make_plan, make_priority, set_last_updated

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("meeting", "working_days", "deadline", "why"),
    [
        (D(2025, 6, 12), 5, D(2025, 6, 5), "a plain week: Thursday to Thursday"),
        (D(2025, 6, 9), 5, D(2025, 6, 2), "a Monday meeting: the weekend is skipped"),
        (D(2025, 6, 9), 1, D(2025, 6, 6), "one working day before a Monday is the Friday"),
        (D(2025, 6, 12), 0, D(2025, 6, 12), "no notice: the meeting day itself"),
        (D(2025, 5, 27), 1, D(2025, 5, 23), "the Spring bank holiday Monday is skipped"),
        (D(2025, 4, 23), 3, D(2025, 4, 16), "Easter Monday and Good Friday are skipped"),
        (D(2022, 12, 28), 1, D(2022, 12, 23), "Boxing Day and Christmas Day (observed) are skipped"),
        (D(2023, 1, 3), 2, D(2022, 12, 29), "New Year's Day (observed) is skipped, across the year end"),
        (D(2023, 5, 9), 1, D(2023, 5, 5), "the one-off coronation bank holiday is skipped"),
        (D(2022, 9, 20), 1, D(2022, 9, 16), "the one-off state funeral bank holiday is skipped"),
        (D(2025, 8, 28), 10, D(2025, 8, 13), "two weeks with the Late Summer bank holiday in them"),
    ],
)
def test_a_deadline_is_n_working_days_before_the_meeting(meeting, working_days, deadline, why):
    assert cycle.meeting_deadline(meeting, working_days) == deadline, why


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 6, 2), True),  # Monday
        (D(2025, 6, 7), False),  # Saturday
        (D(2025, 6, 8), False),  # Sunday
        (D(2025, 8, 25), False),  # Late Summer bank holiday (England and Wales)
        (D(2025, 8, 4), True),  # Scotland's summer bank holiday is a working day in England and Wales
        (D(2025, 3, 17), True),  # St Patrick's Day: a holiday in Northern Ireland only
        (D(2025, 12, 26), False),  # Boxing Day
    ],
)
def test_working_days_are_weekdays_that_are_not_england_and_wales_bank_holidays(day, working):
    assert cycle.is_working_day(day) is working


@pytest.mark.parametrize(
    ("today", "days", "anchor", "last", "upcoming"),
    [
        # Weekly from the default Friday anchor.
        (D(2025, 6, 4), 7, None, D(2025, 5, 30), D(2025, 6, 6)),
        # On the deadline day the deadline is still to come: updates that day count for it.
        (D(2025, 6, 6), 7, None, D(2025, 5, 30), D(2025, 6, 6)),
        (D(2025, 6, 7), 7, None, D(2025, 6, 6), D(2025, 6, 13)),
        # Good Friday 2025: the weekly deadline moves back to the Thursday.
        (D(2025, 4, 17), 7, None, D(2025, 4, 11), D(2025, 4, 17)),
        (D(2025, 4, 19), 7, None, D(2025, 4, 17), D(2025, 4, 25)),
        # Boxing Day 2025 is a Friday and Christmas Day the Thursday before: the deadline is Christmas Eve.
        (D(2025, 12, 22), 7, None, D(2025, 12, 19), D(2025, 12, 24)),
        # Fortnightly and a cycle of any length, from the plan's start date.
        (D(2025, 6, 4), 14, None, D(2025, 5, 23), D(2025, 6, 6)),
        (D(2025, 6, 4), 10, D(2025, 5, 1), D(2025, 5, 30), D(2025, 6, 10)),
        # Quarterly from a start date on a Saturday: each deadline is the Friday before.
        (D(2025, 6, 4), 91, D(2025, 3, 1), D(2025, 5, 30), D(2025, 8, 29)),
    ],
)
def test_a_plan_without_a_board_has_deadlines_every_cycle(today, days, anchor, last, upcoming):
    assert cycle.cycle_deadlines(today, days, anchor) == (last, upcoming)


# A fortnightly board on Thursdays; 5 working days' notice puts each deadline on the Thursday before.
FORTNIGHTLY = [D(2025, 5, 22), D(2025, 6, 5), D(2025, 6, 19)]


@pytest.mark.parametrize(
    ("today", "last", "upcoming", "meeting"),
    [
        (D(2025, 6, 2), D(2025, 5, 29), D(2025, 6, 12), D(2025, 6, 19)),
        (D(2025, 5, 29), D(2025, 5, 15), D(2025, 5, 29), D(2025, 6, 5)),
        (D(2025, 5, 30), D(2025, 5, 29), D(2025, 6, 12), D(2025, 6, 19)),
        # Before the first meeting's deadline: the last deadline comes from the plan's cycle (four-weekly).
        (D(2025, 5, 1), D(2025, 4, 25), D(2025, 5, 15), D(2025, 5, 22)),
        # After the last meeting's deadline: the next one comes from the cycle until a meeting is added.
        (D(2025, 6, 13), D(2025, 6, 12), D(2025, 6, 20), None),
    ],
)
def test_a_board_plans_deadlines_come_from_its_meetings(today, last, upcoming, meeting):
    deadlines = cycle.plan_deadlines(today, cycle_days=28, working_days=5, meeting_dates=FORTNIGHTLY)
    assert deadlines == cycle.Deadlines(last=last, next=upcoming, meeting=meeting)


def test_the_stale_cut_off_is_the_start_of_the_day_after_the_last_deadline_in_london():
    deadlines = cycle.Deadlines(last=D(2025, 5, 29), next=D(2025, 6, 12))
    assert deadlines.stale_before == datetime.datetime(2025, 5, 30, tzinfo=LONDON)
    assert deadlines.stale_before == datetime.datetime(2025, 5, 29, 23, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("days", "label"), [(7, "Weekly"), (91, "Quarterly"), (10, "Every 10 days")])
def test_a_cycle_is_named_when_it_is_a_preset(days, label):
    assert cycle.cycle_label(days) == label


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=LONDON), tick=False)
def test_stale_means_no_update_since_the_boards_last_deadline():
    board = Board.objects.create(name="SEND Development Board")
    for date in FORTNIGHTLY:
        Meeting.objects.create(board=board, date=date)
    # A cancelled meeting sets no deadline: otherwise the last deadline would be Friday 30 May.
    Meeting.objects.create(board=board, date=D(2025, 6, 6), cancelled=True)
    priority = make_priority(make_plan(board=board))
    on_deadline_day = make_action(priority, reference="1")
    after_deadline = make_action(priority, reference="2")
    make_action(priority, reference="3")  # never updated
    complete = make_action(priority, reference="4", status=Action.Status.COMPLETE)
    set_last_updated(on_deadline_day, datetime.datetime(2025, 5, 29, 17, tzinfo=LONDON))
    set_last_updated(after_deadline, datetime.datetime(2025, 5, 30, 8, tzinfo=LONDON))

    stale = set(Action.objects.stale().values_list("reference", flat=True))
    flags = dict(Action.objects.with_stale_flag().values_list("reference", "is_stale"))

    assert stale == {"1", "3"}
    assert flags == {"1": True, "2": False, "3": True, "4": False}
    assert complete.pk not in Action.objects.stale().values_list("pk", flat=True)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 6, 4, 9, tzinfo=LONDON), tick=False)
def test_plans_with_different_cycles_have_different_cut_offs():
    weekly = make_priority(make_plan(update_cycle_days=7))  # last deadline Friday 30 May
    ten_days = make_priority(make_plan(update_cycle_days=10, starts_on=D(2025, 5, 1)))  # Friday 30 May too
    # Thursday 1 May: 35 days on is Thursday 5 June, still to come.
    five_weekly = make_priority(make_plan(update_cycle_days=35, starts_on=D(2025, 5, 1)))
    updated = datetime.datetime(2025, 5, 20, 12, tzinfo=LONDON)
    actions = {
        "weekly": make_action(weekly, reference="w"),
        "ten": make_action(ten_days, reference="t"),
        "five-weekly": make_action(five_weekly, reference="f"),
    }
    for action in actions.values():
        set_last_updated(action, updated)

    assert set(Action.objects.stale().values_list("reference", flat=True)) == {"w", "t"}


@pytest.mark.django_db
def test_the_deadlines_of_every_plan_take_one_query(django_assert_num_queries):
    board = Board.objects.create(name="Board")
    for day in range(1, 20):
        Meeting.objects.create(board=board, date=D(2025, 6, day))
    for _ in range(3):
        make_plan(board=board)
        make_plan()
        # Four-weekly from Friday 6 December, fortnightly from 3 January, weekly from Friday 2 May.
        changed = make_plan(starts_on=D(2024, 12, 6))
        CadenceChange.objects.create(plan=changed, starts_on=D(2025, 1, 3), cycle_days=14)
        CadenceChange.objects.create(plan=changed, starts_on=D(2025, 5, 2), cycle_days=7)
    with django_assert_num_queries(1):
        deadlines = cycle.deadlines_by_plan(D(2025, 6, 10))
    assert len(deadlines) == 9
    weekly = deadlines[changed.pk]
    assert (weekly.last, weekly.next, weekly.cycle_days) == (D(2025, 6, 6), D(2025, 6, 13), 7)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, cycle.MAX_CYCLE_DAYS + 1])
def test_the_database_refuses_a_cycle_out_of_range(days):
    with pytest.raises(IntegrityError):
        make_plan(update_cycle_days=days)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 10, 30, 45, cycle.MAX_CYCLE_DAYS])
def test_a_plan_accepts_a_cycle_of_any_length(days):
    assert make_plan(update_cycle_days=days).update_cycle_days == days


@pytest.mark.django_db
def test_the_database_refuses_a_deadline_too_far_before_the_meeting():
    with pytest.raises(IntegrityError):
        make_plan(deadline_working_days=cycle.MAX_WORKING_DAYS + 1)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=LONDON), tick=False)
def test_minutes_are_recorded_only_after_the_meeting():
    board = Board.objects.create(name="Board")
    future = Meeting.objects.create(board=board, date=D(2025, 6, 5))
    with pytest.raises(ValidationError):
        future.edit(version=future.version, minutes="Agreed the recovery plan.")
    future.edit(version=future.version, papers="Highlight report")
    past = Meeting.objects.create(board=board, date=D(2025, 6, 2))
    past.edit(version=past.version, minutes="Agreed the recovery plan.")
    past.refresh_from_db()
    assert (past.minutes, past.version) == ("Agreed the recovery plan.", 2)
