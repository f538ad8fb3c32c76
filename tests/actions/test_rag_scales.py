"""RAG scales in the app: levels with flags, shared colours and patterns, retiring, and moving a plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actions.models import Action, ActionUpdate, RagLevel, RagScale
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_update, rag_level


@pytest.fixture
def lead_client(plan_lead) -> Client:
    client = Client()
    client.force_login(plan_lead)
    return client


def level_data(**changes) -> dict:
    data = {"label": "Reprogrammed", "colour": "amber", "pattern": "hatched", "meaning": "", "order": 5}
    data.update(changes)
    return data


def test_a_plan_lead_builds_a_six_level_scale_with_a_shared_colour_and_a_pattern(lead_client):
    new_scale = {"name": "Six-level programme", "description": ""}
    response = lead_client.post(reverse("plans:scale-create"), new_scale)
    scale = RagScale.objects.get()
    assert response["Location"] == reverse("plans:scale-detail", args=[scale.pk])
    url = reverse("plans:level-create", args=[scale.pk])

    for data in (
        level_data(label="Not started", colour="grey", pattern="", counts_as_not_started="on", order=0),
        level_data(label="On track", colour="green", pattern="", counts_as_on_track="on", order=1),
        level_data(label="At risk", colour="amber", pattern="", requires_reason="on", order=2),
        level_data(label="Reprogrammed", colour="amber", pattern="hatched", requires_reason="on", order=3),
        level_data(label="Suspended", colour="grey", pattern="dotted", order=4),
        level_data(label="Complete", colour="blue", pattern="", counts_as_closed="on", order=5),
    ):
        assert lead_client.post(url, data).status_code == 302, data["label"]

    levels = list(scale.levels.order_by("order"))
    assert [level.label for level in levels] == [
        "Not started",
        "On track",
        "At risk",
        "Reprogrammed",
        "Suspended",
        "Complete",
    ]
    assert [level.pattern for level in levels if level.colour == "amber"] == ["", "hatched"]
    assert levels[5].counts_as_closed and levels[1].counts_as_on_track and levels[0].counts_as_not_started
    page = lead_client.get(reverse("plans:scale-detail", args=[scale.pk])).content.decode()
    assert '<strong class="tag tag--amber tag--hatched">Reprogrammed</strong>' in page


def test_a_level_counts_as_one_thing_at_most_and_labels_are_unique(lead_client):
    scale = make_brag_scale()
    url = reverse("plans:level-create", args=[scale.pk])

    both = lead_client.post(url, level_data(counts_as_closed="on", counts_as_on_track="on"))
    again = lead_client.post(url, level_data(label="on track"))

    assert both.status_code == 422 and "one at most" in both.content.decode()
    assert again.status_code == 422 and "Another level of this scale has this label" in again.content.decode()
    assert scale.levels.count() == 4


def test_a_level_in_use_is_retired_not_removed_and_cannot_be_chosen_again(lead_client, officer):
    scale = make_brag_scale()
    action = make_action(make_priority(make_plan(rag_scale=scale)), [officer])
    amber = rag_level(scale, "amber")
    make_update(action, officer, "Slipping.", rag=amber)

    response = lead_client.post(reverse("plans:level-retire", args=[amber.pk]), {"version": 1})

    assert response.status_code == 302
    amber.refresh_from_db()
    assert amber.retired_at is not None
    action.refresh_from_db()
    assert action.rag == amber  # kept on the action
    # Staying at a retired level is allowed; moving to one is not.
    make_update(action, officer, "Still slipping.", rag=amber)
    other = make_action(action.priority, [officer])
    with pytest.raises(ValidationError):
        make_update(other, officer, "Slipping too.", rag=amber)


def test_editing_a_level_is_version_checked(lead_client):
    scale = make_brag_scale()
    green = rag_level(scale, "green")
    url = reverse("plans:level-edit", args=[green.pk])

    first = lead_client.post(url, level_data(label="On target", colour="green", pattern="", version=1))
    second = lead_client.post(url, level_data(label="Fine", colour="green", pattern="", version=1))

    assert (first.status_code, second.status_code) == (302, 409)
    green.refresh_from_db()
    assert (green.label, green.version) == ("On target", 2)


def test_moving_a_live_plan_to_another_scale_maps_every_action_in_one_logged_step(
    lead_client, officer, plan_lead
):
    brag = make_brag_scale()
    plan = make_plan(rag_scale=brag)
    priority = make_priority(plan)
    on_track = make_action(priority, [officer])
    make_update(on_track, officer, "Fine.", rag=rag_level(brag, "green"))
    at_risk = make_action(priority, [officer])
    make_update(at_risk, officer, "Slipping.", rag=rag_level(brag, "amber"))
    make_action(priority, [officer])  # not rated: nothing to map
    three = RagScale.objects.create(name="Three-level RAG")
    good = RagLevel.objects.create(scale=three, colour="green", label="On track", order=0)
    worry = RagLevel.objects.create(scale=three, colour="red", label="Concern", order=1)
    url = reverse("plans:plan-scale", args=[plan.pk])

    step_one = lead_client.get(url, {"scale": three.pk})
    form = step_one.context["form"]
    assert sorted(form.fields) == sorted(
        ["version", "scale", f"map_{rag_level(brag, 'green').pk}", f"map_{rag_level(brag, 'amber').pk}"]
    )
    assert form[f"map_{rag_level(brag, 'green').pk}"].initial == good.pk  # same word preselected

    missing = lead_client.post(url, {"version": plan.version, "scale": three.pk})
    assert missing.status_code == 422
    plan.refresh_from_db()
    assert plan.rag_scale == brag

    response = lead_client.post(
        url,
        {
            "version": plan.version,
            "scale": three.pk,
            f"map_{rag_level(brag, 'green').pk}": good.pk,
            f"map_{rag_level(brag, 'amber').pk}": worry.pk,
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.rag_scale == three
    assert Action.objects.get(pk=on_track.pk).rag == good
    assert Action.objects.get(pk=at_risk.pk).rag == worry
    logged = ActionUpdate.objects.get(action=at_risk, author=plan_lead)
    assert (logged.rag_before.label, logged.rag_after.label) == ("At risk", "Concern")
    assert "moved from the BRAG scale to Three-level RAG" in logged.narrative


def test_the_scale_pages_are_a_fixed_number_of_queries(lead_client, django_assert_max_num_queries):
    for n in range(3):
        make_plan(rag_scale=make_brag_scale(f"Scale {n}"))
    lead_client.get(reverse("plans:scales"))

    # session, user, groups and permissions (one query), the scales with their plan counts, their levels,
    # (no session save: its expiry is under a minute old)
    with django_assert_max_num_queries(5) as small:
        response = lead_client.get(reverse("plans:scales"))
    assert len(response.context["scales"]) == 3
    for n in range(3, 6):
        make_plan(rag_scale=make_brag_scale(f"Scale {n}"))
    with django_assert_max_num_queries(5) as large:
        response = lead_client.get(reverse("plans:scales"))
    assert len(response.context["scales"]) == 6
    assert len(small) == len(large)


def test_moving_a_plan_someone_else_changed_shows_the_conflict_and_moves_nothing(lead_client, officer):
    brag = make_brag_scale()
    plan = make_plan(rag_scale=brag)
    rated = make_action(make_priority(plan), [officer])
    make_update(rated, officer, "Fine.", rag=rag_level(brag, "green"))
    three = RagScale.objects.create(name="Three-level RAG")
    good = RagLevel.objects.create(scale=three, colour="green", label="On track", order=0)
    loaded = plan.version
    plan.edit(version=loaded, title="Renamed by someone else")

    response = lead_client.post(
        reverse("plans:plan-scale", args=[plan.pk]),
        {"version": loaded, "scale": three.pk, f"map_{rag_level(brag, 'green').pk}": good.pk},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in html
    assert "Renamed by someone else" in html  # what changed, from the history
    assert f'name="version" value="{loaded + 1}"' in html  # saving again is a deliberate act
    plan.refresh_from_db()
    assert plan.rag_scale == brag


def test_retiring_a_level_someone_else_changed_goes_back_with_the_conflict_and_changes_nothing(lead_client):
    scale = make_brag_scale()
    amber = rag_level(scale, "amber")
    amber.edit(version=1, meaning="Some slippage.")

    response = lead_client.post(reverse("plans:level-retire", args=[amber.pk]), {"version": 1}, follow=True)

    assert response.redirect_chain == [(reverse("plans:scale-detail", args=[scale.pk]), 302)]
    assert "Someone else changed this" in response.content.decode()
    amber.refresh_from_db()
    assert (amber.retired_at, amber.version) == (None, 2)
