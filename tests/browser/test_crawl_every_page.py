"""Each role crawls every page reachable by links from its home page: status, structure, axe-core, screenshot.

Pages join this suite by existing: nothing here lists them. Links are sampled two per URL shape (digits
replaced), so a list of sixty actions costs two detail pages, not sixty, and the crawl stays bounded.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PER_SHAPE = 2
MAX_PAGES = 60
# Not crawled: signing out ends the crawl, and the Django admin is a third-party UI tested separately.
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/")
# Downloads (committee paper PDFs) are files, not pages: tests/reports reads them back.
SKIP_SUFFIXES = (".pdf",)
DEMO_PASSWORD = "demo-password"


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo", "--force", verbosity=0)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(page, base_url: str, role: str) -> list[str]:
    """Visit every same-site page reachable from home; return the paths visited, checking each."""
    axe = Axe()
    seen_shapes: dict[str, int] = {}
    queue: deque[str] = deque(["/"])
    visited: list[str] = []
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if path in visited:
            continue
        response = page.goto(base_url + path)
        landed = urlsplit(page.url)
        final_path = landed.path + (f"?{landed.query}" if landed.query else "")
        visited.append(path)
        status = response.status if response else 0
        if status >= 400:
            failures.append(f"{path}: HTTP {status}")
            continue
        failures.extend(f"{path}: {problem}" for problem in _structure_problems(page))
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{path}: axe {violation['id']} ({violation['impact']}): {targets}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", final_path.lower()).strip("-") or "home"
        page.screenshot(path=str(SCREENSHOTS / f"{role}--{slug[:80]}.png"), full_page=True)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
                continue
            if target in visited or target in queue:
                continue
            shape = _shape(parts.path) + ("?" if parts.query else "")
            if seen_shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
            queue.append(target)
    assert not failures, "\n".join(failures)
    return visited


def _structure_problems(page) -> list[str]:
    problems = []
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1 elements (want exactly one)")
    if page.locator("main#main-content").count() != 1:
        problems.append("no <main id=main-content> landmark")
    if page.locator("a.skip-link[href='#main-content']").count() != 1:
        problems.append("no skip link")
    if page.locator("header").count() < 1 or page.locator("footer").count() < 1:
        problems.append("missing header or footer landmark")
    if page.locator("html[lang]").count() != 1:
        problems.append("no lang on <html>")
    return problems


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("username", ["officer", "lead", "scrutiny", "admin"])
def test_every_reachable_page_is_accessible(page, live_server, demo_data, username):
    _sign_in(page, live_server.url, username)
    assert urlsplit(page.url).path != "/login/", f"{username} could not sign in"
    visited = _crawl(page, live_server.url, username)
    # Every role reaches at least its home, the actions table and an action's detail page.
    shapes = {_shape(urlsplit(path).path) for path in visited}
    assert {"/", "/actions/", "/actions/N/"} <= shapes, shapes


def test_anonymous_visitors_are_sent_to_sign_in(page, live_server, demo_data):
    page.goto(live_server.url + "/actions/")
    assert urlsplit(page.url).path == "/login/"
    assert "next=/actions/" in page.url
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert axe.response["violations"] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "anonymous--login.png"), full_page=True)
