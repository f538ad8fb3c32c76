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

from core.versioning import StaleVersionError, form_again, refuse_on_form, save_or_conflict
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
    template = "inspections/review_edit.html"
    if request.method != "POST":
        form = ReviewForm(instance=review_obj, initial={"version": review_obj.version})
        return _review_page(request, template, review_obj, form)
    form = ReviewForm(request.POST, instance=review_obj)
    _, refused = _save_review_form(
        request,
        form,
        lambda: review_obj.edit(version=form.cleaned_data["version"], **form.changes()),
        template=template,
        make_form=lambda data, current: ReviewForm(data, instance=current),
        # Show the review as stored, not as the refused form left it.
        shown=lambda: Review.objects.select_related("framework", "follows_up").get(pk=review_obj.pk),
    )
    if refused:
        return refused
    messages.success(request, f"{review_obj.title} saved.")
    return redirect("inspections:review", review=review_obj.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_step_new(request: HttpRequest, review: int) -> HttpResponse:
    """Record what followed a review: a revisit, re-inspection, statutory direction or improvement notice."""
    review_obj = get_review_for_user(request, review, write=True)
    step = Review(framework=review_obj.framework)
    template = "inspections/review_step_new.html"
    if request.method != "POST":
        initial = {"version": review_obj.version, "kind": Review.Kind.REVISIT, "start_date": None}
        return _review_page(request, template, review_obj, StepForm(instance=step, initial=initial))
    form = StepForm(request.POST, instance=step)
    added, refused = _save_review_form(
        request,
        form,
        lambda: review_obj.add_step(
            version=form.cleaned_data["version"], kind=form.cleaned_data["kind"], **form.changes()
        ),
        template=template,
        make_form=lambda data, _: StepForm(data, instance=step),
        shown=lambda: review_obj,
    )
    if refused:
        return refused
    messages.success(request, f"{added.get_kind_display()} added after {review_obj.title}.")
    return redirect("inspections:review", review=added.pk)


def _review_page(
    request: HttpRequest,
    template: str,
    review: Review,
    form,
    status: int = 200,
    conflict: Review | None = None,
) -> HttpResponse:
    context = {"review": review, "form": form, "conflict": conflict, "nav": "reviews"}
    return render(request, template, context, status=status)


def _save_review_form(request: HttpRequest, form, save, *, template: str, make_form, shown):
    """Run `save()` for a valid review form; return what it returned and None, or None and the page again.

    That page is the form with its errors or a broken rule (422) beside the review `shown()`, or, when
    someone else saved the review first, the form as typed beside the review as stored now (409).
    """
    if form.is_valid():

        def again(stale: StaleVersionError) -> HttpResponse:
            form_now = form_again(lambda data: make_form(data, stale.current), request, stale)
            return _review_page(
                request, template, stale.current, form_now, status=409, conflict=stale.current
            )

        try:
            return save_or_conflict(request, save, on_stale=again)
        except ValidationError as error:
            refuse_on_form(form, error)
    return None, _review_page(request, template, shown(), form, status=422)


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

    def again(stale: StaleVersionError) -> HttpResponse:
        form_now = form_again(
            lambda data: JudgementForm(data, finding_pk=finding_obj.pk), request, stale, prefix=form.prefix
        )
        return _render_judgements(
            request,
            revisit_obj,
            {finding_obj.pk: form_now},
            status=409,
            failed=finding_obj.pk,
            conflict=stale.current,
            error=str(stale),
        )

    try:
        record, conflict = save_or_conflict(
            request,
            lambda: revisit_obj.judge(
                finding=finding_obj,
                version=form.cleaned_data["version"],
                judgement=form.cleaned_data["judgement"],
                evidence=form.cleaned_data["evidence"],
            ),
            on_stale=again,
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
    if conflict:
        return conflict
    label = finding_obj.reference or "The weakness"
    messages.success(request, f"{label}: {record.get_judgement_display().lower()} recorded.")
    url = reverse("inspections:judgements", kwargs={"review": revisit_obj.pk})
    return redirect(f"{url}#finding-{finding_obj.pk}")
