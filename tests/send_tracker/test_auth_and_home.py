"""Signing in and out, and the home page that sends each role to where it starts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse, set_script_prefix

from core import roles
from tests.factories import make_user

PASSWORD = "a-long-test-password"  # what tests.factories.make_user sets
LOGIN, LOGOUT, HOME = reverse("login"), reverse("logout"), reverse("home")


def test_the_sign_in_page_renders(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sign in to SEND Tracker</h1>" in html
    assert 'name="username"' in html
    assert 'type="password" name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Sign out" not in html


def test_signing_in_with_the_right_password_goes_home(client, officer):
    response = client.post(LOGIN, {"username": "officer_lead", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert client.get(HOME)["Location"] == reverse("actions:mine")


def test_signing_in_returns_to_a_safe_next(client, officer):
    response = client.post(
        LOGIN, {"username": "officer_lead", "password": PASSWORD, "next": "/actions/?q=audit"}
    )

    assert response["Location"] == "/actions/?q=audit"


def test_signing_in_ignores_an_external_next(client, officer):
    response = client.post(
        LOGIN, {"username": "officer_lead", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_a_wrong_password_shows_the_form_again_with_an_error(client, officer):
    response = client.post(LOGIN, {"username": "officer_lead", "password": "not-the-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The username or password is not right. Check both and try again" in html
    assert 'value="officer_lead"' in html
    assert SESSION_KEY not in client.session


def test_an_unknown_user_cannot_sign_in(client, db):
    response = client.post(LOGIN, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_an_inactive_user_cannot_sign_in(client, db):
    make_user("left_the_council", roles.OFFICER, is_active=False)

    response = client.post(LOGIN, {"username": "left_the_council", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_signing_in_needs_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)

    refused = client.post(LOGIN, {"username": "officer_lead", "password": PASSWORD})
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(LOGIN).content.decode()
    ).group(1)
    accepted = client.post(
        LOGIN, {"username": "officer_lead", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_a_signed_in_user_visiting_sign_in_goes_home(client, officer):
    client.force_login(officer)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_every_page_has_a_sign_out_button_that_posts(client, officer):
    client.force_login(officer)

    html = client.get(reverse("actions:mine")).content.decode()

    assert re.search(
        r'<form method="post" action="/logout/" class="inline-form">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"[^>]*>\s*<button type="submit" class="link-button">Sign out</button>',
        html,
    )
    assert "Olivia Officer" in html
    assert "(Officer)" in html


def test_the_header_links_follow_the_script_prefix(client, officer):
    """The header's links are reversed once per prefix: a council serving the app under a path keeps them."""
    client.force_login(officer)
    assert 'href="/actions/mine/"' in client.get(reverse("actions:mine")).content.decode()

    set_script_prefix("/send/")
    try:
        response = client.get("/actions/mine/")  # the path within the app, as the server passes it on
    finally:
        set_script_prefix("/")

    assert response.status_code == 200
    html = response.content.decode()

    assert 'href="/send/actions/mine/"' in html
    assert 'action="/send/logout/"' in html
    assert 'href="/actions/mine/"' not in html


def test_sign_out_is_post_only(client, officer):
    client.force_login(officer)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_signing_out_ends_the_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("actions:list")).status_code == 200

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    after = client.get(reverse("actions:list"))
    assert after.status_code == 302
    assert after["Location"] == "/login/?next=/actions/"


def test_signing_out_needs_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(LOGOUT)

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_an_old_session_cookie_does_not_work_after_signing_out(officer):
    client = Client()
    client.force_login(officer)
    stolen_cookie = client.cookies["sessionid"].value

    client.post(LOGOUT)
    attacker = Client()
    attacker.cookies["sessionid"] = stolen_cookie

    assert attacker.get(reverse("actions:list")).status_code == 302


def test_home_sends_an_officer_to_my_actions(client, officer):
    client.force_login(officer)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:mine")


def test_home_sends_a_scrutiny_member_to_the_dashboard_overview(client, scrutiny_member):
    client.force_login(scrutiny_member)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:overview")


@pytest.mark.parametrize("persona", ["plan_lead", "administrator"])
def test_home_sends_plan_leads_and_administrators_to_their_live_plans(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:list")


def test_home_sends_an_officer_who_is_also_a_plan_lead_to_the_plans(client, officer):
    officer.groups.add(*make_user(role=roles.PLAN_LEAD).groups.all())
    client.force_login(officer)

    assert client.get(HOME)["Location"] == reverse("plans:list")


def test_home_sends_a_superuser_to_the_plans(client, db):
    client.force_login(make_user("root", is_superuser=True))

    assert client.get(HOME)["Location"] == reverse("plans:list")


def test_home_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_home_only_answers_get(client, officer, method):
    client.force_login(officer)

    assert getattr(client, method)(HOME).status_code == 405
