"""What a publish freezes: approved words, delivery states in words, public KPIs with small numbers hidden.

The snapshot is plain data (JSON) built from the records at the moment of publishing; the public pages read
nothing else. It holds no names, contacts, RAG reasons or recovery plans: only what is built here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch, Q
from django.utils import dateformat, timezone

from actions.models import Measure, MeasureValue, Priority
from inspections import coverage
from reports.models import CommitteePaper, PublishedVersion

SCHEMA = 1

# A priority's delivery state (inspections.coverage's rule) in the words families read.
STATE_WORDS = {
    coverage.CLOSED: "complete",
    coverage.OFF_TRACK: "behind",
    coverage.AT_RISK: "at risk",
    coverage.ON_TRACK: "on track",
    coverage.NO_ACTION: "not started yet",
}


def suppression_threshold() -> int:
    return getattr(settings, "PUBLIC_SMALL_NUMBER_THRESHOLD", 5)


def build_snapshot(publication, *, published_at: datetime.datetime) -> dict:
    plan = publication.plan
    return {
        "schema": SCHEMA,
        "plan_id": plan.pk,
        "title": plan.title,
        "kind": plan.get_kind_display(),
        "purpose": publication.purpose,
        "published_at": published_at.isoformat(),
        "priorities": _priorities(plan, timezone.localdate(published_at)),
        "measures": _measures(plan),
        "papers": _papers(plan),
    }


def _priorities(plan, today: datetime.date) -> list[dict]:
    from public.models import PrioritySummary, YouSaidWeDid

    approved_items = YouSaidWeDid.objects.filter(retired_at__isnull=True, approved_at__isnull=False)
    priorities = (
        Priority.objects.filter(plan=plan)
        .with_delivery(today)
        .select_related("plan")
        .annotate(last_update=Max("actions__last_updated_at", filter=Q(actions__archived_at__isnull=True)))
        .prefetch_related(
            Prefetch("public_summary", queryset=PrioritySummary.objects.filter(approved_at__isnull=False)),
            Prefetch("you_said_we_did", queryset=approved_items, to_attr="approved_items"),
        )
    )
    shown = []
    for priority in priorities:
        summary = getattr(priority, "public_summary", None)
        shown.append(
            {
                "number": priority.number,
                "title": priority.title,
                "state": STATE_WORDS[coverage.priority_state(priority, today)],
                "last_update": _day(priority.last_update),
                "done": summary.approved_done if summary else "",
                "next_steps": summary.approved_next_steps if summary else "",
                "you_said_we_did": [
                    {"you_said": item.approved_you_said, "we_did": item.approved_we_did}
                    for item in priority.approved_items
                ],
            }
        )
    return shown


def _day(moment: datetime.datetime | None) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y") if moment else ""


def _measures(plan) -> list[dict]:
    values = MeasureValue.objects.filter(value__isnull=False).order_by("period_end")
    measures = Measure.objects.filter(plan=plan, public__is_public=True).prefetch_related(
        Prefetch("values", queryset=values, to_attr="recorded")
    )
    return [
        {
            "name": measure.name,
            "unit": measure.get_unit_display(),
            "better": "Higher is better" if measure.higher_is_better else "Lower is better",
            "source": measure.source,
            "points": [
                {
                    "period_end": value.period_end.isoformat(),
                    "period_text": dateformat.format(value.period_end, "F Y"),
                    **_shown_value(measure, value.value),
                }
                for value in measure.recorded
            ],
        }
        for measure in measures
    ]


def _shown_value(measure: Measure, value: Decimal) -> dict:
    """A value as the public sees it: a count below the threshold is "fewer than N", never the number.

    Only counts can be checked here: the app records a rate without its denominator, so a plan lead should
    publish a rate only when its cohort is large (the page says so beside the data).
    """
    threshold = suppression_threshold()
    if measure.unit == Measure.Unit.NUMBER and value < threshold:
        return {"value": None, "text": f"fewer than {threshold}"}
    number = f"{value.normalize():f}"
    suffix = "%" if measure.unit == Measure.Unit.PERCENT else ""
    return {"value": float(value), "text": f"{number}{suffix}"}


def _papers(plan) -> list[dict]:
    versions = (
        PublishedVersion.objects.filter(paper__plan=plan)
        .exclude(paper__access=CommitteePaper.Access.EXEMPT)
        .order_by("-published_at")
    )
    return [
        {
            "version_id": version.pk,
            "title": version.snapshot.get("cover", {}).get("title", ""),
            "meeting_date": version.snapshot.get("cover", {}).get("meeting_date", ""),
            "published_on": version.published_at.date().isoformat(),
        }
        for version in versions
    ]
