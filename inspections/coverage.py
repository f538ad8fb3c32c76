"""Which priorities and actions address each finding, and whether they are on track: the one place the
coverage status of a finding, a priority and a plan is decided.

Priorities and actions live in the actions app, which depends on this one: they are reached through the
reverse relation `Finding.priorities` and string lookups, never imported. A priority's figures come from
`Priority.objects.with_delivery` (actions/querysets.py), which counts its actions with the actions app's own
"open" and "overdue" rules; this module only reads the figures.

The statuses (issue #30):
- on track: every open action is rated neither red nor amber, and none is overdue;
- at risk: an open action is amber, or overdue by up to the plan's tolerance;
- off track: an open action is red, or overdue by more than the plan's tolerance;
- closed: every action is complete, or the plans that answered it are closed;
- no action: nothing answers it, or its priorities have no actions yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from inspections.models import Finding

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_ACTION = "no_action"
CLOSED = "closed"
NOT_NEEDED = "not_needed"
# (label, tag colour): the word is always shown with the colour.
STATES = {
    OFF_TRACK: ("Off track", "red"),
    AT_RISK: ("At risk", "amber"),
    ON_TRACK: ("On track", "green"),
    NO_ACTION: ("No action", "red"),
    CLOSED: ("Closed", "grey"),
}
# Worst first: a finding or plan takes the worst state of its priorities that are in delivery.
SEVERITY = (OFF_TRACK, AT_RISK, ON_TRACK, CLOSED, NO_ACTION)
TRACKED = (OFF_TRACK, AT_RISK, ON_TRACK)
NOT_RATED = "none"
COLOUR_WORDS = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red", "grey": "Grey"}
COLOURS = ("blue", "green", "amber", "red", "grey", NOT_RATED)


def priority_model():
    """Return the Priority model without importing the actions app."""
    return Finding._meta.get_field("priorities").related_model


def plan_model():
    """Return the Plan model without importing the actions app."""
    return priority_model()._meta.get_field("plan").related_model


def priorities_with_delivery(today: datetime.date | None = None) -> QuerySet:
    """Return priorities with their plan, its scale's levels (one more query) and delivery counts."""
    return (
        priority_model()
        .objects.with_delivery(today)
        .select_related("plan__rag_scale")
        # What the coverage pages read of a priority and its plan: grouping by the texts cost the largest
        # areas' review page 16 ms (SQLite sorts every selected column for the GROUP BY).
        .only(
            "number",
            "title",
            "plan__title",
            "plan__status",
            "plan__off_track_tolerance_days",
            "plan__rag_scale__name",
        )
        .prefetch_related("plan__rag_scale__levels")
        .order_by("plan__title", "order", "number")
    )


def with_addressing(
    findings: QuerySet[Finding],
    today: datetime.date | None = None,
    actions: bool = True,
    actions_shown: int | None = None,
) -> QuerySet[Finding]:
    """Prefetch each finding's counted priorities (with plan and scale) and, if `actions`, their live actions.

    Three queries (priorities, scale levels, actions), or two without the actions. Each priority's actions
    are its `listed_actions`: the first `actions_shown` of them when given, with `more_actions` set when it
    has more (the slice is a window function in the same query).
    """
    prefetches = [Prefetch("priorities", queryset=priorities_with_delivery(today))]
    if actions:
        action = priority_model()._meta.get_field("actions").related_model
        live = (
            action.objects.live()
            .select_related("rag")
            # What a listed action shows (reference, status, RAG, whether overdue), not its texts.
            .only(
                "priority",
                "reference",
                "status",
                "due_date",
                "archived_at",
                "rag__colour",
                "rag__label",
                "rag__pattern",
            )
            .order_by("order", "reference")
        )
        if actions_shown is not None:
            live = live[: actions_shown + 1]  # one more than shown says whether there are more
        prefetches.append(Prefetch("priorities__actions", queryset=live, to_attr="listed_actions"))
    return findings.prefetch_related(*prefetches)


def fold_actions(findings: Iterable[Finding], actions_shown: int) -> None:
    """Keep the first `actions_shown` of each priority's `listed_actions`; mark `more_actions` where cut."""
    for finding in findings:
        for priority in finding.priorities.all():
            priority.more_actions = len(priority.listed_actions) > actions_shown
            priority.listed_actions = priority.listed_actions[:actions_shown]


def plan_is_closed(plan) -> bool:
    return plan.status == type(plan).Status.CLOSED


def priority_state(priority, today: datetime.date | None = None) -> str:
    """Return the state of a priority annotated by `Priority.objects.with_delivery`, with its plan."""
    today = today or timezone.localdate()
    plan = priority.plan
    if plan_is_closed(plan):
        return CLOSED
    if not priority.n_open:
        return CLOSED if priority.n_complete else NO_ACTION
    # Overdue by more than the tolerance: due before the day that many days ago.
    late = today - datetime.timedelta(days=plan.off_track_tolerance_days)
    if priority.n_open_red or priority.oldest_open_due < late:
        return OFF_TRACK
    if priority.n_open_amber or priority.n_overdue:
        return AT_RISK
    return ON_TRACK


def combined_state(states: Iterable[str]) -> str:
    """Return the worst of the states (a finding's or plan's, from its priorities); no action if none."""
    states = set(states)
    return next((state for state in SEVERITY if state in states), NO_ACTION)


def colour_words(levels: Iterable) -> dict[str, str]:
    """Return the word a scale gives each colour (its first current level of that colour), and "Not rated"."""
    words = {NOT_RATED: "Not rated"}
    for level in sorted(levels, key=lambda level: level.order):
        if level.retired_at is None:
            words.setdefault(level.colour, level.label)
    return words


@dataclass
class Count:
    colour: str
    word: str
    number: int


@dataclass
class Addressing:
    """A finding's coverage: its state, its live plans' actions by RAG level and overdue, and why."""

    state: str
    counts: list[Count] = field(default_factory=list)
    total: int = 0
    overdue: int = 0
    no_priority: bool = False
    all_complete: bool = False
    closed_plans: list = field(default_factory=list)

    @property
    def flag(self) -> str:  # the name the templates used before #30
        return self.state

    @property
    def label(self) -> str:
        return STATES[self.state][0] if self.state in STATES else "No action needed"

    @property
    def colour(self) -> str:
        return STATES[self.state][1] if self.state in STATES else "grey"


def addressing_of(priorities: list, today: datetime.date, needs_action: bool = True) -> Addressing:
    """Return the coverage of a finding (or anything) answered by `priorities` (from with_delivery)."""
    if not needs_action:
        return Addressing(NOT_NEEDED)
    live = [p for p in priorities if not plan_is_closed(p.plan)]
    closed_plans = list({p.plan.pk: p.plan for p in priorities if plan_is_closed(p.plan)}.values())
    state = combined_state(priority_state(p, today) for p in priorities)
    numbers = dict.fromkeys(COLOURS, 0)
    words: dict[str, str] = {}
    for priority in live:
        for colour in COLOURS:
            numbers[colour] += getattr(priority, f"n_{colour}")
        for colour, word in colour_words(priority.plan.rag_scale.levels.all()).items():
            words.setdefault(colour, word)
    return Addressing(
        state,
        counts=[
            Count(colour, words.get(colour, COLOUR_WORDS.get(colour, colour)), numbers[colour])
            for colour in COLOURS
            if numbers[colour]
        ],
        total=sum(numbers.values()),
        overdue=sum(p.n_overdue for p in live),
        no_priority=not priorities,
        all_complete=bool(live) and all(not p.n_open for p in live) and any(p.n_complete for p in live),
        closed_plans=closed_plans,
    )


def assess(findings: Iterable[Finding], today: datetime.date | None = None) -> list[Finding]:
    """Set `finding.addressing` on each finding prefetched by `with_addressing`; return them as a list."""
    today = today or timezone.localdate()
    result = []
    for finding in findings:
        priorities = list(finding.priorities.all())
        finding.addressing = addressing_of(priorities, today, finding.kind in Finding.NEEDS_ACTION)
        result.append(finding)
    return result


@dataclass
class Summary:
    """How many findings are in each state, for the first sentence of a page."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def at_risk_or_off_track(self) -> int:
        return self.counts[AT_RISK] + self.counts[OFF_TRACK]

    @property
    def parts(self) -> list[tuple[str, str, int]]:
        """Return (state, lower-case label, count) for each state after "on track" that has findings."""
        return [
            (state, STATES[state][0].lower(), self.counts[state])
            for state in (AT_RISK, OFF_TRACK, NO_ACTION, CLOSED)
            if self.counts[state]
        ]


def summary(findings: Iterable[Finding]) -> Summary:
    """Return how many of the assessed findings (those that need action) are in each state."""
    counts = dict.fromkeys(STATES, 0)
    for finding in findings:
        if finding.addressing.state in counts:
            counts[finding.addressing.state] += 1
    return Summary(counts)


def answering_plans(review) -> list:
    """Return every plan that answers the review, in title order: named as answering it (either way a plan
    names its reviews), or with a priority that addresses one of its findings, however the plan was made.
    One query."""
    answers = Q(reviews=review) | Q(review=review) | Q(priorities__findings__review=review)
    answering = plan_model().objects.filter(answers).values("pk")
    return list(
        plan_model()
        .objects.filter(pk__in=answering)
        .order_by("title")
        .only("pk", "title", "kind", "status", "due_on")
    )
