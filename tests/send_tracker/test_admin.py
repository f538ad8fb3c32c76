"""The admin: every registered model opens, nothing can be deleted, and the rules for each role hold."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import SingleSignOnIdentity, User
from actions.models import (
    Action,
    ActionUpdate,
    Board,
    CadenceChange,
    ComparatorSeries,
    ComparatorValue,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Organisation,
    Person,
    Plan,
    Priority,
    RagLevel,
    RagScale,
    ReminderSent,
    SuccessCriterion,
)
from inspections.models import Assessment, Criterion, Finding, Framework, Rating, Review, RevisitJudgement
from inspections.models import Section as FrameworkSection
from reports.models import (
    Appendix,
    BackgroundPaper,
    CommitteePaper,
    Implication,
    PaperTemplate,
    PublishedVersion,
    Recommendation,
    SignOff,
    TemplateSection,
    TemplateSignOff,
)
from reports.models import Section as PaperSection
from tests.factories import (
    make_action,
    make_brag_scale,
    make_finding,
    make_organisation,
    make_person,
    make_plan,
    make_priority,
    make_published_paper,
    make_review,
    make_user,
    person_for,
)

_n = itertools.count(1)


# Builders: one new, valid object per call, so the same builder serves "one row" and "many rows" tests.


def build_framework() -> Framework:
    return Framework.objects.create(name=f"Local area SEND framework {next(_n)}", year=2016)


def build_framework_section(framework: Framework | None = None) -> FrameworkSection:
    framework = framework or build_framework()
    number = next(_n)
    return FrameworkSection.objects.create(
        framework=framework,
        code=f"Q{number}",
        title="How effectively does the area identify need?",
        order=number,
    )


def build_criterion(section: FrameworkSection | None = None) -> Criterion:
    section = section or build_framework_section()
    number = next(_n)
    return Criterion.objects.create(
        section=section, code=f"A{number}", wording="Needs are identified early.", order=number
    )


def build_assessment(framework: Framework | None = None) -> Assessment:
    framework = framework or build_framework()
    day = datetime.date(2018, 1, 1) + datetime.timedelta(days=next(_n))
    return Assessment.objects.create(framework=framework, label=f"{day:%b %y}", assessed_on=day)


def build_rating() -> Rating:
    criterion = build_criterion()
    assessment = build_assessment(criterion.section.framework)
    return Rating.objects.create(assessment=assessment, criterion=criterion, rag="A", commentary="Improving.")


def build_board() -> Board:
    return Board.objects.create(name=f"SEND Development Board {next(_n)}")


def build_meeting() -> Meeting:
    return Meeting.objects.create(board=build_board(), date=datetime.date(2024, 3, 1))


def build_rag_scale() -> RagScale:
    return make_brag_scale(f"Scale {next(_n)}")


def build_rag_level() -> RagLevel:
    scale = RagScale.objects.create(name=f"Two-colour scale {next(_n)}")
    return RagLevel.objects.create(scale=scale, colour="green", label="On track")


def build_success_criterion() -> SuccessCriterion:
    return SuccessCriterion.objects.create(action=make_action(), text="Every record audited.")


def build_action_update() -> ActionUpdate:
    action = make_action()
    return ActionUpdate.objects.create(
        action=action,
        author=make_user(),
        narrative="Audit started in two teams.",
        status_before=Action.Status.NOT_STARTED,
        status_after=Action.Status.IN_PROGRESS,
        rag_after=action.plan.rag_scale.levels.get(colour="green"),
        version_after=2,
    )


def build_reminder_sent() -> ReminderSent:
    return ReminderSent.objects.create(
        lead=person_for(make_user()),
        deadline=datetime.date(2025, 6, 5) + datetime.timedelta(days=next(_n)),
        action_count=2,
    )


def build_measure() -> Measure:
    return Measure.objects.create(
        name=f"EHC plans issued within 20 weeks {next(_n)}", plan=make_plan(), higher_is_better=True
    )


def build_comparator_series() -> ComparatorSeries:
    # Names are unique: a series is entered once and shared.
    return ComparatorSeries.objects.create(name=f"EHC plans within 20 weeks {next(_n)}", area="England")


def build_comparator_value() -> ComparatorValue:
    return ComparatorValue.objects.create(
        series=build_comparator_series(),
        period_end=datetime.date(2023, 12, 31),
        period_label="2023",
        value=50.3,
    )


def build_measure_target() -> MeasureTarget:
    return MeasureTarget.objects.create(
        measure=build_measure(), period_end=datetime.date(2025, 3, 31), target=Decimal("60")
    )


def build_measure_value() -> MeasureValue:
    return MeasureValue.objects.create(
        measure=build_measure(), period_end=datetime.date(2024, 3, 31), value=Decimal("48.5")
    )


def build_paper(**fields: object) -> CommitteePaper:
    fields.setdefault("committee", build_board())
    fields.setdefault("meeting_date", datetime.date(2019, 11, 12))
    fields.setdefault("title", f"Written Statement of Action progress {next(_n)}")
    fields.setdefault("report_of", "Head of Inclusion")
    fields.setdefault("author_name", "A. Officer")
    return CommitteePaper.objects.create(**fields)


def build_recommendation() -> Recommendation:
    return Recommendation.objects.create(paper=build_paper(), number="1.1", text="Note the progress made.")


def build_paper_section() -> PaperSection:
    return PaperSection.objects.create(paper=build_paper(), kind="introduction", body="In March 2019…")


def build_implication() -> Implication:
    return Implication.objects.create(paper=build_paper(), kind="financial", body="None.")


def build_sign_off() -> SignOff:
    return SignOff.objects.create(paper=build_paper(), role="Legal", name="B. Solicitor")


def build_background_paper() -> BackgroundPaper:
    return BackgroundPaper.objects.create(paper=build_paper(), title="Inspection letter")


def build_appendix() -> Appendix:
    return Appendix.objects.create(
        paper=build_paper(), number=1, title="Action plan", kind="action_plan", plan=make_plan()
    )


def build_published_version():
    return make_published_paper().versions.get()


def build_paper_template() -> PaperTemplate:
    return PaperTemplate.objects.create(name=f"Template {next(_n)}")


def build_template_section() -> TemplateSection:
    return TemplateSection.objects.create(template=build_paper_template(), heading="Equality duty")


def build_template_sign_off() -> TemplateSignOff:
    return TemplateSignOff.objects.create(template=build_paper_template(), role="Monitoring Officer")


def _access_fields() -> dict[str, object]:
    return {
        "username": f"someone{next(_n)}",
        "ip_address": "192.0.2.1",
        "user_agent": "pytest",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }


def build_revisit_judgement() -> RevisitJudgement:
    weakness = make_finding()
    revisit = make_review(kind=Review.Kind.REVISIT, follows_up=weakness.review)
    return RevisitJudgement.objects.create(revisit=revisit, finding=weakness, judgement="sufficient")


BUILDERS: dict[type[Model], Callable[[], Model]] = {
    User: make_user,
    SingleSignOnIdentity: lambda: SingleSignOnIdentity.objects.create(
        user=make_user(), provider="council", subject=f"subject-{next(_n)}"
    ),
    Group: lambda: Group.objects.create(name=f"Group {next(_n)}"),
    AccessAttempt: lambda: AccessAttempt.objects.create(
        **_access_fields(), get_data="", post_data="", failures_since_start=1
    ),
    AccessLog: lambda: AccessLog.objects.create(**_access_fields()),
    AccessFailureLog: lambda: AccessFailureLog.objects.create(**_access_fields()),
    Review: make_review,
    Finding: make_finding,
    Framework: build_framework,
    FrameworkSection: build_framework_section,
    Criterion: build_criterion,
    Assessment: build_assessment,
    Rating: build_rating,
    RevisitJudgement: build_revisit_judgement,
    Organisation: make_organisation,
    Person: make_person,
    Board: build_board,
    Meeting: build_meeting,
    CadenceChange: lambda: CadenceChange.objects.create(
        plan=make_plan(), starts_on=datetime.date(2025, 4, 1), cycle_days=365
    ),
    RagScale: build_rag_scale,
    RagLevel: build_rag_level,
    Plan: make_plan,
    Priority: make_priority,
    Action: make_action,
    SuccessCriterion: build_success_criterion,
    ActionUpdate: build_action_update,
    ReminderSent: build_reminder_sent,
    Measure: build_measure,
    MeasureTarget: build_measure_target,
    ComparatorSeries: build_comparator_series,
    ComparatorValue: build_comparator_value,
    MeasureValue: build_measure_value,
    CommitteePaper: build_paper,
    Recommendation: build_recommendation,
    PaperSection: build_paper_section,
    Implication: build_implication,
    SignOff: build_sign_off,
    BackgroundPaper: build_background_paper,
    Appendix: build_appendix,
    PublishedVersion: build_published_version,
    PaperTemplate: build_paper_template,
    TemplateSection: build_template_section,
    TemplateSignOff: build_template_sign_off,
}

# Login records are for superusers; the Administrator role holds no permission on them.
SUPERUSER_ONLY = {AccessAttempt, AccessLog, AccessFailureLog, SingleSignOnIdentity}
# Roles are defined in code: administrators view groups, only a superuser makes a new one.
SUPERUSER_ADDS = {Group}
# The update log is written by officers from the action page; the login records by django-axes.
# Published versions are made only by publishing a paper.
# Single sign-on identities by a first sign-in through the provider (issue #34).
ADD_DISABLED = {
    ActionUpdate,
    ReminderSent,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    PublishedVersion,
    SingleSignOnIdentity,
}
# The core of the domain, whose history pages must open (every model with history is checked anyway).
CORE_MODELS = (Action, Plan, Review, Finding, Criterion, Rating, CommitteePaper)

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
HISTORY_MODELS = [
    model for model in REGISTERED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)
]


def _label(model: type[Model]) -> str:
    return model._meta.label


def url(model: type[Model], view: str, *args: object) -> str:
    """Return the admin URL of a model's view ("changelist", "add", "change", "history", "delete")."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@example.org", "a-long-test-password")


@pytest.fixture(params=["superuser", "administrator"])
def admin_user(request: pytest.FixtureRequest) -> User:
    return request.getfixturevalue(request.param)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_every_model_is_registered_except_history_models() -> None:
    from django.apps import apps

    ours = {
        model
        for app in ("send_tracker", "inspections", "actions", "reports")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert ours <= set(REGISTERED)
    assert not [model for model in REGISTERED if model.__name__.startswith("Historical")]


def test_every_registered_model_has_a_builder() -> None:
    # A model registered without a builder here would skip the checks below.
    assert set(REGISTERED) == set(BUILDERS)


def test_no_admin_or_inline_may_delete(rf, superuser) -> None:
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert model_admin.has_delete_permission(request) is False, _label(model)
        for inline in model_admin.get_inline_instances(request):
            assert inline.has_delete_permission(request) is False, f"{_label(model)} {type(inline).__name__}"


def test_models_with_history_use_the_history_admin() -> None:
    for model in REGISTERED:
        if hasattr(model, "history"):
            assert model in HISTORY_MODELS, _label(model)


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_administrators_open_the_changelist_without_a_delete_action(client, admin_user, model) -> None:
    BUILDERS[model]()
    response = login(client, admin_user).get(url(model, "changelist"))

    if model in SUPERUSER_ONLY and not admin_user.is_superuser:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    action_form = response.context["action_form"]
    if action_form is not None:
        assert "delete_selected" not in dict(action_form.fields["action"].choices)


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_administrators_open_the_add_page_unless_adding_is_disabled(client, admin_user, model) -> None:
    response = login(client, admin_user).get(url(model, "add"))

    superuser_only = SUPERUSER_ONLY | SUPERUSER_ADDS
    if model in ADD_DISABLED or (model in superuser_only and not admin_user.is_superuser):
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_administrators_open_the_change_page_of_an_existing_object(client, admin_user, model) -> None:
    obj = BUILDERS[model]()
    response = login(client, admin_user).get(url(model, "change", obj.pk))

    if model in SUPERUSER_ONLY and not admin_user.is_superuser:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response.context["original"] == obj


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=_label)
def test_administrators_open_the_history_page_with_who_changed_what(client, superuser, model) -> None:
    obj = BUILDERS[model]()
    response = login(client, superuser).get(url(model, "history", obj.pk))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count >= 1


def test_the_core_models_have_history_pages() -> None:
    assert set(CORE_MODELS) <= set(HISTORY_MODELS)


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_nothing_can_be_deleted_even_by_a_superuser(client, superuser, model) -> None:
    obj = BUILDERS[model]()
    login(client, superuser)

    assert client.get(url(model, "delete", obj.pk)).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_bulk_delete_is_refused(client, superuser, model) -> None:
    obj = BUILDERS[model]()
    login(client, superuser).post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )

    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_queries_do_not_grow_with_rows(client, superuser, model) -> None:
    login(client, superuser)
    changelist = url(model, "changelist")
    BUILDERS[model]()
    client.get(changelist)  # warm caches (content types, site) so both counts see the same work

    with CaptureQueriesContext(connection) as one_row:
        assert client.get(changelist).status_code == 200
    for _ in range(3):
        BUILDERS[model]()
    with CaptureQueriesContext(connection) as four_rows:
        assert client.get(changelist).status_code == 200

    # Session, user, counts, the page of rows and its select/prefetch queries, filter choices: a fixed set.
    assert len(four_rows) == len(one_row), "\n".join(q["sql"][:300] for q in four_rows.captured_queries)


# Roles


def test_administrator_opens_the_action_changelist_and_add_page(client, administrator) -> None:
    make_action()
    login(client, administrator)

    assert client.get(url(Action, "changelist")).status_code == 200
    assert client.get(url(Action, "add")).status_code == 200


def test_action_changelist_is_a_fixed_number_of_queries(
    client, administrator, django_assert_max_num_queries
) -> None:
    def grow() -> None:
        for _ in range(5):
            action = make_action(leads=[make_user(), make_user()])
            action.lead_organisations.add(make_organisation())

    grow()
    login(client, administrator)
    client.get(url(Action, "changelist"))  # warm the content type cache

    # session, user, the user's groups with all permissions (accounts.backends), plan filter,
    # organisation filter, two counts (filtered and total), the page of actions with plan and RAG joined,
    # their leads (no session save: its expiry is under a minute old).
    with django_assert_max_num_queries(9) as small:
        response = client.get(url(Action, "changelist"))
    assert len(response.context["cl"].result_list) == 5

    grow()
    with django_assert_max_num_queries(9) as large:
        response = client.get(url(Action, "changelist"))
    assert len(response.context["cl"].result_list) == 10
    assert len(small) == len(large)


def test_administrator_cannot_delete_an_action(client, administrator) -> None:
    action = make_action()
    login(client, administrator)

    assert client.post(url(Action, "delete", action.pk), {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_administrator_searches_active_users_to_link_them_to_people(client, administrator) -> None:
    make_user("asha", first_name="Asha", last_name="Patel")
    make_user("aaron", first_name="Aaron", last_name="Patel", is_active=False)
    response = login(client, administrator).get(
        reverse("admin:autocomplete"),
        {"app_label": "actions", "model_name": "person", "field_name": "user", "term": "Patel"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Asha Patel"]


def test_plan_lead_has_no_admin_access(client, plan_lead, officer) -> None:
    # Plan leads build plans in the app; the admin is for administrators only.
    login(client, plan_lead)

    for page in (url(User, "changelist"), url(User, "change", officer.pk), url(Action, "changelist")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_who_may_only_view_actions_cannot_search_users(client, db) -> None:
    # Scrutiny members may read every action; being staff must not let them list people through the search.
    viewer = make_user("viewer", "Scrutiny member", is_staff=True)
    response = login(client, viewer).get(
        reverse("admin:autocomplete"),
        {"app_label": "actions", "model_name": "person", "field_name": "user", "term": "a"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["scrutiny_member", "officer"])
def test_people_without_staff_status_are_sent_to_the_admin_login(client, request, persona) -> None:
    user = request.getfixturevalue(persona)
    response = login(client, user).get(url(Action, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db) -> None:
    response = client.get(url(Plan, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_administrator_cannot_make_themselves_superuser(client, administrator) -> None:
    login(client, administrator)
    response = client.get(url(User, "change", administrator.pk))
    form = response.context["adminform"].form
    data = {
        "username": administrator.username,
        "first_name": administrator.first_name,
        "last_name": administrator.last_name,
        "email": "",
        "job_title": "Systems administrator",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk for group in administrator.groups.all()],
    }

    response = client.post(url(User, "change", administrator.pk), data)

    assert "is_superuser" not in form.fields
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.job_title == "Systems administrator"
    assert not administrator.is_superuser


def test_administrator_can_view_but_not_change_a_superuser(client, administrator, superuser) -> None:
    login(client, administrator)

    page = client.get(url(User, "change", superuser.pk))
    response = client.post(url(User, "change", superuser.pk), {"username": "hijacked"})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root"


def test_administrator_adds_a_user_with_a_job_title_and_role(client, administrator) -> None:
    plan_lead_group = Group.objects.get(name="Plan lead")
    response = login(client, administrator).post(
        url(User, "add"),
        {
            "username": "newlead",
            "first_name": "Nia",
            "last_name": "Lead",
            "email": "nia@example.org",
            "job_title": "SEND improvement lead",
            "is_staff": "on",
            "groups": [plan_lead_group.pk],
            "usable_password": "true",
            "password1": "a-long-new-password-123",
            "password2": "a-long-new-password-123",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newlead")
    assert user.job_title == "SEND improvement lead"
    assert list(user.groups.all()) == [plan_lead_group]
    assert user.history.first().history_user == administrator


# Archiving instead of deleting


def test_archive_action_sets_archived_at_and_records_who(client, superuser) -> None:
    action, other = make_action(), make_action()
    response = login(client, superuser).post(
        url(Action, "changelist"), {"action": "archive_selected", "_selected_action": [action.pk]}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    other.refresh_from_db()
    assert action.archived_at is not None
    assert other.archived_at is None
    assert action.history.first().history_user == superuser


def test_restore_action_clears_archived_at(client, superuser) -> None:
    action = make_action(archived_at=timezone.now())
    login(client, superuser).post(
        url(Action, "changelist"), {"action": "restore_selected", "_selected_action": [action.pk]}
    )

    action.refresh_from_db()
    assert action.archived_at is None


def test_administrator_archives_actions(client, administrator) -> None:
    action = make_action()
    login(client, administrator).post(
        url(Action, "changelist"), {"action": "archive_selected", "_selected_action": [action.pk]}
    )

    action.refresh_from_db()
    assert action.archived_at is not None


def test_archived_filter_hides_live_actions(client, superuser) -> None:
    live, archived = make_action(), make_action(archived_at=timezone.now())
    response = login(client, superuser).get(url(Action, "changelist"), {"archived": "yes"})

    assert list(response.context["cl"].result_list) == [archived]
    assert live not in response.context["cl"].result_list


def test_archive_committee_paper_sets_archived_at(client, superuser) -> None:
    paper = build_paper()
    login(client, superuser).post(
        url(CommitteePaper, "changelist"), {"action": "archive_drafts", "_selected_action": [paper.pk]}
    )

    paper.refresh_from_db()
    assert paper.archived_at is not None


# The append-only update log


def test_action_update_change_page_is_read_only(client, superuser) -> None:
    update = build_action_update()
    response = login(client, superuser).get(url(ActionUpdate, "change", update.pk))

    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert b'name="_continue"' not in response.content


def test_posting_a_change_to_an_action_update_is_refused(client, superuser) -> None:
    update = build_action_update()
    response = login(client, superuser).post(
        url(ActionUpdate, "change", update.pk), {"narrative": "Rewritten history."}
    )

    assert response.status_code == 403
    update.refresh_from_db()
    assert update.narrative == "Audit started in two teams."


def test_update_log_on_the_action_page_is_read_only(client, superuser) -> None:
    update = build_action_update()
    response = login(client, superuser).get(url(Action, "change", update.action.pk))

    log = next(fs for fs in response.context["inline_admin_formsets"] if fs.opts.model is ActionUpdate)
    assert not log.has_add_permission
    assert not log.has_change_permission
    assert not log.has_delete_permission
    assert b"Audit started in two teams." in response.content


# Entering a plan


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, object]:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


PAPER_INLINES = (
    "recommendations",
    "sections",
    "implications",
    "sign_offs",
    "background_papers",
    "appendices",
)


def test_administrator_adds_a_priority_whose_actions_are_read_only_there(client, administrator) -> None:
    plan = make_plan()
    finding = make_finding()
    data = {
        "plan": plan.pk,
        "number": "1",
        "title": "Records and oversight",
        "description": "",
        "order": 0,
        "findings": [finding.pk],
        # Rows posted for the action inline are ignored: actions change on their own, version-checked page.
        **_management("actions", 1),
        "actions-0-reference": "1.1",
        "actions-0-description": "Audit every EHC plan record.",
        "actions-0-due_date": "2030-01-31",
    }

    response = login(client, administrator).post(url(Priority, "add"), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    priority = Priority.objects.get(plan=plan, number="1")
    assert list(priority.findings.all()) == [finding]
    assert not priority.actions.exists()
    page = client.get(url(Priority, "change", priority.pk))
    inline = next(fs for fs in page.context["inline_admin_formsets"] if fs.opts.model is Action)
    assert not inline.has_add_permission
    assert not inline.has_change_permission


def test_a_reference_used_in_the_plan_gets_a_message_not_a_server_error(client, superuser) -> None:
    existing = make_action(reference="2.1")
    other_priority = make_priority(existing.plan)
    data = {
        "priority": other_priority.pk,
        "reference": "2.1",
        "description": "A second 2.1.",
        "due_date": "2030-01-31",
        "status": "not_started",
        "order": 0,
        **_management("success_criteria", 0),
        **_management("updates", 0),
    }

    response = login(client, superuser).post(url(Action, "add"), data)

    assert response.status_code == 200
    assert "reference" in response.context["adminform"].form.errors
    assert Action.objects.filter(reference="2.1").count() == 1


def test_action_plan_is_shown_but_not_editable(client, superuser) -> None:
    action = make_action()
    moved_to = make_priority()
    response = login(client, superuser).get(url(Action, "change", action.pk))

    assert "plan" not in response.context["adminform"].form.fields
    # Changing the priority is how an action moves; the plan follows it.
    data = {
        "priority": moved_to.pk,
        "reference": action.reference,
        "description": action.description,
        "due_date": "2030-01-31",
        "status": "not_started",
        "order": 0,
        "plan": action.plan.pk + 1000,
        "loaded_version": action.version,
        **_management("success_criteria", 0),
        **_management("updates", 0),
    }
    assert client.post(url(Action, "change", action.pk), data).status_code == 302
    action.refresh_from_db()
    assert action.plan == moved_to.plan


def test_saving_a_rating_records_who_rated_it(client, superuser) -> None:
    criterion = build_criterion()
    assessment = build_assessment(criterion.section.framework)
    response = login(client, superuser).post(
        url(Rating, "add"),
        {
            "assessment": assessment.pk,
            "criterion": criterion.pk,
            "rag": "G",
            "commentary": "",
            "next_steps": "",
        },
    )

    assert response.status_code == 302
    assert Rating.objects.get(assessment=assessment, criterion=criterion).rated_by == superuser


def test_a_rating_of_another_frameworks_criterion_gets_a_message(client, superuser) -> None:
    criterion = build_criterion()
    assessment = build_assessment()  # another framework
    response = login(client, superuser).post(
        url(Rating, "add"),
        {
            "assessment": assessment.pk,
            "criterion": criterion.pk,
            "rag": "G",
            "commentary": "",
            "next_steps": "",
        },
    )

    assert response.status_code == 200
    assert "criterion" in response.context["adminform"].form.errors
    assert not Rating.objects.exists()


def test_ratings_entered_on_the_assessment_record_who_rated_them(client, administrator) -> None:
    criterion = build_criterion()
    framework = criterion.section.framework
    data = {
        "framework": framework.pk,
        "label": "Feb 18",
        "assessed_on": "2018-02-01",
        "notes": "",
        **_management("ratings", 1),
        "ratings-0-criterion": criterion.pk,
        "ratings-0-rag": "R",
        "ratings-0-commentary": "Not started.",
        "ratings-0-next_steps": "Agree a plan.",
    }

    response = login(client, administrator).post(url(Assessment, "add"), data)

    assert response.status_code == 302
    rating = Rating.objects.get(criterion=criterion)
    assert rating.rated_by == administrator
    assert rating.assessment.label == "Feb 18"


def test_a_new_assessment_refuses_a_criterion_of_another_framework(client, superuser) -> None:
    criterion = build_criterion()
    data = {
        "framework": build_framework().pk,
        "label": "Feb 18",
        "assessed_on": "2018-02-01",
        "notes": "",
        **_management("ratings", 1),
        "ratings-0-criterion": criterion.pk,
        "ratings-0-rag": "R",
        "ratings-0-commentary": "",
        "ratings-0-next_steps": "",
    }

    response = login(client, superuser).post(url(Assessment, "add"), data)

    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_adding_a_committee_paper_records_who_created_it(client, administrator) -> None:
    board = build_board()
    data = {
        "committee": board.pk,
        "meeting_date": "2019-11-12",
        "agenda_item": "9",
        "title": "SEND Written Statement of Action update",
        "wards_affected": "All",
        "key_decision": "n/a",
        "report_of": "Head of Inclusion",
        "access": "public",
        "author_name": "A. Officer",
        "status": "draft",
    }
    for prefix in PAPER_INLINES:
        data |= _management(prefix, 0)

    response = login(client, administrator).post(url(CommitteePaper, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    paper = CommitteePaper.objects.get(title="SEND Written Statement of Action update")
    assert paper.created_by == administrator
    assert paper.history.first().history_user == administrator


def test_committee_paper_fieldsets_follow_the_council_format(client, superuser) -> None:
    paper = build_paper()
    response = login(client, superuser).get(url(CommitteePaper, "change", paper.pk))

    names = [fieldset.name for fieldset in response.context["adminform"]]
    assert names == ["Cover", "Summary", "Author", "Status"]


def test_exempt_paper_without_a_reason_gets_a_message(client, superuser) -> None:
    paper = build_paper()
    response = login(client, superuser).get(url(CommitteePaper, "change", paper.pk))
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"access": "exempt", "exempt_reason": ""}
    for prefix in PAPER_INLINES:
        data |= _management(prefix, 0)

    response = client.post(url(CommitteePaper, "change", paper.pk), data)

    assert response.status_code == 200
    paper.refresh_from_db()
    assert paper.access == "public"
