"""Database functions Django 5.2 has for PostgreSQL only, written for both of our databases."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Aggregate, CharField


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


def totals(querysets: dict, sums: dict | None = None) -> dict[str, dict[str, int]]:
    """Return each queryset's row count ("rows") and the sums of expressions over its rows, in one query.

    A page of several paged lists needs a total for each. One query of one-row derived tables, cross joined,
    costs one round trip instead of one aggregate query per list. `sums` maps a queryset's name to named
    expressions to add up over its rows (a 0/1 expression counts the rows with a property in the same scan).
    """
    quote = connection.ops.quote_name
    tables, params, columns = [], [], {}
    for name, queryset in querysets.items():
        summed = (sums or {}).get(name, {})
        inner = queryset.order_by().values(**summed) if summed else queryset.order_by().values("pk")
        sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
        added = "".join(f", SUM(part.{quote(column)})" for column in summed)
        # Values travel as parameters; the SQL is Django's, the names are quoted identifiers from our code.
        tables.append(f"(SELECT COUNT(*){added} FROM ({sql}) part) {quote(name)}")  # noqa: S608
        params.extend(inner_params)
        columns[name] = ["rows", *summed]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {' CROSS JOIN '.join(tables)}", params)  # noqa: S608
        values = iter(cursor.fetchone())
    return {name: {column: next(values) or 0 for column in names} for name, names in columns.items()}


AGGREGATES = frozenset({"COUNT", "MAX", "SUM"})


def fingerprint(tables: dict) -> tuple:
    """Return aggregates over whole tables in one query: {Model: (("COUNT", "id"), ("MAX", "id")), …}.

    A cheap summary of the rows a cached answer was computed from, read on every request to make its key:
    one round trip of one-row derived tables, cross joined (as `totals` does). MAX of a primary key is one
    index seek; COUNT and SUM scan the table or its narrowest index, so keep them to small tables or
    to what only they can tell (an insert committed after a higher id, which leaves MAX alone).
    """
    quote = connection.ops.quote_name
    parts = []
    for model, aggregates in tables.items():
        if not {function for function, _ in aggregates} <= AGGREGATES:
            raise ValueError(f"Aggregates are among {sorted(AGGREGATES)}: {aggregates}")
        # Table and column names come from our models, quoted; the functions from AGGREGATES.
        columns = ", ".join(f"{function}({quote(column)})" for function, column in aggregates)
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT {columns} FROM {table}) {table}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {' CROSS JOIN '.join(parts)}")  # noqa: S608
        return tuple(cursor.fetchone())


def rag_spans(actions, cutoffs: list, *, lookups: bool | None = None) -> list[tuple]:
    """Return (plan id, first cutoff, end cutoff, RAG colour, actions) rows: the update log, replayed.

    Cutoff j counts an action with the state after its last update before `cutoffs[j]`, or the state before
    its first update (what it was created with) from its birth (the earlier of its creation and its first
    update) until then. Each action's states are bucketed by the first cutoff they reach; only the last state
    of each bucket matters, and it holds from its bucket up to (not including) the next state's bucket. The
    database counts the actions per plan, span, status and colour, so Python reads a few hundred rows,
    not one per update. `actions` is a queryset of the actions to count. On SQLite (or with `lookups`) the
    same counts come from _rag_at_cutoffs, one cutoff a row.
    """
    from actions.models import Action, ActionUpdate, RagLevel

    quote = connection.ops.quote_name
    try:
        live_sql, live_params = (
            actions.order_by()
            .values("id", "plan_id", "created_at", "status", "rag_id")
            .query.get_compiler(connection=connection)
            .as_sql()
        )
    except EmptyResultSet:  # e.g. no plan chosen: nothing to count
        return []
    adapted = [connection.ops.adapt_datetimefield_value(cutoff) for cutoff in cutoffs]
    if connection.vendor == "sqlite" if lookups is None else lookups:
        return _rag_at_cutoffs(live_sql, [*live_params, *adapted, Action.Status.WITHDRAWN], len(cutoffs))
    bucket = (
        "CASE " + " ".join(f"WHEN t < %s THEN {j}" for j in range(len(cutoffs))) + f" ELSE {len(cutoffs)} END"
    )
    updates, levels = quote(ActionUpdate._meta.db_table), quote(RagLevel._meta.db_table)
    # The SQL is ours and Django's; every value travels as a parameter.
    sql = f"""
        WITH live AS ({live_sql}),
        firsts AS (
            SELECT u.action_id, u.created_at, u.status_before, u.rag_before_id,
                ROW_NUMBER() OVER (PARTITION BY u.action_id ORDER BY u.created_at, u.id) AS n
            FROM {updates} u JOIN live ON live.id = u.action_id
        ),
        states AS (
            SELECT live.id AS action_id, live.plan_id,
                CASE WHEN f.created_at < live.created_at THEN f.created_at ELSE live.created_at END AS t,
                0 AS kind, 0 AS update_id,
                CASE WHEN f.action_id IS NULL THEN live.status ELSE f.status_before END AS status,
                CASE WHEN f.action_id IS NULL THEN live.rag_id ELSE f.rag_before_id END AS rag_id
            FROM live LEFT JOIN firsts f ON f.action_id = live.id AND f.n = 1
            UNION ALL
            SELECT u.action_id, live.plan_id, u.created_at, 1, u.id, u.status_after, u.rag_after_id
            FROM {updates} u JOIN live ON live.id = u.action_id
        ),
        bucketed AS (SELECT states.*, {bucket} AS bucket FROM states),
        lasts AS (
            SELECT bucketed.*, ROW_NUMBER() OVER (
                PARTITION BY action_id, bucket ORDER BY t DESC, kind DESC, update_id DESC
            ) AS r
            FROM bucketed
        ),
        spans AS (
            SELECT plan_id, bucket, LEAD(bucket, 1, {len(cutoffs)}) OVER (
                PARTITION BY action_id ORDER BY bucket
            ) AS until, status, rag_id
            FROM lasts WHERE r = 1
        )
        SELECT spans.plan_id, spans.bucket, spans.until, level.colour, COUNT(*)
        FROM spans LEFT JOIN {levels} level ON level.id = spans.rag_id
        WHERE spans.bucket < %s AND spans.status <> %s
        GROUP BY spans.plan_id, spans.bucket, spans.until, level.colour
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*live_params, *adapted, len(cutoffs), Action.Status.WITHDRAWN])
        return cursor.fetchall()


def _rag_at_cutoffs(live_sql: str, params: list, cutoffs: int) -> list[tuple]:
    """Return rag_spans' rows on SQLite, each one cutoff long: each action's state looked up at each cutoff.

    SQLite sorts for every window function, and rag_spans' replay sorted the whole update log three times
    (about 600 ms for 40,000 updates on a loaded machine). Here each action's first update, and its last
    before each cutoff, is one seek in the (action, created_at, id) index: 2,000 actions × 13 cutoffs took
    about 350 ms in the same conditions, with the same counts. (PostgreSQL replays the log faster than it
    runs the 26,000 lookups, so it keeps the window functions.) `params`: the live actions' parameters, the
    cutoffs and the withdrawn status.
    """
    from actions.models import ActionUpdate, RagLevel

    quote = connection.ops.quote_name
    updates, levels = quote(ActionUpdate._meta.db_table), quote(RagLevel._meta.db_table)
    cuts = ", ".join(f"({j}, %s)" for j in range(cutoffs))
    # The SQL is ours and Django's; every value travels as a parameter.
    sql = f"""
        WITH live AS ({live_sql}),
        cut (j, t) AS (VALUES {cuts}),
        born AS MATERIALIZED (
            SELECT live.*, f.id AS first_id, f.status_before, f.rag_before_id,
                CASE WHEN f.created_at < live.created_at THEN f.created_at ELSE live.created_at END AS birth
            FROM live LEFT JOIN {updates} f ON f.id = (
                SELECT u.id FROM {updates} u WHERE u.action_id = live.id ORDER BY u.created_at, u.id LIMIT 1
            )
        ),
        states AS (
            SELECT born.plan_id, cut.j,
                CASE WHEN last.id IS NOT NULL THEN last.status_after
                    WHEN born.first_id IS NOT NULL THEN born.status_before ELSE born.status END AS status,
                CASE WHEN last.id IS NOT NULL THEN last.rag_after_id
                    WHEN born.first_id IS NOT NULL THEN born.rag_before_id ELSE born.rag_id END AS rag_id
            FROM born JOIN cut ON born.birth < cut.t
            LEFT JOIN {updates} last ON last.id = (
                SELECT u.id FROM {updates} u WHERE u.action_id = born.id AND u.created_at < cut.t
                ORDER BY u.created_at DESC, u.id DESC LIMIT 1
            )
        )
        SELECT states.plan_id, states.j, states.j + 1, level.colour, COUNT(*)
        FROM states LEFT JOIN {levels} level ON level.id = states.rag_id
        WHERE states.status <> %s
        GROUP BY states.plan_id, states.j, level.colour
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
