"""Reviews and findings recorded in the app: a new review in its framework's terms, and a review's findings
added one by one or pasted many at once, edited, reordered and retired (never deleted); finding search.

Every change goes through one model method (Review.record, Review.add_findings, Finding.edit, Finding.move,
Finding.retire); edits carry the version they were loaded at and a stale one is refused with 409.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.versioning import (
    StaleVersionError,
    VersionField,
    edit_through_model,
    edit_view,
    refuse_on_form,
    save_or_conflict,
)
from inspections.access import (
    can_record_findings,
    get_finding_for_recorder,
    get_review_for_user,
    require_recorder,
    require_view,
)
from inspections.forms import (
    FindingForm,
    FindingSearchForm,
    PasteFindingsForm,
    ReviewNewForm,
    ReviewStartForm,
)
from inspections.models import Finding, Review, ReviewError

GET_POST = ["GET", "HEAD", "POST"]
# Search results shown at most: a reference finds one or two, a common word hundreds.
SEARCH_LIMIT = 50


@login_required
@require_http_methods(GET_POST)
def review_new(request: HttpRequest) -> HttpResponse:
    """Record a review: first its kind and framework (GET), then its details in that framework's terms."""
    require_recorder(request)
    start = ReviewStartForm(request.GET or None)
    if not start.is_bound or not start.is_valid():
        context = {"start": start, "nav": "reviews"}
        refused = start.is_bound or request.method == "POST"
        return render(request, "inspections/review_new.html", context, status=422 if refused else 200)
    kind, framework = start.cleaned_data["kind"], start.cleaned_data["framework"]
    form = ReviewNewForm(request.POST or None, instance=Review(kind=kind, framework=framework))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form._meta.fields}
            try:
                review = Review.record(kind=kind, framework=framework, **fields)
            except ValidationError as error:
                refuse_on_form(form, error)
            else:
                messages.success(request, f"{review.title} recorded. Now add its findings.")
                return redirect("inspections:review-findings", review=review.pk)
    context = {
        "start": start,
        "form": form,
        "kind_label": Review.Kind(kind).label,
        "framework": framework,
        "nav": "reviews",
    }
    return render(request, "inspections/review_new.html", context, status=status)


def _render_findings(request: HttpRequest, review: Review, status: int = 200, **extra) -> HttpResponse:
    """Render the review's findings to manage: two queries (the review, its current findings)."""
    findings = list(review.findings.current().order_by("order", "pk"))
    return render(
        request,
        "inspections/review_findings.html",
        {
            "review": review,
            "findings": findings,
            "retired": review.findings.filter(retired_at__isnull=False).count(),
            "nav": "reviews",
            **extra,
        },
        status=status,
    )


@login_required
@require_GET
def review_findings(request: HttpRequest, review: int) -> HttpResponse:
    require_recorder(request)
    return _render_findings(request, get_review_for_user(request, review))


def _findings_url(finding_or_review: Finding | Review) -> str:
    review_pk = (
        finding_or_review.review_id if isinstance(finding_or_review, Finding) else finding_or_review.pk
    )
    return reverse("inspections:review-findings", kwargs={"review": review_pk})


@login_required
@require_http_methods(GET_POST)
def finding_new(request: HttpRequest, review: int) -> HttpResponse:
    form = FindingForm(request.POST or None)
    return _add_findings(request, review, form, lambda: [form.changes()], "inspections/finding_form.html")


@login_required
@require_http_methods(GET_POST)
def findings_paste(request: HttpRequest, review: int) -> HttpResponse:
    form = PasteFindingsForm(request.POST or None)
    return _add_findings(request, review, form, form.rows, "inspections/findings_paste.html")


def _add_findings(request: HttpRequest, review: int, form, rows, template: str) -> HttpResponse:
    """Show the form (GET) or add the findings `rows()` of the valid form; a refused one adds none (422)."""
    require_recorder(request)
    review_obj = get_review_for_user(request, review)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                added = review_obj.add_findings(rows())
            except ValidationError as error:
                refuse_on_form(form, error)
            else:
                messages.success(request, f"{len(added)} finding{'s' if len(added) != 1 else ''} added.")
                return redirect(_findings_url(review_obj))
    return render(request, template, {"review": review_obj, "form": form, "nav": "reviews"}, status=status)


finding_edit = edit_view(
    get_finding_for_recorder,
    lambda data, finding: FindingForm(data, instance=finding),
    template="inspections/finding_form.html",
    name="finding",
    nav="reviews",
    context=lambda finding: {"review": finding.review},
    save=edit_through_model,
    saved=lambda finding: f"{finding.reference or finding.get_kind_display()} saved.",
    done=_findings_url,
)


def _posted_version(request: HttpRequest) -> int | None:
    field = VersionField()
    try:
        return field.clean(request.POST.get("version"))
    except ValidationError:
        return None


def _findings_conflict(request: HttpRequest, finding: Finding, stale: StaleVersionError) -> HttpResponse:
    """Show the review's findings as they are now, with what changed since (409)."""
    return _render_findings(request, finding.review, 409, error=str(stale), conflict=stale)


@login_required
@require_POST
def finding_move(request: HttpRequest, finding: int) -> HttpResponse:
    finding_obj = get_finding_for_recorder(request, finding)
    version = _posted_version(request)
    direction = request.POST.get("direction")
    if version is None or direction not in ("up", "down"):
        return _render_findings(
            request, finding_obj.review, 422, error="Choose a finding to move up or down."
        )
    moved, conflict = save_or_conflict(
        request,
        lambda: finding_obj.move(version=version, up=direction == "up"),
        on_stale=lambda stale: _findings_conflict(request, finding_obj, stale),
    )
    if conflict:
        return conflict
    label = finding_obj.reference or "The finding"
    if moved:
        messages.success(request, f"{label} moved {direction}.")
    return redirect(f"{_findings_url(finding_obj)}#finding-{finding_obj.pk}")


@login_required
@require_POST
def finding_retire(request: HttpRequest, finding: int) -> HttpResponse:
    finding_obj = get_finding_for_recorder(request, finding)
    version = _posted_version(request)
    if version is None:
        return _render_findings(request, finding_obj.review, 422, error="Choose a finding to retire.")
    try:
        _, conflict = save_or_conflict(
            request,
            lambda: finding_obj.retire(version=version),
            on_stale=lambda stale: _findings_conflict(request, finding_obj, stale),
        )
    except ReviewError as refused:
        return _render_findings(request, finding_obj.review, 422, error=str(refused))
    if conflict:
        return conflict
    messages.success(
        request, f"{finding_obj.reference or 'The finding'} retired: it is kept, no longer shown."
    )
    return redirect(_findings_url(finding_obj))


@login_required
@require_GET
def finding_search(request: HttpRequest) -> HttpResponse:
    require_view(request)
    form = FindingSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(Finding.objects.current().matching(query).select_related("review")[: SEARCH_LIMIT + 1])
    return render(
        request,
        "inspections/finding_search.html",
        {
            "form": form,
            "query": query,
            "results": results[:SEARCH_LIMIT],
            "more": len(results) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
            "can_record": can_record_findings(request.user),
            "nav": "reviews",
        },
        status=422 if form.errors else 200,
    )
