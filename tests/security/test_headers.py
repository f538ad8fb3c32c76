"""Security headers and cookies as production sends them, and the production defaults computed in settings.

`make test` turns the HTTPS settings off (the browser tests' live server speaks plain http), so the response
tests put the production values back with the `settings` fixture and make their requests with secure=True.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_action

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "prod-like-secret-for-settings-tests-0123456789-abcdefghijklmn"
ONE_YEAR = 31_536_000


@pytest.fixture
def production(settings):
    """Put back the HTTPS settings that `make test` turns off, as a production deployment has them."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = ONE_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.fixture
def action(officer):
    return make_action(leads=[officer])


def csp_directives(header: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name.lower()] = sources
    return directives


def assert_security_headers(response) -> None:
    hsts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert hsts[0].startswith("max-age=")
    assert int(hsts[0].removeprefix("max-age=")) >= ONE_YEAR
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy.get(directive, [])
        assert "'unsafe-eval'" not in policy.get(directive, [])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


# Every kind of response the site sends: a page, an htmx fragment, redirects, and the error pages.
def test_the_login_page_sends_every_security_header(production):
    response = Client().get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_signed_in_page_sends_every_security_header(production, officer, action):
    client = Client()
    client.force_login(officer)
    for name, args in [("actions:list", []), ("actions:mine", []), ("actions:detail", [action.pk])]:
        response = client.get(reverse(name, args=args), secure=True)
        assert response.status_code == 200, name
        assert_security_headers(response)


def test_an_htmx_fragment_sends_every_security_header(production, officer, action):
    client = Client()
    client.force_login(officer)
    response = client.get(
        reverse("actions:row", args=[action.pk]), secure=True, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert_security_headers(response)


def test_redirects_and_error_pages_send_every_security_header(production, scrutiny_member, action):
    anonymous = Client()
    assert_security_headers(anonymous.get(reverse("actions:list"), secure=True))  # 302 to login
    signed_in = Client()
    signed_in.force_login(scrutiny_member)
    forbidden = signed_in.get(reverse("actions:update", args=[action.pk]), secure=True)
    not_found = signed_in.get("/no-such-page/", secure=True)
    wrong_method = signed_in.post(reverse("actions:list"), secure=True)
    assert (forbidden.status_code, not_found.status_code, wrong_method.status_code) == (403, 404, 405)
    for response in (forbidden, not_found, wrong_method):
        assert_security_headers(response)


def test_plain_http_is_redirected_to_https(production):
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


def test_the_csrf_cookie_is_secure(production):
    response = Client().get(reverse("login"), secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_the_session_cookie_is_secure_http_only_and_same_site(production, officer):
    client = Client()
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "a-long-test-password"}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # A browser-session cookie: the idle and absolute limits are enforced on the server.
    assert not cookie["max-age"]
    assert not cookie["expires"]


class _InlineCodeFinder(HTMLParser):
    """Collect what a strict CSP would block: inline <script> bodies, on* handlers, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self._in_inline_script = True
        self.problems += [f"<{tag} {name}=…>" for name in names if name.startswith("on") or name == "style"]
        self.problems += [f"<{tag} {name}=…>" for name in names if name.startswith(("hx-on", "data-hx-on"))]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")


@pytest.mark.parametrize("role", ["officer", "plan_lead", "scrutiny_member"])
def test_pages_have_no_inline_code_the_policy_would_block(role, request, action):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    pages = [
        reverse("actions:list"),
        reverse("actions:mine"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:update", args=[action.pk]),
    ]
    for path in pages:
        response = client.get(path)
        if response.status_code == 403:  # scrutiny members cannot open the update form
            continue
        finder = _InlineCodeFinder()
        finder.feed(response.content.decode())
        assert finder.problems == [], path
    anonymous = _InlineCodeFinder()
    anonymous.feed(Client().get(reverse("login")).content.decode())
    assert anonymous.problems == []


# The defaults settings.py computes from a bare production environment, without `make test`'s overrides.
def _settings_in_subprocess(**env: str) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
        "CONTENT_SECURITY_POLICY",
        "AXES_ENABLED",
        "AXES_FAILURE_LIMIT",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "SESSION_ABSOLUTE_LIFETIME",
        "MIDDLEWARE",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    clean_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production_defaults() -> dict:
    return _settings_in_subprocess(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET)


def test_production_defaults_turn_on_https_everywhere(production_defaults):
    values = production_defaults
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True


def test_production_defaults_set_the_browser_protections(production_defaults):
    values = production_defaults
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"]
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in values["MIDDLEWARE"]
    script_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src


def test_production_defaults_throttle_logins_and_limit_sessions(production_defaults):
    values = production_defaults
    assert values["AXES_ENABLED"] is True
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert "axes.middleware.AxesMiddleware" in values["MIDDLEWARE"]
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False  # the refresh middleware slides the expiry
    assert values["SESSION_ABSOLUTE_LIFETIME"] == 10 * 3600
    assert "core.middleware.AbsoluteSessionLifetimeMiddleware" in values["MIDDLEWARE"]
    assert "core.middleware.IdleSessionRefreshMiddleware" in values["MIDDLEWARE"]


def test_debug_turns_https_off_for_local_development():
    values = _settings_in_subprocess(DEBUG="1")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


def test_production_defaults_keep_pages_private_and_compress_them(production_defaults):
    middleware = production_defaults["MIDDLEWARE"]
    privacy = middleware.index("core.privacy_headers.PrivacyHeadersMiddleware")
    whitenoise = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    gzip = middleware.index("django.middleware.gzip.GZipMiddleware")
    sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    # Above WhiteNoise, so static files are marked noindex too; GZip below it, so the pre-compressed
    # static files are not compressed twice, and above everything else that builds a page.
    assert privacy < whitenoise < gzip < sessions
