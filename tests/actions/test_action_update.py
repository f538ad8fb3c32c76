"""Updating an action: the rules of an update, what it records, and the page, row and detail responses."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import urls as action_urls
from actions.models import Action, ActionUpdate, AppendOnlyError
from tests.factories import (
    make_action,
    make_brag_scale,
    make_organisation,
    make_person,
    make_plan,
    make_priority,
    make_update,
    rag_level,
)

NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
HTMX = {"HX-Request": "true"}


def url(action: Action) -> str:
    return reverse("actions:update", args=[action.pk])


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scale(db):
    return make_brag_scale()


@pytest.fixture
def action(frozen, officer, scale):
    priority = make_priority(make_plan(rag_scale=scale), number="3")
    return make_action(
        priority,
        [officer],
        reference="3.1",
        description="Publish the local offer.",
        status=Action.Status.NOT_STARTED,
        rag=rag_level(scale, "green"),
    )


def payload(action: Action, **changes) -> dict:
    """Return a valid update of the action to in progress and still on track; `changes` override it."""
    data = {
        "version": action.version,
        "status": "in_progress",
        "rag": action.rag_id,
        "narrative": "Draft local offer shared with the parent carer forum.",
        "evidence": "",
        "rag_reason": "",
        "recovery_plan": "",
    }
    data.update(changes)
    return data


def snapshot(action: Action) -> tuple:
    """Return what an update changes, to show a refused one changed nothing."""
    action = Action.objects.get(pk=action.pk)
    return (
        action.version,
        action.status,
        action.rag_id,
        action.rag_reason,
        action.recovery_plan,
        action.last_updated_at,
        ActionUpdate.objects.filter(action=action).count(),
        action.history.count(),
    )


def test_the_update_page_shows_the_form_with_the_current_values(client, officer, action, scale):
    other_scale = make_brag_scale("Council RAG")
    client.force_login(officer)

    response = client.get(url(action))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Update action 3.1</h1>" in html
    assert f'<input type="hidden" name="version" value="1" id="id_{action.pk}_version">' in html
    assert '<option value="not_started" selected>Not started</option>' in html
    assert f'<option value="{rag_level(scale, "green").pk}" selected>Green – On track</option>' in html
    options = re.findall(r'<option value="(\d+)"', html)
    assert sorted(map(int, options)) == sorted(scale.levels.values_list("pk", flat=True))
    assert not set(map(int, options)) & set(other_scale.levels.values_list("pk", flat=True))
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_update_page_keeps_a_safe_next_and_drops_an_external_one(client, officer, action):
    client.force_login(officer)

    safe = client.get(url(action), {"next": "/actions/mine/"}).content.decode()
    external = client.get(url(action), {"next": "https://evil.example/"}).content.decode()

    assert '<input type="hidden" name="next" value="/actions/mine/">' in safe
    assert '<a href="/actions/mine/">Cancel</a>' in safe
    assert '<input type="hidden" name="next" value="">' in external
    assert "evil.example" not in external


def test_htmx_gets_the_form_as_a_table_row(client, officer, action):
    client.force_login(officer)

    response = client.get(url(action), {"context": "row"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="action-row-{action.pk}" class="update-row">')
    assert html.endswith("</tr>")
    assert '<input type="hidden" name="context" value="row">' in html
    assert "<html" not in html


def test_htmx_gets_the_form_in_the_detail_fragment(client, officer, action):
    client.force_login(officer)

    response = client.get(url(action), {"context": "detail"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="action-main">')
    assert '<input type="hidden" name="context" value="detail">' in html
    assert "<html" not in html


def test_without_htmx_a_row_context_gets_the_whole_page(client, officer, action):
    client.force_login(officer)

    response = client.get(url(action), {"context": "row"})

    assert response.content.decode().startswith("<!DOCTYPE html>")


def test_an_update_changes_the_action_and_appends_to_the_log(client, officer, action, scale):
    client.force_login(officer)
    amber = rag_level(scale, "amber")

    response = client.post(
        url(action),
        payload(
            action,
            rag=amber.pk,
            narrative="  Forum asked for changes; publication slips a month.  ",
            rag_reason="Forum feedback needs a second draft.",
            recovery_plan="Second draft to the forum on 16 June.",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.rag == amber
    assert action.rag_reason == "Forum feedback needs a second draft."
    assert action.recovery_plan == "Second draft to the forum on 16 June."
    assert action.version == 2
    assert action.last_updated_at == NOW
    update = ActionUpdate.objects.get(action=action)
    assert update.author == officer
    assert update.created_at == NOW
    assert update.narrative == "Forum asked for changes; publication slips a month."
    assert update.evidence == ""
    assert (update.status_before, update.status_after) == ("not_started", "in_progress")
    assert (update.rag_before, update.rag_after) == (rag_level(scale, "green"), amber)
    assert update.version_after == 2
    assert action.history.first().history_user == officer


def test_after_an_update_the_detail_page_confirms_it(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("actions:detail", args=[action.pk]), 302)]
    assert "Action 3.1 updated: In progress, On track." in html
    assert "Draft local offer shared with the parent carer forum." in html
    assert "Status: Not started → In progress" in html


def test_an_update_without_a_change_needs_only_a_note(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action, status="not_started", narrative="Waiting for data."))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.version == 2
    update = action.updates.get()
    assert not update.changed_status
    assert not update.changed_rag


def test_marking_complete_with_evidence_records_the_evidence(client, officer, action, scale):
    client.force_login(officer)

    response = client.post(
        url(action),
        payload(
            action,
            status="complete",
            rag=rag_level(scale, "blue").pk,
            narrative="Local offer published.",
            evidence="Live on the council website since 30 May.",
        ),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE
    assert action.updates.get().evidence == "Live on the council website since 30 May."


def test_an_already_complete_action_does_not_ask_for_evidence_again(client, officer, action):
    Action.objects.filter(pk=action.pk).update(status=Action.Status.COMPLETE)
    client.force_login(officer)

    response = client.post(url(action), payload(action, status="complete", narrative="Reviewed in June."))

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).version == 2


def test_it_redirects_to_a_safe_next(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action, next="/actions/?status=in_progress&page=2"))

    assert response.status_code == 302
    assert response["Location"] == "/actions/?status=in_progress&page=2"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/actions/",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_it_ignores_an_external_next(client, officer, action, next_url):
    client.force_login(officer)

    response = client.post(url(action), payload(action, next=next_url))

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert Action.objects.get(pk=action.pk).version == 2


def test_an_htmx_update_from_the_table_returns_the_updated_row(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action, context="row"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="action-row-{action.pk}" class="row--updated">')
    assert html.endswith("</tr>")
    assert "In progress" in html
    assert '<strong class="tag tag--green">Saved</strong>' in html
    assert json.loads(response["HX-Trigger"]) == {
        "announce": {"message": "Action 3.1 updated: In progress, On track."}
    }
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_an_htmx_row_update_takes_the_same_number_of_queries_however_many_leads(
    client, officer, action, scale, django_assert_max_num_queries
):
    busy = make_action(
        action.priority,
        [officer, *(make_person() for _ in range(6))],
        reference="3.2",
        status=Action.Status.NOT_STARTED,
        rag=rag_level(scale, "green"),
    )
    busy.lead_organisations.add(*(make_organisation() for _ in range(6)))
    client.force_login(officer)

    counts = []
    for each in (action, busy):
        # 1 session, 2 user, 3 groups and permissions, 4 the action with plan, priority, RAG level and
        # scale, 5 its leads, 6 its lead organisations, 7 the scale's RAG levels for the form; then the
        # save: 8 BEGIN, 9 the compare-and-set UPDATE (which checks the plan's status too), 10 the history
        # record, 11 and 12 its leads and lead organisations copied in the database, 13 the update, 14
        # COMMIT.
        with django_assert_max_num_queries(14) as queries:
            response = client.post(url(each), payload(each, context="row"), headers=HTMX)

        assert response.status_code == 200
        assert "In progress" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_update_records_history_with_the_leads_at_that_version(client, officer, action):
    person = make_person("Sam Second-Lead")
    organisation = make_organisation("Northfield Parent Carer Forum")
    action.leads.add(person)
    action.lead_organisations.add(organisation)
    client.force_login(officer)

    client.post(url(action), payload(action))

    # Ordered by id: the clock is frozen, so every record has the same history_date.
    earlier, record = action.history.order_by("-history_id")[:2][::-1]
    assert (record.version, record.status, record.history_user) == (2, Action.Status.IN_PROGRESS, officer)
    assert {row.person for row in record.leads.all()} == set(action.leads.all())
    assert {row.organisation for row in record.lead_organisations.all()} == {organisation}
    assert earlier.version == 1
    delta = record.diff_against(earlier, excluded_fields={"version", "last_updated_at"})
    assert {change.field for change in delta.changes} == {"status"}


def test_an_htmx_update_of_an_overdue_action_returns_a_row_still_tagged_overdue(client, officer, action):
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2025, 5, 1))
    client.force_login(officer)

    response = client.post(url(action), payload(action, context="row"), headers=HTMX)

    assert response.status_code == 200
    assert '<strong class="tag tag--overdue">Overdue</strong>' in response.content.decode()


def test_an_htmx_update_from_the_detail_page_returns_the_detail_fragment(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action, context="detail"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="action-main">')
    assert "<html" not in html
    assert "Action 3.1 updated: In progress, On track." in html
    assert "Draft local offer shared with the parent carer forum." in html
    # A fresh form for the next update, against the new version
    assert f'<input type="hidden" name="version" value="2" id="id_{action.pk}_version">' in html
    assert json.loads(response["HX-Trigger"]) == {
        "announce": {"message": "Action 3.1 updated: In progress, On track."}
    }


def test_an_htmx_update_does_not_redirect_even_with_a_next(client, officer, action):
    client.force_login(officer)

    response = client.post(url(action), payload(action, context="row", next="/actions/"), headers=HTMX)

    assert response.status_code == 200
    assert "HX-Trigger" in response


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"narrative": ""},
            "narrative",
            "Write a progress note explaining the change of status or RAG",
        ),
        (
            {"status": "not_started", "rag": "blue", "narrative": "   "},
            "narrative",
            "Write a progress note explaining the change of status or RAG",
        ),
        ({"status": "not_started", "narrative": ""}, "narrative", "Write a progress note"),
        (
            {"status": "complete", "rag": "blue"},
            "evidence",
            "Describe the evidence that the action is complete",
        ),
        (
            {"rag": "amber", "recovery_plan": "Second draft in June."},
            "rag_reason",
            "Give a reason for rating the action at risk",
        ),
        (
            {"rag": "red", "rag_reason": "The supplier went bust."},
            "recovery_plan",
            "Say how delivery will recover while the action is off track",
        ),
        (
            {"status": "finished"},
            "status",
            "Choose the status from the list",
        ),
        ({"rag": ""}, "rag", "Choose the delivery RAG"),
        (
            {"narrative": "x" * 5001},
            "narrative",
            "Progress note must be 5000 characters or fewer",
        ),
        ({"version": ""}, "version", "Reload the page and try again: the form was sent without its version"),
    ],
)
def test_each_rule_refuses_an_invalid_update_and_changes_nothing(
    client, officer, action, scale, changes, field, message
):
    if changes.get("rag") in {"blue", "amber", "red"}:
        changes = {**changes, "rag": rag_level(scale, changes["rag"]).pk}
    before = snapshot(action)
    client.force_login(officer)

    response = client.post(url(action), payload(action, **changes))

    assert response.status_code == 422
    html = response.content.decode()
    field_id = f"id_{action.pk}_{field}"
    assert f'<li><a href="#{field_id}">{message}</a></li>' in html
    assert f'id="{field_id}"' in html
    if field != "version":  # hidden: its error is in the summary only
        error = f'<span class="visually-hidden">Error:</span> {message}</p>'
        assert f'<p class="error-message" id="{field_id}_error">{error}' in html
    assert "<title>Error: Update action 3.1" in html
    assert snapshot(action) == before


def test_a_rag_level_from_another_plans_scale_is_refused(client, officer, action):
    other_level = rag_level(make_brag_scale("Council RAG"), "green")
    before = snapshot(action)
    client.force_login(officer)

    response = client.post(url(action), payload(action, rag=other_level.pk))

    assert response.status_code == 422
    assert "Choose the delivery RAG from the list" in response.content.decode()
    assert snapshot(action) == before


def test_an_invalid_update_keeps_what_was_typed(client, officer, action):
    client.force_login(officer)

    response = client.post(
        url(action), payload(action, status="complete", narrative="Nearly there <b>now</b>.")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Nearly there &lt;b&gt;now&lt;/b&gt;.</textarea>" in html
    assert '<option value="complete" selected>Complete</option>' in html


def test_an_invalid_htmx_update_from_the_table_returns_the_form_row_with_errors(client, officer, action):
    before = snapshot(action)
    client.force_login(officer)

    response = client.post(url(action), payload(action, narrative="", context="row"), headers=HTMX)

    assert response.status_code == 422
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="action-row-{action.pk}" class="update-row">')
    assert "Write a progress note explaining the change of status or RAG" in html
    assert "HX-Trigger" not in response
    assert snapshot(action) == before


def test_an_invalid_htmx_update_from_the_detail_page_returns_the_fragment_with_errors(
    client, officer, action
):
    before = snapshot(action)
    client.force_login(officer)

    response = client.post(url(action), payload(action, status="complete", context="detail"), headers=HTMX)

    assert response.status_code == 422
    html = response.content.decode().strip()
    assert html.startswith('<div id="action-main">')
    assert "Describe the evidence that the action is complete" in html
    assert snapshot(action) == before


def test_a_field_in_error_is_described_by_its_hint_and_error_message(client, officer, action):
    client.force_login(officer)

    html = client.post(url(action), payload(action, narrative="")).content.decode()

    textarea = re.search(r"<textarea[^>]*name=\"narrative\"[^>]*>", html).group(0)
    described_by = re.search(r'aria-describedby="([^"]*)"', textarea).group(1).split()
    assert described_by
    for element_id in described_by:
        assert f'id="{element_id}"' in html


def test_a_narrative_with_markup_is_stored_verbatim_and_shown_escaped(client, officer, action):
    client.force_login(officer)
    narrative = "<script>alert(1)</script> <img src=x onerror=alert(2)>"

    fragment = client.post(url(action), payload(action, narrative=narrative, context="detail"), headers=HTMX)
    page = client.get(reverse("actions:detail", args=[action.pk]))

    assert action.updates.get().narrative == narrative
    for response in (fragment, page):
        html = response.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in html
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_update_url_refuses_other_methods(client, officer, action, method):
    before = snapshot(action)
    client.force_login(officer)

    response = getattr(client, method)(url(action), payload(action), content_type="application/json")

    assert response.status_code == 405
    assert snapshot(action) == before


def test_a_missing_action_is_not_found(client, officer, db):
    client.force_login(officer)

    assert client.get(reverse("actions:update", args=[999_999])).status_code == 404
    assert client.post(reverse("actions:update", args=[999_999]), {}).status_code == 404


def test_an_archived_action_cannot_be_updated(client, officer, action):
    Action.objects.filter(pk=action.pk).update(archived_at=timezone.now())
    before = snapshot(action)
    client.force_login(officer)

    assert client.get(url(action)).status_code == 404
    assert client.post(url(action), payload(action)).status_code == 404
    assert snapshot(action) == before


def test_a_post_without_a_csrf_token_is_forbidden(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get(url(action))  # sets the CSRF cookie
    before = snapshot(action)

    response = client.post(url(action), payload(action))

    assert response.status_code == 403
    assert snapshot(action) == before


def test_a_post_with_the_token_htmx_sends_from_the_body_succeeds(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    token = re.search(r"""<body data-hx-headers='\{"X-CSRFToken": "([^"]+)"\}'>""", page).group(1)

    response = client.post(
        url(action), payload(action, context="row"), headers={**HTMX, "X-CSRFToken": token}
    )

    assert response.status_code == 200
    assert Action.objects.get(pk=action.pk).version == 2


def test_a_form_post_with_its_csrf_field_succeeds(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    form = client.get(url(action)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = client.post(url(action), payload(action, csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).version == 2


def test_an_entry_of_the_update_log_cannot_be_changed_or_deleted(officer, action):
    update = make_update(action, officer, "The original words.")

    update.narrative = "Rewritten history."
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.delete()

    assert ActionUpdate.objects.get(pk=update.pk).narrative == "The original words."


def test_the_update_log_refuses_bulk_changes_and_deletes_too(officer, action):
    update = make_update(action, officer, "The original words.")

    with pytest.raises(AppendOnlyError):
        ActionUpdate.objects.filter(pk=update.pk).update(narrative="Rewritten history.")
    with pytest.raises(AppendOnlyError):
        ActionUpdate.objects.filter(pk=update.pk).delete()

    assert ActionUpdate.objects.get(pk=update.pk).narrative == "The original words."


def test_no_url_of_the_actions_app_edits_or_deletes_the_update_log():
    # The log is written only by actions:update, which appends; a new URL here needs a look at this rule.
    assert {pattern.name for pattern in action_urls.urlpatterns} == {
        "list",
        "mine",
        "detail",
        "row",
        "update",
        "criterion-met",  # changes a success criterion's flag only (SuccessCriterion.set_met), never the log
    }


@pytest.mark.parametrize("verb", ["change", "delete"])
def test_an_administrator_cannot_change_or_delete_an_update_in_the_admin(
    client, administrator, officer, action, verb
):
    update = make_update(action, officer, "The original words.")
    client.force_login(administrator)
    admin_url = f"/admin/actions/actionupdate/{update.pk}/{verb}/"

    response = client.post(admin_url, {"narrative": "Rewritten history.", "post": "yes"})

    # Refused whether or not the log is registered in the admin
    assert response.status_code in {403, 404}
    assert ActionUpdate.objects.get(pk=update.pk).narrative == "The original words."


def test_completing_an_overdue_action_from_its_row_returns_a_row_no_longer_overdue(client, officer, action):
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2025, 5, 1))
    client.force_login(officer)

    response = client.post(
        url(action),
        payload(action, context="row", status="complete", evidence="Local offer published on the website."),
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Complete" in html
    assert "Overdue" not in html


def test_an_update_from_the_row_of_an_action_due_an_update_returns_a_row_no_longer_due(
    client, officer, action
):
    client.force_login(officer)
    assert "Update due" in client.get(reverse("actions:row", args=[action.pk])).content.decode()

    response = client.post(url(action), payload(action, context="row"), headers=HTMX)

    assert response.status_code == 200
    assert "Update due" not in response.content.decode()


def test_the_update_log_keeps_the_reason_and_recovery_given_with_each_update(client, officer, action, scale):
    client.force_login(officer)
    client.post(
        url(action),
        payload(
            action,
            rag=rag_level(scale, "amber").pk,
            rag_reason="Two of the three auditors are off sick.",
            recovery_plan="Agency auditor starts next week.",
        ),
    )
    client.post(
        url(action),
        payload(
            Action.objects.get(pk=action.pk), rag=rag_level(scale, "green").pk, narrative="Back on track."
        ),
    )

    amber, green = ActionUpdate.objects.filter(action=action).order_by("version_after")
    assert (amber.rag_reason, amber.recovery_plan) == (
        "Two of the three auditors are off sick.",
        "Agency auditor starts next week.",
    )
    assert (green.rag_reason, green.recovery_plan) == ("", "")
    log = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    log = log[log.index('id="log-heading"') :]
    assert (
        '<strong>Reason for RAG:</strong> <span class="prewrap">Two of the three auditors are off sick.'
        in log
    )
    assert '<strong>Recovery:</strong> <span class="prewrap">Agency auditor starts next week.' in log
