"""The plan lead's update cycle: deadlines of every plan, who has updated, reminders, updates on behalf."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import cycle
from actions.cycle_access import get_action_to_record, get_plan_for_cycle, require_cycle_manager
from actions.cycle_forms import RecordUpdateForm
from actions.models import Action, Plan, ReminderSent
from actions.querysets import overdue_q
from actions.reminders import lead_contact, pending_reminders, send_reminders
from core.versioning import StaleVersionError, posted_again, save_or_conflict


@login_required
@require_GET
def cycle_index(request: HttpRequest) -> HttpResponse:
    require_cycle_manager(request)
    today = timezone.localdate()
    deadlines = cycle.deadlines_by_plan(today)
    plans = list(Plan.objects.exclude(status=Plan.Status.CLOSED).select_related("board", "lead"))
    open_actions = Action.objects.open().with_stale_flag(deadlines=deadlines)
    counts = {
        row["plan_id"]: row
        for row in open_actions.values("plan_id").annotate(
            total=Count("pk"),
            stale=Count("pk", filter=Q(is_stale=True)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    }
    rows = []
    for plan in plans:
        count = counts.get(plan.pk, {"total": 0, "stale": 0, "overdue": 0})
        rows.append(
            {
                "plan": plan,
                "deadlines": deadlines[plan.pk],
                "cycle": cycle.cycle_label(deadlines[plan.pk].cycle_days),
                "updated": count["total"] - count["stale"],
                **count,
            }
        )
    return render(request, "cycle/index.html", {"rows": rows, "today": today, "nav": "cycle"})


@dataclass
class Tally:
    """One line of the status page: a lead's or an organisation's open actions by update state."""

    name: str
    updated: list[Action] = field(default_factory=list)
    not_updated: list[Action] = field(default_factory=list)
    overdue: list[Action] = field(default_factory=list)
    lead: object = None
    has_login: bool = True
    reminded_on: object = None

    def add(self, action: Action) -> None:
        (self.not_updated if action.is_stale else self.updated).append(action)
        if action.is_overdue_now:
            self.overdue.append(action)


def _status(plan: Plan, today) -> dict:
    """Return the plan's open actions tallied per lead and per organisation, in a fixed number of queries."""
    every_plan = cycle.deadlines_by_plan(today)
    deadlines = every_plan[plan.pk]
    open_actions = Action.objects.open().filter(plan=plan)
    actions = list(
        open_actions.with_stale_flag(deadlines=every_plan)
        .select_related("priority")
        .order_by("priority__order", "order", "reference")
    )
    selected = open_actions.values("pk")
    _attach_leads(actions, selected)
    leads: dict[int, Tally] = {}
    organisations: dict[int | None, Tally] = {}
    total = Tally("All open actions")
    for action in actions:
        action.is_overdue_now = action.is_overdue(today)
        total.add(action)
        for lead in action.leads_shown():
            if lead.pk not in leads:
                contact = lead_contact(lead)
                leads[lead.pk] = Tally(contact.name, lead=lead, has_login=contact.has_login)
            leads[lead.pk].add(action)
        for organisation in action.organisations_leading() or [None]:
            key = organisation.pk if organisation else None
            name = str(organisation) if organisation else "No organisation recorded"
            organisations.setdefault(key, Tally(name)).add(action)
    led = Action.leads.through.objects.filter(action__in=selected).values("person_id")
    sent = ReminderSent.objects.filter(lead_id__in=led, deadline=deadlines.next)
    reminded = dict(sent.values_list("lead_id", "sent_at"))
    for pk, tally in leads.items():
        tally.reminded_on = reminded.get(pk)
    by_name = lambda tally: (not tally.not_updated, tally.name.lower())  # noqa: E731
    return {
        "plan": plan,
        "deadlines": deadlines,
        "cycle": cycle.cycle_label(deadlines.cycle_days),
        "total": total,
        "leads": sorted(leads.values(), key=by_name),
        "organisations": sorted(organisations.values(), key=by_name),
        "to_remind": sum(1 for t in leads.values() if t.not_updated and not t.reminded_on),
    }


def _attach_leads(actions: list[Action], selected) -> None:
    """Set each action's leads (each with sign-in and organisation) and lead organisations, in name order, as
    Action.leads_shown and lead_organisations_shown read them: two queries that select by the actions' own
    query (`selected`), not their ids, so a plan with no open action runs them too."""
    by_pk = {action.pk: action for action in actions}
    for action in actions:
        action.lead_people, action.lead_orgs = [], []
    links = Action.leads.through.objects.filter(action__in=selected)
    for link in links.select_related("person__user", "person__organisation").order_by("person__name", "pk"):
        if link.action_id in by_pk:  # not an action opened since the page read them
            by_pk[link.action_id].lead_people.append(link.person)
    links = Action.lead_organisations.through.objects.filter(action__in=selected)
    for link in links.select_related("organisation").order_by("organisation__name", "pk"):
        if link.action_id in by_pk:
            by_pk[link.action_id].lead_orgs.append(link.organisation)


@login_required
@require_GET
def update_status(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan_for_cycle(request, plan)
    context = _status(plan_obj, timezone.localdate())
    tables = {
        "leads_table": (context["leads"], "Lead", "lead", True),
        "organisations_table": (context["organisations"], "Organisation", "lead organisation", False),
    }
    for name, (tallies, who, whose, with_reminders) in tables.items():
        caption = f"Open actions of each {whose} by whether they are updated since the last deadline"
        table = {"tallies": tallies, "who": who, "caption": caption, "with_reminders": with_reminders}
        # Autoescaped by Jinja2 (core.jinja2): safe to place in the page as it is.
        context[name] = mark_safe(render_to_string("cycle/_tally_table.html", table, using="jinja2"))  # noqa: S308
    return render(request, "cycle/status.html", {**context, "nav": "cycle"})


@login_required
@require_POST
def send_plan_reminders(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan_for_cycle(request, plan)
    reminders = pending_reminders(plan=plan_obj)
    outcome = send_reminders(
        reminders, my_actions_url=request.build_absolute_uri(reverse("actions:mine")), sent_by=request.user
    )
    sent = len(outcome.sent)
    if sent or not (outcome.failed or outcome.no_email):
        messages.success(request, f"Reminders sent to {sent} lead{'s' if sent != 1 else ''}.")
    if outcome.failed:
        names = ", ".join(lead_contact(r.lead).name for r in outcome.failed)
        messages.error(request, f"Reminders could not be sent to {names}. Try again later.")
    if outcome.no_email:
        names = ", ".join(lead_contact(r.lead).name for r in outcome.no_email)
        messages.warning(request, f"No email address for {names}: contact them another way.")
    return redirect("cycle:status", plan=plan_obj.pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_update(request: HttpRequest, action: int) -> HttpResponse:
    action = get_action_to_record(request, action)
    if request.method == "GET":
        return _render_record(request, action, RecordUpdateForm(action=action))
    form = RecordUpdateForm(request.POST, action=action)
    if not form.is_valid():
        return _render_record(request, action, form, status=422)
    data = form.cleaned_data

    def again(stale: StaleVersionError) -> HttpResponse:
        current = get_action_to_record(request, action.pk)
        form = RecordUpdateForm(posted_again(request.POST, current.version), action=current)
        return _render_record(request, current, form, status=409, conflict=stale)

    try:
        _, conflict = save_or_conflict(
            request,
            lambda: action.record_update(
                author=request.user,
                version=data["version"],
                status=data["status"],
                rag=data["rag"],
                narrative=data["narrative"].strip(),
                evidence=data["evidence"].strip(),
                rag_reason=data["rag_reason"].strip(),
                recovery_plan=data["recovery_plan"].strip(),
                on_behalf_of=data["on_behalf_of"],
                given_on=data["given_on"],
            ),
            on_stale=again,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_record(request, action, form, status=422)
    if conflict:
        return conflict
    messages.success(
        request,
        f"Update to action {action.reference} recorded for {data['on_behalf_of']}, "
        f"given on {data['given_on']:%-d %B %Y}.",
    )
    return redirect("cycle:status", plan=action.plan_id)


def _render_record(
    request: HttpRequest, action: Action, form: RecordUpdateForm, status: int = 200, conflict=None
) -> HttpResponse:
    context = {"action": action, "form": form, "conflict": conflict, "nav": "cycle"}
    return render(request, "cycle/record.html", context, status=status)
