"""Scrutiny dashboards: read-only pages built from reports.dashboards figures and reports.charts SVGs."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.access import require_view
from actions.models import Measure, Plan
from reports import dashboards
from reports.dashboard_charts import framework_chart, measure_chart, plan_chart, trend_chart
from reports.forms import SinceForm

# Without a scrutiny committee meeting on record, "changed since" looks back this far.
DEFAULT_LOOKBACK = datetime.timedelta(days=28)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    meeting = dashboards.last_committee_meeting(today)
    form = SinceForm(request.GET if "since" in request.GET else None)
    chosen = form.cleaned_data["since"] if form.is_bound and form.is_valid() else None
    since = chosen or (meeting.date if meeting else today - DEFAULT_LOOKBACK)
    plans = [
        (entry, plan_chart(entry))
        for entry in dashboards.plan_tallies(Plan.objects.exclude(status=Plan.Status.CLOSED), today)
    ]
    return render(
        request,
        "reports/overview.html",
        {
            "plans": plans,
            "closed_plans": Plan.objects.filter(status=Plan.Status.CLOSED).order_by("title"),
            "attention": dashboards.needing_attention(today),
            "changes": dashboards.changes_since(since),
            "meeting": meeting,
            "since_is_meeting": chosen is None and meeting is not None,
            "form": form,
            "today": today,
            "nav": "overview",
            "subnav": "overview",
        },
    )


@login_required
@require_GET
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    plan = get_object_or_404(Plan.objects.select_related("board", "review", "lead"), pk=pk)
    entry = dashboards.plan_tallies(Plan.objects.filter(pk=plan.pk), today)[0]
    priorities = dashboards.plan_priorities(plan, today)
    return render(
        request,
        "reports/plan.html",
        {
            "plan": plan,
            "entry": entry,
            "chart": plan_chart(entry),
            "priorities": priorities,
            "measures": [
                (figures, measure_chart(figures))
                for figures in dashboards.measure_figures(plan.measures.all(), today)
            ],
            "today": today,
            "nav": "overview",
        },
    )


@login_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    measures = dashboards.measure_figures(Measure.objects.select_related("plan", "priority"), today)
    return render(
        request,
        "reports/kpis.html",
        {
            "measures": [(figures, measure_chart(figures)) for figures in measures],
            "can_record": request.user.has_perm("actions.change_measure"),
            "today": today,
            "nav": "overview",
            "subnav": "kpis",
        },
    )


@login_required
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    dates = [*dashboards.month_ends(today, 12), today]
    plans = Plan.objects.exclude(status=Plan.Status.CLOSED)
    history = dashboards.brag_history(dates, plans)
    entries = dashboards.plan_tallies(plans, today)
    return render(
        request,
        "reports/trends.html",
        {
            "plans": [
                (entry, trend_chart(entry, dates, history.get(entry.plan.pk, [{} for _ in dates])))
                for entry in entries
            ],
            "frameworks": [
                (framework, framework_chart(framework, rounds))
                for framework, rounds in dashboards.framework_rounds().items()
            ],
            "nav": "overview",
            "subnav": "trends",
        },
    )
