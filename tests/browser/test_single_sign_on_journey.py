"""Signing in with the council's account in real Chromium, through the real test provider (issue #34):
first sign-in, a role from a group, the provider's MFA standing for ours, sign-out at both ends, and a user
disabled at the provider being signed out at the next re-check."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from accounts.models import User
from core import roles
from tests.browser.page_checks import assert_accessible
from tests.sso_provider.harness import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_at_provider(page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_a_plan_lead_signs_in_with_the_council_account_and_out_again(page, live_server, sso, settings):
    sso.register(live_server.url)
    settings.MFA_REQUIRED_ROLES = [roles.PLAN_LEAD]
    settings.SSO_PROVIDERS = {"council": sso.app_config(group_roles={"send-leads": roles.PLAN_LEAD})}
    sso.add_user("priya.sso", groups=["send-leads"], mfa=True, given_name="Priya", family_name="Sso")

    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with Thurrock Council").click()
    sign_in_at_provider(page, "priya.sso")

    # First sign-in: the account is made, the group gives the plan lead's role, and the provider's MFA
    # stands for the app's second factor (no two-step page although plan leads must use it).
    expect(page).to_have_url(f"{live_server.url}/plans/")  # plan leads land on their plans
    expect(page.get_by_text("Priya Sso")).to_be_visible()
    assert roles.role_of(User.objects.get(username="priya.sso")) == roles.PLAN_LEAD

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    # Signed out at the provider as well: signing in again asks for the password there.
    page.get_by_role("link", name="Sign in with Thurrock Council").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_a_user_disabled_at_the_provider_is_signed_out_at_the_next_recheck(page, live_server, sso, settings):
    sso.register(live_server.url)
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 4
    sso.add_user("leaver.sso")

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Thurrock Council").click()
    sign_in_at_provider(page, "leaver.sso")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("an administrator has not given you a role yet")).to_be_visible()
    user = User.objects.get(username="leaver.sso")
    assert not user.groups.exists()  # no group mapping: an administrator gives the role

    sso.disable("leaver.sso")
    time.sleep(4.5)  # past the re-check interval
    page.reload()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_text("your account there is disabled")).to_be_visible()
