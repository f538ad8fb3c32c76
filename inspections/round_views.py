"""Rating rounds of a framework's criteria and the RAG matrix of rounds over time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from core.versioning import StaleVersionError, form_again, save_or_conflict
from inspections.access import (
    can_rate,
    get_assessment_for_user,
    get_framework_for_user,
    require_view,
)
from inspections.forms import (
    NewAssessmentForm,
    RatingForm,
)
from inspections.matrix import build_matrix, round_windows
from inspections.models import (
    Assessment,
    AssessmentAgreedError,
    Criterion,
    Framework,
    Rag,
    RatingError,
    Section,
)

# The RAG matrix

# Rounds shown at a time, the latest first and earlier ones a window at a time: a year of monthly rounds fits
# the screen; three years do not (the large area's 55 criteria by 36 rounds made a page of 250 KB).
MATRIX_ROUNDS = 12


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    require_view(request)
    frameworks = list(
        # The framework rated most recently comes first; frameworks never rated last (PostgreSQL would
        # put their NULLs first).
        Framework.objects.annotate(last_round=Max("assessments__assessed_on")).order_by(
            F("last_round").desc(nulls_last=True), "-year", "name"
        )
    )
    chosen_pk = _int_or_none(request.GET.get("framework"))
    framework = next((f for f in frameworks if f.pk == chosen_pk), frameworks[0] if frameworks else None)
    if framework is None:
        return render(request, "inspections/matrix.html", {"frameworks": [], "nav": "matrix"})
    current = request.GET.get("current", "")
    if current not in (*Rag.values, "none"):
        current = ""
    window = _int_or_none(request.GET.get("rounds")) or 1
    data = build_matrix(
        framework,
        section=_int_or_none(request.GET.get("section")),
        current=current or None,
        moved_since=_int_or_none(request.GET.get("moved_since")),
        last=MATRIX_ROUNDS,
        window=window,
    )
    windows = round_windows(data.rounds, MATRIX_ROUNDS)
    window = min(max(window, 1), len(windows) or 1)
    sections = list(framework.sections.order_by("order"))
    return render(
        request,
        "inspections/matrix.html",
        {
            "frameworks": frameworks,
            "framework": framework,
            "matrix": data,
            "sections": sections,
            "current": current,
            "section_pk": _int_or_none(request.GET.get("section")),
            "moved_since": _int_or_none(request.GET.get("moved_since")),
            "rag_choices": Rag.choices,
            "can_rate": can_rate(request.user),
            "filtered": data.shown_count != data.criterion_count,
            "window": window,
            "windows": windows,
            "nav": "matrix",
        },
    )


# Rating rounds


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, framework: int) -> HttpResponse:
    framework_obj = get_framework_for_user(request, framework, write=True)
    form = NewAssessmentForm(request.POST or None, framework=framework_obj)
    if request.method == "POST" and form.is_valid():
        assessment = Assessment.open_round(framework=framework_obj, author=request.user, **form.cleaned_data)
        messages.success(request, f"Round {assessment.label} opened, pre-filled from the previous round.")
        return redirect("inspections:assessment", assessment=assessment.pk)
    previous = Assessment.objects.latest_for(framework_obj)
    return render(
        request,
        "inspections/assessment_new.html",
        {"framework": framework_obj, "form": form, "previous": previous, "nav": "frameworks"},
        status=422 if form.errors else 200,
    )


def _rating_rows(assessment: Assessment, forms: dict[int, RatingForm] | None = None, editable: bool = False):
    """Return [(section, [(criterion, rating, form)])] for the rating page: three queries."""
    ratings = {r.criterion_id: r for r in assessment.ratings.select_related("rated_by")}
    sections: dict[int, tuple[Section, list]] = {}
    criteria = (
        Criterion.objects.filter(framework_id=assessment.framework_id)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )
    for criterion in criteria:
        rating = ratings.get(criterion.pk)
        form = (forms or {}).get(criterion.pk)
        if form is None and editable:
            form = _fresh_form(criterion, rating)
        sections.setdefault(criterion.section_id, (criterion.section, []))[1].append(
            (criterion, rating, form)
        )
    return list(sections.values())


def _fresh_form(criterion: Criterion, rating) -> RatingForm:
    initial = {"version": 0}
    if rating is not None:
        initial = {
            "version": rating.version,
            "rag": rating.rag,
            "commentary": rating.commentary,
            "next_steps": rating.next_steps,
        }
    return RatingForm(initial=initial, criterion_pk=criterion.pk)


def _ratings_html(request: HttpRequest, sections: list, **page) -> SafeString:
    """Return the criteria's blocks (jinja2/inspections/_ratings.html); `page` is what they share."""
    # The token once for every form: Jinja2's `csrf_input` would mask a new one for each.
    page["csrf_input"] = csrf_input(request)
    html = render_to_string("inspections/_ratings.html", {"sections": sections, "page": page}, using="jinja2")
    return mark_safe(html)  # noqa: S308 - autoescaped by Jinja2 (core.jinja2)


def _assessment_context(request: HttpRequest, assessment: Assessment, forms=None, **refused) -> dict:
    """Return the rating page's context; `forms` keeps what was typed in a refused criterion's form, and
    `refused` (conflict, error, failed_criterion) says why."""
    editable = can_rate(request.user) and not assessment.is_agreed
    sections = _rating_rows(assessment, forms=forms, editable=editable)
    rated = sum(1 for _, rows in sections for _, rating, _ in rows if rating is not None)
    total = sum(len(rows) for _, rows in sections)
    return {
        "assessment": assessment,
        "framework": assessment.framework,
        "ratings": _ratings_html(request, sections, assessment=assessment, editable=editable, **refused),
        "editable": editable,
        "can_agree": editable and rated == total and total > 0,
        "rated": rated,
        "total": total,
        "nav": "frameworks",
    }


@login_required
@require_GET
def assessment_detail(request: HttpRequest, assessment: int) -> HttpResponse:
    assessment_obj = get_assessment_for_user(request, assessment)
    return render(request, "inspections/assessment_detail.html", _assessment_context(request, assessment_obj))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def rate(request: HttpRequest, assessment: int, criterion: int) -> HttpResponse:
    assessment_obj = get_assessment_for_user(request, assessment, write=True)
    criterion_obj = get_object_or_404(
        Criterion.objects.select_related("section"), pk=criterion, framework_id=assessment_obj.framework_id
    )
    form = RatingForm(request.POST, criterion_pk=criterion_obj.pk)
    if not form.is_valid():
        return _rating_refused(request, assessment_obj, criterion_obj, form, status=422)

    def again(stale: StaleVersionError) -> HttpResponse:
        form_now = form_again(
            lambda data: RatingForm(data, criterion_pk=criterion_obj.pk), request, stale, prefix=form.prefix
        )
        return _rating_refused(
            request,
            assessment_obj,
            criterion_obj,
            form_now,
            status=409,
            conflict=stale.current,
            error=str(stale),
        )

    try:
        rating, conflict = save_or_conflict(
            request,
            lambda: assessment_obj.rate(
                criterion=criterion_obj,
                author=request.user,
                version=form.cleaned_data["version"],
                rag=form.cleaned_data["rag"],
                commentary=form.cleaned_data["commentary"],
                next_steps=form.cleaned_data["next_steps"],
            ),
            on_stale=again,
        )
    except AssessmentAgreedError as agreed:
        messages.error(request, str(agreed))
        if request.htmx:
            return HttpResponse(str(agreed), status=409)
        return redirect("inspections:assessment", assessment=assessment_obj.pk)
    except RatingError as refused:
        return _rating_refused(request, assessment_obj, criterion_obj, form, status=422, error=str(refused))
    if conflict:
        return conflict
    message = f"{criterion_obj.code} saved: {rating.get_rag_display()}."
    if not request.htmx:
        messages.success(request, message)
        return redirect("inspections:assessment", assessment=assessment_obj.pk)
    block = _ratings_html(
        request,
        [(None, [(criterion_obj, rating, _fresh_form(criterion_obj, rating))])],
        assessment=assessment_obj,
        editable=True,
        saved=message,
    )
    response = HttpResponse(block)
    return trigger_client_event(response, "announce", {"message": message})


def _rating_refused(
    request: HttpRequest,
    assessment: Assessment,
    criterion: Criterion,
    form: RatingForm,
    *,
    status: int,
    conflict=None,
    error: str = "",
) -> HttpResponse:
    """Show the refused criterion's form again: the htmx fragment, or the whole round with it in place."""
    if request.htmx:
        rating = conflict or assessment._current_rating(criterion)
        block = _ratings_html(
            request,
            [(None, [(criterion, rating, form)])],
            assessment=assessment,
            editable=True,
            conflict=conflict,
            error=error,
        )
        return HttpResponse(block, status=status)
    # Only the refused criterion's block shows the conflict or error.
    page = _assessment_context(
        request,
        assessment,
        forms={criterion.pk: form},
        conflict=conflict,
        error=error,
        failed_criterion=criterion.pk,
    )
    return render(request, "inspections/assessment_detail.html", page, status=status)


@login_required
@require_POST
def agree(request: HttpRequest, assessment: int) -> HttpResponse:
    assessment_obj = get_assessment_for_user(request, assessment, write=True)
    try:
        assessment_obj.agree(author=request.user)
    except RatingError as refused:
        # Already agreed, or criteria left unrated (the message lists them).
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Round {assessment_obj.label} agreed: it is now read-only.")
    return redirect(reverse("inspections:assessment", kwargs={"assessment": assessment_obj.pk}))
