"""Reviews and inspections, their findings and the coverage of findings by plans' priorities."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from inspections import coverage
from inspections.access import (
    can_link_priorities,
    can_record_findings,
    can_record_reviews,
    get_finding_for_user,
    get_review_for_user,
    require_view,
)
from inspections.forms import (
    CoverageFilterForm,
    FindingSearchForm,
    LinkPriorityForm,
)
from inspections.models import (
    Finding,
    Review,
)
from inspections.templatetags.coverage_tags import coverage_rows_html, findings_html

# A review page lists this many of each priority's actions under each finding (the large area's inspection
# has 20 findings answered by 2,000 actions, 411 KB listed in full): the finding's page lists them all.
ACTIONS_SHOWN = 3

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
            finding_count=Count("findings", filter=Q(findings__retired_at__isnull=True), distinct=True),
            judged=Count("judgements", distinct=True),
            insufficient=Count("judgements", filter=Q(judgements__judgement="insufficient"), distinct=True),
        )
        .order_by("start_date", "pk")
    )
    return render(
        request,
        "inspections/review_list.html",
        {
            "chains": _chains(reviews),
            "search": FindingSearchForm(),
            "can_record": can_record_findings(request.user),
            "nav": "reviews",
        },
    )


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
        coverage.with_addressing(
            review_obj.findings.current().order_by("order", "pk"), today, actions_shown=ACTIONS_SHOWN
        ),
        today,
    )
    coverage.fold_actions(findings, ACTIONS_SHOWN)
    judgements = list(review_obj.judgements.select_related("finding").order_by("order", "pk"))
    follow_ups = list(review_obj.follow_ups.order_by("start_date", "pk"))
    plans = coverage.answering_plans(review_obj)
    return render(
        request,
        "inspections/review_detail.html",
        {
            "review": review_obj,
            "findings": findings_html(group_findings(findings), today),
            "finding_count": len(findings),
            "summary": coverage.summary(findings),
            "judgements": judgements,
            "insufficient": sum(1 for j in judgements if j.judgement == "insufficient"),
            "follow_ups": follow_ups,
            "plans": plans,
            "can_record": can_record_reviews(request.user),
            "can_record_findings": can_record_findings(request.user),
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
        Review.objects.filter(findings__kind__in=Finding.NEEDS_ACTION, findings__retired_at__isnull=True)
        .distinct()
        .order_by("-start_date")
    )
    plans = list(coverage.plan_model().objects.order_by("title").only("pk", "title", "status"))
    statuses = [(state, coverage.STATES[state][0]) for state in coverage.SEVERITY]
    form = CoverageFilterForm(request.GET or None, reviews=reviews, plans=plans, statuses=statuses)
    review, plan, status = form.chosen("review"), form.chosen("plan"), form.chosen("status")
    findings = Finding.objects.current().filter(kind__in=Finding.NEEDS_ACTION)
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
            "rows": coverage_rows_html(shown, today),
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
