"""The whole-plan grid: every live action of one plan in one sortable table, updated in place row by row.

What a plan lead does today in Excel. The rows are the actions table's own (actions/action_rows.py), so the
htmx update of a row, its columns and its sorting are those of All actions; only the scope (one plan, live
actions, in the plan's order) and the frame (sticky header row and first column) differ.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_tables2 import RequestConfig

from actions.models import Action
from actions.plan_access import get_plan_for_planner
from actions.tables import ActionTable
from actions.views import NearestPagePaginator, prepare_rows, rows_context

# A large plan's 300 actions made 280 KB on the plan page; 100 rows keep a grid page under 120 KB.
GRID_ROWS_PER_PAGE = 100


@login_required
@require_safe
@vary_on_headers("HX-Request")
def plan_grid(request: HttpRequest, plan: int) -> HttpResponse:
    plan = get_plan_for_planner(request, plan)
    actions = (
        Action.objects.filter(plan=plan)
        .live()
        .for_rows()
        .with_attention()
        .order_by("priority__order", "priority__number", "order", "reference", "pk")
    )
    table = ActionTable(actions)
    RequestConfig(request, paginate=False).configure(table)  # sorting from ?sort=
    table.paginate(NearestPagePaginator, per_page=GRID_ROWS_PER_PAGE, page=request.GET.get("page", 1))
    prepare_rows(request, (row.record for row in table.page.object_list))
    context = {
        "plan": plan,
        "table": table,
        "results_id": "grid-results",
        "nav": "plans",
        **rows_context(request),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "plans/grid.html#results" if partial else "plans/grid.html", context)
