"""A scrutiny member answers "is every weakness covered, and is it on track?" by keyboard from the home page
(issue #30): skip to the content, and the first link there states the answer and leads to the coverage page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.clicking import sign_in
from tests.browser.page_checks import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = re.compile(r"Joint local area SEND inspection.*: \d of 3 weaknesses on track")


def test_a_councillor_answers_the_question_by_keyboard_in_three_moves(page, live_server, demo_data):
    sign_in(page, live_server.url, "scrutiny")
    assert urlsplit(page.url).path == "/dashboard/"
    # The home page's first sentence is the answer.
    expect(page.locator("#overview-answer")).to_contain_text(ANSWER)

    page.keyboard.press("Tab")  # 1: the skip link
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")  # 2: into the page's content
    page.keyboard.press("Tab")  # 3: the first link there states the answer
    focused = page.locator(":focus")
    expect(focused).to_have_text(ANSWER)
    page.keyboard.press("Enter")  # and opens the coverage of the inspection's weaknesses

    expect(page.locator("h1")).to_contain_text("Coverage of findings: Joint local area SEND inspection")
    expect(page.locator("#coverage-answer")).to_contain_text(re.compile(r"\d of 3 weaknesses on track"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        status = rows.nth(index).locator(".coverage-status")
        expect(status).to_have_text(re.compile("On track|At risk|Off track"))
    expect(page.get_by_text("SEND improvement plan (illustrative) – priority 1")).to_be_visible()

    assert_accessible(page)


def test_the_coverage_filters_work_without_javascript_and_make_a_plain_url(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "scrutiny")
    # Coverage is reached from the Reports item (the Overview, a scrutiny member's home, shows its subnav).
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Coverage of findings").click()

    page.get_by_label("Plan").select_option(label="SEND improvement plan (illustrative)")
    page.get_by_label("Status").select_option(label="Off track")
    page.get_by_role("button", name="Show findings").click()

    query = urlsplit(page.url).query
    assert "plan=" in query and "status=off_track" in query
    expect(page.locator("#coverage-answer")).to_contain_text("weaknesses on track")
    context.close()
