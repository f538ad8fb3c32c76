"""Who may update an action: its lead, plan leads and administrators; nobody else, whatever they request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.models import Action, ActionUpdate
from tests.factories import (
    make_action,
    make_brag_scale,
    make_plan,
    make_priority,
    make_user,
    person_for,
    rag_level,
)

# Every URL that writes. Each entry: URL name, and the expected status of GET and POST when allowed.
WRITE_URLS = [pytest.param("actions:update", {"get": 200, "post": 302}, id="update")]

REFUSED = {"anonymous": 302, "other_officer": 403, "scrutiny_member": 403}
ALLOWED = ("officer", "plan_lead", "administrator")


@pytest.fixture
def action(db, officer):
    scale = make_brag_scale()
    priority = make_priority(make_plan(rag_scale=scale))
    return make_action(priority, [officer], reference="4.2", rag=rag_level(scale, "green"))


def log_in(client, request, persona: str):
    """Log the client in as the persona (a fixture name), or not at all for "anonymous"; return the user."""
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def valid_update(action: Action) -> dict:
    return {
        "version": action.version,
        "status": "in_progress",
        "rag": action.rag_id,
        "narrative": "Work has started.",
    }


def snapshot(action: Action) -> tuple:
    action = Action.objects.get(pk=action.pk)
    return (
        action.version,
        action.status,
        action.rag_id,
        action.last_updated_at,
        ActionUpdate.objects.count(),
        action.history.count(),
    )


@pytest.mark.parametrize(("url_name", "allowed"), WRITE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", [*REFUSED, *ALLOWED])
def test_permission_matrix_of_every_write_url(client, request, action, url_name, allowed, method, persona):
    user = log_in(client, request, persona)
    url = reverse(url_name, args=[action.pk])
    before = snapshot(action)

    response = client.get(url) if method == "get" else client.post(url, valid_update(action))

    if persona in REFUSED:
        assert response.status_code == REFUSED[persona]
        if persona == "anonymous":
            assert response["Location"] == f"/login/?next={url}"
        else:
            assert "You do not have permission to do that" in response.content.decode()
        assert snapshot(action) == before
    else:
        assert response.status_code == allowed[method]
        if method == "get":
            assert snapshot(action) == before
        else:
            action.refresh_from_db()
            assert action.version == 2
            assert action.status == Action.Status.IN_PROGRESS
            assert action.updates.get().author == user


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("context", ["row", "detail"])
def test_htmx_requests_are_refused_the_same_way(client, request, action, persona, context):
    log_in(client, request, persona)
    url = reverse("actions:update", args=[action.pk])
    before = snapshot(action)

    get = client.get(url, {"context": context}, headers={"HX-Request": "true"})
    post = client.post(url, {**valid_update(action), "context": context}, headers={"HX-Request": "true"})

    if persona == "anonymous":  # htmx would swap a redirect's login page into the row: the browser goes
        assert get.status_code == post.status_code == 200
        assert get["HX-Redirect"].startswith(f"/login/?next={url}")
        assert post["HX-Redirect"] == f"/login/?next={url}"
    else:
        assert get.status_code == post.status_code == REFUSED[persona]
    assert snapshot(action) == before


def test_scrutiny_member_cannot_update(client, scrutiny_member, action):
    client.force_login(scrutiny_member)

    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).version == 1


def test_an_officer_who_leads_another_action_cannot_update_this_one(client, other_officer, action):
    make_action(action.priority, [other_officer])
    client.force_login(other_officer)

    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()


def test_a_second_lead_of_the_action_can_update_it(client, other_officer, action):
    action.leads.add(person_for(other_officer))
    client.force_login(other_officer)

    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 302
    assert action.updates.get().author == other_officer


def test_an_officer_removed_as_lead_can_no_longer_update(client, officer, action):
    action.leads.remove(person_for(officer))
    client.force_login(officer)

    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).version == 1


def test_a_superuser_without_a_role_can_update(client, action):
    client.force_login(make_user("root", is_superuser=True))

    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).version == 2


def test_a_user_without_a_role_can_neither_see_nor_update(client, action):
    client.force_login(make_user("no_role"))
    before = snapshot(action)

    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 403
    assert client.post(reverse("actions:update", args=[action.pk]), valid_update(action)).status_code == 403
    assert snapshot(action) == before


def read_url(url_name: str, action: Action) -> str:
    return (
        reverse(url_name, args=[action.pk])
        if url_name in {"actions:detail", "actions:row"}
        else reverse(url_name)
    )


READ_URLS = ["actions:list", "actions:mine", "actions:detail", "actions:row"]


@pytest.mark.parametrize("url_name", READ_URLS)
@pytest.mark.parametrize("persona", [*ALLOWED, "other_officer", "scrutiny_member"])
def test_every_role_can_read_every_page(client, request, action, url_name, persona):
    log_in(client, request, persona)
    url = read_url(url_name, action)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_name", [*READ_URLS, "home"])
def test_anonymous_visitor_is_sent_to_sign_in_from_every_page(client, action, url_name):
    url = read_url(url_name, action)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"
