"""A signed-out user's htmx request sends the browser to sign-in as a whole page, never into a fragment."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from actions.models import Action
from tests.factories import make_action, update_data

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/actions/mine/?sort=due_date"}


@pytest.fixture
def action(officer) -> Action:
    return make_action(leads=[officer])


def test_an_htmx_save_after_the_session_ended_redirects_the_browser_to_sign_in(client, officer, action):
    client.force_login(officer)
    client.session.flush()  # the session ended (idle timeout) while the form was open
    client.cookies.pop("sessionid", None)

    response = client.post(
        reverse("actions:update", args=[action.pk]), {**update_data(action), "context": "row"}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/actions/mine/%3Fsort%3Ddue_date"
    assert "Location" not in response
    assert response.content == b""  # nothing for htmx to swap into the row
    assert "HX-Request" in response["Vary"]
    assert Action.objects.get(pk=action.pk).version == 1


@pytest.mark.parametrize("name", ["actions:list", "actions:row", "actions:update"])
def test_every_htmx_get_of_a_signed_out_user_redirects_the_browser(client, action, name):
    args = [] if name == "actions:list" else [action.pk]

    response = client.get(reverse(name, args=args), headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/actions/mine/%3Fsort%3Ddue_date"


def test_without_the_current_url_next_is_the_requested_url(client, action):
    url = reverse("actions:row", args=[action.pk])

    response = client.get(url, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == f"/login/?next={url}"


def test_an_offsite_current_url_is_not_used_as_next(client, action):
    url = reverse("actions:row", args=[action.pk])

    response = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"})

    assert "evil" not in response["HX-Redirect"]
    assert response["HX-Redirect"] == f"/login/?next={url}"


def test_a_request_without_htmx_still_gets_an_ordinary_redirect(client, action):
    url = reverse("actions:update", args=[action.pk])

    response = client.post(url, update_data(action))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
    assert "HX-Redirect" not in response


def test_a_signed_in_users_redirects_are_left_alone(client, officer, action):
    client.force_login(officer)

    response = client.post(reverse("actions:update", args=[action.pk]), update_data(action), headers=HTMX)

    assert SESSION_KEY in client.session
    assert response.status_code == 200
    assert "HX-Redirect" not in response
