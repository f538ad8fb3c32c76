"""Which priorities and actions address each finding, and whether that covers it.

Priorities and actions live in the actions app, which depends on this one: they are reached through the
reverse relation `Finding.priorities` and string lookups, never imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from inspections.models import Finding

NO_ACTION = "no_action"
OFF_TRACK = "off_track"
COVERED = "covered"
NOT_NEEDED = "not_needed"
FLAG_LABELS = {
    NO_ACTION: "No action",
    OFF_TRACK: "All actions red or overdue",
    COVERED: "Covered",
    NOT_NEEDED: "No action needed",
}


def priority_model():
    """Return the Priority model without importing the actions app."""
    return Finding._meta.get_field("priorities").related_model


def with_addressing(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Prefetch each finding's priorities (with plan) and their live actions (with RAG): three queries."""
    priority = priority_model()
    action = priority._meta.get_field("actions").related_model
    live_actions = (
        action.objects.filter(archived_at__isnull=True).select_related("rag").order_by("order", "reference")
    )
    return findings.prefetch_related(
        Prefetch(
            "priorities",
            queryset=priority.objects.select_related("plan").order_by("plan__title", "order", "number"),
        ),
        Prefetch("priorities__actions", queryset=live_actions),
    )


@dataclass
class Addressing:
    flag: str
    action_count: int
    off_track_count: int

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.flag]


def is_off_track(action, today) -> bool:
    """Return whether an open action is rated red or past its due date."""
    if not action.is_open:
        return False
    return (action.rag is not None and action.rag.colour == "red") or action.due_date < today


def assess(findings: Iterable[Finding], today=None) -> list[Finding]:
    """Set `finding.addressing` on each prefetched finding; return them as a list."""
    today = today or timezone.localdate()
    result = []
    for finding in findings:
        actions = [a for p in finding.priorities.all() for a in p.actions.all()]
        open_actions = [a for a in actions if a.is_open]
        off_track = [a for a in open_actions if is_off_track(a, today)]
        if finding.kind not in Finding.NEEDS_ACTION:
            flag = NOT_NEEDED
        elif not actions:
            flag = NO_ACTION
        elif open_actions and len(off_track) == len(open_actions):
            flag = OFF_TRACK
        else:
            flag = COVERED
        finding.addressing = Addressing(flag, len(actions), len(off_track))
        for action in actions:
            action.off_track = is_off_track(action, today)
        result.append(finding)
    return result
