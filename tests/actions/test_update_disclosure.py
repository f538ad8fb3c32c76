"""The officer's update form shows the evidence, reason and recovery boxes only when the chosen status or
RAG level needs them (CSS, no JavaScript), and an older rating's reason never carries over to a rating
that needs none."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level, update_data


@pytest.fixture
def red_action(officer):
    scale = make_brag_scale()
    return make_action(
        make_priority(make_plan(rag_scale=scale)),
        [officer],
        rag=rag_level(scale, "red"),
        rag_reason="The panel has not met since March.",
        recovery_plan="A second panel chair from June.",
    )


def test_the_rag_options_say_which_levels_need_a_reason_and_a_recovery_comment(client, officer, red_action):
    client.force_login(officer)

    html = client.get(reverse("actions:update", args=[red_action.pk])).content.decode()

    needs = {
        label: attrs
        for attrs, label in re.findall(r'<option value="\d+"([^>]*)>[^<]*– ([^<]+)</option>', html)
    }
    assert needs  # the RAG select is on the page
    assert "data-needs-reason" in needs["Off track"] and "data-needs-recovery" in needs["Off track"]
    assert "data-needs-reason" not in needs["On track"] and "data-needs-recovery" not in needs["On track"]
    for box in ("evidence", "reason", "recovery"):
        assert f'class="update-reveal update-reveal--{box}"' in html


def test_an_improved_rating_does_not_keep_the_old_reason(client, officer, red_action):
    green = rag_level(red_action.plan.rag_scale, "green")
    client.force_login(officer)

    # The hidden boxes still hold the red rating's words when the form is sent.
    response = client.post(
        reverse("actions:update", args=[red_action.pk]),
        update_data(
            red_action,
            rag=str(green.pk),
            rag_reason=red_action.rag_reason,
            recovery_plan=red_action.recovery_plan,
        ),
    )

    assert response.status_code == 302
    red_action.refresh_from_db()
    assert red_action.rag == green
    assert (red_action.rag_reason, red_action.recovery_plan) == ("", "")
    assert red_action.updates.get().rag_after == green


def test_a_rating_that_needs_a_reason_still_asks_for_one(client, officer, red_action):
    client.force_login(officer)

    response = client.post(
        reverse("actions:update", args=[red_action.pk]), update_data(red_action, rag_reason=" ")
    )

    assert response.status_code == 422
    assert "Give a reason for rating the action at risk" in response.content.decode()
