"""Action detail: everything about an action, why it exists and its update log, newest first."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, SuccessCriterion
from tests.factories import (
    make_action,
    make_brag_scale,
    make_criterion,
    make_finding,
    make_organisation,
    make_person,
    make_plan,
    make_priority,
    make_review,
    make_update,
    make_user,
    rag_level,
)

NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)


def url(action: Action) -> str:
    return reverse("actions:detail", args=[action.pk])


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def action(frozen, officer):
    officer.job_title = "EHC team manager"
    officer.save()
    scale = make_brag_scale()
    plan = make_plan(title="SEND written statement of action")
    priority = make_priority(plan, number="2", title="Quality of EHC plans")
    action = make_action(
        priority,
        [officer],
        reference="2.4",
        description="Audit every EHC plan issued in the last year.",
        success_measure="90% of audited plans are good or better.",
        accountable_officer=make_person("Director of Children's Services"),
        start_date=datetime.date(2025, 1, 6),
        due_date=datetime.date(2025, 5, 30),
        original_due_date=datetime.date(2025, 3, 31),
        status=Action.Status.IN_PROGRESS,
        rag=rag_level(scale, "amber"),
        rag_reason="Two auditors are on long-term leave.",
        recovery_plan="Agency auditors start on 9 June.",
    )
    action.lead_organisations.set([make_organisation("Northshire County Council")])
    SuccessCriterion.objects.create(action=action, text="Audit tool agreed with health", met=True)
    SuccessCriterion.objects.create(action=action, text="Findings reported to the board")
    return action


def test_it_shows_everything_about_the_action(client, scrutiny_member, action):
    client.force_login(scrutiny_member)

    response = client.get(url(action))

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "<h1>Action 2.4</h1>",
        "SEND written statement of action – priority 2: Quality of EHC plans",
        "Audit every EHC plan issued in the last year.",
        "90% of audited plans are good or better.",
        "Director of Children&#x27;s Services",
        "Olivia Officer, EHC team manager",
        "Northshire County Council",
        "6 January 2025",
        '30 May 2025 <span class="hint">(originally 31 March 2025)</span>',
        '<strong class="tag tag--overdue">Overdue</strong>',
        "In progress",
        '<strong class="tag tag--amber">At risk</strong>',
        "Two auditors are on long-term leave.",
        "Agency auditors start on 9 June.",
        '<span class="criteria-list__text">Audit tool agreed with health</span>',
        '<strong class="tag tag--green">Met</strong>',
        '<strong class="tag tag--grey">Not yet met</strong>',
        "Findings reported to the board",
        "No updates yet.",
    ]:
        assert text in html, text


def test_it_shows_the_findings_and_criteria_the_priority_addresses(client, scrutiny_member, action):
    review = make_review(title="Northshire local area SEND inspection")
    finding = make_finding(review, reference="ASW2", text="EHC plans are of variable quality.")
    unrelated = make_finding(review, reference="ASW3", text="Waiting times for therapy are too long.")
    criterion = make_criterion("B4", "EHC plans are timely and of good quality.")
    action.priority.findings.add(finding)
    action.priority.criteria.add(criterion)
    make_priority(action.plan).findings.add(unrelated)
    client.force_login(scrutiny_member)

    html = client.get(url(action)).content.decode()

    assert (
        "<strong>Area of significant weakness</strong> (ASW2) from Northshire local area SEND inspection: "
        "EHC plans are of variable quality." in html
    )
    assert "<strong>Framework criterion B4</strong>: EHC plans are timely and of good quality." in html
    assert "Waiting times for therapy are too long." not in html
    assert "No findings or criteria are linked to this priority yet." not in html


def test_it_says_when_no_findings_are_linked(client, scrutiny_member, action):
    client.force_login(scrutiny_member)

    html = client.get(url(action)).content.decode()

    assert "No findings or criteria are linked to this priority yet." in html


def test_the_update_log_is_newest_first_with_author_and_changes(client, scrutiny_member, officer, action):
    scale = action.plan.rag_scale
    with time_machine.travel(datetime.datetime(2025, 6, 3, 9, 15, tzinfo=datetime.UTC), tick=False):
        make_update(action, officer, "Agency auditors booked.")
    with time_machine.travel(datetime.datetime(2025, 6, 10, 14, 30, tzinfo=datetime.UTC), tick=False):
        make_update(
            action,
            make_user("plan_lead2", "Plan lead", first_name="Pat"),
            "Back on track.",
            rag=rag_level(scale, "green"),
        )
    with time_machine.travel(datetime.datetime(2025, 6, 20, 16, 0, tzinfo=datetime.UTC), tick=False):
        make_update(
            action,
            officer,
            "All plans audited.",
            status=Action.Status.COMPLETE,
            evidence="Audit report, June.",
        )
    client.force_login(scrutiny_member)

    html = client.get(url(action)).content.decode()

    log = html[html.index('id="log-heading"') :]
    entries = re.findall(r'<li class="timeline__item">(.*?)</li>', log, flags=re.S)
    assert len(entries) == 3
    newest, middle, oldest = entries
    assert "20 June 2025 17:00" in newest  # British Summer Time
    assert "by Olivia Officer" in newest
    assert "Status: In progress → Complete" in newest
    assert "All plans audited." in newest
    assert '<strong>Evidence:</strong> <span class="prewrap">Audit report, June.</span>' in newest
    assert "RAG:" not in newest
    assert "by Pat Tester" in middle
    amber_to_green = (
        '<strong class="tag tag--amber">At risk</strong> → <strong class="tag tag--green">On track'
    )
    assert f"RAG: {amber_to_green}</strong>" in middle
    assert "Status:" not in middle
    assert "3 June 2025 10:15" in oldest
    assert "Agency auditors booked." in oldest
    assert "No updates yet." not in html


def test_a_narrative_is_stored_verbatim_and_shown_escaped(client, scrutiny_member, officer, action):
    make_update(action, officer, '<script>alert(1)</script> & "quotes"')
    client.force_login(scrutiny_member)

    html = client.get(url(action)).content.decode()

    assert action.updates.get().narrative == '<script>alert(1)</script> & "quotes"'
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    assert "<script>alert(1)</script>" not in html


def test_the_lead_sees_the_update_form(client, officer, action):
    client.force_login(officer)

    html = client.get(url(action)).content.decode()

    assert "Update this action" in html
    assert f'action="{reverse("actions:update", args=[action.pk])}"' in html
    assert f'<input type="hidden" name="version" value="{action.version}"' in html
    assert '<input type="hidden" name="context" value="detail">' in html


@pytest.mark.parametrize("persona", ["other_officer", "scrutiny_member"])
def test_someone_who_may_not_update_sees_no_form(client, action, persona, request):
    client.force_login(request.getfixturevalue(persona))

    html = client.get(url(action)).content.decode()

    assert "Update this action" not in html
    assert 'name="version"' not in html
    assert "Only the action's lead, a plan lead or an administrator can update it." in html


def test_a_missing_action_is_not_found(client, scrutiny_member):
    client.force_login(scrutiny_member)

    assert client.get(reverse("actions:detail", args=[999_999])).status_code == 404


def test_an_archived_action_is_not_found(client, scrutiny_member, action):
    Action.objects.filter(pk=action.pk).update(archived_at=timezone.now())
    client.force_login(scrutiny_member)

    assert client.get(url(action)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, action):
    response = client.get(url(action))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url(action)}"


def test_a_user_without_a_role_is_forbidden(client, action):
    client.force_login(make_user("no_role"))

    assert client.get(url(action)).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_detail_page_only_answers_get(client, officer, action, method):
    client.force_login(officer)

    assert getattr(client, method)(url(action)).status_code == 405
    assert Action.objects.get(pk=action.pk).version == 1


def test_the_detail_page_takes_the_same_number_of_queries_however_many_updates(
    client, officer, action, django_assert_max_num_queries
):
    authors = [officer, make_user(role="Plan lead"), make_user(role="Administrator")]
    colours = ["green", "amber", "red"]
    review = make_review()
    action.priority.findings.add(make_finding(review), make_finding(review))
    action.priority.criteria.add(make_criterion("A1"), make_criterion("A2"))
    made, counts = 0, []
    for update_count in (1, 20):
        for i in range(made, update_count):
            make_update(
                action, authors[i % 3], f"Update {i}", rag=rag_level(action.plan.rag_scale, colours[i % 3])
            )
        made = update_count
        client.force_login(officer)

        # 1 session, 2 user, 3 the user's groups with their permissions and the user's own (require_view,
        # can_update and the role in the header, one query: accounts.backends), 4 the action with
        # plan, priority, RAG level and scale, 5 its leads, 6 its lead organisations, 7 success criteria, 8
        # the RAG levels of the plan's scale for the form's select (once: see ActionUpdateForm), 9 updates
        # with author and before/after RAG levels, 10 findings with their review, 11 criteria with their
        # section.
        with django_assert_max_num_queries(11) as queries:
            response = client.get(url(action))

        assert response.content.decode().count('<li class="timeline__item">') == update_count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_takes_as_many_queries_without_the_update_form_as_with_it(
    client, officer, scrutiny_member, action, django_assert_max_num_queries
):
    counts = []
    for user in (officer, scrutiny_member):  # the lead gets the update form; a councillor never does
        client.force_login(user)
        client.get(url(action))  # the session's first request
        # As above; without the form, 8 reads the RAG levels of the plan's scale for the key instead.
        with django_assert_max_num_queries(11) as queries:
            page = client.get(url(action))
        counts.append(len(queries))
        assert "What the delivery RAG ratings mean" in page.content.decode()
    assert page.context["form"] is None
    assert counts[0] == counts[1]
