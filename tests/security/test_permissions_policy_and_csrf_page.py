"""The Permissions-Policy header on every kind of response, and our own page for a failed CSRF check."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_action

POWERFUL_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")


def assert_permissions_policy(response) -> None:
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in POWERFUL_FEATURES:
        assert policy[feature] == "()", feature


def test_every_kind_of_response_turns_off_powerful_browser_features(officer, scrutiny_member):
    action = make_action(leads=[officer])
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(scrutiny_member)
    responses = {
        "login page": anonymous.get(reverse("login")),
        "redirect to login": anonymous.get(reverse("actions:list")),
        "page": signed_in.get(reverse("actions:list")),
        "htmx fragment": signed_in.get(reverse("actions:row", args=[action.pk]), headers={"HX-Request": "1"}),
        "forbidden": signed_in.get(reverse("actions:update", args=[action.pk])),
        "not found": signed_in.get("/no-such-page/"),
        "account page": signed_in.get(reverse("account:index")),
    }
    for name, response in responses.items():
        assert response.has_header("Permissions-Policy"), name
        assert_permissions_policy(response)


@pytest.fixture
def csrf_failure(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    return client.post(reverse("logout"))


def test_a_failed_csrf_check_gets_our_page_not_djangos(csrf_failure):
    html = csrf_failure.content.decode()

    assert csrf_failure.status_code == 403
    assert "<h1>Your form expired</h1>" in html
    assert "SEND Tracker" in html
    assert "CSRF verification failed" not in html


def test_the_csrf_page_has_nothing_the_content_security_policy_would_block(csrf_failure):
    html = csrf_failure.content.decode()

    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)  # every script is a file
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    assert "default-src 'self'" in csrf_failure["Content-Security-Policy"]
