"""Plan leads build plans in the app: plans, priorities, actions and people, every edit version-checked."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action, Person, Plan, Priority, SuccessCriterion
from tests.factories import (
    make_action,
    make_brag_scale,
    make_criterion,
    make_finding,
    make_organisation,
    make_person,
    make_plan,
    make_priority,
    make_update,
    make_user,
    rag_level,
)


def planner_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead_client(plan_lead) -> Client:
    return planner_client(plan_lead)


# Plans


def plan_data(**changes) -> dict:
    data = {
        "title": "Written Statement of Action 2025",
        "kind": Plan.Kind.WSOA,
        "rag_scale": make_brag_scale().pk,
        "summary": "",
        "starts_on": "2025-04-01",
        "ends_on": "2026-09-30",
        "update_cycle_days": 28,
    }
    data.update(changes)
    return data


def test_a_plan_lead_creates_a_draft_plan(lead_client, plan_lead):
    response = lead_client.post(reverse("plans:create"), plan_data())

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.status, plan.version, plan.ends_on) == (Plan.Status.DRAFT, 1, datetime.date(2026, 9, 30))
    assert plan.history.get().history_user == plan_lead


def test_a_plan_takes_the_default_off_track_tolerance_unless_the_lead_sets_one(lead_client):
    lead_client.post(reverse("plans:create"), plan_data())
    lead_client.post(
        reverse("plans:create"), plan_data(title="Priority action plan", off_track_tolerance_days=14)
    )
    refused = lead_client.post(
        reverse("plans:create"), plan_data(title="Too lax", off_track_tolerance_days=400)
    )

    assert dict(Plan.objects.values_list("title", "off_track_tolerance_days")) == {
        "Written Statement of Action 2025": 28,
        "Priority action plan": 14,
    }
    assert refused.status_code == 422


def test_a_plan_that_ends_before_it_starts_is_refused_with_a_message(lead_client):
    response = lead_client.post(reverse("plans:create"), plan_data(ends_on="2025-01-01", title=""))

    assert response.status_code == 422
    assert not Plan.objects.exists()
    html = response.content.decode()
    assert "The end date must be on or after the start date" in html
    assert 'href="#id_ends_on_day"' in html and 'href="#id_title"' in html


def test_editing_a_plan_saves_against_its_version(lead_client):
    plan = make_plan(title="Old title")
    response = lead_client.post(
        reverse("plans:edit", args=[plan.pk]),
        plan_data(title="New title", rag_scale=plan.rag_scale_id, version=plan.version),
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("New title", 2)


def test_the_plan_lead_sets_the_plans_submission_due_date(lead_client, plan_lead):
    plan = make_plan(title="Priority action plan")
    response = lead_client.post(
        reverse("plans:edit", args=[plan.pk]),
        plan_data(title=plan.title, rag_scale=plan.rag_scale_id, version=plan.version, due_on="2024-04-30"),
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.due_on == datetime.date(2024, 4, 30)
    assert plan.history.first().history_user == plan_lead
    assert "30 Apr 2024" in lead_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()


def test_two_plan_leads_edit_a_plan_one_wins_the_other_sees_the_conflict(lead_client, administrator):
    plan = make_plan(title="Old title")
    loaded = plan.version
    url = reverse("plans:edit", args=[plan.pk])
    first = planner_client(administrator).post(
        url, plan_data(title="Admin's title", rag_scale=plan.rag_scale_id, version=loaded)
    )
    theirs = plan_data(title="Lead's title", rag_scale=plan.rag_scale_id, version=loaded)
    second = lead_client.post(url, theirs)

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Old title → <strong>Admin&#x27;s title</strong>" in html
    assert 'value="Lead&#x27;s title"' in html  # what they typed is kept
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Admin's title", 2)


def test_a_plan_moves_through_its_statuses_with_who_and_when(lead_client, plan_lead):
    plan = make_plan(status=Plan.Status.DRAFT)
    url = reverse("plans:status", args=[plan.pk])

    for status in (Plan.Status.SUBMITTED, Plan.Status.ACTIVE, Plan.Status.CLOSED):
        plan.refresh_from_db()
        assert lead_client.post(url, {"status": status, "version": plan.version}).status_code == 302

    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert plan.approved_on is not None
    page = lead_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert page.count(f"by {plan_lead}") == 3
    assert "Approved and in delivery –" in page


def test_a_plan_cannot_skip_from_draft_to_closed(lead_client):
    plan = make_plan(status=Plan.Status.DRAFT)

    response = lead_client.post(
        reverse("plans:status", args=[plan.pk]), {"status": Plan.Status.CLOSED, "version": plan.version}
    )

    assert response.status_code == 422
    assert "cannot move to closed" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (Plan.Status.DRAFT, 1)


def test_a_plan_is_archived_and_restored_never_deleted(lead_client):
    plan = make_plan()
    url = reverse("plans:archive", args=[plan.pk])

    assert lead_client.post(url, {"version": 1, "archived": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.archived_at is not None
    assert plan not in lead_client.get(reverse("plans:list")).context["plans"]
    assert plan in lead_client.get(reverse("plans:list"), {"archived": "1"}).context["plans"]

    assert lead_client.post(url, {"version": 2, "archived": "0"}).status_code == 302
    plan.refresh_from_db()
    assert plan.archived_at is None


def test_the_plan_list_is_a_fixed_number_of_queries(lead_client, django_assert_max_num_queries):
    def grow() -> None:
        for _ in range(3):
            make_action(make_priority(make_plan(board=None, lead=make_user())))

    grow()
    lead_client.get(reverse("plans:list"))

    # session, user, the user's groups and permissions (one query), the
    # plans with their counts and board, lead and scale joined (no session save: its expiry is under a
    # minute old).
    with django_assert_max_num_queries(4) as small:
        response = lead_client.get(reverse("plans:list"))
    assert len(response.context["plans"]) == 3
    grow()
    with django_assert_max_num_queries(4) as large:
        response = lead_client.get(reverse("plans:list"))
    assert len(response.context["plans"]) == 6
    assert len(small) == len(large)


def test_the_plan_page_is_a_fixed_number_of_queries(lead_client, django_assert_max_num_queries):
    plan = make_plan()

    def grow() -> None:
        priority = make_priority(plan, lead=make_user())
        for _ in range(2):
            action = make_action(priority, [make_person(organisation=make_organisation())])
            make_update(action, make_user(), "Started.", rag=rag_level(plan.rag_scale, "green"))

    grow()
    url = reverse("plans:detail", args=[plan.pk])
    lead_client.get(url)
    # session, user, groups and permissions (one query), the plan, its history (status changes),
    # priorities with leads, their actions with RAG and accountable officer, the actions' leads with
    # organisations, its changes of cadence: the same whatever the size.
    with django_assert_max_num_queries(9) as small:
        lead_client.get(url)
    grow()
    grow()
    with django_assert_max_num_queries(9) as large:
        response = lead_client.get(url)
    assert sum(len(p.all_actions) for p in response.context["priorities"]) == 6
    assert len(small) == len(large)


def test_the_plan_page_shows_its_actions_fifty_a_page_under_their_priorities(lead_client):
    plan = make_plan()
    first, second, _ = (make_priority(plan, number=str(n), title=f"Priority {n}") for n in (1, 2, 3))
    for n in range(30):
        make_action(first, reference=f"1.{n:02d}", order=n)
        make_action(second, reference=f"2.{n:02d}", order=n)
    url = reverse("plans:detail", args=[plan.pk])

    page_one = lead_client.get(url)
    page_two = lead_client.get(url, {"page": 2})

    shown = {p.number: [a.reference for a in p.all_actions] for p in page_one.context["priorities"]}
    assert shown == {"1": [f"1.{n:02d}" for n in range(30)], "2": [f"2.{n:02d}" for n in range(20)], "3": []}
    shown = {p.number: [a.reference for a in p.all_actions] for p in page_two.context["priorities"]}
    assert shown == {"1": [], "2": [f"2.{n:02d}" for n in range(20, 30)], "3": []}
    html = page_two.content.decode()
    assert "Showing actions 51 to 60 of 60." in html
    assert "30 actions, on another page of this plan." in html  # the first priority, on page one
    assert "No actions yet." in html  # the third
    assert 'href="?page=1#priorities-heading"' in html
    assert lead_client.get(url, {"page": "99"}).context["page"].number == 2  # past the end: the last page


# Priorities and the picker


def test_a_priority_is_added_and_edited_against_its_version(lead_client):
    plan = make_plan()
    response = lead_client.post(
        reverse("plans:priority-create", args=[plan.pk]),
        {"number": "1", "title": "Identification of needs", "description": "", "order": 1},
    )
    assert response.status_code == 302
    priority = plan.priorities.get()

    stale = priority.version
    lead_client.post(
        reverse("plans:priority-edit", args=[priority.pk]),
        {"number": "1", "title": "Identifying needs early", "order": 1, "version": stale},
    )
    response = lead_client.post(
        reverse("plans:priority-edit", args=[priority.pk]),
        {"number": "1", "title": "Something else", "order": 1, "version": stale},
    )

    assert response.status_code == 409
    priority.refresh_from_db()
    assert (priority.title, priority.version) == ("Identifying needs early", 2)


def test_priority_numbers_are_unique_in_a_plan(lead_client):
    existing = make_priority(number="1")

    response = lead_client.post(
        reverse("plans:priority-create", args=[existing.plan_id]),
        {"number": "1", "title": "Again", "order": 2},
    )

    assert response.status_code == 422
    assert "Another priority in this plan has this number" in response.content.decode()
    assert Priority.objects.count() == 1


def test_the_picker_searches_findings_and_criteria_without_javascript(lead_client):
    priority = make_priority()
    match = make_finding(text="Quality assurance of EHC plans is weak.")
    make_finding(text="Parents are not involved in strategy.")
    criterion = make_criterion("A7", "EHC plans are of good quality.")
    make_criterion("B1", "Young people move into adult life well.")
    url = reverse("plans:priority-links", args=[priority.pk])

    page = lead_client.get(url, {"q": "EHC plans"})

    assert [f.pk for f in page.context["findings"]] == [match.pk]
    assert [c.pk for c in page.context["criteria"]] == [criterion.pk]
    assert f'name="finding" value="{match.pk}"' in page.content.decode()

    response = lead_client.post(
        url,
        {
            "version": priority.version,
            "shown_finding": [match.pk],
            "finding": [match.pk],
            "shown_criterion": [criterion.pk],
            "criterion": [criterion.pk],
        },
    )
    assert response.status_code == 302
    assert list(priority.findings.all()) == [match]
    assert list(priority.criteria.all()) == [criterion]
    assert priority.history.first().version == 2


def test_the_picker_leaves_links_outside_the_search_alone(lead_client):
    priority = make_priority()
    kept, dropped = make_finding(text="Kept."), make_finding(text="Dropped.")
    priority.findings.set([kept, dropped])

    lead_client.post(
        reverse("plans:priority-links", args=[priority.pk]),
        {"version": priority.version, "shown_finding": [dropped.pk]},
    )

    assert list(priority.findings.all()) == [kept]


def test_the_picker_takes_the_same_queries_with_no_links_as_with_many(
    lead_client, django_assert_max_num_queries
):
    bare, linked = make_priority(), make_priority()
    linked.findings.set([make_finding(text=f"Finding {n}.") for n in range(5)])
    linked.criteria.set([make_criterion(f"A{n}", f"Criterion {n}.") for n in range(5)])
    counts = []
    for priority in (bare, linked):
        # 1 session, 2 user, 3 groups and permissions, 4 the priority with its plan, 5 and 6 the ids of its
        # linked findings and criteria, 7 and 8 those findings and criteria (asked even when there are none).
        with django_assert_max_num_queries(8) as queries:
            page = lead_client.get(reverse("plans:priority-links", args=[priority.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(page.context["findings"]) == 5 and len(page.context["criteria"]) == 5


def test_the_picker_answers_htmx_with_the_results_only(lead_client):
    priority = make_priority()
    make_finding(text="Quality assurance is weak.")

    response = lead_client.get(
        reverse("plans:priority-links", args=[priority.pk]), {"q": "quality"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="picker-results">')
    assert "<h1>" not in html
    assert "HX-Request" in response["Vary"]


# Actions


@pytest.fixture
def priority() -> Priority:
    return make_priority(make_plan(), number="2")


def action_data(priority: Priority, **changes) -> dict:
    data = {
        "priority": priority.pk,
        "reference": "2.1",
        "description": "Audit every EHC plan issued in the last year.",
        "success_measure": "90% of plans are good or better.",
        "start_date": "2025-01-06",
        "due_date": "2025-11-30",
        "order": 1,
        "criterion": ["Audit tool agreed", "Findings reported to the board", ""],
    }
    data.update(changes)
    return data


def test_a_plan_lead_adds_an_action_with_leads_from_several_organisations(lead_client, priority):
    council, icb = make_organisation("Council"), make_organisation("ICB")
    jo = make_person("Jo Adeyemi", organisation=council)
    dalvinder = make_person("Dalvinder Kaur", organisation=icb)
    director = make_person("Laura Bishop", organisation=council)

    response = lead_client.post(
        reverse("plans:action-create", args=[priority.pk]),
        action_data(priority, leads=[jo.pk, dalvinder.pk], accountable_officer=director.pk),
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert set(action.leads.all()) == {jo, dalvinder}
    assert {lead.organisation for lead in action.leads.all()} == {council, icb}
    assert action.accountable_officer == director
    criteria = [c.text for c in action.success_criteria.all()]
    assert criteria == ["Audit tool agreed", "Findings reported to the board"]
    assert (action.status, action.rag, action.plan) == (Action.Status.NOT_STARTED, None, priority.plan)


def test_an_action_with_a_reference_used_in_the_plan_is_refused(lead_client, priority):
    make_action(priority, reference="2.1")

    response = lead_client.post(reverse("plans:action-create", args=[priority.pk]), action_data(priority))

    assert response.status_code == 422
    assert "Another action in this plan has this reference" in response.content.decode()


def test_the_action_form_has_no_progress_fields(lead_client, priority):
    action = make_action(priority)

    form = lead_client.get(reverse("plans:action-edit", args=[action.pk])).context["form"]

    assert {"status", "rag", "rag_reason", "recovery_plan"}.isdisjoint(form.fields)
    assert form["version"].value() == action.version


def test_the_stale_scenario_through_the_app_keeps_the_officers_update(lead_client, officer, priority):
    """A plan lead opens the edit form; the officer completes the action; the plan lead saves."""
    action = make_action(priority, [officer], status=Action.Status.IN_PROGRESS, reference="2.1")
    make_update(action, officer, "Started.", rag=rag_level(priority.plan.rag_scale, "red"))  # v2
    url = reverse("plans:action-edit", args=[action.pk])
    loaded = lead_client.get(url).context["form"]["version"].value()

    planner_client(officer).post(
        reverse("actions:update", args=[action.pk]),
        {
            "version": loaded,
            "status": Action.Status.COMPLETE,
            "rag": rag_level(priority.plan.rag_scale, "blue").pk,
            "narrative": "All records audited.",
            "evidence": "Audit report.",
        },
    )
    director = make_person("Director of Children's Services")
    response = lead_client.post(
        url,
        action_data(
            priority, version=loaded, accountable_officer=director.pk, due_date="", status="in_progress"
        ),
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Olivia Officer</strong> recorded an update" in html
    assert "Complete" in html
    action.refresh_from_db()
    assert (action.status, action.rag.colour, action.version) == (Action.Status.COMPLETE, "blue", 3)
    assert action.accountable_officer is None


def test_editing_an_action_moves_it_and_reorders_and_retires_criteria(lead_client, priority):
    action = make_action(priority, reference="2.1")
    action.set_success_criteria(["First", "Second", "Third"])
    other = make_priority(priority.plan, number="3")

    response = lead_client.post(
        reverse("plans:action-edit", args=[action.pk]),
        action_data(
            other,
            reference="3.1",
            version=action.version,
            due_date="2099-01-01",  # disabled on edit: ignored
            criterion=["Third", "First", "New one"],
        ),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.priority, action.reference, action.version) == (other, "3.1", 2)
    assert action.due_date == datetime.date(2030, 1, 31)
    assert [c.text for c in action.success_criteria.all()] == ["Third", "First", "New one"]
    retired = SuccessCriterion.all_objects.get(text="Second")
    assert retired.retired_at is not None  # kept, not deleted


def test_rebaselining_needs_a_reason_and_keeps_the_original_date(lead_client, plan_lead, priority):
    action = make_action(priority, due_date=datetime.date(2024, 11, 30))
    url = reverse("plans:action-rebaseline", args=[action.pk])

    refused = lead_client.post(url, {"version": action.version, "due_date": "2025-03-31", "reason": " "})
    assert refused.status_code == 422
    assert "Enter the reason for re-baselining" in refused.content.decode()
    action.refresh_from_db()
    assert action.due_date == datetime.date(2024, 11, 30)

    response = lead_client.post(
        url, {"version": action.version, "due_date": "2025-03-31", "reason": "Two caseworker vacancies."}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == datetime.date(2025, 3, 31)
    assert action.original_due_date == datetime.date(2024, 11, 30)
    assert action.history.first().history_user == plan_lead
    page = lead_client.get(reverse("plans:detail", args=[priority.plan_id])).content.decode()
    assert "31 Mar 2025, re-baselined from 30 Nov 2024: Two caseworker vacancies." in page


def test_archiving_an_action_needs_a_reason_and_it_can_be_restored(lead_client, priority):
    action = make_action(priority)
    url = reverse("plans:action-archive", args=[action.pk])

    assert lead_client.post(url, {"version": 1, "reason": ""}).status_code == 422
    assert lead_client.post(url, {"version": 1, "reason": "Merged into 2.3."}).status_code == 302
    action.refresh_from_db()
    assert action.archived_at is not None and action.archive_reason == "Merged into 2.3."
    assert not Action.objects.live().filter(pk=action.pk).exists()

    restore = reverse("plans:action-restore", args=[action.pk])
    assert lead_client.post(restore, {"version": 2}).status_code == 302
    action.refresh_from_db()
    assert (action.archived_at, action.archive_reason, action.version) == (None, "", 3)
    assert action.history.count() == 3


# People


def test_a_plan_lead_adds_a_person_who_does_not_sign_in(lead_client):
    icb = make_organisation("ICB")

    response = lead_client.post(
        reverse("plans:person-create"),
        {"name": "Mark O'Connor", "job_title": "Commissioning Manager", "organisation": icb.pk, "email": ""},
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.organisation, person.user) == (icb, None)


def test_the_people_list_is_a_fixed_number_of_queries(lead_client, django_assert_max_num_queries):
    def grow() -> None:
        for _ in range(4):
            make_action(leads=[make_person(organisation=make_organisation(), user=make_user())])

    grow()
    lead_client.get(reverse("plans:people"))

    # session, user, groups and permissions (one query), the people with organisation, user and their count
    # of live actions (no session save: its expiry is under a minute old)
    with django_assert_max_num_queries(4) as small:
        response = lead_client.get(reverse("plans:people"))
    assert len(response.context["people"]) == 4
    grow()
    with django_assert_max_num_queries(4) as large:
        response = lead_client.get(reverse("plans:people"))
    assert len(response.context["people"]) == 8
    assert len(small) == len(large)
