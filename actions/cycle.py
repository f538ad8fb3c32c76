"""The update cycle before each board meeting: working days, update deadlines and the stale cut-off.

A plan owned by a board has its update deadline N working days (England and Wales bank holidays and
weekends skipped) before the board's next meeting. A plan without a board, or whose board has no meeting
dates on one side of today, falls back to its cycle of any number of days: deadlines every `days` days
from the plan's start (or a fixed Friday), moved back to a working day. The cycle can change from a date
(CadenceChange): past deadlines keep the cadence in force when they fell.

"Stale" is decided with plain SQL on every database: the cut-off is computed here in Python, per plan,
and the queryset compares `last_updated_at` with it.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays
from django.db.models import FilteredRelation, Q
from django.utils import timezone

# Named presets offered in the plan form; any positive number of days is allowed.
CYCLE_PRESETS = [
    (7, "Weekly"),
    (14, "Fortnightly"),
    (30, "Monthly"),
    (42, "Six-weekly"),
    (91, "Quarterly"),
]
MAX_CYCLE_DAYS = 366
MAX_WORKING_DAYS = 30
DEFAULT_WORKING_DAYS = 5
# Board-less cycles count from here when the plan has no start date: a Friday, so weekly and fortnightly
# deadlines fall on Fridays.
CYCLE_ANCHOR = datetime.date(2024, 1, 5)
# Meetings further back than this cannot hold the last deadline of a board that meets at least yearly.
MEETING_LOOKBACK = datetime.timedelta(days=400)


@functools.lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; the package knows the one-off ones too.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Return whether `day` is a weekday that is not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: datetime.date) -> datetime.date:
    """Return `day` if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """Return the date `count` working days before `day` (the day itself when `count` is 0)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def meeting_deadline(meeting_date: datetime.date, working_days: int) -> datetime.date:
    return working_days_before(meeting_date, working_days)


def _cadence_deadlines(
    today: datetime.date,
    days: int,
    anchor: datetime.date,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> tuple[datetime.date | None, datetime.date | None]:
    """Return (last deadline before today, next on or after today) of a cycle that holds from `since`
    (inclusive) until `until` (exclusive); None where the cycle has none on that side."""
    step = datetime.timedelta(days=days)

    def deadline(k: int) -> datetime.date:
        return previous_working_day(anchor + k * step)

    k = (today - anchor).days // days
    after = k
    while deadline(after) < today:
        after += 1
    before = after - 1
    while deadline(before) >= today:
        before -= 1
    first = None if since is None else -((anchor - since).days // days)  # smallest k on or after `since`
    end = None if until is None else -((anchor - until).days // days) - 1  # largest k before `until`
    if first is not None:
        after = max(after, first)
    if end is not None:
        before = min(before, end)
    last = None if first is not None and before < first else deadline(before)
    upcoming = None if end is not None and after > end else deadline(after)
    return last, upcoming


def cycle_deadlines(
    today: datetime.date,
    days: int,
    anchor: datetime.date | None = None,
    changes: Iterable[tuple[datetime.date, int]] = (),
) -> tuple[datetime.date, datetime.date]:
    """Return (last deadline before today, next deadline on or after today) of a cycle of `days` days.

    `changes` are (date, days) changes of cadence: from each date the deadlines fall every so many days
    counted from it, so the deadlines before a change keep the cadence they had.
    """
    anchor = anchor or CYCLE_ANCHOR
    changes = sorted(changes)
    starts = [None, *(date for date, _ in changes)]
    periods = [(days, anchor), *((cycle, date) for date, cycle in changes)]
    lasts, nexts = [], []
    for since, until, (cycle, start) in zip(starts, [*starts[1:], None], periods, strict=True):
        last, upcoming = _cadence_deadlines(today, cycle, start, since, until)
        lasts += [last] if last else []
        nexts += [upcoming] if upcoming else []
    return max(lasts), min(nexts)


@dataclass(frozen=True)
class Deadlines:
    """A plan's update deadlines around today; `meeting` is the meeting date the next one is for,
    `cycle_days` the cycle in force today (the plan's own, or its latest change of cadence)."""

    last: datetime.date
    next: datetime.date
    meeting: datetime.date | None = None
    board: str = ""  # the name of the board that meets then
    cycle_days: int | None = field(default=None, compare=False)  # shown, not a deadline

    @property
    def stale_before(self) -> datetime.datetime:
        """Return the cut-off: an action last updated before it has no update since the last deadline.

        Updates made on the deadline day itself count for that deadline.
        """
        after = self.last + datetime.timedelta(days=1)
        return datetime.datetime.combine(after, datetime.time(), tzinfo=timezone.get_current_timezone())


def plan_deadlines(
    today: datetime.date,
    *,
    cycle_days: int,
    working_days: int,
    anchor: datetime.date | None = None,
    meeting_dates: Iterable[datetime.date] = (),
    board: str = "",
    changes: Iterable[tuple[datetime.date, int]] = (),
) -> Deadlines:
    """Return the deadlines of one plan from its board's meeting dates, or its cycle where there are none."""
    changes = sorted(changes)
    last = upcoming = meeting = None
    for date in sorted(set(meeting_dates)):
        deadline = meeting_deadline(date, working_days)
        if deadline < today:
            last = deadline
        elif upcoming is None:
            upcoming, meeting = deadline, date
    if last is None or upcoming is None:
        cycle_last, cycle_next = cycle_deadlines(today, cycle_days, anchor, changes)
        last = last or cycle_last
        upcoming = upcoming or cycle_next
    in_force = [days for date, days in changes if date <= today]
    cycle_now = in_force[-1] if in_force else cycle_days
    return Deadlines(
        last=last, next=upcoming, meeting=meeting, board=board if meeting else "", cycle_days=cycle_now
    )


def deadlines_by_plan(today: datetime.date | None = None) -> dict[int, Deadlines]:
    """Return every plan's deadlines around today, in one query."""
    from actions.models import Plan  # models import the querysets, which import this module

    today = today or timezone.localdate()
    recent = FilteredRelation(
        "board__meetings",
        condition=Q(board__meetings__date__gte=today - MEETING_LOOKBACK, board__meetings__cancelled=False),
    )
    # A plan's live changes of cadence join in too: a row per meeting and change, a handful of each.
    live = FilteredRelation("cadence_changes", condition=Q(cadence_changes__retired_at__isnull=True))
    rows = (
        Plan.objects.annotate(recent_meeting=recent, change=live)
        .values_list(
            "pk",
            "update_cycle_days",
            "deadline_working_days",
            "starts_on",
            "recent_meeting__date",
            "board__name",
            "change__starts_on",
            "change__cycle_days",
        )
        .order_by()
    )
    plans: dict[int, tuple[int, int, datetime.date | None, str]] = {}
    meetings: dict[int, set[datetime.date]] = defaultdict(set)
    changes: dict[int, set[tuple[datetime.date, int]]] = defaultdict(set)
    for pk, cycle_days, working_days, starts_on, meeting_date, board, change_on, change_days in rows:
        plans[pk] = (cycle_days, working_days, starts_on, board or "")
        if meeting_date is not None:
            meetings[pk].add(meeting_date)
        if change_on is not None:
            changes[pk].add((change_on, change_days))
    return {
        pk: plan_deadlines(
            today,
            cycle_days=days,
            working_days=working,
            anchor=starts_on,
            meeting_dates=meetings[pk],
            board=board,
            changes=changes[pk],
        )
        for pk, (days, working, starts_on, board) in plans.items()
    }


def stale_q(deadlines: dict[int, Deadlines]) -> Q:
    """Return a filter for actions with no update since their plan's last deadline (or never updated)."""
    plans_by_cutoff: dict[datetime.datetime, list[int]] = defaultdict(list)
    for pk, plan_deadline in deadlines.items():
        plans_by_cutoff[plan_deadline.stale_before].append(pk)
    stale = Q(last_updated_at__isnull=True)
    for cutoff, pks in plans_by_cutoff.items():
        stale |= Q(plan_id__in=sorted(pks), last_updated_at__lt=cutoff)
    return stale


def cycle_label(days: int) -> str:
    """Return a plan's cycle in words, e.g. "Fortnightly" or "Every 10 days"."""
    return dict(CYCLE_PRESETS).get(days) or f"Every {days} day{'s' if days != 1 else ''}"
