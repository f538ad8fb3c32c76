"""Pages are not kept in the browser: not by htmx's history cache (page copies in sessionStorage, which
outlive signing out), and not by the browser's own caches (Cache-Control: no-store), so Back after signing
out shows the sign-in page, not the data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_copy_of_a_page_is_kept_and_back_after_signing_out_asks_to_sign_in(page, live_server, demo_data):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Plans")  # where plan leads land
    page.get_by_role("link", name="All actions", exact=True).click()
    expect(page.locator("h1")).to_have_text("All actions")
    everything = page.locator("#action-results [role=status]").inner_text()

    page.evaluate("window.__noReload = true")
    page.get_by_label("Status").select_option("complete")
    expect(page).to_have_url(re.compile(r"status=complete"))
    expect(page.locator("#action-results [role=status]")).not_to_have_text(everything)
    page.locator("#actions-table thead").get_by_role("link", name="Due").click()  # a boosted link
    expect(page).to_have_url(re.compile(r"sort=due_date"))
    assert page.evaluate("window.__noReload") is True, "htmx did not handle the filter and sort"

    # Back twice, each step awaited: htmx restores each address from the server (no copy is kept).
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort=due_date"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"status=complete"))
    expect(page.locator("#action-results [role=status]")).to_have_text(everything, timeout=15_000)
    stored = page.evaluate("[...Object.keys(sessionStorage), ...Object.keys(localStorage)]")
    assert [key for key in stored if "cache" in key] == [], stored

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in to SEND Tracker")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Sign in to SEND Tracker")
    assert "action-results" not in page.content()
