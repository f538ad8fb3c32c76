"""The figures scrutiny reads, as plain functions over the models: dashboards and committee papers share them.

Each function runs a fixed number of queries whatever the number of plans, actions, updates or rounds: counts
are aggregated in the database, and histories are read in one query and replayed in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from actions.models import (
    Action,
    ActionUpdate,
    Board,
    ComparatorValue,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Plan,
    Priority,
    RagLevel,
)
from inspections.models import Assessment, Criterion, Finding, Rag
from reports.sql import JoinedText, totals

NOT_RATED = "none"
# Colours in the order the bars stack when a plan's scale does not say otherwise.
COLOURS = ("blue", "green", "amber", "red", "grey")
COMPLETE = Action.Status.COMPLETE


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


def segments_across(tallies: list[PlanTally]) -> list[tuple[str, str]]:
    """Return (colour, label) of every colour the plans' RAG scales use, in scale order, "Not rated" last.

    Counts are kept by colour; where two scales name a colour differently, its label gives both names.
    """
    labels: dict[str, list[str]] = {}
    for entry in tallies:
        for colour, label in entry.segments:
            if label not in labels.setdefault(colour, []):
                labels[colour].append(label)
    colours = [c for c in labels if c != NOT_RATED] + ([NOT_RATED] if NOT_RATED in labels else [])
    return [(colour, " / ".join(labels[colour])) for colour in colours]


@dataclass
class AcrossPlans:
    """Every plan's whole-plan tally in the same columns: the colours of all their RAG scales."""

    segments: list[tuple[str, str]]
    rows: list[tuple[PlanTally, list[int]]]


def across_plans(tallies: list[PlanTally]) -> AcrossPlans:
    """Return each plan's counts by colour, in the columns of `segments_across`."""
    segments = segments_across(tallies)
    rows = [(entry, [entry.tally.by_colour.get(colour, 0) for colour, _ in segments]) for entry in tallies]
    return AcrossPlans(segments, rows)


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of(day: datetime.date) -> datetime.datetime:
    return start_of(day + datetime.timedelta(days=1))


def priorities_with_counts(today: datetime.date | None = None):
    """Return priorities annotated with their actions' delivery counts (PriorityQuerySet.with_delivery).

    One query for the priorities and every count: a conditional COUNT per figure over a single join.
    """
    return Priority.objects.with_delivery(today).order_by("plan_id", "order", "number")


def tally_of(priority: Priority) -> Tally:
    """Return the tally of a priority annotated by `priorities_with_counts`."""
    tally = Tally(complete=priority.n_complete, overdue=priority.n_overdue)
    for colour in [*RagLevel.Colour.values, NOT_RATED]:
        if count := getattr(priority, f"n_{colour}"):
            tally.by_colour[colour] = count
    return tally


# What a tally row shows of a priority (a priority's description can run to paragraphs).
TALLY_PRIORITY_FIELDS = ("plan", "number", "title", "order")


def plan_tallies(plans, today: datetime.date | None = None, priorities=None) -> list[PlanTally]:
    """Return the tallies of each plan and its priorities.

    `plans` is a list (or queryset) of plans with their RAG scale selected; `priorities`, if given, the
    plans' priorities from `priorities_with_counts` (the plan page fetches them once for two uses). Two
    queries: the scales' levels and the counted priorities.
    """
    plans = list(plans)
    prefetch_related_objects(plans, Prefetch("rag_scale__levels", to_attr="ordered_levels"))
    if priorities is None:
        priorities = priorities_with_counts(today).filter(plan__in=plans).only(*TALLY_PRIORITY_FIELDS)
    by_plan: dict[int, list[Priority]] = defaultdict(list)
    for priority in priorities:
        by_plan[priority.plan_id].append(priority)
    result = []
    for plan in plans:
        plan_tally = Tally()
        rows = []
        for priority in by_plan.get(plan.pk, []):
            tally = tally_of(priority)
            plan_tally.add(tally)
            rows.append((priority, tally))
        result.append(PlanTally(plan, list(plan.rag_scale.ordered_levels), plan_tally, rows))
    return result


# What a dashboard's action row shows (reports/dashboard_tables.action_rows) and no more: fewer columns to
# select, compile and turn into objects on the overview's lists. (Action.is_overdue reads the status, due date
# and archived_at.)
ROW_FIELDS = (
    *("reference", "description", "due_date", "status", "archived_at", "plan", "priority", "rag"),
    *("plan__title", "rag__colour", "rag__label", "rag__pattern"),
)


def for_rows(actions):
    """Return actions with what `_action_rows.html` shows: plan, RAG and the leads' names, in one query.

    The names are aggregated over a join rather than a subquery per row: PostgreSQL ran the subquery as a hash
    join over every person for each row (0.05 ms a row), where the join builds that hash once.
    """
    leads = JoinedText("leads__name")
    return actions.select_related("plan", "rag").only(*ROW_FIELDS).annotate(lead_names=leads)


@dataclass
class ListPage:
    """One page of a bounded list, with the total and the numbers of the pages either side."""

    items: list
    total: int
    number: int
    per_page: int
    param: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


PAGE_SIZE = 25


def page_of_list(items: list, number: int, param: str, per_page: int = PAGE_SIZE) -> ListPage:
    """Return one page of a list already read (a page number past the end shows the last page)."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return ListPage(items[start : start + per_page], len(items), number, per_page, param)


def page_of(
    queryset, total: int, number: int, param: str, per_page: int = PAGE_SIZE, *, rows=None
) -> ListPage:
    """Return one page of `queryset`, which has `total` rows (counted with the other lists by sql.totals).

    A separate count is cheaper than window counts riding along on each row: a window makes the database build
    every matching row in full before the LIMIT (16 ms rather than 4 ms for 850 overdue actions). `rows` adds
    what the page shows (e.g. `for_rows`) to the page's own rows only, so the leads' names are joined for 25
    rows rather than every match. A page number past the end shows the last page. One query.
    """
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    window = queryset[start : start + per_page]
    if rows is not None:
        ordering = queryset.query.order_by
        window = rows(queryset.model.objects.filter(pk__in=window.values("pk"))).order_by(*ordering)
    # Asked even when the total is 0, so the page takes the same queries whatever the data (issue #32).
    items = list(window)
    return ListPage(items, total, number, per_page, param)


def needing_attention(today: datetime.date | None = None, plan: Plan | None = None):
    """Return open actions that are overdue or rated red, soonest due first (page them with rows=for_rows)."""
    today = today or timezone.localdate()
    actions = Action.objects.needing_attention(today)
    if plan is not None:
        actions = actions.filter(plan=plan)
    return actions.order_by("due_date", "plan__title", "reference", "pk")


def plan_priorities(plan: Plan, today: datetime.date | None = None) -> list[Priority]:
    """Return the plan's priorities (counted) with the findings and criteria they address, and actions."""
    today = today or timezone.localdate()
    priorities = list(
        priorities_with_counts(today)
        .filter(plan=plan)
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("review")),
            Prefetch("criteria", queryset=Criterion.objects.select_related("section")),
            Prefetch(
                "actions",
                queryset=for_rows(Action.objects.live()).order_by("order", "reference"),
                to_attr="live_actions",
            ),
        )
    )
    return priorities


def last_committee_meeting(today: datetime.date | None = None) -> Meeting | None:
    """Return the latest meeting of a scrutiny committee on or before today."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(board__kind=Board.Kind.SCRUTINY, date__lte=today)
        .select_related("board")
        .order_by("-date")
        .first()
    )


# An update that moved an action: its status or its RAG changed (either side of a RAG may be empty).
RAG_CHANGED = (
    (Q(rag_before__isnull=True) & Q(rag_after__isnull=False))
    | (Q(rag_before__isnull=False) & Q(rag_after__isnull=True))
    | (Q(rag_before__isnull=False) & Q(rag_after__isnull=False) & ~Q(rag_before=F("rag_after")))
)
MOVED = ~Q(status_before=F("status_after")) | RAG_CHANGED
COMPLETED = Q(status_after=COMPLETE) & ~Q(status_before=COMPLETE)


# What a row of the changes list shows (reports/dashboard_tables.change_rows) and no more.
CHANGE_FIELDS = (
    *("created_at", "status_before", "status_after", "action", "author", "rag_before", "rag_after"),
    *("action__reference", "action__description", "action__plan", "action__plan__title"),
    *("author__username", "author__first_name", "author__last_name"),
    *(f"{side}__{name}" for side in ("rag_before", "rag_after") for name in ("colour", "label", "pattern")),
)


@dataclass
class Changes:
    since: datetime.date
    moved: ListPage
    new_actions: ListPage
    completed_total: int
    only_completed: bool = False


def changed_updates(since: datetime.date, plan: Plan | None = None):
    """Return the updates from the start of `since` that changed an action's status or RAG, newest first."""
    updates = ActionUpdate.objects.filter(
        MOVED, created_at__gte=start_of(since), action__archived_at__isnull=True
    ).order_by("-created_at", "-pk")
    return updates.filter(action__plan=plan) if plan is not None else updates


def added_actions(since: datetime.date, plan: Plan | None = None):
    """Return the live actions created from the start of `since`, newest first."""
    actions = (
        Action.objects.live()
        .filter(created_at__gte=start_of(since))
        .order_by("-created_at", "reference", "pk")
    )
    return actions.filter(plan=plan) if plan is not None else actions


@dataclass
class Pages:
    """Which page of each of the overview's lists to show."""

    attention: int = 1
    moved: int = 1
    new: int = 1


def overview_lists(
    today: datetime.date,
    since: datetime.date,
    plan: Plan | None = None,
    *,
    pages: Pages,
    only_completed: bool = False,
) -> tuple[ListPage, Changes]:
    """Return a page of the actions needing attention, and the changes from the start of `since`.

    The changes are a page of status/RAG changes (or only completions) and a page of new actions. Four
    queries: the lists' totals (with how many changes completed an action) together, then each page.
    """
    attention = needing_attention(today, plan)
    updates = changed_updates(since, plan)
    if only_completed:
        updates = updates.filter(COMPLETED)
    added = added_actions(since, plan)
    completed = Case(When(COMPLETED, then=1), default=0, output_field=IntegerField())
    counts = totals(
        {"attention": attention, "moved": updates, "added": added}, sums={"moved": {"completed": completed}}
    )
    shown = updates.select_related("action__plan", "author", "rag_before", "rag_after").only(*CHANGE_FIELDS)
    changes = Changes(
        since,
        moved=page_of(shown, counts["moved"]["rows"], pages.moved, "changes_page"),
        new_actions=page_of(added, counts["added"]["rows"], pages.new, "new_page", rows=for_rows),
        completed_total=counts["moved"]["completed"],
        only_completed=only_completed,
    )
    attention_page = page_of(
        attention, counts["attention"]["rows"], pages.attention, "attention_page", rows=for_rows
    )
    return attention_page, changes


def month_ends(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """Return the last `count` month-ends before today, oldest first."""
    ends = []
    day = today.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


@dataclass
class Round:
    assessment: Assessment
    counts: dict[str, int]


def framework_rounds(plan: Plan | None = None) -> dict:
    """Return {framework: [Round, …] oldest first} with the R/A/G counts of each assessment (one query).

    With a plan, only the criteria its priorities address are counted, and frameworks with none are left out.
    """
    rated = Q()
    if plan is not None:
        rated = Q(ratings__criterion__in=Criterion.objects.filter(priorities__plan=plan).values("pk"))
    counts = {letter: Count("ratings", filter=rated & Q(ratings__rag=letter)) for letter in Rag.values}
    rounds: dict = defaultdict(list)
    for assessment in (
        Assessment.objects.select_related("framework")
        .annotate(**{f"n_{letter}": count for letter, count in counts.items()})
        .order_by("framework_id", "assessed_on", "pk")
    ):
        rounds[assessment.framework].append(
            Round(assessment, {letter: getattr(assessment, f"n_{letter}") for letter in Rag.values})
        )
    if plan is not None:
        rounds = {
            framework: rows for framework, rows in rounds.items() if any(sum(r.counts.values()) for r in rows)
        }
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


@dataclass(frozen=True)
class NationalFigure:
    """A period of a measure's shared comparator series, read as a national figure of the measure's own."""

    period_end: datetime.date
    national: Decimal
    national_period: str
    national_source: str


def _national_values(measure: Measure) -> list:
    """Return the measure's national figures: its shared comparator series' values where it uses one."""
    if measure.comparator_id is None:
        return [v for v in measure.ordered_values if v.national is not None]
    return [
        NationalFigure(v.period_end, v.value, v.period_label, v.source or measure.comparator.source)
        for v in measure.comparator.ordered_values
    ]


def measure_figures(measures=None, today: datetime.date | None = None) -> list[MeasureFigures]:
    """Return each measure with its values, targets, latest figures and milestones (three or four queries)."""
    today = today or timezone.localdate()
    measures = (measures if measures is not None else Measure.objects.current()).select_related("comparator")
    measures = measures.prefetch_related(
        # A shared series' values: one query for all the page's series, none when no measure uses one.
        Prefetch(
            "comparator__values",
            queryset=ComparatorValue.objects.order_by("period_end"),
            to_attr="ordered_values",
        ),
        Prefetch(
            "values",
            queryset=MeasureValue.objects.order_by("period_end"),  # who recorded them is not shown
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
        with_national = _national_values(measure)
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
