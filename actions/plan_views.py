"""Pages plan leads use to build and change plans, priorities, actions and people (outside the admin).

Every edit form carries the version it was loaded at and saves through the model's save_edit(), so a
stale save is refused with a conflict (409) that shows what changed, and never overwrites.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Action, Person, Plan, Priority
from actions.plan_access import (
    get_action_for_planner,
    get_plan_for_planner,
    get_priority_for_planner,
    require_planner,
)
from actions.plan_forms import (
    ActionForm,
    ArchiveForm,
    LinkSearchForm,
    PersonForm,
    PlanForm,
    PlanStatusForm,
    PriorityForm,
    RebaselineForm,
    VersionOnlyForm,
)
from core.versioning import edit_view, save_or_conflict, unsaved_form, versioned_edit
from inspections.models import Criterion, Finding

PLAN_ACTIONS_PER_PAGE = 50

GET_POST = ["GET", "HEAD", "POST"]
PICKER_LIMIT = 50
STALE_PLAN = "Someone else changed the plan first. Check it and try again."
INCOMPLETE = "The form was incomplete; nothing changed."

# The edit pages of plans and what belongs to them (priorities, actions, scales, organisations, cadence).
plans_edit_page = functools.partial(edit_view, nav="plans")


# Plans


def _count_per_plan(queryset) -> Coalesce:
    """Return the number of rows of `queryset` with the outer plan, as a correlated subquery."""
    counted = queryset.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    show_archived = request.GET.get("archived") == "1"
    plans = (
        Plan.objects.filter(archived_at__isnull=not show_archived)
        .select_related("board", "lead", "rag_scale")
        .annotate(
            # Counted per plan in subqueries: joining priorities and actions made 2,500 rows a plan to group.
            priority_count=_count_per_plan(Priority.objects.all()),
            action_count=_count_per_plan(Action.objects.live()),
        )
        .order_by("title")
    )
    # Live plans (draft, submitted, in delivery) first: the work a plan lead starts from; closed ones after.
    live = [plan for plan in plans if plan.status != Plan.Status.CLOSED]
    closed = [plan for plan in plans if plan.status == Plan.Status.CLOSED]
    groups = (
        [("Live plans", live), ("Closed plans", closed)]
        if not show_archived
        else [("Archived plans", live + closed)]
    )
    context = {
        "plans": live + closed,
        "groups": [g for g in groups if g[1]],
        "show_archived": show_archived,
        "nav": "plans",
    }
    return render(request, "plans/list.html", context)


@login_required
@require_http_methods(GET_POST)
def plan_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    form = PlanForm(request.POST or None)
    response = unsaved_form(request, form, "plans/plan_form.html", {"form": form, "nav": "plans"})
    if response is not None:
        return response
    plan = form.save()
    messages.success(request, f"Plan “{plan.title}” created as a draft.")
    return redirect("plans:detail", plan=plan.pk)


@login_required
@require_safe
def plan_detail(request: HttpRequest, plan: int) -> HttpResponse:
    plan = get_plan_for_planner(request, plan)
    # A page of the plan's actions, in the priorities' order (Priority.Meta.ordering) and shown under them:
    # 300 actions made a page of 280 KB. The priorities' counts give the total: no count query for paging.
    priorities = list(plan.priorities.select_related("lead").annotate(action_count=Count("actions")))
    page = Paginator(range(sum(p.action_count for p in priorities)), PLAN_ACTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("rag", "accountable_officer")
        .prefetch_related(Prefetch("leads", queryset=Person.objects.select_related("organisation")))
        .order_by("priority__order", "priority__number", "priority_id", "order", "reference", "pk")
    )
    shown = list(actions[page.start_index() - 1 : page.end_index()]) if page.object_list else []
    for priority in priorities:
        priority.all_actions = [action for action in shown if action.priority_id == priority.pk]
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "priorities": priorities,
            "page": page,
            "status_changes": plan.status_changes(),
            "cadence_changes": list(plan.cadence_changes.all()),
            "status_form": PlanStatusForm(initial={"version": plan.version}),
            "nav": "plans",
        },
    )


plan_edit = plans_edit_page(
    get_plan_for_planner,
    lambda data, plan: PlanForm(data, instance=plan),
    template="plans/plan_form.html",
    name="plan",
    saved=lambda plan: "Plan saved.",
    done=lambda plan: reverse("plans:detail", args=[plan.pk]),
)


@login_required
@require_http_methods(GET_POST)
def plan_status(request: HttpRequest, plan: int) -> HttpResponse:
    """Move a plan on; closing it goes through a check page first (GET), the other moves are one button."""
    plan = get_plan_for_planner(request, plan)
    if request.method != "POST":
        if Plan.Status.CLOSED not in plan.next_statuses():
            return redirect("plans:detail", plan=plan.pk)
        return _check_page(
            request,
            plan,
            title=f"Close {plan.title}",
            paragraphs=[
                "Closing the plan ends its update cycle: its actions no longer take updates from officers, "
                "and All actions and the dashboards show them only when someone asks for closed plans.",
                "Its actions, updates and history are kept. A plan lead can reopen it later.",
            ],
            fields={"version": plan.version, "status": Plan.Status.CLOSED},
            button="Close the plan",
        )
    form = PlanStatusForm(request.POST)
    refused = one_button(
        request,
        form,
        lambda version: plan.move_to(form.cleaned_data["status"], version=version),
        stale=STALE_PLAN,
        incomplete="Choose a status to move the plan to.",
        plan=plan,
    )
    if refused:
        return refused
    messages.success(request, f"The plan is now {plan.get_status_display().lower()}.")
    return redirect("plans:detail", plan=plan.pk)


@login_required
@require_http_methods(GET_POST)
def plan_archive(request: HttpRequest, plan: int) -> HttpResponse:
    """Archive (after a check page) or restore (archived=0) a plan; nothing is deleted."""
    plan = get_plan_for_planner(request, plan)
    if request.method != "POST":
        if plan.archived_at:
            return redirect("plans:detail", plan=plan.pk)
        return _check_page(
            request,
            plan,
            title=f"Archive {plan.title}",
            paragraphs=[
                "Archiving takes the plan off the list of plans and out of everyday use. Nothing is deleted: "
                "its actions, updates and history are kept, and it can be restored from Archived plans.",
            ],
            fields={"version": plan.version, "archived": 1},
            button="Archive the plan",
        )
    archived = request.POST.get("archived") != "0"
    refused = one_button(
        request,
        VersionOnlyForm(request.POST),
        lambda version: plan.set_archived(archived, version=version),
        stale=STALE_PLAN,
        plan=plan,
    )
    if refused:
        return refused
    messages.success(request, "Plan archived." if archived else "Plan restored.")
    return redirect("plans:detail", plan=plan.pk)


def _check_page(
    request: HttpRequest, plan: Plan, *, title: str, paragraphs: list[str], fields: dict, button: str
) -> HttpResponse:
    check = {
        "caption": "Check before you go on",
        "title": title,
        "paragraphs": paragraphs,
        "action": request.path,
        "fields": fields,
        "button": button,
        "cancel_url": reverse("plans:detail", args=[plan.pk]),
    }
    return render(request, "check.html", {"check": check, "plan": plan, "nav": "plans"})


def _problem(request: HttpRequest, message: str, status: int, **where) -> HttpResponse:
    """Say that nothing changed and why, with a link back to `where` (plan= or scale=)."""
    context = {**where, "message": message, "nav": "plans"}
    return render(request, "plans/problem.html", context, status=status)


def one_button(
    request: HttpRequest,
    form: forms.Form,
    change: Callable[[int], object],
    *,
    stale: str = "",
    back_to: str = "",
    incomplete: str = INCOMPLETE,
    **where,
) -> HttpResponse | None:
    """Run a one-button change (retire, restore, archive, move on) at the posted version; None once done.

    An incomplete form or a rule the change breaks shows the problem page (422) with a link back to `where`
    (plan= or scale=); a stale version shows it saying `stale` (409) or, without, goes `back_to` the page
    the button was on with the conflict as a message.
    """
    if not form.is_valid():
        return _problem(request, incomplete, 422, **where)
    try:
        _, conflict = save_or_conflict(
            request,
            lambda: change(form.cleaned_data["version"]),
            template="plans/problem.html" if stale else "",
            context={**where, "message": stale, "nav": "plans"},
            back_to=back_to,
        )
    except ValidationError as refused:
        return _problem(request, refused.messages[0], 422, **where)
    return conflict


# Priorities


@login_required
@require_http_methods(GET_POST)
def priority_create(request: HttpRequest, plan: int) -> HttpResponse:
    plan = get_plan_for_planner(request, plan)
    next_order = plan.priorities.count() + 1
    initial = {"order": next_order, "number": str(next_order)}
    form = PriorityForm(request.POST or None, plan=plan, initial=initial)
    context = {"form": form, "plan": plan, "nav": "plans"}
    response = unsaved_form(request, form, "plans/priority_form.html", context)
    if response is not None:
        return response
    data = form.cleaned_data
    fields = ("number", "title", "description", "lead", "order")
    priority = plan.add_priority(**{name: data[name] for name in fields})
    messages.success(request, f"Priority {priority.number} added.")
    return redirect("plans:detail", plan=plan.pk)


priority_edit = plans_edit_page(
    get_priority_for_planner,
    lambda data, priority: PriorityForm(data, instance=priority, plan=priority.plan),
    template="plans/priority_form.html",
    name="priority",
    context=lambda priority: {"plan": priority.plan},
    saved=lambda priority: f"Priority {priority.number} saved.",
    done=lambda priority: reverse("plans:detail", args=[priority.plan_id]),
)


@login_required
@require_http_methods(GET_POST)
def priority_links(request: HttpRequest, priority: int) -> HttpResponse:
    """The findings and criteria a priority addresses: a GET search listing matches with checkboxes.

    Works without JavaScript (search, tick, save); htmx only refreshes the results as you type.
    """
    priority = get_priority_for_planner(request, priority)
    if request.method == "POST":
        shown_findings = _ids(request.POST.getlist("shown_finding"))
        shown_criteria = _ids(request.POST.getlist("shown_criterion"))
        ticked_findings = _ids(request.POST.getlist("finding")) & shown_findings
        ticked_criteria = _ids(request.POST.getlist("criterion")) & shown_criteria

        @transaction.atomic
        def save_links(version: int) -> None:
            # The links are part of the priority: bump its version so two pickers cannot cross.
            priority.save_edit(version=version, fields=[])
            # Only what was listed on the page changes; links outside the search stay as they were.
            current_findings = set(priority.findings.values_list("pk", flat=True))
            current_criteria = set(priority.criteria.values_list("pk", flat=True))
            priority.findings.set((current_findings - shown_findings) | ticked_findings)
            priority.criteria.set((current_criteria - shown_criteria) | ticked_criteria)

        refused = one_button(
            request,
            VersionOnlyForm(request.POST),
            save_links,
            stale="Someone else changed this priority first. Try again.",
            plan=priority.plan,
        )
        if refused:
            return refused
        messages.success(request, f"Links of priority {priority.number} saved.")
        return redirect("plans:priority-links", priority=priority.pk)

    search = LinkSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    linked_findings = set(priority.findings.values_list("pk", flat=True))
    linked_criteria = set(priority.criteria.values_list("pk", flat=True))
    findings = Finding.objects.select_related("review").order_by("review__title", "order", "pk")
    criteria = Criterion.objects.select_related("section").order_by("section__order", "order")
    if query:
        findings = findings.filter(Q(text__icontains=query) | Q(review__title__icontains=query))
        criteria = criteria.filter(Q(code__iexact=query) | Q(wording__icontains=query))
    else:
        # With no search, show what is linked, so the page is short and says where things stand. Subqueries,
        # not the id sets: Django skips the query for an empty set, and the count would depend on the data.
        findings = findings.filter(pk__in=priority.findings.values("pk"))
        criteria = criteria.filter(pk__in=priority.criteria.values("pk"))
    context = {
        "priority": priority,
        "plan": priority.plan,
        "search": search,
        "query": query,
        "findings": list(findings[:PICKER_LIMIT]),
        "criteria": list(criteria[:PICKER_LIMIT]),
        "linked_findings": linked_findings,
        "linked_criteria": linked_criteria,
        "limit": PICKER_LIMIT,
        "nav": "plans",
    }
    template = "plans/priority_links.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


# Actions


def action_form_step(request: HttpRequest, form: ActionForm, context: dict, make_form) -> HttpResponse | None:
    """Answer the action form's steps that save nothing; return None when the form was submitted.

    An htmx check of one field as the user leaves it (?validate=name) gets that field back with the same
    messages the submit would give. A success criterion row button (add, remove, move up) shows the form
    again with the rows changed: the whole page without JavaScript, only the rows for htmx.
    `make_form(initial, criteria)` builds an unbound form showing what was posted.
    """
    if request.method != "POST":
        return None
    name = request.GET.get("validate", "")
    if request.htmx and name in form.INLINE_CHECKED:
        form.is_valid()
        response = render(request, "plans/_field.html", {"field": form[name]})
    elif form.criteria_operation() is not None:
        focus = form.apply_criteria_operation()
        context.update(form=make_form(form.posted_initial(), form.criteria), focus_row=focus)
        template = "plans/action_form.html#criteria" if request.htmx else "plans/action_form.html"
        response = render(request, template, context)
    else:
        return None
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(GET_POST)
def action_create(request: HttpRequest, priority: int) -> HttpResponse:
    priority = get_priority_for_planner(request, priority)
    plan = priority.plan
    initial = {"priority": priority.pk, "order": priority.actions.count() + 1}
    form = ActionForm(request.POST or None, plan=plan, initial=initial, validate_url=request.path)
    context = {"form": form, "plan": plan, "priority": priority, "nav": "plans"}
    response = action_form_step(
        request,
        form,
        context,
        lambda posted, criteria: ActionForm(
            initial=posted, plan=plan, criteria=criteria, validate_url=request.path
        ),
    ) or unsaved_form(request, form, "plans/action_form.html", context)
    if response is not None:
        return response
    data = form.cleaned_data
    fields = ("reference", "description", "success_measure", "accountable_officer", "start_date", "due_date")
    action = data["priority"].add_action(
        **{name: data[name] for name in fields},
        order=data["order"],
        leads=data["leads"],
        lead_organisations=data["lead_organisations"],
        criteria=form.criteria_lines(),
    )
    messages.success(request, f"Action {action.reference} added.")
    return redirect("plans:detail", plan=plan.pk)


@login_required
@require_http_methods(GET_POST)
def action_edit(request: HttpRequest, action: int) -> HttpResponse:
    action = get_action_for_planner(request, action)
    form = ActionForm(request.POST or None, instance=action, plan=action.plan, validate_url=request.path)
    context = {"form": form, "plan": action.plan, "action": action, "nav": "plans"}
    step = action_form_step(
        request,
        form,
        context,
        lambda posted, criteria: ActionForm(
            initial=posted, instance=action, plan=action.plan, criteria=criteria, validate_url=request.path
        ),
    )
    if step is not None:
        return step

    @transaction.atomic
    def save() -> None:
        many = ("leads", "lead_organisations")
        fields = [name for name in form.changed_model_fields() if name not in many]
        action.save_edit(version=form.cleaned_data["version"], fields=fields)
        action.leads.set(form.cleaned_data["leads"])
        action.lead_organisations.set(form.cleaned_data["lead_organisations"])
        action.set_success_criteria(form.criteria_lines())

    response = versioned_edit(
        request,
        form,
        template="plans/action_form.html",
        context=context,
        name="action",
        reload=lambda: get_action_for_planner(request, action.pk),
        make_form=lambda data, current: ActionForm(
            data, instance=current, plan=current.plan, validate_url=request.path
        ),
        save=save,
    )
    if response is not None:
        return response
    messages.success(request, f"Action {action.reference} saved.")
    return redirect("plans:detail", plan=action.plan_id)


action_rebaseline = plans_edit_page(
    get_action_for_planner,
    lambda data, action: RebaselineForm(
        data, initial={"version": action.version, "due_date": action.due_date}
    ),
    template="plans/action_rebaseline.html",
    name="action",
    context=lambda action: {"plan": action.plan},
    save=lambda action, form: action.rebaseline(
        due_date=form.cleaned_data["due_date"],
        reason=form.cleaned_data["reason"],
        version=form.cleaned_data["version"],
    ),
    saved=lambda action: f"Action {action.reference} re-baselined to {action.due_date:%-d %B %Y}.",
    done=lambda action: reverse("plans:detail", args=[action.plan_id]),
)

action_archive = plans_edit_page(
    get_action_for_planner,
    lambda data, action: ArchiveForm(data, initial={"version": action.version}),
    template="plans/action_archive.html",
    name="action",
    context=lambda action: {"plan": action.plan},
    save=lambda action, form: action.set_archived(
        True, reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]
    ),
    saved=lambda action: f"Action {action.reference} archived. It can be restored from the plan page.",
    done=lambda action: reverse("plans:detail", args=[action.plan_id]),
)


@login_required
@require_POST
def action_restore(request: HttpRequest, action: int) -> HttpResponse:
    action = get_action_for_planner(request, action)
    refused = one_button(
        request,
        VersionOnlyForm(request.POST),
        lambda version: action.set_archived(False, version=version),
        stale="Someone else changed the action first. Try again.",
        plan=action.plan,
    )
    if refused:
        return refused
    messages.success(request, f"Action {action.reference} restored.")
    return redirect("plans:detail", plan=action.plan_id)


# People


@login_required
@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    people = (
        Person.objects.select_related("organisation", "user")
        .annotate(leading=Count("actions_led", filter=Q(actions_led__archived_at__isnull=True)))
        .order_by("name")
    )
    return render(request, "plans/people.html", {"people": people, "nav": "plans"})


@login_required
@require_http_methods(GET_POST)
def person_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    form = PersonForm(request.POST or None)
    response = unsaved_form(request, form, "plans/person_form.html", {"form": form, "nav": "plans"})
    if response is not None:
        return response
    person = form.save()
    messages.success(request, f"{person.name} added. They can now lead actions.")
    return redirect("plans:people")
