"""Scrutiny dashboards: read-only pages built from reports.dashboards figures and reports.charts SVGs."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.access import require_view
from actions.models import Measure, Plan
from reports import dashboards, rag_history, scrutiny
from reports.access import can_record_kpis
from reports.dashboard_charts import (
    framework_chart,
    measure_chart,
    plan_chart,
    plans_chart,
    plans_trend_chart,
    trend_chart,
)
from reports.forms import PlanFilterForm, SinceForm, page_number

# Measures shown in full (figures, chart, milestones) on each page of the KPI page: ten of three years each
# made a page of 317 KB (issue #32).
KPI_PAGE_SIZE = 5

# Actions shown a page under each priority of a plan's page (a 300-action plan made a page of 227 KB).
PRIORITY_ACTIONS_PAGE_SIZE = 10

# Without a scrutiny committee meeting on record, "changed since" looks back this far.
DEFAULT_LOOKBACK = datetime.timedelta(days=28)


def _plans_and_filter(request: HttpRequest) -> tuple[list[Plan], PlanFilterForm, Plan | None]:
    """Return every plan (with its RAG scale), the GET plan filter and the chosen plan: one query."""
    plans = list(Plan.objects.select_related("rag_scale"))
    form = PlanFilterForm(request.GET if "plan" in request.GET else None, plans=plans)
    return plans, form, form.chosen


def _shown(plans: list[Plan], chosen: Plan | None) -> list[Plan]:
    """Return the chosen plan, or every plan not closed."""
    return [chosen] if chosen else [plan for plan in plans if plan.status != Plan.Status.CLOSED]


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    plans, plan_form, chosen = _plans_and_filter(request)
    meeting = dashboards.last_committee_meeting(today)
    sent = not SinceForm.base_fields["since"].widget.value_omitted_from_data(request.GET, {}, "since")
    form = SinceForm(request.GET if sent else None)  # the date comes as three boxes or as ?since=
    picked = form.cleaned_data["since"] if form.is_bound and form.is_valid() else None
    since = picked or (meeting.date if meeting else today - DEFAULT_LOOKBACK)
    attention, changes = dashboards.overview_lists(
        today,
        since,
        chosen,
        pages=dashboards.Pages(
            attention=page_number(request.GET, "attention_page"),
            moved=page_number(request.GET, "changes_page"),
            new=page_number(request.GET, "new_page"),
        ),
        only_completed=request.GET.get("show") == "completed",
    )
    shown = _shown(plans, chosen)
    tallies = dashboards.plan_tallies(shown, today)
    scrutiny.set_states(tallies, today)
    scrutiny.attach_moves(tallies, scrutiny.moves_by_priority(since, shown))
    cards, kpi_total = scrutiny.kpi_cards(shown, chosen)
    across = dashboards.across_plans(tallies)
    return render(
        request,
        "reports/overview.html",
        {
            "tallies": tallies,
            # One bar a plan: each plan's bars by priority are on its own page (16 drawings of 11 bars made
            # the page 457 KB on the largest areas).
            "across": across,
            "chart": plans_chart(across) if tallies else None,
            "coverage": scrutiny.coverage_by_review(tallies, chosen),
            "cards": cards,
            "kpi_total": kpi_total,
            "rebaselines": scrutiny.rebaselines_since(since, shown),
            "closed_plans": []
            if chosen
            else sorted((p for p in plans if p.status == Plan.Status.CLOSED), key=lambda p: p.title),
            "attention": attention,
            "changes": changes,
            "meeting": meeting,
            "since_is_meeting": picked is None and meeting is not None,
            "form": form,
            "plan_form": plan_form,
            "chosen_plan": chosen,
            "today": today,
            "nav": "overview",
            "subnav": "overview",
        },
    )


@login_required
@require_GET
def plan_dashboard(request: HttpRequest, plan: int) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    plan = get_object_or_404(Plan.objects.select_related("board", "review", "lead", "rag_scale"), pk=plan)
    priorities = dashboards.plan_priorities(plan, today)
    for priority in priorities:
        param = f"priority_{priority.pk}_page"
        priority.action_page = dashboards.page_of_list(
            priority.live_actions, page_number(request.GET, param), param, PRIORITY_ACTIONS_PAGE_SIZE
        )
        priority.actions_anchor = f"priority-{priority.pk}-actions"
    entry = dashboards.plan_tallies([plan], today, priorities=priorities)[0]
    scrutiny.set_states([entry], today)
    meeting = dashboards.last_committee_meeting(today)
    since = meeting.date if meeting else today - DEFAULT_LOOKBACK
    scrutiny.attach_moves([entry], scrutiny.moves_by_priority(since, [plan]))
    return render(
        request,
        "reports/plan.html",
        {
            "plan": plan,
            "since": since,
            "meeting": meeting,
            "entry": entry,
            "chart": plan_chart(entry),
            "priorities": priorities,
            "today": today,
            "nav": "overview",
        },
    )


@login_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    _, plan_form, chosen = _plans_and_filter(request)
    measures = Measure.objects.current()
    if chosen:
        measures = measures.filter(plan=chosen)
    # Every measure is listed; the charts and milestones come a page at a time (60 measures of three
    # years each made a page of 1 MB). The contents link each measure to the page that shows it.
    contents = list(measures.values_list("pk", "name"))
    pages = Paginator(contents, KPI_PAGE_SIZE)
    page = pages.get_page(page_number(request.GET, "page"))
    shown = [pk for pk, _ in page.object_list]
    figures = dashboards.measure_figures(
        measures.filter(pk__in=shown).select_related("plan", "priority") if shown else Measure.objects.none(),
        today,
    )
    return render(
        request,
        "reports/kpis.html",
        {
            "contents": [(pk, name, index // KPI_PAGE_SIZE + 1) for index, (pk, name) in enumerate(contents)],
            "page": page,
            "measures": [(f, measure_chart(f)) for f in figures],
            "can_record": can_record_kpis(request.user),
            "plan_form": plan_form,
            "chosen_plan": chosen,
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
    plans, plan_form, chosen = _plans_and_filter(request)
    shown = _shown(plans, chosen)
    history = rag_history.brag_history(dates, shown)
    # The trend needs each plan's RAG scale, not today's counts: no tally query.
    prefetch_related_objects(shown, Prefetch("rag_scale__levels", to_attr="ordered_levels"))
    entries = [
        dashboards.PlanTally(plan, list(plan.rag_scale.ordered_levels), dashboards.Tally(), [])
        for plan in shown
    ]
    counts = {entry.plan.pk: history.get(entry.plan.pk, [{} for _ in dates]) for entry in entries}
    together = None
    if len(entries) > 1:
        # Every plan added up, each plan's own trend a link away (?plan=): eight plans' charts made the page
        # 428 KB on the largest areas.
        added = rag_history.added_up(list(counts.values()))
        together = plans_trend_chart(dashboards.segments_across(entries), dates, added)
    return render(
        request,
        "reports/trends.html",
        {
            "together": together,
            "plans": [] if together else [(e, trend_chart(e, dates, counts[e.plan.pk])) for e in entries],
            "each_plan": entries if together else [],
            "frameworks": [
                (framework, framework_chart(framework, rounds))
                for framework, rounds in dashboards.framework_rounds(chosen).items()
            ],
            "plan_form": plan_form,
            "chosen_plan": chosen,
            "nav": "overview",
            "subnav": "trends",
        },
    )
