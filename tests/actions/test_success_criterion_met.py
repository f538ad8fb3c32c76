"""A success criterion's "met" flag: set on the action's page by its leads, plan leads and administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Plan, SuccessCriterion
from core.versioning import StaleVersionError
from tests.factories import make_action, make_plan, make_priority

HTMX = {"HX-Request": "true"}


@pytest.fixture
def action(officer):
    return make_action(make_priority(make_plan()), [officer], reference="2.1")


@pytest.fixture
def criterion(action) -> SuccessCriterion:
    return SuccessCriterion.objects.create(action=action, text="Every EHC plan audited.", order=1)


def url(criterion: SuccessCriterion) -> str:
    return reverse("actions:criterion-met", args=[criterion.action_id, criterion.pk])


def mark(client: Client, criterion: SuccessCriterion, met: bool, version: int | None = None, **headers):
    data = {"version": version or criterion.version, "met": "1" if met else "0"}
    return client.post(url(criterion), data, headers=headers)


@pytest.mark.parametrize("persona", ["officer", "plan_lead", "administrator"])
def test_the_lead_a_plan_lead_or_an_administrator_marks_a_criterion_met(client, request, persona, criterion):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = mark(client, criterion, True)

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[criterion.action_id])
    criterion.refresh_from_db()
    assert (criterion.met, criterion.version) == (True, 2)
    latest = criterion.history.first()
    assert (latest.met, latest.history_user, latest.version) == (True, user, 2)


@pytest.mark.parametrize("persona", ["other_officer", "scrutiny_member"])
def test_anyone_else_is_refused_and_nothing_changes(client, request, persona, criterion):
    client.force_login(request.getfixturevalue(persona))

    response = mark(client, criterion, True)

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert (criterion.met, criterion.version) == (False, 1)


def test_a_closed_plans_criteria_cannot_be_changed(client, officer, criterion):
    Plan.objects.filter(pk=criterion.action.plan_id).update(status=Plan.Status.CLOSED)
    client.force_login(officer)

    assert mark(client, criterion, True).status_code == 403
    criterion.refresh_from_db()
    assert not criterion.met


def test_a_criterion_of_another_action_is_not_found(client, officer, action, criterion):
    other = SuccessCriterion.objects.create(action=make_action(leads=[officer]), text="Other", order=1)
    client.force_login(officer)

    response = client.post(
        reverse("actions:criterion-met", args=[action.pk, other.pk]), {"version": 1, "met": "1"}
    )

    assert response.status_code == 404


def test_a_stale_change_is_refused_with_a_conflict_and_writes_nothing(client, officer, plan_lead, criterion):
    shown_version = criterion.version
    lead_client = Client()
    lead_client.force_login(plan_lead)
    mark(lead_client, criterion, True)  # the plan lead marks it met first (version 2)
    client.force_login(officer)

    response = mark(
        client, criterion, False, version=shown_version
    )  # the officer's page showed "Not yet met"

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed “Every EHC plan audited.” first: it is now met." in html
    criterion.refresh_from_db()
    assert (criterion.met, criterion.version) == (True, 2)
    assert criterion.history.count() == 2


def test_the_model_refuses_a_stale_version_itself(criterion):
    criterion.set_met(True, version=1)

    with pytest.raises(StaleVersionError):
        SuccessCriterion.objects.get(pk=criterion.pk).set_met(False, version=1)


def test_an_incomplete_form_changes_nothing(client, officer, criterion):
    client.force_login(officer)

    response = client.post(url(criterion), {"met": "1"})

    assert response.status_code == 422
    criterion.refresh_from_db()
    assert criterion.version == 1


def test_htmx_gets_the_criteria_back_with_the_word_and_an_announcement(client, officer, criterion):
    client.force_login(officer)

    response = mark(client, criterion, True, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="success-criteria"' in html
    assert '<strong class="tag tag--green">Met</strong>' in html
    assert "Mark as not yet met" in html
    assert 'name="version" value="2"' in html
    assert "is now marked met" in response["HX-Trigger"]


def test_the_action_page_shows_each_criterion_as_a_word_and_a_button_for_its_lead(
    client, officer, scrutiny_member, criterion
):
    SuccessCriterion.objects.create(action=criterion.action, text="Audit shared with the forum.", order=2)
    criterion.set_met(True, version=criterion.version)
    detail = reverse("actions:detail", args=[criterion.action_id])
    client.force_login(officer)

    html = client.get(detail).content.decode()

    assert '<strong class="tag tag--green">Met</strong>' in html
    assert '<strong class="tag tag--grey">Not yet met</strong>' in html
    assert html.count('data-hx-post="' + url(criterion)) == 1
    assert 'Mark as met<span class="visually-hidden">: Audit shared with the forum.</span>' in html

    client.force_login(scrutiny_member)
    html = client.get(detail).content.decode()
    assert "Not yet met" in html
    assert "Mark as" not in html
