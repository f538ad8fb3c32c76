"""Shared helpers for the demo loader: the run's clock, and get-or-create that only writes real changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User
    from actions.models import Board, Meeting, Organisation, Person, Plan, Priority, RagLevel, RagScale
    from inspections.models import Framework, Review

M = TypeVar("M", bound=models.Model)

DEMO_PASSWORD = "demo-password"


@dataclass
class Demo:
    """What one run of the loader has built so far, and the moment it runs at."""

    today: datetime.date
    now: datetime.datetime
    users: dict[str, User] = field(default_factory=dict)
    # Action leads and accountable officers, by username (or key, for people who do not sign in).
    people: dict[str, Person] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    scales: dict[str, RagScale] = field(default_factory=dict)
    levels: dict[tuple[str, str], RagLevel] = field(default_factory=dict)
    framework: Framework | None = None
    reviews: dict[str, Review] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    # (plan key, priority number) -> priority
    priorities: dict[tuple[str, str], Priority] = field(default_factory=dict)
    # (record, seed document key or "", section, illustrative, note): written by sources.sync at the end.
    sources: list[tuple[models.Model, str, str, bool, str]] = field(default_factory=list)

    @classmethod
    def starting_now(cls) -> Demo:
        return cls(today=timezone.localdate(), now=timezone.now())

    def day(self, offset: int) -> datetime.date:
        """Return the date `offset` days from today (negative for the past)."""
        return self.today + datetime.timedelta(days=offset)

    def days_ago(self, days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """Return an aware local time `days` before today, at the given time of day."""
        naive = datetime.datetime.combine(self.day(-days), datetime.time(hour, minute))
        return timezone.make_aware(naive)

    def cite(self, record: M, document: str, section: str, note: str = "") -> M:
        """Record that `record` quotes `section` of a seed document word for word; return the record."""
        self.sources.append((record, document, section, False, note))
        return record

    def illustrative(self, record: M, note: str = "", *, document: str = "", section: str = "") -> M:
        """Record that `record` is generated (optionally: in the frame of a document's section)."""
        self.sources.append((record, document, section, True, note))
        return record

    def user(self, username: str) -> User:
        return self.users[username]

    def person(self, key: str) -> Person:
        return self.people[key]

    def org(self, key: str) -> Organisation:
        return self.organisations[key]

    def level(self, scale: str, colour: str | None) -> RagLevel | None:
        """Return the RAG level of a scale by colour, or None for no colour."""
        return None if colour is None else self.levels[(scale, colour)]


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        # Compare keys, not instances, so checking costs no query.
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def ensure(
    model: type[M],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    *,
    on_create: Mapping[str, Any] | None = None,
) -> M:
    """Return the row matching `lookup`, created with `values` and `on_create`, or updated to `values`.

    Rows are saved only when something differs, so a second run writes nothing (not even history rows).
    `on_create` holds what people change while using the demo (status, dates relative to the first run,
    passwords): a later run leaves it alone.
    """
    values = dict(values or {})
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj.save()
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj


def ensure_m2m(obj: models.Model, name: str, wanted: Iterable[models.Model]) -> None:
    """Set a many-to-many relation to exactly `wanted`; touch nothing (nor history) if it already is."""
    wanted = list(wanted)
    manager = getattr(obj, name)
    if set(manager.values_list("pk", flat=True)) != {item.pk for item in wanted}:
        manager.set(wanted)
