from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event
from django_tables2 import RequestConfig

from actions import cycle
from actions.access import can_update, get_action_for_user, mark_editable, require_view, update_refusal
from actions.filters import ActionFilter
from actions.forms import ActionUpdateForm, CriterionMetForm
from actions.models import Action, RagLevel, SuccessCriterion, UpdateRefusedError
from actions.tables import COLUMN_COUNT, ActionTable
from core.jinja2 import url_for_pk
from core.versioning import StaleVersionError, posted_again, save_or_conflict

PAGE_SIZES = (10, 25, 50, 100)
MY_ACTIONS_PER_PAGE = 50
# Where an update form is shown; each has its own fragment for htmx swaps.
CONTEXTS = ("row", "detail", "page")


def prepare_rows(request: HttpRequest, actions) -> None:
    """Set what each row shows beyond its fields: whether the user may update it, and its links."""
    actions = list(actions)
    mark_editable(request.user, actions)
    detail, update = url_for_pk("actions:detail"), url_for_pk("actions:update")
    for action in actions:
        action.detail_url = detail(action.pk)
        action.update_url = update(action.pk)


def rows_context(request: HttpRequest) -> dict:
    """Return what every row of a page shares: the column count and where Update links come back to."""
    return_to = _return_to(request)
    return {"column_count": COLUMN_COUNT, "return_to": return_to, "next_query": urlencode(return_to)}


def _return_to(request: HttpRequest) -> str:
    """Return the path of the page the user is on, also when a fragment is fetched by htmx."""
    if request.htmx and request.htmx.current_url_abs_path:
        return request.htmx.current_url_abs_path
    return request.get_full_path()


@login_required
@require_safe
def my_actions(request: HttpRequest) -> HttpResponse:
    require_view(request)
    deadlines = cycle.deadlines_by_plan()
    actions = list(
        Action.objects.led_by(request.user)
        .for_rows()
        .with_attention(deadlines=deadlines)
        .order_by("attention", "due_date", "reference")
    )
    # The counts and the next deadline are over every action led; the rows come 50 a page, most urgent
    # first: an officer leading 400 actions had a page of 420 KB. Paged here, from the one query's rows.
    page = Paginator(actions, MY_ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    prepare_rows(request, page.object_list)
    counts = {
        "overdue": sum(1 for a in actions if a.attention == 0),
        "stale": sum(1 for a in actions if a.attention == 1),
        "total": len(actions),
    }
    # The next update deadline of the plans with an open action of the user's, and the meeting it serves.
    # (The rows are live actions with only their shown fields loaded, so open is their status alone.)
    upcoming = [
        deadlines[a.plan_id]
        for a in actions
        if a.status not in Action.CLOSED_STATUSES and a.plan_id in deadlines
    ]
    return render(
        request,
        "actions/mine.html",
        {
            "actions": page.object_list,
            "page": page,
            "counts": counts,
            "next_deadline": min(upcoming, key=lambda d: (d.next, d.meeting or d.next), default=None),
            # The RAG key: the levels the rows show, read with the rows (no query of their own).
            "rag_key": sorted(
                {a.rag for a in page.object_list if a.rag}, key=lambda level: (level.scale_id, level.order)
            ),
            "nav": "mine",
            **rows_context(request),
        },
    )


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", 25))
    except ValueError:
        return 25
    return size if size in PAGE_SIZES else 25


class NearestPagePaginator(Paginator):
    """Show the nearest real page for a page number that is out of range or not a number."""

    def page(self, number):
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return super().page(number)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def action_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    queryset = Action.objects.for_rows().with_attention()
    action_filter = ActionFilter(request.GET, queryset=queryset, request=request)
    table = ActionTable(action_filter.qs if action_filter.is_valid() else queryset.none())
    RequestConfig(request, paginate=False).configure(table)  # sorting from ?sort=
    table.paginate(NearestPagePaginator, per_page=_page_size(request), page=request.GET.get("page", 1))
    prepare_rows(request, (row.record for row in table.page.object_list))
    context = {
        "filter": action_filter,
        "table": table,
        "nav": "actions",
        "page_sizes": PAGE_SIZES,
        "per_page": _page_size(request),
        **rows_context(request),
    }
    template = (
        "actions/list.html#results" if request.htmx and not request.htmx.history_restore_request else None
    )
    return render(request, template or "actions/list.html", context)


@login_required
@require_safe
def action_detail(request: HttpRequest, action: int) -> HttpResponse:
    action = get_action_for_user(request, action)
    action.can_edit = can_update(request.user, action)
    context = _detail_context(action, update_refusal=update_refusal(request.user, action))
    return render(request, "actions/detail.html", context)


def _detail_context(action: Action, form: ActionUpdateForm | None = None, **extra) -> dict:
    priority = action.priority
    form = form or (ActionUpdateForm(action=action) if action.can_edit else None)
    # The RAG key: the update form's levels, or the same query without a form (as many queries either way).
    scale = action.plan.rag_scale_id
    levels = form.fields["rag"].levels.values() if form else RagLevel.objects.filter(scale=scale)
    return {
        "action": action,
        "rag_key": list(levels),
        "updates": action.updates.select_related("author", "rag_before", "rag_after", "on_behalf_of"),
        "findings": priority.findings.select_related("review"),
        "criteria": priority.criteria.select_related("section"),
        "success_criteria": action.success_criteria.all(),
        "form": form,
        "nav": "actions",
        **extra,
    }


@login_required
@require_safe
def action_row(request: HttpRequest, action: int) -> HttpResponse:
    """Return one table row; the Cancel link of an in-row update form swaps it back in."""
    action = get_action_for_user(request, action, queryset=Action.objects.for_table().with_attention())
    return render(request, "actions/_action_row.html", _row_context(request, action))


def _row_context(request: HttpRequest, action: Action, **extra) -> dict:
    prepare_rows(request, [action])
    return {"action": action, **rows_context(request), **extra}


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_update(request: HttpRequest, action: int) -> HttpResponse:
    action = get_action_for_user(request, action, write=True)
    action.can_edit = True
    where = request.POST.get("context") or request.GET.get("context") or "page"
    if where not in CONTEXTS or not request.htmx:
        where = "page"
    if request.method != "POST":  # GET or HEAD
        return _render_update(request, action, ActionUpdateForm(action=action), where)

    form = ActionUpdateForm(request.POST, action=action)
    if not form.is_valid():
        return _render_update(request, action, form, where, status=422)

    def again(stale: StaleVersionError) -> HttpResponse:
        current = get_action_for_user(request, action.pk, write=True)
        current.can_edit = True
        form = ActionUpdateForm(posted_again(request.POST, current.version), action=current)
        return _render_update(request, current, form, where, status=409, conflict=stale)

    try:
        update, conflict = save_or_conflict(
            request,
            lambda: action.record_update(
                author=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                rag=form.cleaned_data["rag"],
                narrative=form.cleaned_data["narrative"].strip(),
                evidence=form.cleaned_data["evidence"].strip(),
                rag_reason=form.cleaned_data["rag_reason"].strip(),
                recovery_plan=form.cleaned_data["recovery_plan"].strip(),
            ),
            on_stale=again,
        )
    except UpdateRefusedError as refused:  # the plan was closed after this request loaded it
        raise PermissionDenied(str(refused)) from refused
    if conflict:
        return conflict

    message = _saved_message(action, update)
    if not request.htmx:
        messages.success(request, message)
        return redirect(_safe_next(request, reverse("actions:detail", args=[action.pk])))
    if where == "row":
        # The row's tags as with_attention() would give them now, without reading the action again:
        # just updated, it is not due an update, so it needs attention only if it is overdue.
        action.attention = 0 if action.is_overdue() else 2
        response = render(
            request, "actions/_action_row.html", _row_context(request, action, just_updated=True)
        )
    else:
        action.just_updated = True
        response = render(request, "actions/detail.html#action-main", _detail_context(action, saved=message))
    return trigger_client_event(response, "announce", {"message": message})


def _saved_message(action: Action, update) -> str:
    rag = update.rag_after.label if update.rag_after else "not rated"
    return f"Action {action.reference} updated: {update.get_status_after_display()}, {rag}."


def _render_update(
    request: HttpRequest,
    action: Action,
    form: ActionUpdateForm,
    where: str,
    status: int = 200,
    conflict: StaleVersionError | None = None,
) -> HttpResponse:
    extra = {
        "conflict": conflict,
        "where": where,
        "next": _safe_next(request, ""),
        "return_to": _return_to(request),
    }
    if where == "row":
        context = {"action": action, "form": form, "column_count": COLUMN_COUNT, **extra}
        return render(request, "actions/_update_row.html", context, status=status)
    if where == "detail":
        return render(
            request, "actions/detail.html#action-main", _detail_context(action, form, **extra), status=status
        )
    return render(
        request,
        "actions/update.html",
        {"action": action, "form": form, "nav": "actions", **extra},
        status=status,
    )


@login_required
@require_POST
def criterion_met(request: HttpRequest, action: int, criterion: int) -> HttpResponse:
    """Mark a success criterion met or not yet met: the action's leads, plan leads and administrators."""
    action = get_action_for_user(request, action, write=True)
    action.can_edit = True
    criterion = get_object_or_404(SuccessCriterion.objects, pk=criterion, action=action)
    form = CriterionMetForm(request.POST)
    if not form.is_valid():
        return _criteria_response(request, action, "The form was incomplete; nothing changed.", status=422)
    text = Truncator(criterion.text).chars(60)

    def again(stale: StaleVersionError) -> HttpResponse:
        word = "met" if stale.current.met else "not yet met"
        message = (
            f"Someone else changed “{text}” first: it is now {word}. "
            "Nothing was saved; check it and try again."
        )
        return _criteria_response(request, action, message, status=409)

    _, conflict = save_or_conflict(
        request,
        lambda: criterion.set_met(form.cleaned_data["met"], version=form.cleaned_data["version"]),
        on_stale=again,
    )
    if conflict:
        return conflict
    message = f"“{text}” is now marked {'met' if criterion.met else 'not yet met'}."
    if not request.htmx:
        messages.success(request, message)
        return redirect("actions:detail", action=action.pk)
    return _criteria_response(request, action, message)


def _criteria_response(request: HttpRequest, action: Action, message: str, status: int = 200) -> HttpResponse:
    """Show the success criteria with what happened: the htmx fragment, or the action's page."""
    extra = {"criteria_message": message, "criteria_conflict": status != 200}
    if request.htmx:
        context = {"action": action, "success_criteria": action.success_criteria.all(), **extra}
        response = render(request, "actions/_success_criteria.html", context, status=status)
        return trigger_client_event(response, "announce", {"message": message}) if status == 200 else response
    context = _detail_context(action, update_refusal="", **extra)
    return render(request, "actions/detail.html", context, status=status)
