"""Pytest fixtures around the test provider: start it once a session, set it up per test, sign in via it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from accounts.sso_config import Provider

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password"
CLIENT_ID = "send-tracker"
CLIENT_SECRET = "send-tracker-client-secret"
TEST_SERVER_CALLBACK = "http://testserver/sso/callback/"


@dataclass
class TestProvider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def _post(self, path: str, data: dict | None = None) -> None:
        response = requests.post(f"{self.url}{path}", json=data or {}, timeout=10)
        response.raise_for_status()

    def register(self, *app_urls: str) -> None:
        """Register the app as a client, with a callback and sign-out return for each of its base URLs."""
        bases = ["http://testserver", *app_urls]
        self._post(
            "/test/client",
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{base}/sso/callback/" for base in bases],
                "post_logout_redirect_uris": [f"{base}/login/" for base in bases],
            },
        )

    def add_user(self, username: str, **claims) -> None:
        """Add (or reset) a user; claims: email, email_verified, groups, mfa, given_name, family_name."""
        claims.setdefault("email", f"{username}@council.example")
        self._post("/test/user", {"username": username, "password": PASSWORD, **claims})

    def disable(self, username: str) -> None:
        self._post(f"/test/users/{username}/disable")

    def flags(self, **flags: bool) -> None:
        self._post("/test/flags", flags)

    def app_config(self, **overrides) -> Provider:
        """The app's configuration of this provider (what SSO_COUNCIL_* would give)."""
        config = Provider(
            key="council",
            name="Thurrock Council",
            issuer=self.issuer,
            discovery_url=f"{self.issuer}/.well-known/openid-configuration",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        return replace(config, **overrides)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def sso_server(tmp_path_factory):
    """The test OpenID Connect provider, in its own process on 127.0.0.1, for the whole session."""
    folder = tmp_path_factory.mktemp("sso-provider")
    port = _free_port()
    env = {**os.environ, "TEST_PROVIDER_DB": str(folder / "provider.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    provider = TestProvider(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(
                    f"{provider.issuer}/.well-known/openid-configuration", timeout=2
                ).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"The test provider did not start: see {folder / 'provider.log'}"
                    ) from None
                time.sleep(0.2)
        provider.register()
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def sso(sso_server, settings):
    """The provider, configured in the app as `council` ("Thurrock Council"), flags off."""
    sso_server.flags()
    settings.SSO_PROVIDERS = {"council": sso_server.app_config()}
    return sso_server


def provider_round_trip(authorize_url: str, username: str, browser: requests.Session | None = None) -> str:
    """Follow the app's redirect at the provider as a browser would, signing in with the login form when
    asked; return the URL the provider sends the browser back to (the app's callback, or sign-out return)."""
    browser = browser or requests.Session()
    url = authorize_url
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(authorize_url))
    for _ in range(10):
        if not url.startswith(origin):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = requests.compat.urljoin(url, response.headers["Location"])
            continue
        if 'name="password"' in response.text:
            posted = browser.post(
                response.url,
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": browser.cookies["provider_csrf"],
                    "next": dict(parse_qsl(urlsplit(response.url).query)).get("next", ""),
                },
                allow_redirects=False,
                timeout=10,
            )
            assert posted.is_redirect, posted.text[:500]
            url = requests.compat.urljoin(url, posted.headers["Location"])
            continue
        raise AssertionError(f"The provider answered {response.status_code}: {response.text[:500]}")
    raise AssertionError("Too many redirects at the provider")


def app_path(url: str) -> str:
    """The path and query of an app URL, for the Django test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
