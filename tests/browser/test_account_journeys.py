"""Account journeys in real Chromium: two-step verification for an administrator, a forgotten password."""

from __future__ import annotations

import base64
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import expect

from core import roles
from tests.browser.page_checks import assert_accessible
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def code_from_key(typed_key: str) -> str:
    """Return the current code for a key as a person types it into their app (base32, in groups)."""
    secret = typed_key.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(TOTP(key).token()).zfill(6)


def test_an_administrator_sets_up_two_step_verification_then_signs_in_with_it(
    page, live_server, login, settings
):
    settings.MFA_REQUIRED_ROLES = [roles.ADMINISTRATOR]
    make_user("ada", roles.ADMINISTRATOR, is_staff=True)

    login("ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.get_by_alt_text(re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(code_from_key(page.locator(".secret-key").inner_text()))
    page.get_by_role("button", name="Turn on two-step verification").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("You have 10 unused recovery codes")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    login("ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code; 9 left.")).to_be_visible()
    page.get_by_role("link", name="Admin").click()
    assert urlsplit(page.url).path == "/admin/"


def test_a_forgotten_password_is_reset_from_the_sign_in_page(page, live_server, db):
    make_user("olivia", roles.OFFICER, email="olivia@example.org")

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("olivia@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("correct-horse-battery-staple-42")
    page.get_by_label("New password confirmation").fill("correct-horse-battery-staple-42")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("correct-horse-battery-staple-42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("My actions"))
