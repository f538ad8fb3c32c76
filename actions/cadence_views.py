"""A plan's reporting cadence over time: plan leads change it from a date, edit and retire the changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from actions.cycle_forms import CadenceChangeForm
from actions.models import CadenceChange
from actions.plan_access import get_plan_for_planner, require_planner
from actions.plan_forms import VersionOnlyForm
from actions.plan_views import GET_POST, unsaved_form, versioned_edit
from core.versioning import StaleVersionError

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


@login_required
@require_http_methods(GET_POST)
def cadence_edit(request: HttpRequest, change: int) -> HttpResponse:
    change = _change(request, change)
    form = CadenceChangeForm(request.POST or None, instance=change)
    context = {"form": form, "plan": change.plan, "change": change, "nav": "plans"}
    response = versioned_edit(
        request,
        form,
        template=TEMPLATE,
        context=context,
        name="change",
        reload=lambda: _change(request, change.pk),
        make_form=lambda data, current: CadenceChangeForm(data, instance=current),
    )
    if response is not None:
        return response
    messages.success(request, "Change of cadence saved.")
    return redirect("plans:detail", plan=change.plan_id)


@login_required
@require_POST
def cadence_retire(request: HttpRequest, change: int) -> HttpResponse:
    """Retire a change of cadence (kept in the history, no longer used for deadlines), or bring it back."""
    change = _change(request, change)
    form = VersionOnlyForm(request.POST)
    context = {"plan": change.plan, "nav": "plans"}
    if not form.is_valid():
        context["message"] = "The form was incomplete; nothing changed."
        return render(request, "plans/problem.html", context, status=422)
    retire = request.POST.get("retired") != "0"
    try:
        change.set_retired(retire, version=form.cleaned_data["version"])
    except ValidationError as broken:
        context["message"] = broken.messages[0]
        return render(request, "plans/problem.html", context, status=422)
    except StaleVersionError:
        context["message"] = "Someone else changed this change of cadence first. Check it and try again."
        return render(request, "plans/problem.html", context, status=409)
    messages.success(request, f"Change of cadence {'retired' if retire else 'brought back'}.")
    return redirect("plans:detail", plan=change.plan_id)
