"""Two-step verification (TOTP app + recovery codes): set-up, sign-in, and who must use it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import User
from accounts.views import SETUP_KEY
from core import roles
from tests.send_tracker.test_settings import REAL_SECRET, manage

SETUP = reverse("account:two-factor-setup")
VERIFY = reverse("account:two-factor-verify")
CODES = reverse("account:recovery-codes")
START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mfa_on(settings):
    """The production default: administrators and plan leads must use two-step verification."""
    settings.MFA_REQUIRED_ROLES = [roles.ADMINISTRATOR, roles.PLAN_LEAD]
    return settings


def app_code(key: str) -> str:
    return str(TOTP(bytes.fromhex(key)).token()).zfill(6)


def signed_in(user: User) -> Client:
    """Sign in with the password only (as the login form does): the second step is still to come."""
    client = Client()
    client.force_login(user)
    return client


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    return mfa.enrol(user, "3132333435363738393031323334353637383930", last_t=-1)


# Who must use it.


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0", "SECRET_KEY": REAL_SECRET}, "['Administrator', 'Plan lead']"),
        ({"DEBUG": "1"}, "[]"),
        (
            {"DEBUG": "0", "SECRET_KEY": REAL_SECRET, "MFA_REQUIRED_ROLES": "Officer,Plan lead"},
            "['Officer', 'Plan lead']",
        ),
    ],
    ids=["production", "development", "configured"],
)
def test_the_roles_that_must_use_it_come_from_the_environment(env, expected):
    script = "from django.conf import settings; print(settings.MFA_REQUIRED_ROLES)"
    result = manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_an_unknown_role_stops_the_app_at_start_up():
    result = manage("check", DEBUG="1", MFA_REQUIRED_ROLES="Administrators")
    assert result.returncode != 0
    assert "MFA_REQUIRED_ROLES names unknown roles ['Administrators']" in result.stderr


@pytest.mark.parametrize("role", ["administrator", "plan_lead"])
def test_administrators_and_plan_leads_must_set_up_the_app_before_any_page(mfa_on, request, role):
    client = signed_in(request.getfixturevalue(role))

    for path in (reverse("actions:list"), reverse("account:index"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETUP}?next=")


def test_a_superuser_counts_as_an_administrator(mfa_on, db):
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    assert signed_in(root).get("/admin/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", ["officer", "scrutiny_member"])
def test_other_roles_sign_in_with_a_password_only_by_default(mfa_on, request, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(reverse("account:index")).status_code == 200


def test_any_role_can_be_required_to_use_it(settings, officer):
    settings.MFA_REQUIRED_ROLES = [roles.OFFICER]
    assert signed_in(officer).get(reverse("actions:mine"))["Location"].startswith(SETUP)


def test_htmx_requests_are_redirected_by_htmx(mfa_on, plan_lead):
    response = signed_in(plan_lead).get(reverse("actions:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(SETUP)


def test_signing_out_stays_possible_before_the_second_step(mfa_on, administrator):
    client = signed_in(administrator)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("account:index"))["Location"].startswith(reverse("login"))


# Setting it up.


def test_setting_up_the_app_with_its_code_turns_it_on_and_shows_recovery_codes(mfa_on, administrator):
    client = signed_in(administrator)
    page = client.get(SETUP)
    key = client.session[SETUP_KEY]

    wrong = client.post(SETUP, {"code": "000000" if app_code(key) != "000000" else "111111"})
    assert wrong.status_code == 422
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=administrator).exists()

    response = client.post(SETUP, {"code": app_code(key), "next": "/admin/"})

    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == CODES
    device = TOTPDevice.objects.get(user=administrator)
    assert device.confirmed and device.key == key
    codes_page = client.get(CODES).content.decode()
    codes = list(StaticToken.objects.filter(device__user=administrator).values_list("token", flat=True))
    assert len(codes) == mfa.RECOVERY_CODE_COUNT
    assert all(code in codes_page for code in codes)
    # Shown once only.
    assert not any(code in client.get(CODES).content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200


def test_a_stale_or_reused_setup_code_is_refused(mfa_on, administrator):
    client = signed_in(administrator)
    client.get(SETUP)
    key = client.session[SETUP_KEY]
    with time_machine.travel(START, tick=False) as traveller:
        code = app_code(key)
        traveller.shift(datetime.timedelta(minutes=5))
        assert client.post(SETUP, {"code": code}).status_code == 422


# Signing in with the second step.


@pytest.fixture
def admin_with_app(mfa_on, administrator) -> tuple[User, TOTPDevice, list[str]]:
    device, codes = enrolled(administrator)
    return administrator, device, codes


def test_sign_in_asks_for_the_app_code_and_then_opens_the_admin(admin_with_app):
    user, device, _ = admin_with_app
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "a-long-test-password"})
    to_admin = client.get("/admin/")

    assert response.status_code == 302
    assert to_admin.status_code == 302
    assert to_admin["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.post(VERIFY, {"code": "12345x", "next": "/admin/"}).status_code == 422
    done = client.post(VERIFY, {"code": app_code(device.key), "next": "/admin/"})
    assert done.status_code == 302
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_does_not_skip_the_second_step(admin_with_app):
    user, _, _ = admin_with_app
    client = Client()
    client.post(reverse("admin:login"), {"username": user.username, "password": "a-long-test-password"})
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_someone_who_chose_the_app_is_always_asked_for_it(officer):
    # Officers need not use it (the test settings require it of nobody), but once set up it is asked for.
    device, _ = enrolled(officer)
    client = signed_in(officer)
    assert client.get(reverse("actions:mine"))["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": app_code(device.key)}).status_code == 302
    assert client.get(reverse("actions:mine")).status_code == 200


def test_a_recovery_code_works_once(admin_with_app):
    user, _, codes = admin_with_app
    client = signed_in(user)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"}, follow=True)

    assert response.status_code == 200
    assert f"{mfa.RECOVERY_CODE_COUNT - 1} left" in response.content.decode()
    again = signed_in(user).post(VERIFY, {"code": codes[0]})
    assert again.status_code == 422


def test_wrong_codes_slow_down_the_next_try(admin_with_app):
    user, device, _ = admin_with_app
    client = signed_in(user)
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(3):
            client.post(VERIFY, {"code": "000001" if app_code(device.key) != "000001" else "000002"})
        right_code_too_soon = client.post(VERIFY, {"code": app_code(device.key)})
        traveller.shift(datetime.timedelta(seconds=10))
        later = client.post(VERIFY, {"code": app_code(device.key)})

    assert right_code_too_soon.status_code == 422
    assert "Too many wrong codes" in right_code_too_soon.content.decode()
    assert later.status_code == 302


def test_new_recovery_codes_replace_the_old_ones(admin_with_app):
    user, device, old_codes = admin_with_app
    client = signed_in(user)
    client.post(VERIFY, {"code": app_code(device.key)})

    response = client.post(CODES, follow=True)

    new_codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new_codes) == mfa.RECOVERY_CODE_COUNT
    assert not new_codes & set(old_codes)
    assert all(code in response.content.decode() for code in new_codes)


def test_an_administrator_resets_a_lost_phone_and_the_user_sets_up_again(mfa_on, administrator, plan_lead):
    enrolled(plan_lead)
    admin_client = signed_in(administrator)
    admin_client.force_login(administrator)
    session = admin_client.session
    session.pop(mfa.PENDING)
    session.save()

    response = admin_client.post(
        reverse("admin:send_tracker_user_changelist"),
        {"action": "reset_two_step_verification", "_selected_action": [plan_lead.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=plan_lead).exists()
    assert signed_in(plan_lead).get(reverse("actions:list"))["Location"].startswith(SETUP)


def test_authenticator_keys_are_not_in_the_admin():
    assert not admin.site.is_registered(TOTPDevice)


def test_an_officer_without_a_role_that_needs_it_may_still_turn_it_on(officer):
    client = signed_in(officer)
    client.get(SETUP)
    response = client.post(SETUP, {"code": app_code(client.session[SETUP_KEY])})
    assert response["Location"] == CODES
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_an_unverified_user_cannot_make_recovery_codes(admin_with_app):
    user, _, old_codes = admin_with_app
    client = signed_in(user)
    session = client.session
    session.pop(mfa.PENDING)  # even if the session somehow lost the flag
    session.save()
    assert client.post(CODES)["Location"] == reverse("account:index")
    codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert set(codes) == set(old_codes)


def test_replacing_the_app_needs_a_code_from_the_current_one(officer):
    device, _ = enrolled(officer)
    client = Client()
    client.force_login(officer)
    session = client.session
    session.pop(mfa.PENDING)  # a session that began before the app was set up
    session.save()

    response = client.get(SETUP)

    assert response["Location"] == f"{VERIFY}?next={SETUP}"
    assert client.post(VERIFY, {"code": app_code(device.key), "next": SETUP})["Location"] == SETUP
    assert client.get(SETUP).status_code == 200


def test_the_account_page_is_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    enrolled(officer)
    client = Client()
    client.force_login(officer)
    session = client.session
    session.pop(mfa.PENDING)
    session.save()
    # session, user, recovery codes device, the app, count of codes left, the groups (is MFA required),
    # the groups with all permissions (links and role in the header: accounts.backends)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("account:index")).status_code == 200
