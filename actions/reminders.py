"""Reminders before each update deadline: one email per lead listing their actions that need an update.

Used by the `send_update_reminders` command (cron or a scheduler) and by the plan lead's one click on the
update status page. A ReminderSent row per lead per deadline is written in the same transaction as the
email is sent, so a lead never gets two reminders for one deadline and a failed send is retried next run.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actions import cycle
from actions.models import Action, Person, Plan, ReminderSent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeadContact:
    name: str
    email: str
    has_login: bool


def lead_contact(lead) -> LeadContact:
    """Return a lead's name, email address and whether they can sign in.

    The one place that knows what a lead is: an action's lead is a Person, who may have no sign-in (no user,
    an inactive one, or one without a password): they are sent the list and asked to send the update to
    the plan lead. A plan's lead is a user.
    """
    if isinstance(lead, Person):
        user = lead.user
        return LeadContact(
            name=lead.name,
            email=lead.email or (user.email if user else ""),
            has_login=bool(user and user.is_active and user.has_usable_password()),
        )
    return LeadContact(
        name=lead.get_full_name() or lead.get_username(),
        email=lead.email,
        has_login=lead.is_active and lead.has_usable_password(),
    )


@dataclass
class Reminder:
    """What one lead is reminded of: their open actions with no update since the plan's last deadline."""

    lead: object
    items: list[tuple[Action, cycle.Deadlines]] = field(default_factory=list)

    @property
    def deadlines(self) -> list[datetime.date]:
        return sorted({deadlines.next for _, deadlines in self.items})

    @property
    def plans(self) -> list[Plan]:
        seen: dict[int, Plan] = {}
        for action, _ in self.items:
            seen.setdefault(action.plan_id, action.plan)
        return list(seen.values())


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Reminder] = field(default_factory=list)
    no_email: list[Reminder] = field(default_factory=list)


def pending_reminders(
    today: datetime.date | None = None, *, plan: Plan | None = None, within_days: int | None = None
) -> list[Reminder]:
    """Return the reminders not yet sent for the next deadlines, one per lead.

    Without `plan`: every active plan whose next deadline is at most `within_days` away. With `plan`: the
    leads of that plan's stale actions, each reminded of everything they have due on the same deadline.
    """
    today = today or timezone.localdate()
    deadlines = cycle.deadlines_by_plan(today)
    if plan is not None:
        wanted = {deadlines[plan.pk].next}
    else:
        window = settings.UPDATE_REMINDER_DAYS if within_days is None else within_days
        wanted = {d.next for d in deadlines.values() if (d.next - today).days <= window}
    plan_ids = [pk for pk, d in deadlines.items() if d.next in wanted]
    actions = (
        Action.objects.open()
        .filter(plan_id__in=plan_ids, plan__status=Plan.Status.ACTIVE)
        .filter(cycle.stale_q(deadlines))
        .select_related("plan", "plan__lead", "plan__board")
        .prefetch_related("leads__user")
        .order_by("plan__title", "priority__order", "order", "reference")
    )
    already = set(ReminderSent.objects.filter(deadline__in=wanted).values_list("lead_id", "deadline"))
    by_lead: dict[int, Reminder] = {}
    for action in actions:
        plan_deadlines = deadlines[action.plan_id]
        for lead in action.leads.all():
            if (lead.pk, plan_deadlines.next) not in already:
                by_lead.setdefault(lead.pk, Reminder(lead)).items.append((action, plan_deadlines))
    reminders = by_lead.values()
    if plan is not None:
        reminders = [r for r in reminders if any(action.plan_id == plan.pk for action, _ in r.items)]
    return sorted(reminders, key=lambda r: (r.lead.name, r.lead.pk))


def reminder_message(reminder: Reminder, my_actions_url: str) -> EmailMessage:
    contact = lead_contact(reminder.lead)
    first = reminder.deadlines[0]
    count = len(reminder.items)
    subject = f"Update needed by {first:%A %-d %B %Y}: {count} action{'s' if count != 1 else ''}"
    plan_leads = {plan.lead_id: plan.lead for plan in reminder.plans if plan.lead_id}
    body = render_to_string(
        "cycle/email/reminder.txt",
        {
            "contact": contact,
            "groups": _group_by_plan(reminder),
            "my_actions_url": my_actions_url,
            "plan_leads": [lead_contact(lead) for lead in plan_leads.values()],
        },
    )
    return EmailMessage(subject=subject, body=body, to=[contact.email])


def _group_by_plan(reminder: Reminder) -> list[dict]:
    groups: dict[int, dict] = {}
    for action, deadlines in reminder.items:
        new = {"plan": action.plan, "deadlines": deadlines, "actions": []}
        groups.setdefault(action.plan_id, new)["actions"].append(action)
    return list(groups.values())


def send_reminders(reminders: list[Reminder], *, my_actions_url: str, sent_by=None) -> Outcome:
    """Email each reminder and record it; log failures and leave them unrecorded so the next run retries."""
    outcome = Outcome()
    for reminder in reminders:
        contact = lead_contact(reminder.lead)
        if not contact.email:
            logger.warning("No email address for lead %s: reminder not sent", reminder.lead.pk)
            outcome.no_email.append(reminder)
            continue
        message = reminder_message(reminder, my_actions_url)
        try:
            # Recorded first and sent inside the transaction: a failed send rolls the record back, and a
            # second run at the same moment stops on the unique constraint instead of sending again.
            with transaction.atomic():
                for deadline in reminder.deadlines:
                    ReminderSent.objects.create(
                        lead=reminder.lead,
                        deadline=deadline,
                        action_count=sum(1 for _, d in reminder.items if d.next == deadline),
                        sent_by=sent_by,
                    )
                message.send()
        except IntegrityError:
            logger.info("Lead %s was already reminded of this deadline", reminder.lead.pk)
        except Exception:  # any backend error: log it and retry on the next run
            logger.exception("Reminder to lead %s failed; retried on the next run", reminder.lead.pk)
            outcome.failed.append(reminder)
        else:
            outcome.sent.append(reminder)
    return outcome
