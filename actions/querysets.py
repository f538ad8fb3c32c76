"""QuerySet methods for actions, named for the pages that use them."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import BooleanField, Case, Count, FilteredRelation, IntegerField, Min, Q, Value, When
from django.db.models.query import ModelIterable
from django.utils import timezone

from actions import cycle

# The fields of its own a row of the actions table reads; its plan, priority and RAG level come from
# _attach_references.
ROW_FIELDS = ("reference", "description", "due_date", "status", "last_updated_at", "plan", "priority", "rag")


def _deadlines(deadlines: dict | None, today: datetime.date | None) -> dict:
    return deadlines if deadlines is not None else cycle.deadlines_by_plan(today)


class _RowIterable(ModelIterable):
    """Actions, then what their rows show from other tables, each thing made once however many rows show it.

    A page of 400 actions led by one officer names a handful of plans, priorities, RAG levels, leads and
    organisations. select_related made a plan, priority and RAG level per row, and prefetch_related a person
    per (action, lead) pair: about 40 ms of model instances on that page. Here each is made once, from four
    flat queries for all the rows.

    They run whatever the rows are, so a page's count does not depend on them (My actions of a councillor
    who leads nothing, issue #32): with rows they select by the rows' ids; with none, by the rows' own
    query, which returns nothing at once. (Selecting by the rows' query every time repeats it four times:
    5-10 ms more for an officer's 400 rows on PostgreSQL.)
    """

    def __iter__(self):
        queryset = self.queryset
        actions = list(super().__iter__())
        rows = {action.pk for action in actions} or queryset.values("pk")
        _attach_references(actions, rows, queryset.db)
        _attach_leads(actions, rows, queryset.db)
        yield from actions


def _attach_references(actions: list, rows, db: str) -> None:
    """Set each action's priority (with its plan) and RAG level, each made once and shared between rows.

    `rows` selects the actions: a set of their pks, or (for no rows) a values("pk") queryset.
    """
    from actions.models import Priority, RagLevel  # actions.models imports this module

    selected = _action_model().objects.using(db).filter(pk__in=rows)
    # By the rows' own values; else (no rows, or none rated) by a subquery, so that the query runs.
    priority_ids = {action.priority_id for action in actions} or selected.values("priority")
    level_ids = {action.rag_id for action in actions} - {None} or selected.values("rag")
    priorities = Priority.objects.using(db).select_related("plan").filter(pk__in=priority_ids)
    priorities = {priority.pk: priority for priority in priorities}
    levels = {level.pk: level for level in RagLevel.objects.using(db).filter(pk__in=level_ids)}
    for action in actions:
        priority = action.priority = priorities[action.priority_id]
        if priority.plan_id == action.plan_id:  # always, as Action.save copies it; else read it when asked
            action.plan = priority.plan
        action.rag = levels.get(action.rag_id)


def _attach_leads(actions: list, rows, db: str) -> None:
    """Set `lead_people` and `lead_orgs` on each action, each list in name order."""
    from actions.models import Action  # actions.models imports this module

    by_pk = {action.pk: action for action in actions}
    _attach_many(by_pk, rows, Action.leads, "lead_people", ("name", "user_id"), db)
    _attach_many(by_pk, rows, Action.lead_organisations, "lead_orgs", ("name", "short_name"), db)


def _attach_many(by_pk: dict, rows, relation, attr: str, fields: tuple[str, ...], db: str) -> None:
    """Set `attr` on each action to its related objects through `relation` (a many-to-many descriptor),
    in name order, loading only `fields` and making each related object once. `rows` selects the actions
    (their pks or a values("pk") queryset); a row of an action not in `by_pk` (added since) is skipped."""
    field = relation.field
    model = field.related_model
    target = field.m2m_reverse_field_name()  # "person" or "organisation" on the through table
    for action in by_pk.values():
        setattr(action, attr, [])
    made: dict[int, object] = {}
    links = (
        relation.through.objects.using(db)
        .filter(action_id__in=rows)
        .order_by(f"{target}__name", f"{target}_id")
        .values_list("action_id", f"{target}_id", *(f"{target}__{name}" for name in fields))
    )
    for action_id, pk, *values in links:
        if action_id not in by_pk:
            continue
        if pk not in made:
            made[pk] = model.from_db(db, ["id", *fields], (pk, *values))
        getattr(by_pk[action_id], attr).append(made[pk])


def _people_with_organisation() -> models.QuerySet:
    from actions.models import Person  # actions.models imports this module

    return Person.objects.select_related("organisation")


def _action_model():
    from actions.models import Action  # actions.models imports this module

    return Action


def open_q(prefix: str = "") -> Q:
    """Return the condition "open": not archived, and no closed status (Action.CLOSED_STATUSES).

    `prefix` reaches the actions through a relation, e.g. "counted__" for a priority's counted actions.
    """
    closed = _action_model().CLOSED_STATUSES
    return Q(**{f"{prefix}archived_at__isnull": True}) & ~Q(**{f"{prefix}status__in": closed})


def overdue_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Return the condition "overdue": open and due before `today`, whatever the plan's status.

    Every page that marks or counts actions as overdue reads this rule (Action.is_overdue for one action);
    pages that leave closed plans out filter the plans, not the rule.
    """
    return open_q(prefix) & Q(**{f"{prefix}due_date__lt": today or timezone.localdate()})


def attention_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Return the condition "needs attention" of the dashboards: overdue, or open and rated red."""
    red = Q(**{f"{prefix}rag__colour": "red"})
    return overdue_q(today, prefix) | (open_q(prefix) & red)


# Delivery RAG colours a priority's actions are counted by (RagLevel.Colour's values; "none" for not rated).
COLOURS = ("blue", "green", "amber", "red", "grey")


class PriorityQuerySet(models.QuerySet):
    def with_delivery(self, today: datetime.date | None = None) -> PriorityQuerySet:
        """Annotate each priority with its actions' delivery counts, in one query (a COUNT per figure).

        Counted actions are the live ones that are not withdrawn. `n_<colour>` and `n_none` count them by
        delivery RAG colour, `n_complete` the complete ones, `n_open` the open ones, `n_overdue` the overdue
        ones (ActionQuerySet.overdue's rule), `n_open_red` / `n_open_amber` the open ones rated red or
        amber, and `oldest_open_due` is the earliest due date of an open one: coverage.priority_state reads
        them against the plan's tolerance.
        """
        today = today or timezone.localdate()
        status = _action_model().Status
        counted = FilteredRelation(
            "actions", condition=Q(actions__archived_at__isnull=True) & ~Q(actions__status=status.WITHDRAWN)
        )
        is_open = open_q("counted__")
        colours = {
            f"n_{colour}": Count("counted", filter=Q(counted__rag__colour=colour)) for colour in COLOURS
        }
        return self.annotate(counted=counted).annotate(
            **colours,
            n_none=Count("counted", filter=Q(counted__rag__isnull=True)),
            n_complete=Count("counted", filter=Q(counted__status=status.COMPLETE)),
            n_open=Count("counted", filter=is_open),
            n_overdue=Count("counted", filter=overdue_q(today, "counted__")),
            n_open_red=Count("counted", filter=is_open & Q(counted__rag__colour="red")),
            n_open_amber=Count("counted", filter=is_open & Q(counted__rag__colour="amber")),
            oldest_open_due=Min("counted__due_date", filter=is_open),
        )


class ActionQuerySet(models.QuerySet):
    def live(self) -> ActionQuerySet:
        """Actions that are not archived."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> ActionQuerySet:
        return self.filter(open_q())

    def led_by(self, user) -> ActionQuerySet:
        """Actions whose lead person is linked to this user."""
        return self.filter(leads__user=user)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        """Open actions due before `today`, in every plan: closed plans' too, as every page marks them."""
        return self.filter(overdue_q(today))

    def needing_attention(self, today: datetime.date | None = None) -> ActionQuerySet:
        """Open actions that are overdue or rated red: the dashboards' attention lists."""
        return self.filter(attention_q(today))

    def stale(
        self, today: datetime.date | None = None, deadlines=None, now: datetime.datetime | None = None
    ) -> ActionQuerySet:
        """Open actions with no update since their plan's last update deadline (or never updated).

        `deadlines` (from cycle.deadlines_by_plan) saves the query when the caller already has them.
        """
        today = today or timezone.localdate(now)
        return self.open().filter(cycle.stale_q(_deadlines(deadlines, today)))

    def with_stale_flag(self, today: datetime.date | None = None, deadlines=None) -> ActionQuerySet:
        """Annotate `is_stale`: open, and no update since the plan's last deadline; for dashboards."""
        open_stale = open_q() & cycle.stale_q(_deadlines(deadlines, today))
        flag = Case(When(open_stale, then=Value(True)), default=Value(False), output_field=BooleanField())
        return self.annotate(is_stale=flag)

    def with_attention(
        self,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
        deadlines: dict[int, cycle.Deadlines] | None = None,
    ) -> ActionQuerySet:
        """Annotate `attention`: 0 overdue, 1 stale, 2 the rest; for "overdue first, then stale" ordering.

        `deadlines` (from cycle.deadlines_by_plan) saves reading them again when the page shows them too.
        """
        today = today or timezone.localdate(now)
        return self.annotate(
            attention=Case(
                When(overdue_q(today), then=Value(0)),
                When(open_q() & cycle.stale_q(_deadlines(deadlines, today)), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )

    def for_rows(self) -> ActionQuerySet:
        """What a row of the actions table shows (actions/action_rows.py) and no more, for long pages.

        Only the shown columns are loaded, and the leads and lead organisations land in plain lists
        (`lead_people`, `lead_orgs`; read through Action.leads_shown/lead_organisations_shown) rather than
        in a related manager per action: My actions lists hundreds of rows (see _RowIterable).
        """
        rows = self.live().only(*ROW_FIELDS)
        rows._iterable_class = _RowIterable  # as QuerySet.values() swaps its own in
        return rows

    def for_table(self) -> ActionQuerySet:
        """Everything the actions table shows, in a fixed number of queries."""
        return (
            self.live()
            .select_related("plan", "priority", "rag", "plan__rag_scale", "accountable_officer__organisation")
            # Each lead with their organisation in the same query (a join), so pairing them costs nothing.
            .prefetch_related(
                models.Prefetch("leads", queryset=_people_with_organisation()), "lead_organisations"
            )
        )
