"""Each role, on a phone (375 px) and a desktop (1280 px): no page it reaches by links scrolls sideways
(WCAG 1.4.10: the document is exactly as wide as the viewport), the header shows at most six items (behind a
Menu button on the phone, which opens), and the pages are screenshotted for people to look at.

Also a date round trip in the browser: the committee paper's cover loads its meeting date into the three
boxes and saves unchanged.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from reports.models import CommitteePaper
from tests.browser.clicking import shape
from tests.browser.test_crawl_every_page import SCREENSHOTS, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (375, 1280)
MAX_PAGES = 30
MAIN_PAGES = 8
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv")
HEADER_ITEMS = {"officer": 4, "scrutiny": 3, "lead": 6, "admin": 6}
# How wide the page is, and which element sticks out furthest past the right edge (for the message).
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  let widest = null, right = width;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > right + 1 && box.width > 0) { right = box.right; widest = el; }
  }
  const name = widest ? widest.tagName.toLowerCase() + "." + String(widest.className) : "";
  const scroll = document.documentElement.scrollWidth;
  return {scroll: scroll, viewport: width, widest: name, right: Math.round(right)};
}
"""


def _reachable(page, base_url: str) -> list[str]:
    """Return the pages reachable by links from home, one per kind of address (as the crawl samples)."""
    seen: set[str] = set()
    queue, pages = deque(["/"]), []
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base_url + path)
        if response is None or response.status >= 400:
            continue
        pages.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if shape(target) not in seen:
                seen.add(shape(target))
                queue.append(target)
    return pages


def _visible_items(page) -> list[str]:
    return [text.strip() for text in page.locator(".service-nav__link:visible").all_inner_texts()]


@pytest.mark.parametrize("username", ["officer", "scrutiny", "lead", "admin"])
def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(page, live_server, demo_data, username):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server.url, username)
    pages = _reachable(page, live_server.url)
    assert len(pages) > 5, pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for width in (*WIDTHS, 320):
        page.set_viewport_size({"width": width, "height": 900})
        # Every page at 375 and 1280 px; the main pages also at 320 px (WCAG 1.4.10's own width).
        for number, path in enumerate(pages if width in WIDTHS else pages[:MAIN_PAGES]):
            page.goto(live_server.url + path)
            measured = page.evaluate(MEASURE)
            if measured["scroll"] != measured["viewport"]:
                failures.append(f"{width}px {path}: {measured}")
            if number < MAIN_PAGES and width in WIDTHS:  # home and the header's items come first
                slug = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "home"
                page.screenshot(
                    path=str(SCREENSHOTS / f"reflow--{username}--{width}--{number:02}-{slug[:60]}.png"),
                    full_page=True,
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", ["officer", "scrutiny", "lead", "admin"])
def test_the_header_has_at_most_six_items_and_a_menu_button_on_a_phone(
    page, live_server, demo_data, username
):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server.url, username)

    wide = _visible_items(page)
    assert len(wide) == HEADER_ITEMS[username] <= 6, wide
    assert (
        page.get_by_role("button", name="Menu").count() == 0 or not page.locator("summary").first.is_visible()
    )

    page.set_viewport_size({"width": 375, "height": 800})
    assert _visible_items(page) == []  # behind the Menu button
    page.locator("summary", has_text="Menu").click()
    assert _visible_items(page) == wide
    header_height = page.evaluate(
        "() => document.querySelector('.service-nav').getBoundingClientRect().bottom"
    )
    page.locator("summary", has_text="Menu").click()
    closed_height = page.evaluate(
        "() => document.querySelector('.service-nav').getBoundingClientRect().bottom"
    )
    assert closed_height < header_height
    assert closed_height < 200, "the header and menu button take no more than 200 px of a phone's screen"


def test_the_menu_opens_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    _sign_in(page, live_server.url, "officer")
    assert _visible_items(page) == []
    page.locator("summary", has_text="Menu").click()
    assert _visible_items(page) == ["My actions", "All actions", "Reports", "Committee papers"]
    page.get_by_role("link", name="All actions").click()
    assert urlsplit(page.url).path == "/actions/"
    context.close()


def test_a_plan_lead_saves_a_paper_cover_unchanged_and_then_with_a_new_date(page, live_server, demo_data):
    page.set_viewport_size({"width": 375, "height": 800})
    _sign_in(page, live_server.url, "lead")
    draft = (
        CommitteePaper.objects.filter(published_at__isnull=True, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )
    assert draft is not None, "the demo data has a draft paper"
    page.goto(f"{live_server.url}/papers/{draft.pk}/")
    page.get_by_role("link", name="Edit this paper").click()
    page.wait_for_load_state("load")
    cover = page.get_by_role("group", name=re.compile("Meeting date"))
    day, month, year = (cover.get_by_label(part).input_value() for part in ("Day", "Month", "Year"))
    assert day and month and len(year) == 4  # the saved date loads into the boxes

    page.get_by_role("button", name="Save cover and summary").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 0
    assert not page.title().startswith("Error: ")

    page.goto(page.url) if "/edit/" in page.url else page.get_by_role(
        "link", name=re.compile("^Edit")
    ).first.click()
    cover = page.get_by_role("group", name=re.compile("Meeting date"))
    cover.get_by_label("Year").fill("")
    page.get_by_role("button", name="Save cover and summary").click()
    page.wait_for_load_state("load")
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert "Meeting date must include a year" in summary.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="Meeting date must include a year").click()
    assert page.evaluate("() => document.activeElement.id") == "id_meeting_date_day"
