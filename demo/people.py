"""Demo organisations and people: the four sign-in personas and the officers who lead actions."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import User
from actions.models import Organisation
from actions.models import Person as PlanPerson
from core import roles
from demo.base import DEMO_PASSWORD, Demo, ensure, ensure_m2m

K = Organisation.Kind

# key: (name, short name, kind)
ORGANISATIONS = {
    # The Demo local area's partners: fictional, like the area (no real council, trust or college).
    "council": ("Demo Council", "", K.COUNCIL),
    "ccg": ("NHS Demo Clinical Commissioning Group", "Demo CCG", K.HEALTH),
    "icb": ("NHS Demo Integrated Care Board", "Demo ICB", K.HEALTH),
    "college": ("Demo College", "", K.COLLEGE),
    "trust": ("Demo Learning Trust", "", K.SCHOOL),
    "capa": ("Demo Parent Carer Forum", "", K.PARENT_CARER_FORUM),
}


class Person(NamedTuple):
    first_name: str
    last_name: str
    job_title: str
    organisations: list[str]
    role: str = roles.OFFICER
    is_staff: bool = False
    is_superuser: bool = False


PEOPLE = {
    # The four sign-in personas.
    "officer": Person("Jo", "Adeyemi", "SEND Casework Team Manager", ["council"]),
    "lead": Person("Priya", "Sharma", "SEND Improvement Lead", ["council"], roles.PLAN_LEAD),
    "scrutiny": Person(
        "Helen",
        "Marsh",
        "Councillor, Chair of the Children's Services Overview and Scrutiny Committee",
        [],
        roles.SCRUTINY_MEMBER,
    ),
    "admin": Person(
        "Sam",
        "Okafor",
        "Systems Administrator, Children's Services",
        ["council"],
        roles.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    ),
    # Officers across the partnership who lead actions.
    "tom.hughes": Person("Tom", "Hughes", "Head of SEND Statutory Services", ["council"]),
    "rachel.whitfield": Person("Rachel", "Whitfield", "SEND Quality Assurance Manager", ["council"]),
    "grace.okoro": Person("Grace", "Okoro", "Principal Educational Psychologist", ["council"]),
    "neil.foster": Person("Neil", "Foster", "Business Intelligence Lead, Children's Services", ["council"]),
    "ian.patel": Person("Ian", "Patel", "Service Manager, Children with Disabilities", ["council"]),
    "dalvinder.kaur": Person("Dalvinder", "Kaur", "Designated Clinical Officer for SEND", ["icb", "ccg"]),
    "mark.oconnor": Person(
        "Mark", "O'Connor", "Senior Commissioning Manager, Children and Young People", ["icb"]
    ),
    "amira.hassan": Person("Amira", "Hassan", "Head of Learning Support and Inclusion", ["college"]),
    "claire.dunn": Person("Claire", "Dunn", "Trust Inclusion Lead and SENCo", ["trust"]),
    "karen.lloyd": Person("Karen", "Lloyd", "Chair, Demo Parent Carer Forum", ["capa"]),
}


# Accountable officers who never sign in. Illustrative names (as in the demo committee paper), council roles.
ACCOUNTABLE = {
    "dcs": ("Daniel Okonjo", "Corporate Director of Children's Services", "council"),
    "ad_education": ("Laura Bishop", "Assistant Director of Education and Skills", "council"),
}


def build(demo: Demo) -> None:
    """Create the organisations, the people and their groups and memberships."""
    for key, (name, short_name, kind) in ORGANISATIONS.items():
        demo.organisations[key] = demo.illustrative(
            ensure(Organisation, {"name": name}, {"short_name": short_name, "kind": kind})
        )
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    members: dict[str, list[User]] = {key: [] for key in ORGANISATIONS}
    # Hash once: the demo password is shared and public, and hashing it per user would take seconds.
    password = make_password(DEMO_PASSWORD)
    for username, person in PEOPLE.items():
        user = ensure(
            User,
            {"username": username},
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "job_title": person.job_title,
                "email": f"{username}@example.org",
                "is_staff": person.is_staff,
                "is_superuser": person.is_superuser,
                "is_active": True,
            },
            # Set once: a later run must not undo a password someone changed while trying the demo.
            on_create={"password": password},
        )
        ensure_m2m(user, "groups", [groups[person.role]])
        demo.users[username] = user
        for key in person.organisations:
            members[key].append(user)
        # The person who leads actions, paired with their (first) organisation; linked to the sign-in.
        demo.people[username] = ensure(
            PlanPerson,
            {"user": user},
            {
                "name": f"{person.first_name} {person.last_name}",
                "job_title": person.job_title,
                "email": f"{username}@example.org",
                "organisation": demo.org(person.organisations[0]) if person.organisations else None,
            },
        )
    for key, (name, job_title, organisation) in ACCOUNTABLE.items():
        demo.people[key] = ensure(
            PlanPerson,
            {"name": name, "user": None},
            {"job_title": job_title, "organisation": demo.org(organisation)},
        )
    for key, people in members.items():
        # Add only: the organisations may have real members too.
        demo.organisations[key].people.add(*people)
