"""Database functions Django 5.2 has for PostgreSQL only, written for both of our databases."""

from __future__ import annotations

from django.db.models import Aggregate, CharField, OuterRef, Subquery


class JoinedText(Aggregate):
    """Join a group's texts with ", ": STRING_AGG (ordered) on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite before 3.44 cannot order inside an aggregate: names come in the order the leads were added.
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ', ')",
            **extra,
        )


def lead_names(action_ref: str = "pk") -> Subquery:
    """Return a subquery of an action's leads' names joined with ", " (a row of actions needs no prefetch)."""
    from actions.models import Action

    through = Action.leads.through
    return Subquery(
        through.objects.filter(action_id=OuterRef(action_ref))
        .order_by()
        .values("action_id")
        .annotate(names=JoinedText("person__name"))
        .values("names"),
        output_field=CharField(),
    )
