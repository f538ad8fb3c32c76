"""A plan's reporting cadence over time: plan leads change it from a date, edit and retire the changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from actions.cycle_forms import CadenceChangeForm
from actions.models import CadenceChange
from actions.plan_access import get_plan_for_planner, require_planner
from actions.plan_forms import VersionOnlyForm
from actions.plan_views import GET_POST, one_button, plans_edit_page, unsaved_form

TEMPLATE = "plans/cadence_form.html"


def _change(request: HttpRequest, pk: int) -> CadenceChange:
    require_planner(request)
    return get_object_or_404(CadenceChange.objects.select_related("plan"), pk=pk)


@login_required
@require_http_methods(GET_POST)
def cadence_create(request: HttpRequest, plan: int) -> HttpResponse:
    plan = get_plan_for_planner(request, plan)
    form = CadenceChangeForm(request.POST or None, instance=CadenceChange(plan=plan))
    context = {"form": form, "plan": plan, "nav": "plans"}
    response = unsaved_form(request, form, TEMPLATE, context)
    if response is not None:
        return response
    try:
        change = CadenceChange.add(plan, **form.changes())
    except ValidationError as broken:
        form.add_error(None, broken)
        return render(request, TEMPLATE, context, status=422)
    messages.success(
        request, f"From {change.starts_on:%-d %B %Y} updates fall due every {change.cycle_days} days."
    )
    return redirect("plans:detail", plan=plan.pk)


cadence_edit = plans_edit_page(
    _change,
    lambda data, change: CadenceChangeForm(data, instance=change),
    template=TEMPLATE,
    name="change",
    context=lambda change: {"plan": change.plan},
    saved=lambda change: "Change of cadence saved.",
    done=lambda change: reverse("plans:detail", args=[change.plan_id]),
)


@login_required
@require_POST
def cadence_retire(request: HttpRequest, change: int) -> HttpResponse:
    """Retire a change of cadence (kept in the history, no longer used for deadlines), or bring it back."""
    change = _change(request, change)
    retire = request.POST.get("retired") != "0"
    refused = one_button(
        request,
        VersionOnlyForm(request.POST),
        lambda version: change.set_retired(retire, version=version),
        stale="Someone else changed this change of cadence first. Check it and try again.",
        plan=change.plan,
    )
    if refused:
        return refused
    messages.success(request, f"Change of cadence {'retired' if retire else 'brought back'}.")
    return redirect("plans:detail", plan=change.plan_id)
