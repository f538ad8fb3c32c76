"""Frameworks as data: the list, a framework's sections and criteria, local frameworks added in the app."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspections.access import (
    can_manage_frameworks,
    can_rate,
    get_framework_for_user,
    require_view,
)
from inspections.forms import (
    CriterionForm,
    LocalFrameworkForm,
    SectionForm,
)
from inspections.models import (
    Criterion,
    Framework,
    Section,
)

# Frameworks


@login_required
@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    frameworks = Framework.objects.annotate(
        criterion_count=Count("criteria", distinct=True),
        round_count=Count("assessments", distinct=True),
    ).order_by("is_local", "-year", "name")
    return render(
        request,
        "inspections/framework_list.html",
        {
            "frameworks": frameworks,
            "can_manage": can_manage_frameworks(request.user),
            "can_rate": can_rate(request.user),
            "nav": "frameworks",
        },
    )


@login_required
@require_GET
def framework_detail(request: HttpRequest, framework: int) -> HttpResponse:
    framework_obj = get_framework_for_user(request, framework)
    return _render_framework(request, framework_obj)


def _render_framework(request, framework, section_form=None, criterion_form=None, status=200) -> HttpResponse:
    can_manage = can_manage_frameworks(request.user) and framework.is_local
    sections = list(framework.sections.order_by("order"))
    # The criteria in a query of their own, not a prefetch: a prefetch is skipped when there is no section
    # (a new local framework), so the page's count would depend on the data (issue #32).
    by_section = defaultdict(list)
    for criterion in Criterion.objects.filter(section__framework=framework):
        by_section[criterion.section_id].append(criterion)
    for section in sections:
        section.shown_criteria = by_section[section.pk]
    return render(
        request,
        "inspections/framework_detail.html",
        {
            "framework": framework,
            "sections": sections,
            "assessments": framework.assessments.select_related("agreed_by").order_by("-assessed_on"),
            "can_manage": can_manage,
            "can_rate": can_rate(request.user),
            "section_form": section_form or (SectionForm() if can_manage else None),
            "criterion_form": criterion_form or (CriterionForm(framework=framework) if can_manage else None),
            "nav": "frameworks",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_new(request: HttpRequest) -> HttpResponse:
    require_view(request)
    if not can_manage_frameworks(request.user):
        raise PermissionDenied
    form = LocalFrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        framework = form.save(commit=False)
        framework.is_local = True
        framework.source = f"Added by {request.user} in SEND Tracker."
        framework.save()
        messages.success(request, f"{framework} added. Now add its sections and criteria.")
        return redirect("inspections:framework", framework=framework.pk)
    return render(
        request,
        "inspections/framework_new.html",
        {"form": form, "nav": "frameworks"},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def framework_add_section(request: HttpRequest, framework: int) -> HttpResponse:
    framework_obj = _local_framework_for_manager(request, framework)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _render_framework(request, framework_obj, section_form=form, status=422)
    with transaction.atomic():
        order = (framework_obj.sections.aggregate(last=Max("order"))["last"] or 0) + 1
        section = Section.objects.create(framework=framework_obj, order=order, **form.cleaned_data)
    messages.success(request, f"Section {section.code} added.")
    return redirect("inspections:framework", framework=framework_obj.pk)


@login_required
@require_POST
def framework_add_criterion(request: HttpRequest, framework: int) -> HttpResponse:
    framework_obj = _local_framework_for_manager(request, framework)
    form = CriterionForm(request.POST, framework=framework_obj)
    if not form.is_valid():
        return _render_framework(request, framework_obj, criterion_form=form, status=422)
    section = form.cleaned_data["section"]
    with transaction.atomic():
        order = (section.criteria.aggregate(last=Max("order"))["last"] or 0) + 1
        criterion = Criterion.objects.create(
            section=section, code=form.cleaned_data["code"], wording=form.cleaned_data["wording"], order=order
        )
    messages.success(request, f"Criterion {criterion.code} added.")
    return redirect("inspections:framework", framework=framework_obj.pk)


def _local_framework_for_manager(request: HttpRequest, pk: int) -> Framework:
    framework = get_framework_for_user(request, pk)
    if not can_manage_frameworks(request.user) or not framework.is_local:
        # Published frameworks are loaded from data files (load_frameworks), never edited in the UI.
        raise PermissionDenied
    return framework
