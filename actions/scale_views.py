"""RAG scales in the app: define scales and levels, retire levels, move a live plan to another scale."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Action, Organisation, RagLevel, RagScale
from actions.plan_access import get_plan_for_planner, require_planner
from actions.plan_forms import VersionOnlyForm
from actions.plan_views import one_button, plans_edit_page
from actions.scale_forms import (
    LevelForm,
    OrganisationForm,
    ScaleChoiceForm,
    ScaleForm,
    ScaleMoveForm,
    SuccessionForm,
)
from core.versioning import form_again, save_or_conflict, unsaved_form

GET_POST = ["GET", "HEAD", "POST"]


def _scale(request: HttpRequest, pk: int) -> RagScale:
    require_planner(request)
    return get_object_or_404(RagScale, pk=pk)


def _level(request: HttpRequest, pk: int) -> RagLevel:
    require_planner(request)
    return get_object_or_404(RagLevel.objects.select_related("scale"), pk=pk)


@login_required
@require_safe
def scale_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    scales = (
        RagScale.objects.annotate(plan_count=Count("plans"))
        .prefetch_related(Prefetch("levels", queryset=RagLevel.objects.order_by("order")))
        .order_by("name")
    )
    return render(request, "plans/scales/list.html", {"scales": scales, "nav": "plans"})


@login_required
@require_http_methods(GET_POST)
def scale_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    form = ScaleForm(request.POST or None)
    response = unsaved_form(request, form, "plans/scales/scale_form.html", {"form": form, "nav": "plans"})
    if response is not None:
        return response
    scale = form.save()
    messages.success(request, f"Scale “{scale.name}” created. Add its levels.")
    return redirect("plans:scale-detail", scale=scale.pk)


@login_required
@require_safe
def scale_detail(request: HttpRequest, scale: int) -> HttpResponse:
    scale = _scale(request, scale)
    rated = Action.objects.filter(rag__scale=scale).values("rag").annotate(n=Count("pk"))
    counts = {row["rag"]: row["n"] for row in rated}
    levels = list(scale.levels.order_by("order"))
    for level in levels:
        level.action_count = counts.get(level.pk, 0)
    return render(
        request,
        "plans/scales/detail.html",
        {"scale": scale, "levels": levels, "plans": scale.plans.order_by("title"), "nav": "plans"},
    )


@login_required
@require_http_methods(GET_POST)
def level_create(request: HttpRequest, scale: int) -> HttpResponse:
    scale = _scale(request, scale)
    form = LevelForm(request.POST or None, scale=scale, initial={"order": scale.levels.count()})
    context = {"form": form, "scale": scale, "nav": "plans"}
    response = unsaved_form(request, form, "plans/scales/level_form.html", context)
    if response is not None:
        return response
    level = form.save(commit=False)
    level.scale = scale
    level.save()
    messages.success(request, f"Level “{level.label}” added.")
    return redirect("plans:scale-detail", scale=scale.pk)


level_edit = plans_edit_page(
    _level,
    lambda data, level: LevelForm(data, instance=level, scale=level.scale),
    template="plans/scales/level_form.html",
    name="level",
    context=lambda level: {"scale": level.scale},
    saved=lambda level: f"Level “{level.label}” saved.",
    done=lambda level: reverse("plans:scale-detail", args=[level.scale_id]),
)


@login_required
@require_POST
def level_retire(request: HttpRequest, level: int) -> HttpResponse:
    """Retire a level (actions rated with it keep it; it cannot be chosen again), or bring it back."""
    level = _level(request, level)
    retire = request.POST.get("retired") != "0"

    def set_retired(version: int) -> None:
        level.retired_at = timezone.now() if retire else None
        level.save_edit(version=version, fields=["retired_at"])

    refused = one_button(
        request,
        VersionOnlyForm(request.POST),
        set_retired,
        back_to=reverse("plans:scale-detail", args=[level.scale_id]),
        scale=level.scale,
    )
    if refused:
        return refused
    messages.success(request, f"Level “{level.label}” {'retired' if retire else 'brought back'}.")
    return redirect("plans:scale-detail", scale=level.scale_id)


@login_required
@require_http_methods(GET_POST)
def plan_scale(request: HttpRequest, plan: int) -> HttpResponse:
    """Move a plan to another scale: choose the scale (GET), then map each level in use and confirm (POST)."""
    plan = get_plan_for_planner(request, plan)
    in_use = plan.levels_in_use()
    chooser = ScaleChoiceForm(request.GET or None)
    chooser.fields["scale"].queryset = RagScale.objects.exclude(pk=plan.rag_scale_id).order_by("name")
    context = {"plan": plan, "in_use": in_use, "chooser": chooser, "nav": "plans"}
    if request.method == "POST":
        scale = RagScale.objects.filter(pk=request.POST.get("scale")).exclude(pk=plan.rag_scale_id).first()
        if scale is None:
            return render(request, "plans/scales/plan_scale.html", context, status=422)
        form = ScaleMoveForm(request.POST, in_use=in_use, scale=scale)
        context.update(form=form, scale=scale)
        if not form.is_valid():
            return render(request, "plans/scales/plan_scale.html", context, status=422)
        try:
            moved, conflict = save_or_conflict(
                request,
                lambda: plan.move_to_scale(
                    scale, form.mapping(), author=request.user, version=form.cleaned_data["version"]
                ),
                template="plans/scales/plan_scale.html",
                context=context,
                again=lambda stale: {
                    "form": form_again(
                        lambda data: ScaleMoveForm(data, in_use=in_use, scale=scale), request, stale
                    )
                },
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
            return render(request, "plans/scales/plan_scale.html", context, status=422)
        if conflict:
            return conflict
        messages.success(request, f"The plan now uses {scale}; {moved} rated actions were moved and logged.")
        return redirect("plans:detail", plan=plan.pk)
    if chooser.is_valid():
        scale = chooser.cleaned_data["scale"]
        context.update(
            scale=scale,
            form=ScaleMoveForm(
                in_use=in_use, scale=scale, initial={"version": plan.version, "scale": scale.pk}
            ),
        )
    return render(request, "plans/scales/plan_scale.html", context)


# Organisations: rename or record a successor (e.g. a CCG replaced by an ICB) without losing who led what.


@login_required
@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    organisations = (
        Organisation.objects.select_related("succeeded_by")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
    return render(request, "plans/organisations.html", {"organisations": organisations, "nav": "plans"})


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    require_planner(request)
    return get_object_or_404(Organisation, pk=pk)


organisation_edit = plans_edit_page(
    _organisation,
    lambda data, organisation: OrganisationForm(data, instance=organisation),
    template="plans/organisation_form.html",
    name="organisation",
    context=lambda organisation: {
        "succession": SuccessionForm(organisation=organisation, initial={"version": organisation.version})
    },
    saved=lambda organisation: f"{organisation.name} saved.",
    done=lambda organisation: reverse("plans:organisations"),
)


@login_required
@require_POST
def organisation_succeed(request: HttpRequest, organisation: int) -> HttpResponse:
    organisation = _organisation(request, organisation)
    succession = SuccessionForm(request.POST, organisation=organisation)
    context = {
        "form": OrganisationForm(instance=organisation),
        "succession": succession,
        "organisation": organisation,
        "nav": "plans",
    }
    if not succession.is_valid():
        return render(request, "plans/organisation_form.html", context, status=422)
    data = succession.cleaned_data
    try:
        moved, conflict = save_or_conflict(
            request,
            lambda: organisation.succeed(
                data["successor"], on=data["on"], version=data["version"], move_people=data["move_people"]
            ),
            template="plans/organisation_form.html",
            context=context,
        )
    except ValidationError as refused:
        succession.add_error("successor", refused.messages[0])
        return render(request, "plans/organisation_form.html", context, status=422)
    if conflict:
        return conflict
    messages.success(request, f"{organisation} is now replaced by {data['successor']}; {moved} people moved.")
    return redirect("plans:organisations")
