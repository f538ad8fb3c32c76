"""The figures scrutiny reads, as plain functions over the models: dashboards and committee papers share them.

Each function runs a fixed number of queries whatever the number of plans, actions, updates or rounds: counts
are aggregated in the database, and histories are read in one query and replayed in Python.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from actions.models import (
    Action,
    ActionUpdate,
    Board,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Plan,
    Priority,
    RagLevel,
)
from inspections.models import Assessment, Criterion, Finding, Rag, Rating

NOT_RATED = "none"
# Colours in the order the bars stack when a plan's scale does not say otherwise.
COLOURS = ("blue", "green", "amber", "red", "grey")
COMPLETE = Action.Status.COMPLETE
# Withdrawn actions are no longer part of delivery: they are left out of every count and percentage.
COUNTED = ~Q(status=Action.Status.WITHDRAWN)


@dataclass
class Tally:
    """Live actions (not withdrawn) by delivery RAG colour, with how many are complete and overdue."""

    by_colour: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    complete: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_colour.values())

    @property
    def percent_complete(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    def add(self, other: Tally) -> None:
        for colour, count in other.by_colour.items():
            self.by_colour[colour] += count
        self.complete += other.complete
        self.overdue += other.overdue


@dataclass
class PlanTally:
    plan: Plan
    levels: list[RagLevel]
    tally: Tally
    priorities: list[tuple[Priority, Tally]]

    @property
    def segments(self) -> list[tuple[str, str]]:
        """Return (colour, label) for each RAG level of the plan's scale, then "Not rated"."""
        return [(level.colour, level.label) for level in self.levels] + [(NOT_RATED, "Not rated")]

    def cells(self, tally: Tally) -> list[int]:
        """Return the tally's counts in the order of `segments`."""
        return [tally.by_colour.get(colour, 0) for colour, _ in self.segments]

    @property
    def plan_cells(self) -> list[int]:
        return self.cells(self.tally)

    @property
    def priority_rows(self) -> list[tuple[Priority, Tally, list[int]]]:
        return [(priority, tally, self.cells(tally)) for priority, tally in self.priorities]


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of(day: datetime.date) -> datetime.datetime:
    return start_of(day + datetime.timedelta(days=1))


def plan_tallies(plans=None, today: datetime.date | None = None) -> list[PlanTally]:
    """Return the tallies of each plan and its priorities (4 queries: plans, levels, priorities, counts)."""
    today = today or timezone.localdate()
    plans = list(
        (plans if plans is not None else Plan.objects.all())
        .select_related("rag_scale")
        .prefetch_related(
            Prefetch("rag_scale__levels", to_attr="ordered_levels"),
            Prefetch("priorities", queryset=Priority.objects.order_by("order", "number"), to_attr="ordered"),
        )
    )
    rows = (
        Action.objects.live()
        .filter(COUNTED, plan__in=plans)
        .values("priority_id", "rag__colour")
        .annotate(
            n=Count("id"),
            complete=Count("id", filter=Q(status=COMPLETE)),
            overdue=Count("id", filter=~Q(status__in=Action.CLOSED_STATUSES) & Q(due_date__lt=today)),
        )
    )
    by_priority: dict[int, Tally] = defaultdict(Tally)
    for row in rows:
        tally = by_priority[row["priority_id"]]
        tally.by_colour[row["rag__colour"] or NOT_RATED] += row["n"]
        tally.complete += row["complete"]
        tally.overdue += row["overdue"]
    result = []
    for plan in plans:
        plan_tally = Tally()
        priorities = []
        for priority in plan.ordered:
            tally = by_priority.get(priority.pk, Tally())
            plan_tally.add(tally)
            priorities.append((priority, tally))
        result.append(PlanTally(plan, list(plan.rag_scale.ordered_levels), plan_tally, priorities))
    return result


def needing_attention(today: datetime.date | None = None, plan: Plan | None = None):
    """Return open actions that are overdue or rated red, with their plan, priority, RAG and leads."""
    today = today or timezone.localdate()
    actions = Action.objects.open().filter(Q(due_date__lt=today) | Q(rag__colour=RagLevel.Colour.RED))
    if plan is not None:
        actions = actions.filter(plan=plan)
    return actions.for_table().order_by("due_date", "plan__title", "reference")


def plan_priorities(plan: Plan, today: datetime.date | None = None) -> list[Priority]:
    """Return the plan's priorities with the findings and criteria they address and their live actions."""
    today = today or timezone.localdate()
    return list(
        plan.priorities.order_by("order", "number").prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("review")),
            Prefetch("criteria", queryset=Criterion.objects.select_related("section")),
            Prefetch(
                "actions",
                queryset=Action.objects.for_table()
                .with_attention(today=today)
                .order_by("order", "reference"),
                to_attr="live_actions",
            ),
        )
    )


def last_committee_meeting(today: datetime.date | None = None) -> Meeting | None:
    """Return the latest meeting of a scrutiny committee on or before today."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(board__kind=Board.Kind.SCRUTINY, date__lte=today)
        .select_related("board")
        .order_by("-date")
        .first()
    )


@dataclass
class Changes:
    since: datetime.date
    moved: list[ActionUpdate]
    completed: list[ActionUpdate]
    new_actions: list[Action]


def changes_since(since: datetime.date, plan: Plan | None = None) -> Changes:
    """Return status/RAG changes, completions and new actions from the start of `since` (4 queries)."""
    updates = ActionUpdate.objects.filter(
        created_at__gte=start_of(since), action__archived_at__isnull=True
    ).select_related("action__plan", "author", "rag_before", "rag_after")
    actions = Action.objects.live().filter(created_at__gte=start_of(since))
    if plan is not None:
        updates, actions = updates.filter(action__plan=plan), actions.filter(plan=plan)
    moved = [u for u in updates.order_by("-created_at", "-pk") if u.changed_status or u.changed_rag]
    completed = [u for u in moved if u.status_after == COMPLETE and u.status_before != COMPLETE]
    new_actions = list(actions.for_table().order_by("-created_at", "reference"))
    return Changes(since, moved, completed, new_actions)


def month_ends(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """Return the last `count` month-ends before today, oldest first."""
    ends = []
    day = today.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def brag_history(dates: list[datetime.date], plans=None) -> dict[int, list[dict[str, int]]]:
    """Return, per plan id, RAG colour counts at the end of each date, replayed from the update log.

    Nothing stored is read back as a past count: an action's RAG and status at a date are those after its
    last update by then, or before its first update (what it was created with). An action exists from the
    earlier of its creation and its first update; withdrawn and archived actions are left out. Two queries.
    """
    actions = Action.objects.live()
    if plans is not None:
        actions = actions.filter(plan__in=plans)
    current = {
        row["id"]: row
        for row in actions.values("id", "plan_id", "created_at", "status", "rag__colour").order_by()
    }
    log: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        ActionUpdate.objects.filter(action_id__in=actions.values("id"))
        .values_list(
            "action_id",
            "created_at",
            "status_before",
            "status_after",
            "rag_before__colour",
            "rag_after__colour",
        )
        .order_by("action_id", "created_at", "pk")
    ):
        log[row[0]].append(row[1:])
    cutoffs = [end_of(day) for day in dates]
    result: dict[int, list[dict[str, int]]] = defaultdict(lambda: [defaultdict(int) for _ in dates])
    for action_id, row in current.items():
        entries = log.get(action_id, [])
        times = [entry[0] for entry in entries]
        born = min([row["created_at"], *times[:1]])
        counts = result[row["plan_id"]]
        for index, cutoff in enumerate(cutoffs):
            if born >= cutoff:
                continue
            status, colour = row["status"], row["rag__colour"]
            if entries:
                done = bisect.bisect_left(times, cutoff)  # entries strictly before the cutoff
                status, colour = (
                    (entries[done - 1][2], entries[done - 1][4]) if done else (entries[0][1], entries[0][3])
                )
            if status == Action.Status.WITHDRAWN:
                continue
            counts[index][colour or NOT_RATED] += 1
    return result


@dataclass
class Round:
    assessment: Assessment
    counts: dict[str, int]


def framework_rounds() -> dict:
    """Return {framework: [Round, …] oldest first} with the R/A/G counts of each assessment (two queries)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Rag.values, 0))
    for row in Rating.objects.values("assessment_id", "rag").annotate(n=Count("id")).order_by():
        counts[row["assessment_id"]][row["rag"]] = row["n"]
    rounds: dict = defaultdict(list)
    for assessment in Assessment.objects.select_related("framework").order_by("framework_id", "assessed_on"):
        rounds[assessment.framework].append(
            Round(assessment, counts.get(assessment.pk, dict.fromkeys(Rag.values, 0)))
        )
    return dict(rounds)


# KPIs ---------------------------------------------------------------------------------------------------


@dataclass
class Milestone:
    target: MeasureTarget
    actual: Decimal | None
    due: bool
    on_target: bool | None


@dataclass
class MeasureFigures:
    measure: Measure
    values: list[MeasureValue]
    national_values: list[MeasureValue]
    targets: list[MeasureTarget]
    latest: MeasureValue | None
    previous: MeasureValue | None
    national: MeasureValue | None
    milestones: list[Milestone]

    @property
    def direction(self) -> str:
        """Return "better", "worse" or "no change" since the previous period, taking polarity into account."""
        if self.latest is None or self.previous is None:
            return "not enough data"
        return direction_of(self.previous.value, self.latest.value, self.measure.higher_is_better)

    @property
    def against_national(self) -> str:
        if self.latest is None or self.national is None:
            return "no national figure"
        return direction_of(self.national.national, self.latest.value, self.measure.higher_is_better)


def direction_of(before: Decimal, after: Decimal, higher_is_better: bool) -> str:
    """Return whether moving from `before` to `after` is "better", "worse" or "no change"."""
    if after == before:
        return "no change"
    return "better" if (after > before) == higher_is_better else "worse"


def meets(actual: Decimal, target: Decimal, higher_is_better: bool) -> bool:
    return actual >= target if higher_is_better else actual <= target


def measure_figures(measures=None, today: datetime.date | None = None) -> list[MeasureFigures]:
    """Return each measure with its values, targets, latest figures and milestones (three queries)."""
    today = today or timezone.localdate()
    measures = (measures if measures is not None else Measure.objects.all()).prefetch_related(
        Prefetch(
            "values",
            queryset=MeasureValue.objects.select_related("recorded_by").order_by("period_end"),
            to_attr="ordered_values",
        ),
        Prefetch("targets", queryset=MeasureTarget.objects.order_by("period_end"), to_attr="ordered_targets"),
    )
    result = []
    for measure in measures:
        targets = measure.ordered_targets
        # A national-only row (no local figure yet) is a comparator, not a value of ours.
        values = [v for v in measure.ordered_values if v.value is not None]
        by_period = {v.period_end: v.value for v in values}
        milestones = []
        for target in targets:
            actual = by_period.get(target.period_end)
            on_target = None if actual is None else meets(actual, target.target, measure.higher_is_better)
            milestones.append(Milestone(target, actual, target.period_end <= today, on_target))
        with_national = [v for v in measure.ordered_values if v.national is not None]
        result.append(
            MeasureFigures(
                measure,
                values,
                with_national,
                targets,
                latest=values[-1] if values else None,
                previous=values[-2] if len(values) > 1 else None,
                national=with_national[-1] if with_national else None,
                milestones=milestones,
            )
        )
    return result
