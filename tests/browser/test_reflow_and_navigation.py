"""Each role, on a phone (375 px) and a desktop (1280 px): the header shows at most six items (behind a Menu
button on the phone, which opens, with JavaScript or without). That no page scrolls sideways (WCAG 1.4.10)
is checked on every page of the click-through (tests/browser/page_checks.py).

Also a date round trip in the browser: the committee paper's cover loads its meeting date into the three
boxes and saves unchanged.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from reports.models import CommitteePaper
from tests.browser.clicking import sign_in as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER_ITEMS = {"officer": 4, "scrutiny": 3, "lead": 6, "admin": 6}


def _visible_items(page) -> list[str]:
    return [text.strip() for text in page.locator(".service-nav__link:visible").all_inner_texts()]


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
