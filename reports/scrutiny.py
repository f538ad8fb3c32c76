"""What the overview puts first for scrutiny (issue #30): the state of each plan and priority, the KPI cards,
coverage of the reviews' findings, how actions moved since the last committee and which due dates moved.

The states are coverage's (inspections/coverage.py), read from the priorities `plan_tallies` has already
counted. Each function here is one query whatever the size of the area.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from actions.models import Action, ActionUpdate, Measure, MeasureTarget, MeasureValue, Plan
from inspections import coverage
from inspections.models import Finding
from reports.dashboards import RAG_CHANGED, PlanTally, direction_of, meets, start_of

NOT_RATED_WORD = "not rated"


def set_states(tallies: list[PlanTally], today: datetime.date) -> None:
    """Set `state` on each priority of the tallies and on each tally (the worst of its priorities')."""
    for entry in tallies:
        for priority, _tally in entry.priorities:
            priority.plan = entry.plan  # the plan is already read: no query per priority
            priority.state = coverage.priority_state(priority, today)
            priority.state_label, priority.state_colour = coverage.STATES[priority.state]
        entry.state = coverage.combined_state(priority.state for priority, _ in entry.priorities)
        entry.state_label, entry.state_colour = coverage.STATES[entry.state]


def attach_moves(tallies: list[PlanTally], moves: dict[int, list]) -> None:
    """Set `moves` on each priority of the tallies: [(count, from, to), …] from `moves_by_priority`."""
    for entry in tallies:
        for priority, _tally in entry.priorities:
            priority.moves = moves.get(priority.pk, [])


# Coverage ------------------------------------------------------------------------------------------------


@dataclass
class ReviewCoverage:
    review_id: int
    title: str
    summary: coverage.Summary
    all_weaknesses: bool

    @property
    def noun(self) -> str:
        return "weaknesses" if self.all_weaknesses else "findings"


def coverage_by_review(tallies: list[PlanTally], chosen: Plan | None = None) -> list[ReviewCoverage]:
    """Return, per review (newest first), how many of its findings that need action are in each state.

    A finding's state combines those of its priorities, as the coverage page does: the priorities of the plans
    shown are already counted; a priority of a closed plan is closed. With a plan chosen, only the findings it
    addresses are counted, from its own priorities. One query.
    """
    states = {priority.pk: priority.state for entry in tallies for priority, _ in entry.priorities}
    rows = (
        Finding.objects.filter(kind__in=Finding.NEEDS_ACTION)
        .order_by("-review__start_date", "review_id", "pk")
        .values_list("pk", "kind", "review_id", "review__title", "priorities__pk", "priorities__plan__status")
    )
    findings: dict[int, list] = {}
    meta: dict[int, tuple] = {}
    for pk, kind, review_id, title, priority_id, plan_status in rows:
        meta[pk] = (kind, review_id, title)
        found = findings.setdefault(pk, [])
        if priority_id is None:
            continue
        if priority_id in states:
            found.append(states[priority_id])
        elif plan_status == Plan.Status.CLOSED and chosen is None:
            found.append(coverage.CLOSED)
    by_review: dict[int, ReviewCoverage] = {}
    for pk, found in findings.items():
        if chosen is not None and not found:
            continue
        kind, review_id, title = meta[pk]
        entry = by_review.setdefault(
            review_id,
            ReviewCoverage(review_id, title, coverage.Summary(dict.fromkeys(coverage.STATES, 0)), True),
        )
        entry.summary.counts[coverage.combined_state(found)] += 1
        entry.all_weaknesses &= kind == Finding.Kind.SIGNIFICANT_WEAKNESS
    return list(by_review.values())


# How actions moved since the last committee --------------------------------------------------------------


def _word(colour: str | None) -> str:
    return colour or NOT_RATED_WORD


def moves_by_priority(since: datetime.date, plans: list[Plan]) -> dict[int, list[tuple[int, str, str]]]:
    """Return, per priority id, how many actions moved from one RAG colour to another since `since`.

    Each action counts once, from its RAG before its first change to its RAG after its last, so an action that
    went amber → red → amber did not move. One query: the RAG changes, with level ids (their colours come
    from a query for the levels of the plans' scales, which `plan_tallies` has usually made: two at most).
    """
    # The plans are picked out here, not in SQL: filtered by plan, SQLite walked every update of each of the
    # plans' actions (130 ms on the large area) rather than the few since the date (30 ms).
    # Read in time order (the order of the index the filter walks anyway, actionupdate_changes_since), so no
    # time is read back: turning SQLite's text into datetimes cost more than the rest of this function.
    shown = {plan.pk for plan in plans}
    rows = (
        ActionUpdate.objects.filter(
            RAG_CHANGED, created_at__gte=start_of(since), action__archived_at__isnull=True
        )
        .order_by("created_at", "action_id", "pk")
        .values_list("action_id", "action__priority_id", "rag_before_id", "rag_after_id", "action__plan_id")
    )
    colours = {}
    for plan in plans:
        levels = getattr(plan.rag_scale, "ordered_levels", None)
        if levels is None:
            levels = list(plan.rag_scale.levels.all())
        colours.update({level.pk: level.colour for level in levels})
    first: dict[int, tuple] = {}
    last: dict[int, int | None] = {}
    for action_id, priority_id, before, after, plan_id in rows:
        if plan_id in shown:
            first.setdefault(action_id, (priority_id, before))
            last[action_id] = after
    moves: dict[int, Counter] = defaultdict(Counter)
    for action_id in sorted(first):  # in action order, as ties of most_common() are listed
        priority_id, before = first[action_id]
        if before != last[action_id]:
            before_word, after_word = _word(colours.get(before)), _word(colours.get(last[action_id]))
            if before_word != after_word:
                moves[priority_id][(before_word, after_word)] += 1
    return {
        priority_id: [(count, before, after) for (before, after), count in counter.most_common()]
        for priority_id, counter in moves.items()
    }


# Due dates moved since the last committee ----------------------------------------------------------------


@dataclass
class Rebaseline:
    action_id: int
    reference: str
    description: str
    plan_title: str
    when: datetime.datetime
    old: datetime.date
    new: datetime.date
    reason: str


def rebaselines_since(since: datetime.date, plans: list[Plan]) -> list[Rebaseline]:
    """Return the due dates of live actions that moved since `since`, newest first, with the reason.

    Read from the actions' history (each saved version): one query for the versions of the actions that are
    re-baselined now and have a version since `since`.
    """
    history = Action.history.model.objects
    start = start_of(since)
    moved = Action.objects.live().filter(plan__in=plans, original_due_date__isnull=False)
    moved = moved.exclude(original_due_date=F("due_date")).values("pk")
    rows = (
        history.filter(id__in=moved)
        .filter(id__in=history.filter(history_date__gte=start).values("id"))
        .order_by("id", "history_date", "history_id")
        .values_list(
            "id", "history_date", "due_date", "rebaseline_reason", "reference", "description", "plan_id"
        )
    )
    titles = {plan.pk: plan.title for plan in plans}
    result = []
    previous: tuple | None = None
    for row in rows:
        action_id, when, due, reason, reference, description, plan_id = row
        if previous is not None and previous[0] == action_id and previous[2] != due and when >= start:
            result.append(
                Rebaseline(
                    action_id, reference, description, titles.get(plan_id, ""), when, previous[2], due, reason
                )
            )
        previous = row
    return sorted(result, key=lambda r: r.when, reverse=True)


# KPI cards ------------------------------------------------------------------------------------------------


@dataclass
class Card:
    measure: Measure
    latest: Decimal | None
    latest_period: datetime.date | None
    previous: Decimal | None
    national: Decimal | None
    target: Decimal | None
    words: list[str] = field(default_factory=list)
    off_target: bool = False


KPI_CARDS = 6
# What a card shows of its measure (a measure's description and definition can run to paragraphs; the
# priority behind it is a link by id).
CARD_FIELDS = ("name", "unit", "higher_is_better", "priority")


def _compared(direction: str, other: str) -> str:
    """Return e.g. "Better than the period before" or "The same as the national figure"."""
    return f"The same as {other}" if direction == "no change" else f"{direction.capitalize()} than {other}"


def kpi_cards(plans: list[Plan], chosen: Plan | None, limit: int = KPI_CARDS) -> tuple[list[Card], int]:
    """Return the KPI cards that matter (off target first, then in order) and how many measures there are.

    One query: each measure with its latest and previous values, latest national figure and the target for
    its latest period (or its final target), as subqueries.
    """
    values = MeasureValue.objects.filter(measure=OuterRef("pk"), value__isnull=False).order_by("-period_end")
    national = MeasureValue.objects.filter(measure=OuterRef("pk"), national__isnull=False).order_by(
        "-period_end"
    )
    target = MeasureTarget.objects.filter(measure=OuterRef("pk"), period_end=OuterRef("latest_period"))
    amount = DecimalField(max_digits=12, decimal_places=2)
    measures = Measure.objects.current().filter(
        Q(plan=chosen) if chosen else Q(plan__in=plans) | Q(plan__isnull=True)
    )
    measures = (
        measures.only(*CARD_FIELDS)
        .annotate(
            latest_period=Subquery(values.values("period_end")[:1]),
            latest=Subquery(values.values("value")[:1], output_field=amount),
            previous=Subquery(values.values("value")[1:2], output_field=amount),
            national_figure=Subquery(national.values("national")[:1], output_field=amount),
        )
        .annotate(
            target_value=Coalesce(Subquery(target.values("target")[:1], output_field=amount), "final_target")
        )
        .order_by("order", "name")
    )
    cards = []
    for measure in measures:
        card = Card(
            measure,
            measure.latest,
            measure.latest_period,
            measure.previous,
            measure.national_figure,
            measure.target_value,
        )
        better = measure.higher_is_better
        if card.latest is not None and card.previous is not None:
            card.words.append(
                _compared(direction_of(card.previous, card.latest, better), "the period before")
            )
        if card.latest is not None and card.target is not None:
            card.off_target = not meets(card.latest, card.target, better)
            card.words.append("Missing its target" if card.off_target else "Meeting its target")
        if card.latest is not None and card.national is not None:
            card.words.append(
                _compared(direction_of(card.national, card.latest, better), "the national figure")
            )
        cards.append(card)
    cards.sort(key=lambda card: not card.off_target)
    return cards[:limit], len(cards)
