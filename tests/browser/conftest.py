"""Real headless Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import shutil

import pytest

from tests.demo_snapshot import load_demo

# Debian's headless shell: the same Chromium without the desktop browser around it, which uses about a quarter
# less CPU for the same walk (the councillor's click-through: 45 → 34 s of CPU). The full browser is
# used where it is the only one installed.
CHROMIUM = (
    shutil.which("chromium-headless-shell") or shutil.which("chromium") or "/usr/bin/chromium-headless-shell"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def login(page, live_server):
    """Return a function that signs a user in through the real login form."""

    def _login(username: str, password: str = "a-long-test-password") -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")

    return _login


@pytest.fixture
def demo_data(transactional_db):
    """Load the demo data (its users sign in with the demo password; see `demo_login`)."""
    load_demo()


@pytest.fixture
def demo_login(login):
    """Return a function that signs a demo user in through the real login form."""
    return lambda username: login(username, "demo-password")
