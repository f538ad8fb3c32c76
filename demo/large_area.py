"""A deterministic large local area for benchmarks: `python manage.py generate_large_area`.

8 plans, 80 priorities, 2,000 actions with 40,000 updates, 2 frameworks (110 criteria) rated over 36 monthly
rounds, 60 KPIs with 36 monthly values, and 300 users (each a Person) across 12 organisations.

Speed: every table is written with `bulk_create` (one INSERT per batch), not through the models' write paths
(`Action.record_update`, `Assessment.rate`, `Measure.record_values`), which take a row lock, claim a version
and save the history row by row: tens of thousands of round trips. The data is still what those paths would
have written: each action's update log is a chain (every update's status/RAG "before" is the previous one's
"after", `version_after` counts 2, 3, ... up to the action's `version`) ending in the action's current status,
RAG, reason, recovery comment and `last_updated_at`; an amber or red update carries its reason and recovery
comment; a completing update its evidence. Records with a history get their first history row in bulk
(`bulk_create_with_history`); the history of later edits, which the benchmarks never read, is not invented.
The random generator is seeded, so two runs on the same day build the same area.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from actions.models import (
    Action,
    ActionUpdate,
    Measure,
    MeasureTarget,
    MeasureValue,
    Organisation,
    Person,
    Plan,
    Priority,
    RagLevel,
    RagScale,
    SuccessCriterion,
)
from core import roles
from inspections.models import Assessment, Criterion, Finding, Framework, Rating, Review, Section

SEED = 16
PASSWORD = "large-area-password"
PLAN_SIZES = (
    300,
    243,
    243,
    243,
    243,
    243,
    243,
    242,
)  # 2,000 actions; the first plan fills a 300-row appendix
PRIORITIES_PER_PLAN = 10
UPDATES_PER_ACTION = 20  # on average: 40,000 in all
ORGANISATIONS = 12
USERS = 300
BUSY_OFFICER = "la-officer"  # leads every fifth action: 400
BUSY_ACTION_UPDATES = 40  # the first action of the busy officer, for the detail page
FRAMEWORK_SECTIONS = 5
CRITERIA_PER_FRAMEWORK = 55
MONTHS = 36
MEASURES = 60
BATCH = 2000

_ORG_KINDS = ("council", "health", "school", "college", "pcf", "other")
_WORDS = (
    "review",
    "assessment",
    "plans",
    "EHC",
    "needs",
    "annual",
    "reviews",
    "transition",
    "preparing",
    "adulthood",
    "SENCO",
    "training",
    "co-production",
    "parent",
    "carer",
    "forum",
    "local",
    "offer",
    "waiting",
    "times",
    "speech",
    "language",
    "therapy",
    "inclusion",
    "exclusions",
    "attendance",
    "alternative",
    "provision",
    "tribunal",
    "mediation",
    "joint",
    "commissioning",
    "health",
    "social",
    "care",
    "quality",
    "assurance",
    "audit",
    "timeliness",
    "outcomes",
    "sufficiency",
    "specialist",
    "places",
)


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    busy_officer: str
    busy_action_pk: int
    appendix_plan_pk: int


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _month_end(today: datetime.date, months_back: int) -> datetime.date:
    first = today.replace(day=1)
    for _ in range(months_back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    next_first = (first + datetime.timedelta(days=32)).replace(day=1)
    return next_first - datetime.timedelta(days=1)


def _batched(objects: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(objects), size):
        yield objects[start : start + size]


def _scale() -> tuple[RagScale, dict[str, RagLevel]]:
    scale, _ = RagScale.objects.get_or_create(
        name="BRAG", defaults={"description": "Blue, red, amber, green"}
    )
    levels = [
        ("blue", "Complete", False, False, True, False),
        ("green", "On track", False, False, False, True),
        ("amber", "At risk", True, True, False, False),
        ("red", "Off track", True, True, False, False),
    ]
    for order, (colour, label, reason, recovery, closed, on_track) in enumerate(levels):
        RagLevel.objects.get_or_create(
            scale=scale,
            label=label,
            defaults={
                "colour": colour,
                "order": order,
                "requires_reason": reason,
                "requires_recovery": recovery,
                "counts_as_closed": closed,
                "counts_as_on_track": on_track,
            },
        )
    return scale, {level.colour: level for level in scale.levels.all()}


def _people(rng: random.Random) -> tuple[list[Organisation], list[Person], User]:
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Large area partner {n + 1:02d}",
            short_name=f"LAP{n + 1:02d}",
            kind=_ORG_KINDS[n % len(_ORG_KINDS)],
        )
        for n in range(ORGANISATIONS)
    )
    # One hash for everyone: hashing 300 passwords would take most of the run.
    password = make_password(PASSWORD)
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    role_cycle = [roles.OFFICER] * 8 + [roles.PLAN_LEAD, roles.SCRUTINY_MEMBER]
    users = User.objects.bulk_create(
        User(
            username=BUSY_OFFICER if n == 0 else f"la-user-{n:03d}",
            first_name=rng.choice(("Amira", "Ben", "Chloe", "Dev", "Erin", "Femi", "Grace", "Hugo")),
            last_name=f"Large{n:03d}",
            email=f"la-user-{n:03d}@example.org",
            password=password,
            job_title="SEND officer",
            is_staff=n >= USERS - 3,
        )
        for n in range(USERS)
    )
    Membership = User.groups.through
    Membership.objects.bulk_create(
        Membership(
            user_id=user.pk,
            group_id=groups[roles.ADMINISTRATOR if n >= USERS - 3 else role_cycle[n % len(role_cycle)]].pk,
        )
        for n, user in enumerate(users)
    )
    Member = Organisation.people.through
    Member.objects.bulk_create(
        Member(organisation_id=organisations[n % ORGANISATIONS].pk, user_id=user.pk)
        for n, user in enumerate(users)
    )
    people = bulk_create_with_history(
        [
            Person(
                name=user.get_full_name(),
                organisation=organisations[n % ORGANISATIONS],
                job_title=user.job_title,
                email=user.email,
                user=user,
            )
            for n, user in enumerate(users)
        ],
        Person,
    )
    return organisations, people, users[0]


def _frameworks(rng: random.Random, today: datetime.date, rater: User) -> list[Criterion]:
    criteria: list[Criterion] = []
    for f in range(2):
        framework = Framework.objects.create(
            name=f"Large area framework {'AB'[f]}", year=2016 + 7 * f, description="Generated."
        )
        sections = Section.objects.bulk_create(
            Section(framework=framework, code=f"Q{s + 1}", title=_sentence(rng, 8), order=s)
            for s in range(FRAMEWORK_SECTIONS)
        )
        per_section = CRITERIA_PER_FRAMEWORK // FRAMEWORK_SECTIONS
        framework_criteria = Criterion.objects.bulk_create(
            Criterion(
                section=section,
                framework=framework,
                code=f"{'ABCDE'[s]}{c + 1}",
                wording=_sentence(rng, 14),
                order=c,
            )
            for s, section in enumerate(sections)
            for c in range(per_section)
        )
        criteria.extend(framework_criteria)
        now = timezone.now()
        rounds = Assessment.objects.bulk_create(
            Assessment(
                framework=framework,
                label=_month_end(today, m).strftime("%b %y"),
                assessed_on=_month_end(today, m),
                # Every round but the latest is agreed (read-only), as a real area's would be.
                agreed_at=now if m else None,
                agreed_by=rater if m else None,
            )
            for m in range(MONTHS)
        )
        ratings = []
        for criterion in framework_criteria:
            rag = rng.choice("RAG")
            for assessment in reversed(rounds):  # oldest first: ratings drift towards green
                if rng.random() < 0.15:
                    rag = {"R": "A", "A": "G", "G": rng.choice("AG")}[rag]
                ratings.append(
                    Rating(
                        assessment=assessment,
                        criterion=criterion,
                        rag=rag,
                        commentary=_sentence(rng, 12),
                        next_steps="" if rag == "G" else _sentence(rng, 8),
                        rated_by=rater,
                    )
                )
        bulk_create_with_history(ratings, Rating, batch_size=BATCH, default_user=rater)
    return criteria


def _plans(
    rng: random.Random, today: datetime.date, scale: RagScale, lead: User, criteria: list[Criterion]
) -> list[list[Priority]]:
    review = Review.objects.create(
        kind=Review.Kind.INSPECTION,
        title="Large area SEND inspection",
        start_date=today - datetime.timedelta(days=MONTHS * 31),
    )
    findings = Finding.objects.bulk_create(
        Finding(
            review=review,
            kind=Finding.Kind.SIGNIFICANT_WEAKNESS,
            reference=f"W{n + 1}",
            text=_sentence(rng, 16),
        )
        for n in range(20)
    )
    kinds = Plan.Kind.values
    plans = bulk_create_with_history(
        [
            Plan(
                title=f"Large area plan {n + 1}",
                kind=kinds[n % len(kinds)],
                review=review,
                lead=lead,
                rag_scale=scale,
                status=Plan.Status.ACTIVE,
                summary=_sentence(rng, 20),
                starts_on=today - datetime.timedelta(days=MONTHS * 31),
                approved_on=today - datetime.timedelta(days=MONTHS * 30),
            )
            for n in range(len(PLAN_SIZES))
        ],
        Plan,
    )
    priorities = bulk_create_with_history(
        [
            Priority(plan=plan, number=str(p + 1), title=_sentence(rng, 7), order=p)
            for plan in plans
            for p in range(PRIORITIES_PER_PLAN)
        ],
        Priority,
    )
    Addresses = Priority.findings.through
    Addresses.objects.bulk_create(
        Addresses(priority_id=priority.pk, finding_id=findings[n % len(findings)].pk)
        for n, priority in enumerate(priorities)
    )
    Covers = Priority.criteria.through
    Covers.objects.bulk_create(
        Covers(priority_id=priority.pk, criterion_id=criteria[(2 * n + k) % len(criteria)].pk)
        for n, priority in enumerate(priorities)
        for k in range(2)
    )
    return [priorities[i * PRIORITIES_PER_PLAN : (i + 1) * PRIORITIES_PER_PLAN] for i in range(len(plans))]


def _update_counts(rng: random.Random, total: int) -> list[int]:
    """Return updates per action averaging UPDATES_PER_ACTION; the first action has BUSY_ACTION_UPDATES."""
    counts = [UPDATES_PER_ACTION] * total
    for i in range(0, total - 1, 2):
        shift = rng.randint(0, 10)
        counts[i] += shift
        counts[i + 1] -= shift
    counts[0], counts[1] = BUSY_ACTION_UPDATES, 2 * UPDATES_PER_ACTION - BUSY_ACTION_UPDATES
    return counts


def _actions(
    rng: random.Random,
    today: datetime.date,
    priorities_by_plan: list[list[Priority]],
    people: list[Person],
    organisations: list[Organisation],
    levels: dict[str, RagLevel],
) -> tuple[int, int]:
    """Create the actions, their leads, success criteria and update logs; return (actions, updates)."""
    total = sum(PLAN_SIZES)
    counts = _update_counts(rng, total)
    now = timezone.now()
    start = now - datetime.timedelta(days=MONTHS * 30)
    busy, others = people[0], people[1:]
    users = [person.user for person in people]
    actions: list[Action] = []
    logs: list[list[ActionUpdate]] = []
    n = 0
    for plan_index, size in enumerate(PLAN_SIZES):
        priorities = priorities_by_plan[plan_index]
        for k in range(size):
            priority = priorities[k % PRIORITIES_PER_PLAN]
            due = today + datetime.timedelta(days=rng.randint(-360, 720))
            action = Action(
                plan_id=priority.plan_id,
                priority=priority,
                reference=f"{priority.number}.{k // PRIORITIES_PER_PLAN + 1}",
                description=_sentence(rng, rng.randint(12, 40)),
                success_measure=_sentence(rng, 12),
                start_date=due - datetime.timedelta(days=rng.randint(60, 400)),
                due_date=due,
                order=k // PRIORITIES_PER_PLAN,
                accountable_officer=rng.choice(others),
            )
            log = _update_log(rng, start, counts[n], users, levels)
            action.status, action.rag = Action.Status.NOT_STARTED.value, None
            action.version = len(log) + 1
            if log:
                action.status, action.rag = log[-1].status_after, log[-1].rag_after
                action.rag_reason, action.recovery_plan = log[-1].rag_reason, log[-1].recovery_plan
                action.last_updated_at = log[-1].created_at
            actions.append(action)
            logs.append(log)
            n += 1
    bulk_create_with_history(actions, Action, batch_size=BATCH)

    Leads = Action.leads.through
    LeadOrganisations = Action.lead_organisations.through
    leads, lead_organisations, criteria, updates = [], [], [], []
    for n, (action, log) in enumerate(zip(actions, logs, strict=True)):
        chosen = {busy} if n % 5 == 0 else set()
        chosen.update(rng.sample(others, rng.randint(1, 2)))
        leads.extend(Leads(action_id=action.pk, person_id=person.pk) for person in chosen)
        for organisation in {person.organisation for person in chosen}:
            lead_organisations.append(LeadOrganisations(action_id=action.pk, organisation_id=organisation.pk))
        if n % 7 == 0:  # a partner with no named lead
            extra = organisations[n % ORGANISATIONS]
            if extra not in {person.organisation for person in chosen}:
                lead_organisations.append(LeadOrganisations(action_id=action.pk, organisation_id=extra.pk))
        criteria.extend(
            SuccessCriterion(action=action, text=_sentence(rng, 10), order=c, met=rng.random() < 0.3)
            for c in range(2)
        )
        for update in log:
            update.action = action
        updates.extend(log)
    Leads.objects.bulk_create(leads, batch_size=BATCH)
    LeadOrganisations.objects.bulk_create(lead_organisations, batch_size=BATCH)
    SuccessCriterion.objects.bulk_create(criteria, batch_size=BATCH)
    for batch in _batched(updates):
        # ActionUpdate's queryset refuses update() and delete() only: inserting is its normal path.
        ActionUpdate.objects.bulk_create(batch)
    return len(actions), len(updates)


def _update_log(
    rng: random.Random, start: datetime.datetime, count: int, users: list[User], levels: dict[str, RagLevel]
) -> list[ActionUpdate]:
    """Return an action's log: a chain of updates from "not started, not rated" to where it is now."""
    status, rag, log = Action.Status.NOT_STARTED.value, None, []
    times = sorted(
        start + datetime.timedelta(minutes=rng.randint(0, MONTHS * 30 * 24 * 60)) for _ in range(count)
    )
    for u, created_at in enumerate(times):
        last = u == len(times) - 1
        new_status = Action.Status.IN_PROGRESS.value
        if last and rng.random() < 0.15:
            new_status = Action.Status.COMPLETE.value
        elif rng.random() < 0.03:
            new_status = Action.Status.ON_HOLD.value
        new_rag = (
            levels["blue"]
            if new_status == Action.Status.COMPLETE
            else levels[rng.choice(("green", "green", "amber", "red"))]
        )
        flagged = new_rag.requires_reason
        log.append(
            ActionUpdate(
                author=rng.choice(users),
                created_at=created_at,
                narrative=_sentence(rng, rng.randint(10, 50)),
                evidence=_sentence(rng, 10) if new_status == Action.Status.COMPLETE else "",
                status_before=status,
                status_after=new_status,
                rag_before=rag,
                rag_after=new_rag,
                rag_reason=_sentence(rng, 8) if flagged else "",
                recovery_plan=_sentence(rng, 8) if flagged else "",
                version_after=u + 2,
            )
        )
        status, rag = new_status, new_rag
    return log


def _measures(rng: random.Random, today: datetime.date, plans: list[Plan], recorder: User) -> None:
    units = Measure.Unit.values
    measures = bulk_create_with_history(
        [
            Measure(
                name=f"KPI {n + 1}: {_sentence(rng, 6)[:-1]}",
                plan=plans[n % len(plans)],
                unit=units[n % len(units)],
                higher_is_better=n % 3 != 0,
                baseline=rng.randint(20, 80),
                baseline_on=_month_end(today, MONTHS),
                final_target=rng.randint(40, 95),
                final_target_on=_month_end(today, -12),
                source="Generated for the large-area benchmark",
                order=n,
            )
            for n in range(MEASURES)
        ],
        Measure,
    )
    now = timezone.now()
    values, targets = [], []
    for measure in measures:
        value = float(measure.baseline)
        for m in range(MONTHS, 0, -1):
            value = max(0.0, value + rng.uniform(-3, 4))
            period_end = _month_end(today, m)
            values.append(
                MeasureValue(
                    measure=measure,
                    period_end=period_end,
                    value=round(value, 2),
                    national=round(value + rng.uniform(-10, 10), 2) if m % 12 == 0 else None,
                    national_period=str(period_end.year) if m % 12 == 0 else "",
                    recorded_by=recorder,
                    recorded_at=now,
                )
            )
            if m % 6 == 0:
                targets.append(
                    MeasureTarget(measure=measure, period_end=period_end, target=rng.randint(40, 95))
                )
    bulk_create_with_history(values, MeasureValue, batch_size=BATCH)
    bulk_create_with_history(targets, MeasureTarget, batch_size=BATCH)


def _refresh_planner_statistics() -> None:
    """ANALYZE, as autovacuum would a few minutes after a bulk load on PostgreSQL.

    Without statistics PostgreSQL plans for near-empty tables: a paper's snapshot of 300 actions took 15 s
    (a scan of every update per action) instead of 0.1 s. SQLite plans well without them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def generate(today: datetime.date | None = None) -> Summary:
    """Build the large area in an empty database (the caller checks it is one)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
    today = today or timezone.localdate()
    scale, levels = _scale()
    organisations, people, busy_user = _people(rng)
    plan_lead = User.objects.filter(groups__name=roles.PLAN_LEAD, username__startswith="la-").first()
    criteria = _frameworks(rng, today, plan_lead)
    priorities_by_plan = _plans(rng, today, scale, plan_lead, criteria)
    action_count, update_count = _actions(rng, today, priorities_by_plan, people, organisations, levels)
    plans = [priorities[0].plan for priorities in priorities_by_plan]
    _measures(rng, today, plans, plan_lead)
    busy_action = Action.objects.filter(plan=plans[0], leads=people[0]).order_by("pk").first()
    _refresh_planner_statistics()
    return Summary(
        counts={
            "organisations": Organisation.objects.count(),
            "users": User.objects.count(),
            "plans": Plan.objects.count(),
            "priorities": Priority.objects.count(),
            "actions": action_count,
            "action updates": update_count,
            "criteria": Criterion.objects.count(),
            "rounds": Assessment.objects.count(),
            "ratings": Rating.objects.count(),
            "KPIs": Measure.objects.count(),
            "KPI values": MeasureValue.objects.count(),
        },
        busy_officer=busy_user.username,
        busy_action_pk=busy_action.pk,
        appendix_plan_pk=plans[0].pk,
    )
