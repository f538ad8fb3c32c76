"""No lost updates: a save made against an old version is refused with 409 and shows what changed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action, ActionUpdate
from core.versioning import StaleVersionError
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_update, rag_level

HTMX = {"HX-Request": "true"}


@pytest.fixture
def scale(db):
    return make_brag_scale()


@pytest.fixture
def action(officer, scale):
    priority = make_priority(make_plan(rag_scale=scale))
    return make_action(priority, [officer], reference="5.1", rag=rag_level(scale, "green"))


def url(action: Action) -> str:
    return reverse("actions:update", args=[action.pk])


def hidden_version(html: str) -> str:
    """Return the value of the form's hidden version input."""
    return re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_a_stale_update_and_lets_the_user_overwrite_after_seeing_the_change(
    officer, plan_lead, action, scale
):
    olivia, priya = logged_in(officer), logged_in(plan_lead)
    olivia_form = olivia.get(url(action)).content.decode()
    priya_form = priya.get(url(action)).content.decode()
    assert hidden_version(olivia_form) == hidden_version(priya_form) == "1"

    first = olivia.post(
        url(action),
        {
            "version": hidden_version(olivia_form),
            "status": "in_progress",
            "rag": rag_level(scale, "amber").pk,
            "narrative": "Two caseworkers left; audit slowed down.",
            "rag_reason": "Staffing gap.",
            "recovery_plan": "Agency staff from July.",
        },
    )
    priyas_update = {
        "version": hidden_version(priya_form),
        "status": "on_hold",
        "rag": rag_level(scale, "green").pk,
        "narrative": "Paused until the new case system is live.",
    }
    second = priya.post(url(action), priyas_update)

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else updated this action while you were editing" in html
    assert "Your update has <strong>not</strong> been saved." in html
    assert "<strong>Olivia Officer</strong>" in html
    assert "Two caseworkers left; audit slowed down." in html
    assert (
        'set the status to In progress and the RAG to <strong class="tag tag--amber">At risk</strong>' in html
    )
    action.refresh_from_db()
    assert action.version == 2
    assert action.status == Action.Status.IN_PROGRESS
    assert action.rag == rag_level(scale, "amber")
    assert ActionUpdate.objects.count() == 1
    assert ActionUpdate.objects.get().author == officer

    # Priya's words are kept in the form, now against the current version: saving again is deliberate.
    assert hidden_version(html) == "2"
    assert "Paused until the new case system is live.</textarea>" in html
    assert '<option value="on_hold" selected>On hold</option>' in html
    third = priya.post(url(action), {**priyas_update, "version": hidden_version(html)})

    assert third.status_code == 302
    action.refresh_from_db()
    assert action.version == 3
    assert action.status == Action.Status.ON_HOLD
    assert action.rag == rag_level(scale, "green")
    latest = action.updates.first()
    assert latest.author == plan_lead
    assert (latest.status_before, latest.status_after) == ("in_progress", "on_hold")
    assert latest.rag_before == rag_level(scale, "amber")
    assert ActionUpdate.objects.count() == 2


def test_a_stale_update_lists_every_change_made_since(officer, plan_lead, administrator, action):
    make_update(action, officer, "First change since you loaded it.", status=Action.Status.IN_PROGRESS)
    make_update(action, administrator, "Second change since you loaded it.")
    client = logged_in(plan_lead)

    response = client.post(
        url(action), {"version": 1, "status": "on_hold", "rag": action.rag_id, "narrative": "Pausing it."}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "<strong>Olivia Officer</strong>" in html
    assert "First change since you loaded it." in html
    assert "<strong>Ada Admin</strong>" in html
    assert "Second change since you loaded it." in html
    assert hidden_version(html) == "3"
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS
    assert ActionUpdate.objects.count() == 2


def test_a_stale_update_from_the_table_returns_the_form_row_with_the_conflict(officer, plan_lead, action):
    make_update(action, officer, "Saved first from the detail page.")
    client = logged_in(plan_lead)

    response = client.post(
        url(action),
        {
            "version": 1,
            "status": "complete",
            "rag": action.rag_id,
            "narrative": "Done.",
            "evidence": "Report.",
            "context": "row",
        },
        headers=HTMX,
    )

    assert response.status_code == 409
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="action-row-{action.pk}" class="update-row">')
    assert "Saved first from the detail page." in html
    assert "<strong>Olivia Officer</strong>" in html
    assert hidden_version(html) == "2"
    assert "HX-Trigger" not in response
    assert Action.objects.get(pk=action.pk).status == Action.Status.NOT_STARTED


def test_a_stale_update_from_the_detail_page_returns_the_fragment_with_the_conflict(
    officer, plan_lead, action
):
    make_update(action, officer, "Saved first from the table.")
    client = logged_in(plan_lead)

    response = client.post(
        url(action),
        {
            "version": 1,
            "status": "on_hold",
            "rag": action.rag_id,
            "narrative": "Pausing.",
            "context": "detail",
        },
        headers=HTMX,
    )

    assert response.status_code == 409
    html = response.content.decode().strip()
    assert html.startswith('<div id="action-main">')
    assert "Saved first from the table." in html
    assert hidden_version(html) == "2"
    assert ActionUpdate.objects.count() == 1


def test_the_other_persons_narrative_is_escaped_in_the_conflict(officer, plan_lead, action):
    make_update(action, officer, "<script>alert('conflict')</script>")
    client = logged_in(plan_lead)

    response = client.post(
        url(action), {"version": 1, "status": "on_hold", "rag": action.rag_id, "narrative": "Pausing."}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "&lt;script&gt;alert(&#x27;conflict&#x27;)&lt;/script&gt;" in html
    assert "<script>alert(" not in html


def test_an_invalid_stale_update_reports_the_errors_first(officer, plan_lead, action):
    # Validation runs before the version check: nothing is saved, and the user fixes the form first.
    make_update(action, officer, "Saved first.")
    client = logged_in(plan_lead)

    response = client.post(
        url(action), {"version": 1, "status": "on_hold", "rag": action.rag_id, "narrative": ""}
    )

    assert response.status_code == 422
    assert ActionUpdate.objects.count() == 1


def test_a_version_from_the_future_is_refused(officer, action):
    client = logged_in(officer)

    response = client.post(
        url(action),
        {"version": 7, "status": "in_progress", "rag": action.rag_id, "narrative": "From the future."},
    )

    assert response.status_code == 409
    assert Action.objects.get(pk=action.pk).version == 1
    assert not ActionUpdate.objects.exists()


def test_two_saves_of_the_same_loaded_version_cannot_both_win(officer, plan_lead, action):
    # Both requests loaded version 1 before either saved: the compare-and-set UPDATE lets only one through.
    first_copy = Action.objects.get(pk=action.pk)
    second_copy = Action.objects.get(pk=action.pk)
    first_copy.record_update(
        author=officer, version=1, status="in_progress", rag=first_copy.rag, narrative="First."
    )

    with pytest.raises(StaleVersionError) as refused:
        second_copy.record_update(
            author=plan_lead, version=1, status="on_hold", rag=second_copy.rag, narrative="Second."
        )

    assert [update.narrative for update in refused.value.updates_since] == ["First."]
    action.refresh_from_db()
    assert (action.version, action.status) == (2, Action.Status.IN_PROGRESS)
    assert list(ActionUpdate.objects.values_list("narrative", flat=True)) == ["First."]
