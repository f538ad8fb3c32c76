"""Signing in with the organisation's account (issue #34), against a real OpenID Connect provider.

The provider (tests/sso_provider) runs in its own process on 127.0.0.1; the app under test exchanges codes,
fetches keys and user info from it over HTTP. `requests` plays the browser at the provider, Django's test
client the browser at the app.
"""

from __future__ import annotations

import time

import pytest
import requests
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import SingleSignOnIdentity, User
from accounts.sso_config import providers_from_env
from core import roles
from tests.factories import make_user
from tests.send_tracker.test_settings import manage
from tests.sso_provider.harness import app_path, provider_round_trip

LOGIN, HOME, ACCOUNT = reverse("login"), reverse("home"), reverse("account:index")
START = reverse("sso-start", args=["council"])


def sso_sign_in(client, username: str, browser: requests.Session | None = None):
    """Start at the app's button, sign in at the provider, and return the app's answer to the callback."""
    started = client.get(START)
    assert started.status_code == 302, started
    callback = provider_round_trip(started["Location"], username, browser)
    assert callback.startswith("http://testserver/sso/callback/"), callback
    return client.get(app_path(callback))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_refused(response, words: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert any(words in message for message in messages_of(response)), messages_of(response)
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_provider_before_the_password_form(client, sso):
    html = client.get(LOGIN).content.decode()
    assert html.index("Sign in with Thurrock Council") < html.index('name="password"')
    assert f'href="{START}"' in html


@pytest.mark.django_db
def test_without_providers_the_sign_in_page_is_the_password_form_only(client, settings):
    settings.SSO_PROVIDERS = {}
    html = client.get(LOGIN).content.decode()
    assert "Sign in with" not in html
    assert 'name="password"' in html


@pytest.mark.django_db
def test_first_sign_in_creates_the_user_with_no_role_and_links_the_account(client, sso):
    sso.add_user("first.timer", given_name="Fay", family_name="Timer")
    response = sso_sign_in(client, "first.timer")
    assert response.status_code == 302
    assert response["Location"] == HOME
    landing = client.get(HOME, follow=True)
    assert landing.redirect_chain == [(ACCOUNT, 302)]
    assert "an administrator has not given you a role yet" in landing.content.decode()
    user = User.objects.get(username="first.timer")
    assert (user.first_name, user.last_name, user.email) == ("Fay", "Timer", "first.timer@council.example")
    assert not user.groups.exists()
    assert not user.has_usable_password()
    assert SingleSignOnIdentity.objects.get(user=user).provider == "council"
    assert client.session["_auth_user_id"] == str(user.pk)
    # The second sign-in finds the same user through the link, whatever the username claim says now.
    client.logout()
    sso_sign_in(client, "first.timer")
    assert User.objects.filter(username="first.timer").count() == 1


@pytest.mark.django_db
def test_group_mapping_gives_a_role_and_takes_it_away_when_the_group_goes(client, sso, settings):
    settings.SSO_PROVIDERS = {"council": sso.app_config(group_roles={"send-leads": roles.PLAN_LEAD})}
    sso.add_user("lead.by.group", groups=["send-leads", "all-staff"])
    sso_sign_in(client, "lead.by.group")
    user = User.objects.get(username="lead.by.group")
    assert roles.role_of(user) == roles.PLAN_LEAD
    client.logout()
    sso.add_user("lead.by.group", groups=["all-staff"])
    sso_sign_in(client, "lead.by.group")
    assert not User.objects.get(pk=user.pk).groups.exists()


@pytest.mark.django_db
def test_an_existing_user_is_matched_by_verified_email_only_when_the_deployment_allows_it(
    client, sso, settings
):
    existing = make_user("olivia", roles.OFFICER, email="olivia.o@council.example")
    sso.add_user("o.officer", email="olivia.o@council.example")
    sso_sign_in(client, "o.officer")
    assert User.objects.get(username="o.officer") != existing  # not matched: a new account

    client.logout()
    SingleSignOnIdentity.objects.all().delete()
    User.objects.filter(username="o.officer").delete()
    settings.SSO_PROVIDERS = {"council": sso.app_config(match_email=True)}
    sso_sign_in(client, "o.officer")
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert SingleSignOnIdentity.objects.get().user == existing
    assert not User.objects.filter(username="o.officer").exists()


@pytest.mark.django_db
def test_an_unverified_email_is_refused_and_nothing_is_created(client, sso, settings):
    settings.SSO_PROVIDERS = {"council": sso.app_config(match_email=True)}
    make_user("victim", roles.ADMINISTRATOR, email="victim@council.example")
    sso.add_user("claims.victim", email="victim@council.example", email_verified=False)
    response = sso_sign_in(client, "claims.victim")
    assert_refused(response, "has not verified the email address victim@council.example")
    assert not SingleSignOnIdentity.objects.exists()
    assert not User.objects.filter(username="claims.victim").exists()


@pytest.mark.django_db
def test_a_username_already_taken_here_is_not_taken_over(client, sso):
    make_user("taken", roles.ADMINISTRATOR)
    sso.add_user("taken")
    assert_refused(sso_sign_in(client, "taken"), "An account named taken already exists")
    assert not SingleSignOnIdentity.objects.exists()


@pytest.mark.django_db
def test_a_user_disabled_here_cannot_sign_in_through_the_provider(client, sso):
    sso.add_user("left.here")
    sso_sign_in(client, "left.here")
    client.logout()
    User.objects.filter(username="left.here").update(is_active=False)
    assert_refused(sso_sign_in(client, "left.here"), "Your account here is disabled")


@pytest.mark.django_db
def test_the_providers_mfa_claim_stands_for_the_second_factor(client, sso, settings):
    settings.MFA_REQUIRED_ROLES = [roles.PLAN_LEAD]
    settings.SSO_PROVIDERS = {"council": sso.app_config(group_roles={"send-leads": roles.PLAN_LEAD})}
    sso.add_user("lead.with.mfa", groups=["send-leads"], mfa=True)
    assert sso_sign_in(client, "lead.with.mfa")["Location"] == HOME
    assert client.get(reverse("actions:list")).status_code == 200


@pytest.mark.django_db
def test_without_the_mfa_claim_a_role_that_needs_it_is_asked_for_the_apps_second_factor(
    client, sso, settings
):
    settings.MFA_REQUIRED_ROLES = [roles.PLAN_LEAD]
    settings.SSO_PROVIDERS = {"council": sso.app_config(group_roles={"send-leads": roles.PLAN_LEAD})}
    sso.add_user("lead.no.mfa", groups=["send-leads"], mfa=False)
    sso_sign_in(client, "lead.no.mfa")
    response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:two-factor-setup"))


@pytest.mark.django_db
def test_sign_out_ends_the_session_here_and_at_the_provider(client, sso):
    sso.add_user("leaving.today")
    browser = requests.Session()
    sso_sign_in(client, "leaving.today", browser)
    response = client.post(reverse("logout"))
    assert response["Location"].startswith(f"{sso.issuer}/end-session?")
    assert "id_token_hint=" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert provider_round_trip(response["Location"], "leaving.today", browser) == "http://testserver/login/"
    # Signed out at the provider too: the next sign-in there asks for the password again.
    authorize = client.get(START)["Location"]
    assert "/accounts/login/" in browser.get(authorize, allow_redirects=False).headers["Location"]


@pytest.mark.django_db
def test_sign_out_after_a_password_sign_in_stays_here(client, officer):
    client.force_login(officer)
    assert client.post(reverse("logout"))["Location"] == LOGIN


def renewal_due(client) -> None:
    """Move the session past its renewal time (as SSO_RECHECK_SECONDS passing would)."""
    session = client.session
    session["oidc_id_token_expiration"] = time.time() - 1
    session.save()


@pytest.mark.django_db
def test_the_provider_session_is_rechecked_and_a_user_disabled_there_is_signed_out(client, sso):
    sso.add_user("still.here")
    sso.add_user("has.left")
    browser = requests.Session()
    sso_sign_in(client, "still.here", browser)
    assert client.get(ACCOUNT).status_code == 200  # not due yet: no round trip
    renewal_due(client)
    recheck = client.get(ACCOUNT)
    assert recheck.status_code == 302
    assert "prompt=none" in recheck["Location"]
    callback = provider_round_trip(recheck["Location"], "still.here", browser)
    assert client.get(app_path(callback))["Location"] == ACCOUNT
    assert client.get(ACCOUNT).status_code == 200  # known and active: no change

    client.logout()
    other = requests.Session()
    sso_sign_in(client, "has.left", other)
    sso.disable("has.left")
    renewal_due(client)
    recheck = client.get(ACCOUNT)
    assert "prompt=none" in recheck["Location"]
    callback = provider_round_trip(recheck["Location"], "has.left", other)
    assert "error=login_required" in callback
    assert_refused(client.get(app_path(callback)), "your account there is disabled")
    assert client.get(ACCOUNT)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_a_wrong_issuer_is_refused(client, sso, settings):
    settings.SSO_PROVIDERS = {"council": sso.app_config(issuer=f"{sso.url}/someone-else")}
    response = client.get(START)
    assert_refused(response, "not the issuer this site expects")


@pytest.mark.parametrize(
    ("flag", "words"),
    [("wrong_key", "could not be verified"), ("expired", "had expired")],
    ids=["a bad signature", "an expired ID token"],
)
@pytest.mark.django_db
def test_a_bad_id_token_is_refused_and_nothing_is_created(client, sso, flag, words):
    sso.add_user("forged")
    sso.flags(**{flag: True})
    assert_refused(sso_sign_in(client, "forged"), words)
    assert not User.objects.filter(username="forged").exists()
    assert not SingleSignOnIdentity.objects.exists()


@pytest.mark.django_db
def test_a_replayed_callback_is_refused(client, sso):
    sso.add_user("replayer")
    started = client.get(START)
    callback = app_path(provider_round_trip(started["Location"], "replayer"))
    client.get(callback)
    client.logout()
    assert_refused(client.get(callback), "already been used or has expired")
    made_up = client.get(f"{reverse('sso-callback')}?code=made-up&state=made-up")
    assert_refused(made_up, "already been used or has expired")


@pytest.mark.django_db
def test_an_unknown_provider_is_not_found(client, sso):
    assert client.get(reverse("sso-start", args=["nobody"])).status_code == 404


@pytest.mark.django_db
def test_with_password_sign_in_off_only_a_break_glass_administrator_uses_a_password(client, sso, settings):
    settings.PASSWORD_SIGN_IN = False
    settings.PASSWORD_SIGN_IN_BREAK_GLASS = ["breakglass", "listed.officer"]
    make_user("breakglass", roles.ADMINISTRATOR)
    make_user("everyday", roles.OFFICER)
    make_user("listed.officer", roles.OFFICER)  # listed, but not an administrator
    html = client.get(LOGIN).content.decode()
    assert "Emergency sign-in for an administrator" in html
    assert "Forgotten your password?" not in html
    for username in ("everyday", "listed.officer"):
        refused = client.post(LOGIN, {"username": username, "password": "a-long-test-password"})
        assert refused.status_code == 200
        assert "password sign-in is for emergencies only" in refused.content.decode()
        assert "_auth_user_id" not in client.session
    allowed = client.post(LOGIN, {"username": "breakglass", "password": "a-long-test-password"})
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="breakglass").pk)


def test_start_and_callback_refuse_other_methods(client):
    assert client.post(START).status_code == 405
    assert client.post(reverse("sso-callback")).status_code == 405


def test_providers_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SSO_PROVIDERS", "council,nhs")
    monkeypatch.setenv("SSO_COUNCIL_NAME", "Thurrock Council")
    monkeypatch.setenv("SSO_COUNCIL_ISSUER", "https://login.example/tenant/v2.0/")
    monkeypatch.setenv("SSO_COUNCIL_CLIENT_ID", "abc")
    monkeypatch.setenv("SSO_COUNCIL_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SSO_COUNCIL_GROUP_ROLES", '"g-1=Plan lead; g-2=Scrutiny member"')
    monkeypatch.setenv("SSO_COUNCIL_MATCH_EMAIL", "1")
    monkeypatch.setenv("SSO_NHS_ISSUER", "https://nhs.example")
    monkeypatch.setenv("SSO_NHS_CLIENT_ID", "xyz")
    monkeypatch.setenv("SSO_NHS_SCOPES", "openid,email,groups")
    council, nhs = providers_from_env().values()
    assert council.issuer == "https://login.example/tenant/v2.0"
    assert council.discovery_url == "https://login.example/tenant/v2.0/.well-known/openid-configuration"
    assert council.group_roles == {"g-1": roles.PLAN_LEAD, "g-2": roles.SCRUTINY_MEMBER}
    assert council.match_email and not nhs.match_email
    assert (nhs.name, nhs.scopes, nhs.username_claim) == ("nhs", "openid email groups", "preferred_username")
    assert "s3cret" not in repr(council)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SSO_PROVIDERS", "Council", "lower-case letters"),
        ("SSO_COUNCIL_ISSUER", "", "must be set"),
        ("SSO_COUNCIL_GROUP_ROLES", "g-1=Chief", "must be 'group=role'"),
        ("SSO_COUNCIL_MATCH_EMAIL", "perhaps", "must be one of"),
    ],
)
def test_bad_provider_settings_stop_the_app_at_start(monkeypatch, name, value, words):
    monkeypatch.setenv("SSO_PROVIDERS", "council")
    monkeypatch.setenv("SSO_COUNCIL_ISSUER", "https://login.example")
    monkeypatch.setenv("SSO_COUNCIL_CLIENT_ID", "abc")
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=words):
        providers_from_env()


def test_password_sign_in_cannot_be_turned_off_without_a_provider():
    result = manage("check", DEBUG="1", PASSWORD_SIGN_IN="0")
    assert result.returncode != 0
    assert "PASSWORD_SIGN_IN=0 needs SSO_PROVIDERS" in result.stderr


@pytest.mark.django_db
def test_sign_in_works_with_the_sign_in_throttling_of_production(client, sso, settings):
    settings.AXES_ENABLED = True
    sso.add_user("throttled.not")
    assert sso_sign_in(client, "throttled.not")["Location"] == HOME
    assert client.session["_auth_user_id"] == str(User.objects.get(username="throttled.not").pk)
