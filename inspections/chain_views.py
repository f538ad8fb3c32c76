"""The review chain entered in the app: edit a review, add the step that followed it, judge a revisit.

Every change goes through one model method with a version check (Review.edit, Review.add_step,
Review.judge); a stale form is refused with 409 and a conflict message, never saved over someone else's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.versioning import StaleVersionError, form_again, refuse_on_form
from inspections.access import get_review_for_user
from inspections.forms import JudgementForm, ReviewForm, StepForm
from inspections.models import (
    Finding,
    Review,
    ReviewError,
)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, review: int) -> HttpResponse:
    review_obj = get_review_for_user(request, review, write=True)
    conflict = None
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, instance=review_obj)
        if form.is_valid():
            try:
                review_obj.edit(version=form.cleaned_data["version"], **form.changes())
            except StaleVersionError as stale:
                conflict, status = stale.current, 409
                form = form_again(lambda data: ReviewForm(data, instance=conflict), request, stale)
            except ValidationError as error:
                refuse_on_form(form, error)
                status = 422
            else:
                messages.success(request, f"{review_obj.title} saved.")
                return redirect("inspections:review", review=review_obj.pk)
        else:
            status = 422
        # Show the review as stored, not as the refused form left it.
        review_obj = conflict or Review.objects.select_related("framework", "follows_up").get(
            pk=review_obj.pk
        )
    else:
        form = ReviewForm(instance=review_obj, initial={"version": review_obj.version})
    return render(
        request,
        "inspections/review_edit.html",
        {"review": review_obj, "form": form, "conflict": conflict, "nav": "reviews"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_step_new(request: HttpRequest, review: int) -> HttpResponse:
    """Record what followed a review: a revisit, re-inspection, statutory direction or improvement notice."""
    review_obj = get_review_for_user(request, review, write=True)
    template = Review(framework=review_obj.framework)
    conflict = None
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST, instance=template)
        if form.is_valid():
            data = form.changes()
            try:
                step = review_obj.add_step(
                    version=form.cleaned_data["version"], kind=form.cleaned_data["kind"], **data
                )
            except StaleVersionError as stale:
                conflict, status = stale.current, 409
                form = form_again(lambda data: StepForm(data, instance=template), request, stale)
            except ValidationError as error:
                refuse_on_form(form, error)
                status = 422
            else:
                messages.success(request, f"{step.get_kind_display()} added after {review_obj.title}.")
                return redirect("inspections:review", review=step.pk)
        else:
            status = 422
    else:
        form = StepForm(
            instance=template,
            initial={"version": review_obj.version, "kind": Review.Kind.REVISIT, "start_date": None},
        )
    return render(
        request,
        "inspections/review_step_new.html",
        {"review": conflict or review_obj, "form": form, "conflict": conflict, "nav": "reviews"},
        status=status,
    )


def _judgement_rows(revisit: Review, forms: dict[int, JudgementForm] | None = None):
    """Return [(finding, judgement, form)] for each weakness the revisit judges: two queries."""
    judgements = {j.finding_id: j for j in revisit.judgements.all()}
    rows = []
    for finding in revisit.weaknesses_to_judge():
        judgement = judgements.get(finding.pk)
        form = (forms or {}).get(finding.pk) or JudgementForm(
            finding_pk=finding.pk,
            initial={
                "version": judgement.version if judgement else 0,
                "judgement": judgement.judgement if judgement else "",
                "evidence": judgement.evidence if judgement else "",
            },
        )
        rows.append((finding, judgement, form))
    return rows


def _render_judgements(request, revisit: Review, forms=None, status=200, **extra) -> HttpResponse:
    rows = _judgement_rows(revisit, forms)
    judged = [judgement for _, judgement, _ in rows if judgement is not None]
    return render(
        request,
        "inspections/revisit_judgements.html",
        {
            "review": revisit,
            "rows": rows,
            "judged": len(judged),
            "insufficient": sum(1 for j in judged if j.judgement == "insufficient"),
            "nav": "reviews",
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def revisit_judgements(request: HttpRequest, review: int) -> HttpResponse:
    return _render_judgements(request, get_review_for_user(request, review, write=True))


@login_required
@require_POST
def judge(request: HttpRequest, review: int, finding: int) -> HttpResponse:
    revisit_obj = get_review_for_user(request, review, write=True)
    finding_obj = get_object_or_404(
        Finding, pk=finding, review_id=revisit_obj.follows_up_id, kind__in=Finding.JUDGED
    )
    form = JudgementForm(request.POST, finding_pk=finding_obj.pk)
    if not form.is_valid():
        return _render_judgements(
            request, revisit_obj, {finding_obj.pk: form}, status=422, failed=finding_obj.pk
        )
    try:
        record = revisit_obj.judge(
            finding=finding_obj,
            version=form.cleaned_data["version"],
            judgement=form.cleaned_data["judgement"],
            evidence=form.cleaned_data["evidence"],
        )
    except StaleVersionError as stale:
        form = form_again(
            lambda data: JudgementForm(data, finding_pk=finding_obj.pk), request, stale, prefix=form.prefix
        )
        return _render_judgements(
            request,
            revisit_obj,
            {finding_obj.pk: form},
            status=409,
            failed=finding_obj.pk,
            conflict=stale.current,
            error=str(stale),
        )
    except ReviewError as refused:
        return _render_judgements(
            request,
            revisit_obj,
            {finding_obj.pk: form},
            status=422,
            failed=finding_obj.pk,
            error=str(refused),
        )
    label = finding_obj.reference or "The weakness"
    messages.success(request, f"{label}: {record.get_judgement_display().lower()} recorded.")
    url = reverse("inspections:judgements", kwargs={"review": revisit_obj.pk})
    return redirect(f"{url}#finding-{finding_obj.pk}")
