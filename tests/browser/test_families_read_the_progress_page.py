"""A plan lead changes and publishes the public progress page by clicking; a parent reads it (issue #33)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.improvement import TITLE
from tests.browser.clicking import sign_in
from tests.browser.page_checks import assert_accessible

NEW_WORDS = "We now answer every family within a week."


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.mark.usefixtures("demo_data")
def test_a_plan_lead_publishes_new_words_and_a_parent_reads_them(page, live_server):
    sign_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Public progress page for families").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public progress page")
    assert_accessible(page)

    page.get_by_role("link", name="Edit the summary of priority 1").click()
    page.get_by_label("What has been done").fill(NEW_WORDS)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Summary saved, not yet approved.")).to_be_visible()
    page.get_by_role("button", name="Approve the summary of priority 1").click()
    expect(page.get_by_text("Summary of priority 1 approved.")).to_be_visible()

    page.get_by_role("link", name="View the public page").click()
    expect(page.get_by_text(NEW_WORDS)).to_have_count(0)  # approved, but not published yet
    page.go_back()
    page.get_by_role("link", name="Publish again").click()
    expect(page.get_by_text("Anyone can read the page once it is published.")).to_be_visible()
    page.get_by_role("button", name="Publish again").click()
    expect(page.get_by_text("Published. Families now see the page as it is below.")).to_be_visible()

    page.get_by_role("link", name="View the public page").click()
    expect(page.get_by_text(NEW_WORDS)).to_be_visible()
    expect(page.get_by_role("heading", name="How each part of the plan is going")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Show larger text").click()
    expect(page.locator("body")).to_have_class("public public--large")
    _no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.usefixtures("demo_data")
def test_a_parent_finds_the_page_without_signing_in(page, live_server):
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.context.cookies() == []
    page.get_by_role("link", name="Follow this page’s updates (Atom feed)").is_visible()
