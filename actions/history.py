"""History that records many-to-many snapshots in the database, one statement a field."""

from __future__ import annotations

from django.db import connections
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name


class SnapshotHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose many-to-many snapshot is copied by an INSERT … SELECT.

    django-simple-history reads the through rows into Python and writes them back: two queries a field
    on every save, and an action's status update saves it (its leads and lead organisations). The
    database copies the same rows in one statement. The pre/post m2m signals are not sent; nothing here
    listens to them.
    """

    def create_historical_record_m2ms(self, history_instance, instance) -> None:
        using = history_instance._state.db
        quote = connections[using].ops.quote_name
        for field in history_instance._history_m2m_fields:
            snapshot = self.m2m_models[field]._meta
            through = field.remote_field.through._meta
            columns = [(snapshot.get_field(f.name).column, f.column) for f in through.concrete_fields]
            owner = through.get_field(get_m2m_field_name(field)).column
            history = snapshot.get_field("history").column
            targets = ", ".join(quote(target) for target, _ in columns)
            sources = ", ".join(quote(source) for _, source in columns)
            # Only quoted names from the models' metadata are formatted in; the values are parameters.
            insert = f"INSERT INTO {quote(snapshot.db_table)} ({targets}, {quote(history)})"
            select = f"SELECT {sources}, %s FROM {quote(through.db_table)} WHERE {quote(owner)} = %s"  # noqa: S608
            with connections[using].cursor() as cursor:
                cursor.execute(f"{insert} {select}", [history_instance.pk, instance.pk])
