"""QuerySet methods for actions, named for the pages that use them."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

_CLOSED = ("complete", "withdrawn")

# A plan's update cycle is one of these, so "stale" is plain SQL on every database (no interval arithmetic).
UPDATE_CYCLES = [
    (7, "Weekly"),
    (14, "Fortnightly"),
    (28, "Every four weeks"),
    (31, "Monthly"),
    (42, "Every six weeks"),
    (56, "Every eight weeks"),
    (91, "Termly (13 weeks)"),
]


def _people_with_organisation() -> models.QuerySet:
    from actions.models import Person  # actions.models imports this module

    return Person.objects.select_related("organisation")


class ActionQuerySet(models.QuerySet):
    def live(self) -> ActionQuerySet:
        """Actions that are not archived."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> ActionQuerySet:
        return self.live().exclude(status__in=_CLOSED)

    def led_by(self, user) -> ActionQuerySet:
        """Actions whose lead person is linked to this user."""
        return self.filter(leads__user=user)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def stale(self, now: datetime.datetime | None = None) -> ActionQuerySet:
        """Open actions whose last update is older than their plan's update cycle (or never updated)."""
        return self.open().filter(self._stale_q(now or timezone.now()))

    @staticmethod
    def _stale_q(now: datetime.datetime) -> Q:
        stale = Q(last_updated_at__isnull=True)
        for days, _ in UPDATE_CYCLES:
            cutoff = now - datetime.timedelta(days=days)
            stale |= Q(plan__update_cycle_days=days, last_updated_at__lt=cutoff)
        return stale

    def with_attention(self, today: datetime.date | None = None, now: datetime.datetime | None = None):
        """Annotate `attention`: 0 overdue, 1 stale, 2 the rest; for "overdue first, then stale" ordering."""
        today = today or timezone.localdate()
        now = now or timezone.now()
        open_q = ~Q(status__in=_CLOSED)
        return self.annotate(
            attention=Case(
                When(open_q & Q(due_date__lt=today), then=Value(0)),
                When(open_q & self._stale_q(now), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )

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
