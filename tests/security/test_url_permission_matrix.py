"""Every URL in the URLconf × every role × GET and POST, against one table of rules.

One test per role walks every URL and method, each request in a savepoint rolled back afterwards, so every
request meets the same records. A refused request, and any GET, must leave every row of our apps (history
included) as it was: counted in one query over every table.

The URLs are walked from the URLconf, not listed by hand: a new view without an entry in RULES fails
`test_every_url_has_a_rule`, and its requests fail in the matrix, until someone decides who may use it.
The admin site (`admin/`) has its own tests; only its front door is checked here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone

from actions.models import (
    Action,
    ActionUpdate,
    Board,
    CadenceChange,
    Measure,
    Meeting,
    Organisation,
    Person,
    SuccessCriterion,
)
from inspections.models import Assessment, Review, Section
from reports.models import CommitteePaper, PaperTemplate, SignOff
from tests.factories import (
    make_action,
    make_criterion,
    make_finding,
    make_published_paper,
    make_user,
    update_data,
)
from tests.project import our_app_configs

ROLES = ["anonymous", "officer", "other_officer", "plan_lead", "scrutiny_member", "administrator", "no_role"]
SKIPPED_PREFIXES = ("admin/",)


@dataclass(frozen=True)
class Expect:
    status: int
    # A URL name to be redirected to (reversed with the request's own path values when it takes any),
    # or TO_LOGIN for the login page with ?next= the requested path.
    location: str | None = None
    # Whether the request changes the action (only a permitted update does).
    writes: bool = False


TO_LOGIN = "login with next"
OK = Expect(200)
FORBIDDEN = Expect(403)
NOT_ALLOWED = Expect(405)
ANONYMOUS = Expect(302, TO_LOGIN)


def to(name: str, **fields) -> Expect:
    return Expect(302, name, **fields)


def everyone_signed_in(expect: Expect) -> dict[str, Expect]:
    return {role: expect for role in ROLES if role != "anonymous"}


def read_only(**by_role: Expect) -> dict[str, dict[str, Expect]]:
    """Rules for a GET-only page: anonymous to login, the given roles' GET, and POST refused with 405."""
    return {
        "GET": {"anonymous": ANONYMOUS, **by_role},
        "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
    }


VIEWERS = {
    "officer": OK,
    "other_officer": OK,
    "plan_lead": OK,
    "scrutiny_member": OK,
    "administrator": OK,
    "no_role": FORBIDDEN,  # signed in, but no group yet: sees nothing
}

# Plan leads and administrators: who run the update cycle and keep boards and meetings.
MANAGERS_ONLY = {
    "officer": FORBIDDEN,
    "other_officer": FORBIDDEN,
    "plan_lead": OK,
    "scrutiny_member": FORBIDDEN,
    "administrator": OK,
    "no_role": FORBIDDEN,
}


def managers_may(get: Expect, post: Expect) -> dict[str, dict[str, Expect]]:
    """Rules for a page only plan leads and administrators use, by GET and by POST."""
    refused = {role: FORBIDDEN for role in MANAGERS_ONLY}
    return {
        "GET": {"anonymous": ANONYMOUS, **refused, "plan_lead": get, "administrator": get},
        "POST": {"anonymous": ANONYMOUS, **refused, "plan_lead": post, "administrator": post},
    }


INVALID = Expect(422)  # the matrix posts an empty form: permitted users see it again with its errors


def post_only(**by_role: Expect) -> dict[str, dict[str, Expect]]:
    """Rules for a POST-only URL: GET refused with 405 (anonymous to login), the given roles' POST."""
    return {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": {"anonymous": ANONYMOUS, **by_role},
    }


def plan_leads_only(allowed: Expect) -> dict[str, Expect]:
    """Plan leads and administrators get `allowed`; every other signed-in role is refused."""
    return {
        **everyone_signed_in(FORBIDDEN),
        "plan_lead": allowed,
        "administrator": allowed,
    }


# Papers: officers and scrutiny members read published papers; only plan leads and administrators write.
PAPER_READERS_REFUSED = {"officer": FORBIDDEN, "other_officer": FORBIDDEN, "scrutiny_member": FORBIDDEN}


def writers_only(expect: Expect) -> dict[str, Expect]:
    """Rules for a writers' request: plan leads and administrators get `expect`, the rest are refused."""
    return {
        "anonymous": ANONYMOUS,
        **PAPER_READERS_REFUSED,
        "plan_lead": expect,
        "administrator": expect,
        "no_role": FORBIDDEN,
    }


# url name -> method -> role -> what happens. The action in the path is led by `officer`.
RULES: dict[str, dict[str, dict[str, Expect]]] = {
    "home": read_only(
        officer=to("actions:mine"),
        other_officer=to("actions:mine"),
        plan_lead=to("plans:list"),
        scrutiny_member=to("reports:overview"),
        administrator=to("plans:list"),
        no_role=to("account:index"),  # no role yet (a first single sign-on): their account page
    ),
    "login": {
        "GET": {"anonymous": OK, **everyone_signed_in(to("home"))},
        # A wrong password shows the form again; signed-in users are sent on (redirect_authenticated_user).
        "POST": {"anonymous": OK, **everyone_signed_in(to("home"))},
    },
    "logout": {
        # Only POST logs out, so a link or image on another site cannot sign anyone out.
        "GET": {role: NOT_ALLOWED for role in ROLES},
        "POST": {role: to("login") for role in ROLES},
    },
    # Single sign-on (issue #34; tests/send_tracker/test_single_sign_on.py): no provider is configured here,
    # so every start is "not found", and a callback without a state it started goes back to sign-in.
    "sso-start": {
        "GET": {role: Expect(404) for role in ROLES},
        "POST": {role: NOT_ALLOWED for role in ROLES},
    },
    "sso-callback": {
        "GET": {role: to("login") for role in ROLES},
        "POST": {role: NOT_ALLOWED for role in ROLES},
    },
    "actions:list": read_only(**VIEWERS),
    "actions:mine": read_only(**VIEWERS),
    "actions:detail": read_only(**VIEWERS),
    "actions:row": read_only(**VIEWERS),
    "actions:update": {
        "GET": {
            "anonymous": ANONYMOUS,
            "officer": OK,
            "other_officer": FORBIDDEN,
            "plan_lead": OK,
            "scrutiny_member": FORBIDDEN,
            "administrator": OK,
            "no_role": FORBIDDEN,
        },
        "POST": {
            "anonymous": ANONYMOUS,
            "officer": to("actions:detail", writes=True),
            "other_officer": FORBIDDEN,
            "plan_lead": to("actions:detail", writes=True),
            "scrutiny_member": FORBIDDEN,
            "administrator": to("actions:detail", writes=True),
            "no_role": FORBIDDEN,
        },
    },
    # A success criterion's "met" flag: the action's lead, plan leads and administrators (empty form: 422).
    "actions:criterion-met": post_only(
        officer=INVALID,
        other_officer=FORBIDDEN,
        plan_lead=INVALID,
        scrutiny_member=FORBIDDEN,
        administrator=INVALID,
        no_role=FORBIDDEN,
    ),
    # Update cycle (#14): the status pages and recording an update on a lead's behalf.
    "cycle:index": read_only(**MANAGERS_ONLY),
    "cycle:status": read_only(**MANAGERS_ONLY),
    "cycle:remind": {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": managers_may(OK, to("cycle:status"))["POST"],
    },
    "cycle:record": managers_may(OK, INVALID),
    "boards:list": read_only(**VIEWERS),
    "boards:detail": read_only(**VIEWERS),
    "boards:create": managers_may(OK, INVALID),
    "boards:edit": managers_may(OK, INVALID),
    "boards:meeting-create": managers_may(OK, INVALID),
    "boards:meeting-series": managers_may(OK, INVALID),
    "boards:meeting-edit": managers_may(OK, INVALID),
    "inspections:reviews": read_only(**VIEWERS),
    "inspections:review": read_only(**VIEWERS),
    "inspections:finding": read_only(**VIEWERS),
    "inspections:coverage": read_only(**VIEWERS),
    "inspections:matrix": read_only(**VIEWERS),
    "inspections:frameworks": read_only(**VIEWERS),
    "inspections:framework": read_only(**VIEWERS),
    "inspections:assessment": read_only(**VIEWERS),
    # Linking a finding to a priority, adding a local framework, opening, rating and agreeing a round:
    # plan leads and administrators; scrutiny members and officers read only.
    "inspections:finding-priorities": post_only(**plan_leads_only(to("inspections:finding"))),
    "inspections:framework-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(Expect(302))},
    },
    "inspections:framework-add-section": post_only(**plan_leads_only(to("inspections:framework"))),
    "inspections:framework-add-criterion": post_only(**plan_leads_only(to("inspections:framework"))),
    "inspections:assessment-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(Expect(302))},
    },
    "inspections:rate": post_only(**plan_leads_only(to("inspections:assessment"))),
    # The review chain in the app: editing a review, adding the step that followed it, judging a revisit.
    "inspections:review-edit": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:review-step-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:judgements": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
    },
    "inspections:judge": post_only(**plan_leads_only(Expect(302))),
    "inspections:agree": post_only(**plan_leads_only(to("inspections:assessment"))),
    # Recording reviews and their findings: plan leads and administrators; anyone who reads, searches.
    "inspections:review-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:review-findings": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
    },
    "inspections:finding-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:findings-paste": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:finding-edit": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "inspections:finding-move": post_only(**plan_leads_only(INVALID)),
    "inspections:finding-retire": post_only(**plan_leads_only(INVALID)),
    "inspections:finding-search": read_only(**VIEWERS),
    "reports:overview": read_only(**VIEWERS),
    "reports:plan": read_only(**VIEWERS),
    "reports:kpis": read_only(**VIEWERS),
    "reports:trends": read_only(**VIEWERS),
    **{
        name: {
            "GET": {
                **everyone_signed_in(FORBIDDEN),
                "anonymous": ANONYMOUS,
                "plan_lead": OK,
                "administrator": OK,
            },
            "POST": {
                **everyone_signed_in(FORBIDDEN),
                "anonymous": ANONYMOUS,
                "plan_lead": to(target),
                "administrator": to(target),
            },
        }
        # The grid of every measure by month comes back to itself after a save.
        for name, target in (
            ("reports:kpi-values", "reports:kpis"),
            ("reports:kpi-definition", "reports:kpis"),
            ("reports:kpi-grid", "reports:kpi-grid"),
        )
    },
    # Adding a measure (an empty form is refused) and retiring one (no version posted is refused).
    "reports:kpi-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "reports:kpi-retire": post_only(**plan_leads_only(INVALID)),
    # Comparator series: everyone who reads KPIs reads them; plan leads and administrators enter them.
    "reports:series-list": read_only(**VIEWERS),
    "reports:series-new": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "reports:series": {
        "GET": {"anonymous": ANONYMOUS, **VIEWERS},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    "reports:series-edit": {
        "GET": {"anonymous": ANONYMOUS, **plan_leads_only(OK)},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    # Committee papers. The paper in the path is published (version 1); writers are plan leads and admins.
    "papers:list": read_only(**VIEWERS),
    "papers:detail": read_only(**VIEWERS),
    "papers:version": read_only(**VIEWERS),
    "papers:version-pdf": read_only(**VIEWERS),
    "papers:draft-pdf": read_only(**{**VIEWERS, **PAPER_READERS_REFUSED}),
    "papers:publish": {
        # The check page; this paper is published already, so writers are sent back to it.
        "GET": writers_only(to("papers:detail")),
        # Already published: a writer is told so (409); a correction must be opened first.
        "POST": writers_only(Expect(409)),
    },
    "papers:create": {
        "GET": writers_only(OK),
        # An empty form: the writers see its errors (422); nothing is created.
        "POST": writers_only(Expect(422)),
    },
    # The paper in the path is published: its edit page sends writers back to it.
    "papers:edit": {
        "GET": writers_only(to("papers:detail")),
        "POST": writers_only(to("papers:detail")),
    },
    "papers:add-appendix": {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": writers_only(to("papers:detail")),
    },
    "papers:sign-off": {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": writers_only(to("papers:detail")),
    },
    "papers:correct": {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": writers_only(to("papers:detail")),
    },
    # A paper's sections, implications, background papers and appendices (#12): the paper is published, so
    # writers are sent back to it; readers are refused.
    "papers:structure": {
        "GET": writers_only(to("papers:detail")),
        "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
    },
    **{
        name: {
            "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
            "POST": writers_only(to("papers:detail")),
        }
        for name in (
            "papers:part",
            "papers:add-background",
            "papers:add-implication",
            "papers:add-section",
            "papers:sign-off-need",
        )
    },
    # Paper templates (#29): plan leads and administrators edit them; an empty form is refused (422).
    "papers:templates": read_only(**MANAGERS_ONLY),
    "papers:start-template": post_only(**plan_leads_only(INVALID)),
    "papers:template": {
        "GET": {"anonymous": ANONYMOUS, **MANAGERS_ONLY},
        "POST": {"anonymous": ANONYMOUS, **plan_leads_only(INVALID)},
    },
    # A paper saved as a template: an empty name sends the writer back to the paper's structure page.
    "papers:save-as-template": {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": writers_only(to("papers:structure")),
    },
}


# The Account pages (issue #18). Everyone signed in has an account page; the forgotten-password pages are
# for anyone. Empty POSTs are invalid forms (422); nobody here has two-step verification pending or set up.
EVERYONE = {role: OK for role in ROLES}
INVALID = Expect(422)
RULES.update(
    {
        "account:index": read_only(**everyone_signed_in(OK)),
        "account:password-change": {
            "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(OK)},
            "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(INVALID)},
        },
        "account:password-reset": {"GET": EVERYONE, "POST": {role: INVALID for role in ROLES}},
        "account:password-reset-sent": {
            "GET": EVERYONE,
            "POST": {role: NOT_ALLOWED for role in ROLES},
        },
        # A made-up token: the page says the link has expired, whatever the method.
        "account:password-reset-confirm": {"GET": EVERYONE, "POST": EVERYONE},
        "account:two-factor-setup": {
            "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(OK)},
            "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(INVALID)},
        },
        # Nothing to verify: sent on to the start page.
        "account:two-factor-verify": {
            "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(to("home"))},
            "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(to("home"))},
        },
        # No authenticator app: sent to the account page.
        "account:recovery-codes": {
            "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(to("account:index"))},
            "POST": {"anonymous": ANONYMOUS, **everyone_signed_in(to("account:index"))},
        },
    }
)
# Plan building (issue #9): plan leads and administrators only, refused server-side to everyone else.
PLANNERS_GET = {
    "anonymous": ANONYMOUS,
    "officer": FORBIDDEN,
    "other_officer": FORBIDDEN,
    "plan_lead": OK,
    "scrutiny_member": FORBIDDEN,
    "administrator": OK,
    "no_role": FORBIDDEN,
}
# An empty POST from a planner is an invalid form: shown again (422), nothing written.
PLANNERS_POST = {**PLANNERS_GET, "plan_lead": Expect(422), "administrator": Expect(422)}
for _name in (
    "plans:list",
    "plans:detail",
    "plans:grid",
    "plans:people",
    "plans:scales",
    "plans:scale-detail",
    "plans:organisations",
):
    RULES[_name] = read_only(**{role: PLANNERS_GET[role] for role in ROLES if role != "anonymous"})
for _name in (
    "plans:create",
    "plans:edit",
    "plans:priority-create",
    "plans:priority-edit",
    "plans:priority-links",
    "plans:action-create",
    "plans:action-edit",
    "plans:action-rebaseline",
    "plans:action-archive",
    "plans:person-create",
    "plans:scale-create",
    "plans:level-create",
    "plans:level-edit",
    "plans:plan-scale",
    "plans:organisation-edit",
    "plans:cadence-create",
    "plans:cadence-edit",
):
    RULES[_name] = {"GET": PLANNERS_GET, "POST": PLANNERS_POST}
# A person's page (#9): planners see it; only administrators give a person a sign-in and a role.
# Closing and archiving a plan: a check page (GET), then the change (POST).
RULES["plans:status"] = RULES["plans:archive"] = {"GET": PLANNERS_GET, "POST": PLANNERS_POST}
RULES["plans:person-detail"] = RULES["plans:people"]
RULES["plans:person-sign-in"] = {
    "GET": {**PLANNERS_GET, "plan_lead": FORBIDDEN},
    "POST": {**PLANNERS_POST, "plan_lead": FORBIDDEN},
}
for _name in (
    "plans:action-restore",
    "plans:level-retire",
    "plans:organisation-succeed",
    "plans:cadence-retire",
):
    RULES[_name] = {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": PLANNERS_POST,
    }

# Import and export (#13): plan leads and administrators import; exports follow read permissions.
RULES["exchange:upload"] = {"GET": PLANNERS_GET, "POST": PLANNERS_POST}
# "Update the preview" posts the mapping back (#27: no token in URLs); it shows the preview, writing nothing.
RULES["exchange:preview"] = {"GET": PLANNERS_GET, "POST": PLANNERS_GET}
# An empty POST maps no columns: the preview is shown again with its problems (422), nothing written.
RULES["exchange:confirm"] = {
    "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
    "POST": PLANNERS_POST,
}
for _name in (
    "exchange:export-actions",
    "exchange:export-plan",
    "exchange:export-matrix",
    "exchange:export-kpis",
):
    RULES[_name] = read_only(**VIEWERS)
# The load balancer's health check (issue #16): public, read-only, no personal data.
RULES["health"] = {"GET": {role: OK for role in ROLES}, "POST": {role: NOT_ALLOWED for role in ROLES}}
# Public progress pages (#33): anyone may read a published page (none is published here, so 404); they are
# read-only for everyone. Preparing and publishing them is for plan leads and administrators.
RULES["public:index"] = {"GET": {role: OK for role in ROLES}, "POST": {role: NOT_ALLOWED for role in ROLES}}
for _name in ("public:progress", "public:embed", "public:feed", "public:paper"):
    RULES[_name] = {
        "GET": {role: Expect(404) for role in ROLES},
        "POST": {role: NOT_ALLOWED for role in ROLES},
    }
RULES["publishing:plan"] = read_only(**{role: PLANNERS_GET[role] for role in ROLES if role != "anonymous"})
for _name in ("publishing:purpose", "publishing:summary", "publishing:item-add", "publishing:item-edit"):
    RULES[_name] = {"GET": PLANNERS_GET, "POST": PLANNERS_POST}
RULES["publishing:publish"] = {"GET": PLANNERS_GET, "POST": PLANNERS_POST}
for _name in (
    "publishing:withdraw",
    "publishing:approve-summary",
    "publishing:item-approve",
    "publishing:item-retire",
    "publishing:measure",
):
    RULES[_name] = {
        "GET": {"anonymous": ANONYMOUS, **everyone_signed_in(NOT_ALLOWED)},
        "POST": PLANNERS_POST,
    }


def _walk(patterns, prefix: str = "", namespace: str = "", params: tuple[str, ...] = ()):
    """Yield (route, qualified name, path parameter names) for every named URL pattern."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = (*params, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, names)
        elif isinstance(entry, URLPattern):
            # An unnamed pattern cannot have a rule, so test_every_url_has_a_rule reports it.
            yield route, f"{namespace}{entry.name or f'<unnamed {route}>'}", names


URLS = list(_walk(get_resolver().url_patterns))
URL_NAMES = [name for _, name, _ in URLS]
PARAMS = {name: params for _, name, params in URLS}


def test_the_walk_finds_the_urls_we_know_about():
    assert {"home", "login", "logout", "actions:list", "actions:detail", "actions:update"} <= set(URL_NAMES)


def test_a_new_view_without_a_rule_would_be_caught():
    def paper_pdf(request, paper: int) -> HttpResponse:
        return HttpResponse()

    reports = ([path("<int:paper>/pdf/", paper_pdf, name="paper-pdf")], "reports")
    found = list(_walk([*get_resolver().url_patterns, path("reports/", include(reports))]))
    assert ("reports/<int:paper>/pdf/", "reports:paper-pdf", ("paper",)) in found
    assert "reports:paper-pdf" not in RULES


def test_every_url_has_a_rule():
    missing = sorted(set(URL_NAMES) - set(RULES))
    assert missing == [], f"New URLs without a permission rule: add them to RULES: {missing}"


def test_every_rule_is_for_a_url_that_exists():
    assert sorted(set(RULES) - set(URL_NAMES)) == []


def test_every_rule_covers_every_role():
    for name, methods in RULES.items():
        assert "GET" in methods, name
        for method, by_role in methods.items():
            assert sorted(by_role) == sorted(ROLES), f"{name} {method}"


@pytest.fixture
def people(db, officer, other_officer, plan_lead, scrutiny_member, administrator) -> dict:
    return {
        "anonymous": None,
        "officer": officer,
        "other_officer": other_officer,
        "plan_lead": plan_lead,
        "scrutiny_member": scrutiny_member,
        "administrator": administrator,
        "no_role": make_user("no_role_yet"),
    }


@pytest.fixture
def action(officer) -> Action:
    return make_action(leads=[officer])


@pytest.fixture
def paper(action):
    return make_published_paper(action.plan)


def _public_records(action: Action) -> dict:
    """Path values for the public pages and their preparation: a "You said, we did" item and a version."""
    from public.models import YouSaidWeDid

    item, _ = YouSaidWeDid.objects.get_or_create(priority=action.priority, you_said="Matrix", we_did="Matrix")
    return {"you_said_we_did": item.pk, "version": 1}


def _measure(action: Action) -> Measure:
    measure, _ = Measure.objects.get_or_create(
        name="Matrix measure", defaults={"plan": action.plan, "higher_is_better": True}
    )
    return measure


def _inspection_records(name: str, action: Action, made: dict) -> dict:
    """Return inspections path values: a finding, a local framework with a criterion and a round (made once
    into `made`, which the matrix shares between its addresses)."""
    if "inspections" not in made:
        made["inspections"] = _new_inspection_records()
    finding, criterion, assessment, revisit = made["inspections"]
    judged = name in ("inspections:judgements", "inspections:judge")
    return {
        # A revisit's judgements page takes the revisit, which judges the findings of the review it follows.
        "review": revisit.pk if judged else finding.review_id,
        "finding": finding.pk,
        "framework": criterion.framework_id,
        "criterion": criterion.pk,
        "assessment": assessment.pk,
        "section": criterion.section_id,
    }


def _new_inspection_records() -> tuple:
    finding = make_finding()
    criterion = make_criterion()
    criterion.framework.is_local = True
    criterion.framework.save()
    assessment = Assessment.objects.create(
        framework=criterion.framework, label="Feb 18", assessed_on=datetime.date(2018, 2, 28)
    )
    revisit = Review.objects.create(
        kind=Review.Kind.REVISIT,
        title="Matrix revisit",
        start_date=datetime.date(2021, 3, 1),
        follows_up=finding.review,
    )
    return finding, criterion, assessment, revisit


def _path_values(name: str, action: Action, made: dict | None = None) -> dict:
    board, _ = Board.objects.get_or_create(name="Matrix board")
    meeting, _ = Meeting.objects.get_or_create(board=board, date=datetime.date(2030, 1, 10))
    paper = CommitteePaper.objects.filter(plan=action.plan).first()
    sign_off = SignOff.objects.filter(paper=paper).first() if paper else None
    params = PARAMS[name]
    known = {
        "action": action.pk,
        "paper": paper.pk if paper else 0,
        "number": 1,
        "sign_off": getattr(sign_off, "pk", 0),
        "plan": action.plan_id,
        "priority": action.priority_id,
        "board": board.pk,
        "meeting": meeting.pk,
        "scale": action.plan.rag_scale_id,
        "level": action.plan.rag_scale.levels.first().pk,
        "uidb64": "MQ",
        "token": "not-a-real-token",
        "fmt": "xlsx",
        "kind": "section",
        "part": getattr(paper.sections.first() if paper else None, "pk", 0),
        "provider": "council",
    }
    if name.startswith(("public:", "publishing:")):
        known.update(_public_records(action))
    # The public pages and the KPI grid read the measure too, so it exists before the rows are counted.
    if "measure" in params or name.startswith(("public:", "publishing:", "reports:kpi-")):
        known["measure"] = _measure(action).pk
    if "template" in params:
        known["template"] = PaperTemplate.objects.get_or_create(name="Matrix template")[0].pk
    if name.startswith("inspections:") or name == "exchange:export-matrix":
        known.update(_inspection_records(name, action, {} if made is None else made))
    elif "criterion" in params:
        known["criterion"] = SuccessCriterion.objects.get_or_create(action=action, text="Matrix")[0].pk
    if "change" in params:
        known["change"] = CadenceChange.objects.get_or_create(
            plan=action.plan, starts_on=datetime.date(2030, 1, 1), defaults={"cycle_days": 91}
        )[0].pk
    if "upload" in params:
        known["upload"] = _upload(action).pk
    if "series" in params:
        from actions.models import ComparatorSeries

        known["series"] = ComparatorSeries.objects.get_or_create(name="Matrix national series")[0].pk
    if "person" in params:
        known["person"] = Person.objects.get_or_create(name="Matrix Person")[0].pk
    if "organisation" in params:
        council, _ = Organisation.objects.get_or_create(name="Matrix Council", kind="council")
        known["organisation"] = council.pk
    unknown = [param for param in params if param not in known]
    assert not unknown, f"{name}: no test value for path parameters {unknown}; add them to _path_values"
    return {param: known[param] for param in params}


def _upload(action: Action):
    from exchange.models import ImportUpload

    csv = b"Reference,Priority,Action,Due date\n9.9,1,Matrix action,31/01/2030\n"
    owner = action.plan.lead or get_user_model().objects.filter(username="matrix_uploader").first()
    owner = owner or make_user("matrix_uploader")
    return ImportUpload.objects.get_or_create(
        filename="matrix.csv",
        defaults={"kind": "action_plan", "plan": action.plan, "content": csv, "uploaded_by": owner},
    )[0]


def _inspections_post_data(name: str, action: Action, kwargs: dict) -> dict:
    if name == "inspections:finding-priorities":
        return {"priority": action.priority_id}
    if name == "inspections:framework-new":
        return {
            "name": "Our SEF",
            "year": "2024",
            "red_meaning": "r",
            "amber_meaning": "a",
            "green_meaning": "g",
        }
    if name == "inspections:framework-add-section":
        return {"code": "Q9", "title": "How well do we listen?"}
    if name == "inspections:framework-add-criterion":
        section = Section.objects.filter(framework_id=kwargs["framework"]).first()
        return {"section": section.pk, "code": "Z1", "wording": "We listen."}
    if name == "inspections:assessment-new":
        return {"label": "Mar 18", "assessed_on": "2018-03-31"}
    if name == "inspections:judge":
        prefix = f"f{kwargs['finding']}"
        return {f"{prefix}-version": "0", f"{prefix}-judgement": "sufficient", f"{prefix}-evidence": "Seen."}
    if name == "inspections:rate":
        prefix = f"c{kwargs['criterion']}"
        return {f"{prefix}-version": "0", f"{prefix}-rag": "A", f"{prefix}-commentary": "Started."}
    return {}


def _post_data(name: str, action: Action, user, kwargs: dict | None = None) -> dict:
    if name.startswith("inspections:"):
        return _inspections_post_data(name, action, kwargs or {})
    if name == "actions:update":
        return update_data(action)
    if name == "login":
        return {"username": getattr(user, "username", "nobody"), "password": "not-the-password"}
    if name == "reports:kpi-values":
        return {"version": _measure(action).version, "p0-value": "50"}
    if name == "reports:kpi-grid":
        measure = _measure(action)
        last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        return {f"m{measure.pk}-version": measure.version, f"m{measure.pk}-{last_month_end}-value": "50"}
    if name == "reports:kpi-definition":
        return {
            "version": _measure(action).version,
            "name": "Matrix measure",
            "unit": "percent",
            "higher_is_better": "True",
        }
    if name in ("papers:publish", "papers:correct", "papers:sign-off", "papers:edit"):
        version = CommitteePaper.objects.filter(plan=action.plan).values_list("version", flat=True).first()
        return {"version": version, "reason": "A figure in paragraph 2.1 was wrong."}
    return {}


def _snapshot(action: Action) -> tuple:
    """Return what a refused request must leave alone: the action, its log and its history."""
    return (
        Action.objects.filter(pk=action.pk)
        .values_list("version", "status", "rag_id", "rag_reason", "recovery_plan", "last_updated_at")
        .get(),
        ActionUpdate.objects.count(),
        Action.history.count(),
    )


# Every table of our apps (each app whose code lives in this repository, so a new one is counted without
# being listed) is counted, history tables included, and Django's auth groups and permissions, which are
# our roles. Left out, and they are no app of ours: sessions, which a visit or signing in writes without
# changing any record, and django-axes's login logs, which record a refused sign-in by design.
COUNTED_APPS = {config.label for config in our_app_configs()} | {"auth"}


def _row_counts() -> dict[str, int]:
    """Return the number of rows of every model of COUNTED_APPS, read in one query."""
    models = sorted(
        (m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in COUNTED_APPS),
        key=lambda m: m._meta.db_table,
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # table names come from the model registry
        row = cursor.fetchone()
    return {m._meta.label: count for m, count in zip(models, row, strict=True)}


def _refusal(expect: Expect, method: str) -> bool:
    """Whether the request must write nothing: any GET, and every refused POST."""
    return method == "GET" or expect.status in (403, 404, 405, 422) or expect.location == TO_LOGIN


def signed_in_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _request_problems(
    name: str,
    method: str,
    role: str,
    user,
    action: Action,
    kwargs: dict | None = None,
    client: Client | None = None,
) -> list[str]:
    """Make one request of the matrix and return how it broke its rule (nothing when it kept it).

    `client`, signed in as `user`, is reused when given: its cookies are put back afterwards, as what the
    request wrote (a new session key too) is rolled back by the caller.
    """
    client = client or signed_in_client(user)
    cookies = SimpleCookie(client.cookies)
    try:
        return _problems(name, method, RULES[name][method][role], client, user, action, kwargs)
    finally:
        client.cookies = cookies


def _problems(
    name: str, method: str, expect: Expect, client: Client, user, action: Action, kwargs
) -> list[str]:
    kwargs = _path_values(name, action) if kwargs is None else kwargs
    url = reverse(name, kwargs=kwargs)
    before, counts_before = _snapshot(action), _row_counts()
    response = (
        client.get(url) if method == "GET" else client.post(url, _post_data(name, action, user, kwargs))
    )
    problems = []
    if response.status_code != expect.status:
        return [f"HTTP {response.status_code}, want {expect.status}"]
    if expect.location == TO_LOGIN:
        if response["Location"] != f"{reverse('login')}?next={quote(url)}":
            problems.append(f"sent to {response['Location']}, not to sign in")
    elif expect.location:
        target_params = PARAMS[expect.location]
        location = response["Location"].split("#")[0]  # a page anchor is not part of the rule
        wanted = reverse(expect.location, kwargs={p: kwargs[p] for p in target_params})
        if location != wanted:
            problems.append(f"sent to {location}, want {wanted}")
    after = _snapshot(action)
    if expect.writes:
        if after[1] != before[1] + 1 or after[0][0] != before[0][0] + 1:
            problems.append("the permitted update was not logged with the next version")
    elif after != before:
        problems.append("the action changed")
    if _refusal(expect, method):
        counts_after = _row_counts()
        changed = {label for label, count in counts_after.items() if counts_before[label] != count}
        if changed:
            problems.append(f"rows written: {sorted(changed)}")
    if name == "logout" and method == "POST" and SESSION_KEY in client.session:
        problems.append("still signed in")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, people, action, paper):
    failures = []
    # The records each address needs, and the role's session, are made once, before the first request:
    # every request runs in a savepoint rolled back afterwards, so each still meets the same records and
    # the same signed-in session.
    made: dict = {}
    values = {name: _path_values(name, action, made) for name in URL_NAMES}
    client = signed_in_client(people[role])
    for name in URL_NAMES:
        assert name in RULES, f"{name} has no rule in RULES: decide who may use it"
        for method in RULES[name]:
            with transaction.atomic():
                problems = _request_problems(name, method, role, people[role], action, values[name], client)
                transaction.set_rollback(True)
            failures += [f"{method} {name}: {problem}" for problem in problems]
    assert not failures, "\n".join(failures)


def test_the_matrix_sees_a_row_written_by_a_refused_request(people, action, paper, monkeypatch):
    """A view that wrote before refusing would be caught: the matrix counts every table, not one action."""
    from django.core.exceptions import PermissionDenied

    from actions import views
    from public.models import YouSaidWeDid

    def writes_then_refuses(request, action, **kwargs):
        Board.objects.create(name="Written by a refused request")
        YouSaidWeDid.objects.create(priority=Action.objects.get(pk=action).priority, you_said="x", we_did="y")
        raise PermissionDenied

    monkeypatch.setattr(views, "get_action_for_user", writes_then_refuses)
    with transaction.atomic():
        problems = _request_problems("actions:detail", "GET", "no_role", people["no_role"], action)
        transaction.set_rollback(True)
    assert len(problems) == 1, problems
    for label in ("actions.Board", "actions.HistoricalBoard", "public.YouSaidWeDid"):
        assert label in problems[0], label


def test_every_app_of_ours_is_counted_and_sessions_and_login_logs_are_not():
    assert {"send_tracker", "inspections", "actions", "reports", "exchange", "public", "demo"} <= COUNTED_APPS
    assert {"sessions", "axes"}.isdisjoint(COUNTED_APPS)


def test_no_url_accepts_put_patch_or_delete(administrator, action, paper):
    # One signed-in administrator asks every address: a 405 writes nothing, so nothing needs rolling back.
    client = signed_in_client(administrator)
    made: dict = {}
    urls = {name: reverse(name, kwargs=_path_values(name, action, made)) for name in URL_NAMES}
    before, counts_before = _snapshot(action), _row_counts()
    failures = []
    for name, url in urls.items():
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, update_data(action) if name == "actions:update" else None)
            # The login page sends a signed-in user on whatever the method.
            if response.status_code != (302 if name == "login" else 405):
                failures.append(f"{method.upper()} {name}: HTTP {response.status_code}")
    assert not failures, "\n".join(failures)
    assert _snapshot(action) == before
    assert _row_counts() == counts_before


def test_refused_update_by_htmx_changes_nothing(other_officer, scrutiny_member, action):
    for user in (other_officer, scrutiny_member):
        client = Client()
        client.force_login(user)
        before = _snapshot(action)
        response = client.post(
            reverse("actions:update", args=[action.pk]),
            {**update_data(action), "context": "row"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 403
        assert _snapshot(action) == before


def test_an_update_without_a_csrf_token_is_refused(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    before = _snapshot(action)
    response = client.post(reverse("actions:update", args=[action.pk]), update_data(action))
    assert response.status_code == 403
    assert _snapshot(action) == before


def test_logout_without_a_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("logout")).status_code == 403
    assert SESSION_KEY in client.session


@pytest.mark.parametrize("role", ["officer", "scrutiny_member", "plan_lead"])
def test_archived_and_missing_actions_are_not_found(role, request, action):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    archived = make_action(leads=[request.getfixturevalue("officer")], archived_at=timezone.now())
    for name in ("actions:detail", "actions:row", "actions:update"):
        assert client.get(reverse(name, args=[archived.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[archived.pk + 1000])).status_code == 404, name
    before = _snapshot(archived)
    response = client.post(reverse("actions:update", args=[archived.pk]), update_data(archived))
    assert response.status_code == 404
    assert _snapshot(archived) == before


def test_the_admin_site_sends_anonymous_users_to_its_login():
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_the_admin_site_refuses_staff_pages_to_an_officer(officer):
    client = Client()
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
