"""Pages seen without signing in, crawled from the start page: status, structure, axe-core, console errors,
and HTML validity (the W3C Nu HTML Checker over every page's HTML as the server sent it). Signed-in roles'
pages get the same checks in the click-through (tests/browser/test_click_through.py), which walks them once.

Pages join this suite by existing: nothing here lists them. Links are sampled once per URL shape (digits
replaced, query keys kept apart), so the crawl stays bounded.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.browser.clicking import shape
from tests.browser.page_checks import (
    DESKTOP,
    SCREENSHOTS,
    PageChecks,
    assert_accessible,
    html_errors,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 60
# Not crawled: signing out ends the crawl, and the Django admin is a third-party UI tested separately.
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/")
# Downloads (committee paper PDFs) and the Atom feed are files, not pages: their own tests read them back.
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", "/feed/")


def _crawl(page, base_url: str, checks: PageChecks) -> tuple[list[str], list[str]]:
    """Visit every same-site page reachable from home, checking each; return visited pages and failures."""
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    seen_shapes: set[str] = set()
    queue: deque[str] = deque(["/"])
    visited: list[str] = []
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base_url + path)
        visited.append(path)
        status = response.status if response else 0
        if status >= 400:
            failures.append(f"{path}: HTTP {status}")
            continue
        landed = urlsplit(page.url)
        checks.check(landed.path + (f"?{landed.query}" if landed.query else ""), response.body())
        # By now (after axe and the screenshots) the favicon and scripts have loaded or failed.
        failures.extend(f"{path}: console error: {text}" for text in console_errors)
        console_errors.clear()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if shape(target) not in seen_shapes and target not in visited:
                seen_shapes.add(shape(target))
                queue.append(target)
    return visited, failures


def test_every_page_seen_without_signing_in_is_accessible_and_valid(page, live_server, demo_data):
    page.set_viewport_size(DESKTOP)
    checks = PageChecks(page, "anonymous")
    visited, failures = _crawl(page, live_server.url, checks)
    # Error pages are not linked from anywhere; check the one a mistyped address shows.
    not_found = page.goto(f"{live_server.url}/no-such-page/")
    assert not_found.status == 404
    (checks.saved / "not-found.html").write_bytes(not_found.body())
    failures += checks.problems()
    assert len(visited) >= 2, visited  # the sign-in page and the public progress pages
    assert not failures, "\n".join(failures)


def test_anonymous_visitors_are_sent_to_sign_in(page, live_server, demo_data):
    page.goto(live_server.url + "/actions/")
    assert urlsplit(page.url).path == "/login/"
    assert "next=/actions/" in page.url
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "anonymous--login.png"), full_page=True)


def test_the_html_checker_runs_and_finds_the_sign_in_page_valid(client, tmp_path):
    """Java and the Nu HTML Checker are installed (`make test`'s Debian packages): no crawl."""
    saved = tmp_path / "sign-in.html"
    saved.write_bytes(client.get("/login/").content)
    assert html_errors([saved]) == []
