"""Plain functions that build domain objects for tests, with sensible defaults."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import Group

from actions.models import Action, Organisation, Plan, Priority, RagLevel, RagScale
from inspections.models import Finding, Review
from send_tracker.models import User

_counter = itertools.count(1)


def make_user(username: str | None = None, role: str | None = None, **fields) -> User:
    username = username or f"user{next(_counter)}"
    fields.setdefault("first_name", username.title())
    fields.setdefault("last_name", "Tester")
    user = User.objects.create_user(username=username, password="a-long-test-password", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_brag_scale(name: str = "BRAG") -> RagScale:
    scale, created = RagScale.objects.get_or_create(name=name)
    if created:
        levels = [
            ("blue", "Complete", False, False),
            ("green", "On track", False, False),
            ("amber", "At risk", True, True),
            ("red", "Off track", True, True),
        ]
        for order, (colour, label, reason, recovery) in enumerate(levels):
            RagLevel.objects.create(
                scale=scale,
                colour=colour,
                label=label,
                order=order,
                requires_reason=reason,
                requires_recovery=recovery,
            )
    return scale


def rag_level(scale: RagScale, colour: str) -> RagLevel:
    return scale.levels.get(colour=colour)


def make_review(**fields) -> Review:
    fields.setdefault("kind", Review.Kind.INSPECTION)
    fields.setdefault("title", f"Local area SEND inspection {next(_counter)}")
    fields.setdefault("start_date", datetime.date(2019, 3, 4))
    return Review.objects.create(**fields)


def make_finding(review: Review | None = None, **fields) -> Finding:
    fields.setdefault("kind", Finding.Kind.SIGNIFICANT_WEAKNESS)
    fields.setdefault("text", "Quality assurance is not rigorous enough.")
    return Finding.objects.create(review=review or make_review(), **fields)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    fields.setdefault("kind", Organisation.Kind.COUNCIL)
    return Organisation.objects.create(name=name or f"Organisation {next(_counter)}", **fields)


def make_plan(**fields) -> Plan:
    fields.setdefault("title", f"Written Statement of Action {next(_counter)}")
    fields.setdefault("kind", Plan.Kind.WSOA)
    fields.setdefault("status", Plan.Status.ACTIVE)
    if "rag_scale" not in fields:
        fields["rag_scale"] = make_brag_scale()
    return Plan.objects.create(**fields)


def make_priority(plan: Plan | None = None, **fields) -> Priority:
    plan = plan or make_plan()
    fields.setdefault("number", str(next(_counter)))
    fields.setdefault("title", "Records and oversight")
    return Priority.objects.create(plan=plan, **fields)


def make_action(priority: Priority | None = None, leads: list[User] | tuple = (), **fields) -> Action:
    priority = priority or make_priority()
    fields.setdefault("reference", f"{priority.number}.{next(_counter)}")
    fields.setdefault("description", "Audit every EHC plan record against the case management system.")
    fields.setdefault("due_date", datetime.date(2030, 1, 31))
    action = Action.objects.create(priority=priority, **fields)
    if leads:
        action.leads.set(leads)
    return action
