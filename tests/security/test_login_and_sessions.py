"""Signing in and staying signed in: throttling, password rules, idle and absolute session limits, logout."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PASSWORD = "a-long-test-password"  # what tests.factories.make_user gives everyone
LOGIN = reverse("login")
START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def assert_redirected_to_login(response, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={path}"


# Throttling (django-axes): five failures lock a username from that address; AXES_IP_FAILURE_LIMIT failures
# across usernames lock an address.


def test_five_failures_lock_the_username_even_for_the_right_password(axes_on, officer):
    client = Client()
    statuses = [sign_in(client, officer.username, "wrong-password").status_code for _ in range(5)]
    # The first four show the form again; the fifth failure reaches the limit and already gets the lockout.
    assert statuses == [200, 200, 200, 200, 429]
    sixth = sign_in(client, officer.username, PASSWORD)
    assert sixth.status_code == 429
    assert "Too many sign-in attempts" in sixth.content.decode()
    assert "registration/locked_out.html" in [template.name for template in sixth.templates]
    assert not is_signed_in(client)
    # The refused sixth try does not extend the lockout (see below): the count stays at the limit.
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 5


def test_a_locked_out_user_cannot_get_in_from_a_fresh_browser(axes_on, officer):
    for _ in range(5):
        sign_in(Client(), officer.username, "wrong-password")
    client = Client()
    assert sign_in(client, officer.username).status_code == 429
    assert not is_signed_in(client)


def test_a_success_before_the_limit_resets_the_count(axes_on, officer):
    client = Client()
    for _ in range(4):
        assert sign_in(client, officer.username, "wrong-password").status_code == 200
    assert sign_in(client, officer.username).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert sign_in(client, officer.username, "wrong-password").status_code == 200
    assert sign_in(client, officer.username).status_code == 302
    assert is_signed_in(client)


def test_failures_for_a_username_from_one_address_do_not_lock_the_real_user_out_from_another(
    axes_on, officer, other_officer
):
    # Five wrong passwords for any username used to lock that account from every address for 15 minutes:
    # anyone could lock the administrator out at will.
    for _ in range(5):
        sign_in(Client(), officer.username, "wrong-password", REMOTE_ADDR="203.0.113.7")
    # From the attacker's address the username is locked, even with the right password...
    assert sign_in(Client(), officer.username, REMOTE_ADDR="203.0.113.7").status_code == 429
    # ...but the real user, signing in from their own address, gets in; so does another user on the
    # attacker's network.
    real_user = Client()
    assert sign_in(real_user, officer.username, REMOTE_ADDR="198.51.100.20").status_code == 302
    assert is_signed_in(real_user)
    assert sign_in(Client(), other_officer.username, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_moving_to_another_address_gives_only_another_five_tries_before_that_address_is_locked_too(
    axes_on, officer
):
    for address in ("203.0.113.7", "203.0.113.8"):
        statuses = [
            sign_in(Client(), officer.username, "wrong-password", REMOTE_ADDR=address).status_code
            for _ in range(6)
        ]
        assert statuses == [200, 200, 200, 200, 429, 429]


def spray(address: str, usernames: int = 15, tries: int = 4, **extra) -> list[int]:
    """Try `tries` wrong passwords for each of `usernames` names from one address; return the statuses."""
    return [
        sign_in(Client(), f"person{n}", "Spring2025!", REMOTE_ADDR=address, **extra).status_code
        for _ in range(tries)
        for n in range(usernames)
    ]


def test_password_spraying_from_one_address_is_stopped(axes_on, officer):
    statuses = spray("203.0.113.7")  # 60 tries over 15 usernames: none reaches five for its name

    limit = django_settings.AXES_IP_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    # The address is paused for everyone on it, even with the right password; other addresses are not.
    assert sign_in(Client(), officer.username, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert sign_in(Client(), officer.username, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_signing_in_to_your_own_account_does_not_clear_the_address_count(axes_on, officer):
    limit = django_settings.AXES_IP_FAILURE_LIMIT
    spray("203.0.113.7", usernames=limit - 1, tries=1)
    assert sign_in(Client(), officer.username, REMOTE_ADDR="203.0.113.7").status_code == 302

    # The next failure is the address's twentieth: had the success cleared the count, it would be a 200.
    assert spray("203.0.113.7", usernames=2, tries=1) == [429, 429]


def test_forwarded_for_is_ignored_unless_behind_a_trusted_proxy(axes_on, db):
    axes_on.BEHIND_TLS_PROXY = False
    limit = django_settings.AXES_IP_FAILURE_LIMIT
    statuses = [
        sign_in(
            Client(), f"person{n}", "x", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(limit + 1)
    ]
    assert statuses[-1] == 429
    assert AccessAttempt.objects.filter(ip_address="203.0.113.7").count() == limit


def test_behind_the_proxy_each_client_is_told_apart_by_the_address_it_appended(axes_on, officer):
    axes_on.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client sends its own X-Forwarded-For; the proxy appends the address it saw last.
    statuses = spray("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert statuses[-1] == 429
    assert AccessAttempt.objects.exclude(ip_address="203.0.113.7").count() == 0
    # Another client behind the same proxy is not paused.
    other = sign_in(Client(), officer.username, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert other.status_code == 302


def test_the_lock_lifts_after_the_cool_off(axes_on, officer):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            sign_in(Client(), officer.username, "wrong-password")
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        assert sign_in(Client(), officer.username).status_code == 302


def test_trying_again_during_the_lockout_does_not_extend_it(axes_on, officer):
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off: the lockout page promises 15 minutes.
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            sign_in(Client(), officer.username, "wrong-password")
        traveller.shift(datetime.timedelta(minutes=14))
        assert sign_in(Client(), officer.username, "wrong-password").status_code == 429
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        assert sign_in(Client(), officer.username).status_code == 302


# Password rules.


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short. It must contain at least 12 characters."),
        ("x7#Lq9!vR2m", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("482019375610", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused(db, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert message in refused.value.messages


def test_a_password_like_the_username_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        validate_password("officer_lead_2025", user=officer)
    assert "The password is too similar to the username." in refused.value.messages


@pytest.mark.parametrize("password", ["x7#Lq9!vR2mW", "heron-quilt-marble-sixty-orbit"])
def test_long_uncommon_passwords_are_accepted(officer, password):
    assert validate_password(password, user=officer) is None


# Idle expiry: SESSION_COOKIE_AGE, pushed back by a request when the last push is a minute old or more
# (IdleSessionRefreshMiddleware; saving the session on every request cost every page three queries).


def test_session_settings_give_a_thirty_minute_idle_timeout():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is False
    assert "core.middleware.IdleSessionRefreshMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_ABSOLUTE_LIFETIME == 10 * 3600


def test_every_request_pushes_back_the_idle_expiry(officer):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        assert sign_in(client, officer.username).status_code == 302
        key = client.session.session_key
        assert Session.objects.get(session_key=key).expire_date == START + datetime.timedelta(minutes=30)
        traveller.shift(datetime.timedelta(minutes=20))
        assert client.get(reverse("actions:mine")).status_code == 200
        later = Session.objects.get(session_key=key).expire_date
        assert later == START + datetime.timedelta(minutes=50)


def test_requests_within_a_minute_of_the_last_push_leave_the_session_unwritten(officer):
    client = Client()
    path = reverse("actions:mine")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer.username)
        key = client.session.session_key
        traveller.shift(datetime.timedelta(minutes=5))
        assert client.get(path).status_code == 200  # pushes the expiry to 35 minutes
        traveller.shift(datetime.timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        writes = [query["sql"] for query in queries if query["sql"].startswith('UPDATE "django_session"')]
        assert writes == []
        assert Session.objects.get(session_key=key).expire_date == START + datetime.timedelta(minutes=35)
        traveller.shift(datetime.timedelta(seconds=1))  # a minute since the last push: push again
        assert client.get(path).status_code == 200
        expected = START + datetime.timedelta(minutes=36)
        assert Session.objects.get(session_key=key).expire_date == expected


@pytest.mark.django_db
def test_an_anonymous_visit_makes_no_session():
    client = Client()
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()


def test_an_idle_session_expires(officer):
    client = Client()
    path = reverse("actions:mine")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer.username)
        assert client.get(path).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(path).status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        assert_redirected_to_login(client.get(path), path)


# Absolute lifetime: however active, a session ends SESSION_ABSOLUTE_LIFETIME after sign-in.


def test_a_session_ends_after_the_absolute_lifetime(officer):
    client = Client()
    path = reverse("actions:mine")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer.username)
        key = client.session.session_key
        assert client.get(path).status_code == 200
        # Busy all day: a request every 25 minutes keeps the idle timeout at bay.
        elapsed = datetime.timedelta()
        lifetime = datetime.timedelta(seconds=django_settings.SESSION_ABSOLUTE_LIFETIME)
        while elapsed + datetime.timedelta(minutes=25) <= lifetime:
            traveller.shift(datetime.timedelta(minutes=25))
            elapsed += datetime.timedelta(minutes=25)
            assert client.get(path).status_code == 200, f"signed out early, after {elapsed}"
        traveller.move_to(START + lifetime + datetime.timedelta(minutes=1))
        assert_redirected_to_login(client.get(path), path)
        assert not Session.objects.filter(session_key=key).exists()
        # Signing in again starts a new session with a new lifetime.
        assert sign_in(client, officer.username).status_code == 302
        assert client.get(path).status_code == 200


def test_the_absolute_lifetime_counts_from_sign_in_not_first_page(officer):
    client = Client()
    path = reverse("actions:mine")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer.username)
        # The first page after signing in comes 25 minutes later (the browser was left on the redirect).
        traveller.shift(datetime.timedelta(minutes=25))
        assert client.get(path).status_code == 200
        for _ in range(23):  # 9 h 35 min more, a request every 25 minutes: 10 h since sign-in
            traveller.shift(datetime.timedelta(minutes=25))
            client.get(path)
        traveller.shift(datetime.timedelta(minutes=1))
        assert_redirected_to_login(client.get(path), path)


# Logout.


def test_logout_deletes_the_session_on_the_server(officer):
    client = Client()
    sign_in(client, officer.username)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not Session.objects.filter(session_key=key).exists()


def test_the_old_session_cookie_is_useless_after_logout(officer):
    client = Client()
    sign_in(client, officer.username)
    stolen = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    path = reverse("actions:list")
    assert_redirected_to_login(replay.get(path), path)


def test_logout_by_get_is_refused_and_keeps_the_session(officer):
    client = Client()
    sign_in(client, officer.username)
    assert client.get(reverse("logout")).status_code == 405
    assert is_signed_in(client)
    assert client.get(reverse("actions:mine")).status_code == 200


def test_signing_in_gives_a_new_session_key(officer):
    # A session key planted before sign-in (session fixation) must not survive it.
    planted = SessionStore()
    planted["planted"] = "by an attacker"
    planted.create()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key
    sign_in(client, officer.username)
    assert is_signed_in(client)
    assert client.session.session_key != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
