"""Two-tier scales: each level can belong to a status (green, amber and red only "in progress", blue only
"complete"); updates, the in-place form and imports refuse a pair the scale does not allow."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action, RagLevel
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level, update_data

pytestmark = pytest.mark.django_db
IN_PROGRESS_LEVELS = "choose “On track”, “At risk” or “Off track”"


def make_two_tier_scale():
    scale = make_brag_scale("Two-tier BRAG")
    for level in scale.levels.all():
        level.status = Action.Status.COMPLETE if level.colour == "blue" else Action.Status.IN_PROGRESS
        level.save()
    RagLevel.objects.create(scale=scale, colour="grey", label="Not started", order=9, status="not_started")
    return scale


@pytest.fixture
def action(officer):
    return make_action(make_priority(make_plan(rag_scale=make_two_tier_scale())), [officer])


@pytest.fixture
def lead_client(client, plan_lead):
    client.force_login(plan_lead)
    return client


def level_data(**changes) -> dict:
    return {"label": "Complete", "colour": "blue", "pattern": "", "meaning": "", "order": 0} | changes


def test_record_update_refuses_a_level_of_another_status_naming_the_allowed_ones(action, officer):
    blue = rag_level(action.plan.rag_scale, "blue")

    with pytest.raises(ValidationError) as refused:
        action.record_update(
            author=officer, version=action.version, status="in_progress", rag=blue, narrative="Going well."
        )

    assert refused.value.message_dict["rag"] == [
        f"“Complete” goes with “Complete”; with “In progress” {IN_PROGRESS_LEVELS}"
    ]
    action.refresh_from_db()
    assert (action.version, action.updates.count()) == (1, 0)


def test_the_update_form_refuses_complete_with_green_and_takes_complete_with_blue(client, action, officer):
    client.force_login(officer)
    url = reverse("actions:update", args=[action.pk])
    green, blue = (rag_level(action.plan.rag_scale, colour) for colour in ("green", "blue"))

    refused = client.post(url, update_data(action, status="complete", rag=str(green.pk)))
    taken = client.post(url, update_data(action, status="complete", rag=str(blue.pk)))

    assert refused.status_code == 422
    assert "with “Complete” choose “Complete”" in refused.content.decode()
    assert taken.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == ("complete", blue)


def test_the_in_place_update_form_refuses_a_bad_pair_too(client, action, officer):
    client.force_login(officer)
    grey = action.plan.rag_scale.levels.get(label="Not started")

    response = client.post(
        reverse("actions:update", args=[action.pk]),
        update_data(action, rag=str(grey.pk), context="row"),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert IN_PROGRESS_LEVELS in response.content.decode()
    assert action.updates.count() == 0


def test_a_level_without_a_status_goes_with_any(action, officer):
    amber = rag_level(action.plan.rag_scale, "amber")
    amber.status = ""
    amber.save()

    action.record_update(
        author=officer,
        version=1,
        status="not_started",
        rag=amber,
        narrative="Waiting for the new team.",
        rag_reason="Recruitment",
        recovery_plan="Agency staff",
    )

    assert action.updates.get().rag_after == amber


def test_a_plan_lead_ties_levels_to_statuses_in_the_scale_pages(lead_client, plan_lead):
    scale = make_brag_scale()
    blue = rag_level(scale, "blue")
    url = reverse("plans:level-edit", args=[blue.pk])
    assert "Any status" in lead_client.get(url).content.decode()

    response = lead_client.post(url, level_data(status="complete", version=1))

    assert response.status_code == 302
    blue.refresh_from_db()
    assert (blue.status, blue.version) == ("complete", 2)
    assert blue.history.latest().history_user == plan_lead
    assert blue.history.latest().status == "complete"
    page = lead_client.get(reverse("plans:scale-detail", args=[scale.pk])).content.decode()
    assert "<td>Complete</td>" in page and "<td>Any status</td>" in page


def test_a_plan_lead_adds_a_level_that_goes_with_a_status(lead_client):
    scale = make_brag_scale()

    response = lead_client.post(
        reverse("plans:level-create", args=[scale.pk]),
        level_data(label="Not started", colour="grey", status="not_started", order=9),
    )

    assert response.status_code == 302
    assert scale.levels.get(label="Not started").status == "not_started"


def test_a_stale_change_of_a_levels_status_is_refused(lead_client):
    blue = rag_level(make_brag_scale(), "blue")
    url = reverse("plans:level-edit", args=[blue.pk])
    lead_client.post(url, level_data(status="complete", version=1))

    response = lead_client.post(url, level_data(status="withdrawn", version=1))

    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    blue.refresh_from_db()
    assert blue.status == "complete"


def test_an_unknown_status_is_refused(lead_client):
    blue = rag_level(make_brag_scale(), "blue")

    response = lead_client.post(
        reverse("plans:level-edit", args=[blue.pk]), level_data(status="finished", version=1)
    )

    assert response.status_code == 422
    assert "status from the list" in response.content.decode()
    blue.refresh_from_db()
    assert (blue.status, blue.version) == ("", 1)


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_only_plan_leads_tie_levels_to_statuses(client, persona, request):
    blue = rag_level(make_brag_scale(), "blue")
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("plans:level-edit", args=[blue.pk]), level_data(status="complete", version=1)
    )

    assert response.status_code == 403
    blue.refresh_from_db()
    assert blue.status == ""
