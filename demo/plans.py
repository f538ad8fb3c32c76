"""Build plans' actions from plain data: leads, dates, success criteria and a consistent update log."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.models import Action, ActionUpdate, Plan, Priority, SuccessCriterion
from demo.base import Demo, ensure, ensure_m2m

NOT_STARTED = Action.Status.NOT_STARTED
IN_PROGRESS = Action.Status.IN_PROGRESS
COMPLETE = Action.Status.COMPLETE
ON_HOLD = Action.Status.ON_HOLD
WITHDRAWN = Action.Status.WITHDRAWN

CARRIED_FORWARD = "Illustrative: still open when the plan closed; carried forward to the plan that followed."

# A day is a number of days from today (negative for the past) or, for history, a real date.
Day = int | datetime.date
# (when: days ago or a real date, author username, status after, RAG colour after, narrative)
Update = tuple[int | datetime.date, str, str, str | None, str]


@dataclass(frozen=True)
class ActionSeed:
    reference: str
    description: str
    leads: tuple[str, ...]
    organisations: tuple[str, ...]
    start: Day
    due: Day
    updates: tuple[Update, ...]
    success_measure: str = ""
    success_criteria: tuple[str, ...] = ()
    original_due: Day | None = None
    rag_reason: str = ""
    recovery_plan: str = ""
    evidence: str = ""
    # (seed document, section) when the description is the seed's words; None: an illustrative action.
    source: tuple[str, str] | None = None


def _date(demo: Demo, day: Day | None) -> datetime.date | None:
    if day is None or isinstance(day, datetime.date):
        return day
    return demo.day(day)


def _moment(demo: Demo, when: int | datetime.date, index: int) -> datetime.datetime:
    # Vary the time of day a little so the log reads like people writing, not a script.
    hour, minute = 9 + (index * 3) % 8, (index * 17) % 60
    if isinstance(when, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(when, datetime.time(hour, minute)))
    return demo.days_ago(when, hour, minute)


def anchored(demo: Demo, anchor: datetime.date) -> Demo:
    """Return a view of `demo` whose "today" is `anchor`: a closed plan's days count from its own time."""
    now = timezone.make_aware(datetime.datetime.combine(anchor, datetime.time(18)))
    return dataclasses.replace(demo, today=anchor, now=min(now, demo.now))


def build_actions(
    demo: Demo,
    priority: Priority,
    seeds: list[ActionSeed],
    *,
    accountable_officer: str | None = None,
    anchor: datetime.date | None = None,
    closed_on: datetime.date | None = None,
) -> list[Action]:
    """Create or refresh a priority's actions; give each new action its update log, oldest first.

    Status, RAG, version and last_updated_at are derived from the log so they always agree with it, and
    are only set when the action is created: afterwards the log (append-only) owns them. Days are counted
    from `anchor` (a closed plan's own time) or, for a live plan, from the demo's as-of date (today).
    Update narratives are always illustrative; an action's description is the seed's when it names one.
    A plan `closed_on` a date withdraws the actions still open then, so nothing of a closed plan stays open
    (or overdue) years later.
    """
    clock = demo if anchor is None else anchored(demo, anchor)
    plan: Plan = priority.plan
    scale = plan.rag_scale.name
    logged = set(ActionUpdate.objects.filter(action__priority=priority).values_list("action_id", flat=True))
    new_updates: list[ActionUpdate] = []
    actions = []
    for order, seed in enumerate(seeds, start=1):
        chain = _chain(clock, scale, seed)
        if closed_on is not None and chain and chain[-1][2] not in (COMPLETE, WITHDRAWN):
            when = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(17)))
            closer = next(user for user in demo.users.values() if user.pk == plan.lead_id)
            chain.append((when, closer, WITHDRAWN, None, CARRIED_FORWARD))
            # Withdrawn, it has no RAG: its last reason and recovery plan no longer apply.
            seed = dataclasses.replace(seed, rag_reason="", recovery_plan="")
        status, rag = (chain[-1][2], chain[-1][3]) if chain else (NOT_STARTED, None)
        if rag is not None and rag.requires_reason and not seed.rag_reason:
            raise ValueError(f"Action {seed.reference} is {rag} and needs a reason.")
        action = ensure(
            Action,
            {"plan": plan, "reference": seed.reference},
            {
                "priority": priority,
                "description": seed.description,
                "success_measure": seed.success_measure,
                "accountable_officer": demo.person(accountable_officer) if accountable_officer else None,
                "order": order,
            },
            on_create={
                "start_date": _date(clock, seed.start),
                "due_date": _date(clock, seed.due),
                "original_due_date": _date(clock, seed.original_due),
                "status": status,
                "rag": rag,
                "rag_reason": seed.rag_reason,
                "recovery_plan": seed.recovery_plan,
                "version": 1 + len(chain),
                "last_updated_at": chain[-1][0] if chain else None,
            },
        )
        ensure_m2m(action, "leads", [demo.person(name) for name in seed.leads])
        ensure_m2m(action, "lead_organisations", [demo.org(key) for key in seed.organisations])
        for number, text in enumerate(seed.success_criteria, start=1):
            ensure(
                SuccessCriterion,
                {"action": action, "order": number},
                {"text": text},
                on_create={"met": status == COMPLETE},
            )
        if action.pk not in logged and chain:
            new_updates.extend(_log(action, seed, chain))
            # created_at is auto_now_add; date the action before its first update, as it really was.
            created_at = min(chain[0][0] - datetime.timedelta(days=3), demo.now)
            Action.objects.filter(pk=action.pk).update(created_at=created_at)
        if seed.source:
            demo.cite(action, *seed.source, note="Description quoted; dates, leads and updates illustrative.")
        else:
            demo.illustrative(action)
        actions.append(action)
    ActionUpdate.objects.bulk_create(new_updates)
    for update in new_updates:
        demo.illustrative(update)
    return actions


def _chain(demo: Demo, scale: str, seed: ActionSeed) -> list[tuple]:
    """Return the seed's updates as (created_at, author, status, RAG level, narrative), oldest first."""
    chain = [
        (_moment(demo, when, index), demo.user(author), status, demo.level(scale, colour), narrative)
        for index, (when, author, status, colour, narrative) in enumerate(seed.updates)
    ]
    chain.sort(key=lambda entry: entry[0])
    return chain


def _log(action: Action, seed: ActionSeed, chain: list[tuple]) -> list[ActionUpdate]:
    """Return unsaved log entries whose befores are the previous afters, ending in the action's state."""
    entries = []
    status_before, rag_before = NOT_STARTED, None
    last = len(chain) + 1
    for version, (created_at, author, status, rag, narrative) in enumerate(chain, start=2):
        # The seed's reason and recovery comment are what the action says now: the last update gave them.
        entries.append(
            ActionUpdate(
                action=action,
                author=author,
                created_at=created_at,
                narrative=narrative,
                evidence=seed.evidence if status == COMPLETE and status_before != COMPLETE else "",
                status_before=status_before,
                status_after=status,
                rag_before=rag_before,
                rag_after=rag,
                rag_reason=seed.rag_reason if version == last else "",
                recovery_plan=seed.recovery_plan if version == last else "",
                version_after=version,
            )
        )
        status_before, rag_before = status, rag
    return entries
