from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from core.versioning import StaleVersionError
from inspections import coverage
from inspections.access import (
    can_link_priorities,
    can_manage_frameworks,
    can_rate,
    can_record_reviews,
    get_assessment_for_user,
    get_finding_for_user,
    get_framework_for_user,
    get_review_for_user,
    require_view,
)
from inspections.forms import (
    CoverageFilterForm,
    CriterionForm,
    LinkPriorityForm,
    LocalFrameworkForm,
    NewAssessmentForm,
    RatingForm,
    SectionForm,
)
from inspections.matrix import build_matrix
from inspections.models import (
    Assessment,
    AssessmentAgreedError,
    Criterion,
    Finding,
    Framework,
    Rag,
    RatingError,
    Review,
    Section,
)

# Reviews


def _chains(reviews: list[Review]) -> list[list[tuple[int, Review]]]:
    """Return the reviews as chains, each a depth-first list of (depth, review) from its first step."""
    children: dict[int | None, list[Review]] = defaultdict(list)
    known = {review.pk for review in reviews}
    for review in reviews:
        parent = review.follows_up_id if review.follows_up_id in known else None
        children[parent].append(review)
    chains = []
    for root in children[None]:
        chain: list[tuple[int, Review]] = []
        stack = [(0, root)]
        while stack:
            depth, review = stack.pop()
            chain.append((depth, review))
            stack.extend((depth + 1, child) for child in reversed(children[review.pk]))
        chains.append(chain)
    return chains


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    reviews = list(
        Review.objects.select_related("framework", "follows_up")
        .annotate(
            finding_count=Count("findings", distinct=True),
            judged=Count("judgements", distinct=True),
            insufficient=Count("judgements", filter=Q(judgements__judgement="insufficient"), distinct=True),
        )
        .order_by("start_date", "pk")
    )
    return render(request, "inspections/review_list.html", {"chains": _chains(reviews), "nav": "reviews"})


def group_findings(findings: list[Finding]) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """Group findings by kind, then theme, each group in the order the report first gives it."""
    by_kind: dict[str, dict[str, list[Finding]]] = {}
    for finding in findings:
        by_kind.setdefault(finding.get_kind_display(), {}).setdefault(finding.theme, []).append(finding)
    return [(kind, list(themes.items())) for kind, themes in by_kind.items()]


@login_required
@require_GET
def review_detail(request: HttpRequest, review: int) -> HttpResponse:
    review_obj = get_review_for_user(request, review)
    today = timezone.localdate()
    findings = coverage.assess(
        coverage.with_addressing(review_obj.findings.order_by("order", "pk"), today), today
    )
    judgements = list(review_obj.judgements.select_related("finding").order_by("order", "pk"))
    follow_ups = list(review_obj.follow_ups.order_by("start_date", "pk"))
    plans = coverage.answering_plans(review_obj)
    return render(
        request,
        "inspections/review_detail.html",
        {
            "review": review_obj,
            "groups": group_findings(findings),
            "finding_count": len(findings),
            "summary": coverage.summary(findings),
            "judgements": judgements,
            "insufficient": sum(1 for j in judgements if j.judgement == "insufficient"),
            "follow_ups": follow_ups,
            "plans": plans,
            "can_record": can_record_reviews(request.user),
            "nav": "reviews",
        },
    )


# Findings and coverage


def _linkable_priorities(finding: Finding):
    return (
        coverage.priority_model()
        .objects.exclude(findings=finding)
        .exclude(plan__status="closed")
        .select_related("plan")
        .order_by("plan__title", "order", "number")
    )


@login_required
@require_GET
def finding_detail(request: HttpRequest, finding: int) -> HttpResponse:
    finding_obj = get_finding_for_user(request, finding)
    return _render_finding(request, finding_obj)


def _render_finding(
    request: HttpRequest, finding: Finding, form: LinkPriorityForm | None = None, status: int = 200
) -> HttpResponse:
    [finding] = coverage.assess(
        coverage.with_addressing(Finding.objects.filter(pk=finding.pk).select_related("review"))
    )
    can_link = can_link_priorities(request.user)
    if can_link and form is None:
        form = LinkPriorityForm(queryset=_linkable_priorities(finding))
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "review": finding.review,
            "form": form if can_link else None,
            "can_link": can_link,
            "judgements": finding.revisit_judgements.select_related("revisit"),
            "nav": "reviews",
        },
        status=status,
    )


@login_required
@require_POST
def finding_priorities(request: HttpRequest, finding: int) -> HttpResponse:
    """Link a priority to the finding ("add") or unlink one ("remove"), from the priority's side."""
    finding_obj = get_finding_for_user(request, finding, write=True)
    if request.POST.get("remove"):
        priority = get_object_or_404(
            coverage.priority_model(), pk=request.POST.get("remove"), findings=finding_obj
        )
        # Through the priority, so its history records the change.
        priority.findings.remove(finding_obj)
        messages.success(request, f"Priority {priority.number} no longer addresses this finding.")
        return redirect("inspections:finding", finding=finding_obj.pk)
    form = LinkPriorityForm(request.POST, queryset=_linkable_priorities(finding_obj))
    if not form.is_valid():
        return _render_finding(request, finding_obj, form, status=422)
    priority = form.cleaned_data["priority"]
    priority.findings.add(finding_obj)
    messages.success(request, f"Priority {priority.number}. {priority.title} now addresses this finding.")
    return redirect("inspections:finding", finding=finding_obj.pk)


def _coverage_links(request: HttpRequest, summary: coverage.Summary) -> list[tuple[str, str, int, str]]:
    """Return (state, label, count, query string) for each status link, keeping the other filters."""
    links = []
    for state in coverage.SEVERITY:
        query = request.GET.copy()
        query["status"] = state
        links.append((state, coverage.STATES[state][0], summary.counts[state], query.urlencode()))
    return links


@login_required
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    require_view(request)
    today = timezone.localdate()
    reviews = list(
        Review.objects.filter(findings__kind__in=Finding.NEEDS_ACTION).distinct().order_by("-start_date")
    )
    plans = list(coverage.plan_model().objects.order_by("title").only("pk", "title", "status"))
    statuses = [(state, coverage.STATES[state][0]) for state in coverage.SEVERITY]
    form = CoverageFilterForm(request.GET or None, reviews=reviews, plans=plans, statuses=statuses)
    review, plan, status = form.chosen("review"), form.chosen("plan"), form.chosen("status")
    findings = Finding.objects.filter(kind__in=Finding.NEEDS_ACTION)
    if review is not None:
        findings = findings.filter(review=review)
    if plan is not None:
        findings = findings.filter(pk__in=Finding.objects.filter(priorities__plan=plan).values("pk"))
    findings = coverage.assess(
        coverage.with_addressing(
            findings.select_related("review").order_by("-review__start_date", "review", "order", "pk"),
            today,
            actions=False,
        ),
        today,
    )
    summary = coverage.summary(findings)
    shown = [f for f in findings if f.addressing.state == status] if status else findings
    all_weaknesses = bool(findings) and all(f.kind == Finding.Kind.SIGNIFICANT_WEAKNESS for f in findings)
    return render(
        request,
        "inspections/coverage.html",
        {
            "findings": shown,
            "summary": summary,
            "noun": "weaknesses" if all_weaknesses else "findings",
            "form": form,
            "chosen_review": review,
            "chosen_plan": plan,
            "status": status,
            "status_label": coverage.STATES[status][0] if status else "",
            "links": _coverage_links(request, summary),
            "all_link": _without(request, "status"),
            "nav": "coverage",
        },
    )


def _without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


# The RAG matrix

# Rounds shown unless all are asked for: a year of monthly rounds fits the screen; three years do not.
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
    all_rounds = request.GET.get("rounds") == "all"
    data = build_matrix(
        framework,
        section=_int_or_none(request.GET.get("section")),
        current=current or None,
        moved_since=_int_or_none(request.GET.get("moved_since")),
        last=None if all_rounds else MATRIX_ROUNDS,
    )
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
            "all_rounds": all_rounds,
            "matrix_rounds": MATRIX_ROUNDS,
            "nav": "matrix",
        },
    )


# Frameworks and rating rounds


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
    sections = framework.sections.prefetch_related("criteria").order_by("order")
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


def _assessment_context(request: HttpRequest, assessment: Assessment, forms=None) -> dict:
    """Return the rating page's context; `forms` keeps what was typed in a refused criterion's form."""
    editable = can_rate(request.user) and not assessment.is_agreed
    sections = _rating_rows(assessment, forms=forms, editable=editable)
    rated = sum(1 for _, rows in sections for _, rating, _ in rows if rating is not None)
    total = sum(len(rows) for _, rows in sections)
    return {
        "assessment": assessment,
        "framework": assessment.framework,
        "sections": sections,
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
    conflict = None
    status = 422
    error = ""
    if form.is_valid():
        try:
            rating = assessment_obj.rate(
                criterion=criterion_obj,
                author=request.user,
                version=form.cleaned_data["version"],
                rag=form.cleaned_data["rag"],
                commentary=form.cleaned_data["commentary"],
                next_steps=form.cleaned_data["next_steps"],
            )
        except StaleVersionError as stale:
            conflict, status = stale.current, 409
            # Keep what the user typed, against the current version: saving again is a deliberate choice.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(stale.current.version if stale.current else 0)
            form = RatingForm(data, criterion_pk=criterion_obj.pk)
            form.is_valid()
            error = str(stale)
        except AssessmentAgreedError as agreed:
            messages.error(request, str(agreed))
            if request.htmx:
                return HttpResponse(str(agreed), status=409)
            return redirect("inspections:assessment", assessment=assessment_obj.pk)
        except RatingError as refused:
            error = str(refused)
        else:
            message = f"{criterion_obj.code} saved: {rating.get_rag_display()}."
            if not request.htmx:
                messages.success(request, message)
                return redirect("inspections:assessment", assessment=assessment_obj.pk)
            response = render(
                request,
                "inspections/_rating_form.html",
                {
                    "assessment": assessment_obj,
                    "criterion": criterion_obj,
                    "rating": rating,
                    "form": _fresh_form(criterion_obj, rating),
                    "editable": True,
                    "saved": message,
                },
            )
            return trigger_client_event(response, "announce", {"message": message})
    context = {
        "assessment": assessment_obj,
        "criterion": criterion_obj,
        "rating": conflict or assessment_obj._current_rating(criterion_obj),
        "form": form,
        "editable": True,
        "conflict": conflict,
        "error": error,
    }
    if request.htmx:
        return render(request, "inspections/_rating_form.html", context, status=status)
    page = _assessment_context(request, assessment_obj, forms={criterion_obj.pk: form})
    # Only the refused criterion's block shows the conflict or error.
    page.update(conflict=conflict, error=error, failed_criterion=criterion_obj.pk)
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
