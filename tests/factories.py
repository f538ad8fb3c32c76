"""Plain functions that build domain objects for tests, with sensible defaults."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from actions.models import Action, ActionUpdate, Organisation, Person, Plan, Priority, RagLevel, RagScale
from inspections.models import Criterion, Finding, Framework, Review, Section

_counter = itertools.count(1)


def make_user(username: str | None = None, role: str | None = None, **fields) -> User:
    username = username or f"user{next(_counter)}"
    fields.setdefault("first_name", username.title())
    fields.setdefault("last_name", "Tester")
    user = User.objects.create_user(username=username, password="a-long-test-password", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user: User) -> Client:
    """Return a test client of its own signed in as `user`, for tests where several people take turns."""
    client = Client()
    client.force_login(user)
    return client


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


def make_person(name: str | None = None, **fields) -> Person:
    return Person.objects.create(name=name or f"Person {next(_counter)}", **fields)


def person_for(user: User) -> Person:
    """Return the person linked to `user`, creating one (as the People migration does) if there is none."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            name=user.get_full_name() or user.username, job_title=user.job_title, email=user.email, user=user
        )
    return person


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


def make_action(
    priority: Priority | None = None, leads: list[User | Person] | tuple = (), **fields
) -> Action:
    """Return a new action; `leads` may be people or users (each user is led through their person)."""
    priority = priority or make_priority()
    fields.setdefault("reference", f"{priority.number}.{next(_counter)}")
    fields.setdefault("description", "Audit every EHC plan record against the case management system.")
    fields.setdefault("due_date", datetime.date(2030, 1, 31))
    action = Action.objects.create(priority=priority, **fields)
    if leads:
        action.leads.set([lead if isinstance(lead, Person) else person_for(lead) for lead in leads])
    return action


def make_update(
    action: Action,
    author: User,
    narrative: str = "Audit of the first 50 records finished.",
    *,
    status: str | None = None,
    rag: RagLevel | None = None,
    **fields,
) -> ActionUpdate:
    """Record an update the way the update view does (Action.record_update), keeping the action's values.

    The update's time is now, so wrap the call in time_machine.travel(...) to date it.
    """
    status = status if status is not None else action.status
    rag = rag if rag is not None else action.rag
    # Valid by default: the rules of an update live in record_update, so fill what they ask for.
    if rag is not None and rag.requires_reason:
        fields.setdefault("rag_reason", "Reason given.")
    if rag is not None and rag.requires_recovery:
        fields.setdefault("recovery_plan", "Recovery planned.")
    if status == Action.Status.COMPLETE and action.status != status:
        fields.setdefault("evidence", "Evidence filed.")
    return action.record_update(
        author=author, version=action.version, status=status, rag=rag, narrative=narrative, **fields
    )


def make_criterion(code: str = "A1", wording: str = "Children's needs are identified early.") -> Criterion:
    framework, _ = Framework.objects.get_or_create(name="Local area SEND framework", year=2016)
    section, _ = Section.objects.get_or_create(
        framework=framework, order=1, defaults={"code": "Q1", "title": "Identifying needs"}
    )
    return Criterion.objects.create(section=section, code=code, wording=wording, order=next(_counter))


def make_busy_actions(count: int, lead: User | None = None, plan_count: int = 2) -> list[Action]:
    """Return `count` actions spread over plans and priorities, each with three leads, two organisations,
    a RAG rating and two updates: enough variety that a missing select/prefetch shows as extra queries.
    """
    lead = lead or make_user(role="Officer")
    colleagues = [make_user(role="Officer") for _ in range(3)]
    organisations = [make_organisation() for _ in range(3)]
    plans = [make_plan(update_cycle_days=(7, 28)[i % 2]) for i in range(plan_count)]
    priorities = [make_priority(plan) for plan in plans for _ in range(2)]
    colours = ("green", "amber", "red", "blue")
    actions = []
    for i in range(count):
        action = make_action(
            priorities[i % len(priorities)],
            [lead, colleagues[i % 3], colleagues[(i + 1) % 3]],
            due_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=7 * i),
        )
        action.lead_organisations.set([organisations[i % 3], organisations[(i + 2) % 3]])
        make_update(action, lead, f"First update of {action.reference}", status=Action.Status.IN_PROGRESS)
        make_update(
            action,
            colleagues[i % 3],
            f"Second update of {action.reference}",
            rag=rag_level(action.plan.rag_scale, colours[i % 4]),
            rag_reason="Reason given.",
            recovery_plan="Recovery planned.",
        )
        actions.append(action)
    return actions


def update_data(action: Action, **fields) -> dict[str, str]:
    """Return a valid POST body for the action update form: in progress, amber, every text field filled.

    Amber requires a reason and a recovery comment, so all four free-text fields are accepted and stored.
    """
    amber = rag_level(action.plan.rag_scale, "amber")
    data = {
        "version": str(action.version),
        "status": Action.Status.IN_PROGRESS,
        "rag": str(amber.pk),
        "narrative": "Audit of the first 50 records finished.",
        "evidence": "Audit report to the SEND Development Board.",
        "rag_reason": "Two of the three auditors are off sick.",
        "recovery_plan": "Agency auditor starts next week.",
    }
    data.update(fields)
    return data


def set_last_updated(action: Action, when: datetime.datetime | None) -> None:
    """Set when the action was last updated without recording an update (for stale and deadline tests)."""
    Action.objects.filter(pk=action.pk).update(last_updated_at=when)


def make_paper(plan: Plan | None = None, **fields):
    """Return a draft committee paper with one recommendation, one section and an action-plan appendix."""
    from actions.models import Board
    from reports.models import Appendix, CommitteePaper, Recommendation, Section

    if "committee" not in fields:
        fields["committee"], _ = Board.objects.get_or_create(
            name="Children's Services Overview and Scrutiny Committee", defaults={"kind": Board.Kind.SCRUTINY}
        )
    fields.setdefault("meeting_date", datetime.date(2030, 3, 12))
    fields.setdefault("agenda_item", "7")
    fields.setdefault("title", "SEND Written Statement of Action – Progress Update")
    fields.setdefault("report_of", "Laura Bishop, Assistant Director of Education and Skills")
    fields.setdefault("author_name", "Priya Sharma")
    fields.setdefault("author_title", "SEND Improvement Lead")
    paper = CommitteePaper.objects.create(plan=plan, **fields)
    Recommendation.objects.create(paper=paper, number="1.1", order=1, text="That the Committee note it.")
    Section.objects.create(
        paper=paper,
        kind=Section.Kind.INTRODUCTION,
        body="The plan is on track.\n\nTwo actions are late.",
        order=1,
    )
    if plan is not None:
        Appendix.objects.create(
            paper=paper, number=1, title="Action plan", kind=Appendix.Kind.ACTION_PLAN, plan=plan
        )
    return paper


def make_published_paper(plan: Plan | None = None, pdf: bytes = b"%PDF-1.7\n% test\n", **fields):
    """Return a published paper whose version 1 stores `pdf` as given (no rendering: fast for matrices)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import CommitteePaper, PublishedVersion, SignOff
    from reports.papers.snapshot import build_snapshot

    paper = make_paper(plan, **fields)
    SignOff.objects.create(paper=paper, role="Legal", name="Hannah Cole", signed_on=datetime.date(2030, 3, 1))
    version = PublishedVersion(
        paper=paper,
        number=1,
        published_at=timezone.now(),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=1,
        snapshot=build_snapshot(paper, version_number=1),
    )
    version.pdf.save(f"{paper.pk}-v1.pdf", ContentFile(pdf), save=False)
    version.save()
    CommitteePaper.objects.filter(pk=paper.pk).update(
        status=CommitteePaper.Status.PUBLISHED, published_at=version.published_at
    )
    paper.refresh_from_db()
    return paper
