"""Database functions Django 5.2 has for PostgreSQL only, written for both of our databases."""

from __future__ import annotations

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
