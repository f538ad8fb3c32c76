"""Queries whose SQL the ORM builds once per process and database, then runs again with another value.

The ORM builds a query's SQL in Python every time it runs, and for a short query that costs more than
running it: 0.5 to 2 ms of CPU for the queries that every signed-in request makes (the user with the header's
flag; their roles and permissions, a UNION), against well under 0.1 ms in the database. Their SQL never
changes but for the user's id, so `PreparedQuery` has the ORM build it once, for a marker value, and swaps the
real value in for the marker's parameters on each run. The SQL is still the ORM's (table and column names,
quoting, the database's dialect), and it runs through Django's cursor, so it is logged and counted as any
query is.

Only for a queryset that is a pure function of the one value: anything else it reads when built (the time,
a setting) is frozen into the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # core.roles uses this module, and settings import core.roles: nothing of the ORM at import
    from django.db.models import Model, QuerySet

# No row has this id; the built query's parameters that equal it are where the value goes.
MARKER = -7_349_118_213


class PreparedQuery:
    """A queryset `build(value)`, built into SQL once per database alias and run for any `value`.

    `marker` stands for the value while the SQL is built: of the value's type, and no value a row holds.
    """

    def __init__(self, build: Callable[[Any], QuerySet], marker=MARKER) -> None:
        self.build, self.marker = build, marker
        self._built: dict[tuple[str, str], tuple[str, tuple, tuple[int, ...]]] = {}

    def sql(self, value, using: str = "default") -> tuple[str, list]:
        """Return the SQL and the parameters of `build(value)` for the database `using`."""
        from django.db import connections

        key = (using, connections[using].vendor)
        try:
            sql, params, places = self._built[key]
        except KeyError:
            sql, params = self.build(self.marker).query.get_compiler(using).as_sql()
            places = tuple(place for place, param in enumerate(params) if param == self.marker)
            if not places:
                raise ValueError("the built query does not use its value") from None
            self._built[key] = sql, tuple(params), places
        filled = list(params)
        for place in places:
            filled[place] = value
        return sql, filled

    def rows(self, value, using: str = "default") -> list[tuple]:
        """Return the rows of `build(value)` as tuples (as values_list gives them, without converters)."""
        from django.db import connections

        sql, params = self.sql(value, using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def first(self, model: type[Model], value, using: str = "default") -> Model | None:
        """Return the first instance of `model` that `build(value)` finds, with its annotations, or None.

        Annotations are set as the database returns them (SQLite gives 0 or 1 for a boolean).
        """
        sql, params = self.sql(value, using)
        return next(iter(model._default_manager.db_manager(using).raw(sql, params)), None)
