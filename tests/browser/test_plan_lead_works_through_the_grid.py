"""A plan lead works through a whole plan in the grid in real Chromium: sorts it, updates a row in place."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_account_journeys import assert_accessible
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_plan(db):
    scale = make_brag_scale()
    plan = make_plan(title="Priority action plan 2025", rag_scale=scale)
    priority = make_priority(plan, number="1", title="Identifying needs early")
    for number in range(1, 31):
        make_action(
            priority,
            reference=f"1.{number}",
            order=number,
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            rag=rag_level(scale, "green"),
            status="in_progress",
        )
    return plan


def test_plan_lead_sorts_the_grid_and_updates_a_row_without_leaving_it(
    page, live_server, login, plan_lead, long_plan
):
    login("plan_lead")
    page.get_by_role("link", name="Plans").first.click()
    page.get_by_role("link", name="Priority action plan 2025").click()
    page.get_by_role("link", name="Every action in one grid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Every action")
    assert_accessible(page)

    due = page.get_by_role("columnheader", name="Due")
    due.get_by_role("link").click()
    expect(due).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#actions-table tbody tr").first).to_contain_text("1.1")
    due.get_by_role("link").click()  # again: the latest first
    expect(due).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#actions-table tbody tr").first).to_contain_text("1.30")

    # The header row stays in view when the grid scrolls inside its region.
    region = page.get_by_role("region", name="Actions")
    region.evaluate("element => { element.scrollTop = 600; }")
    header_top = page.locator("#actions-table thead th").first.evaluate(
        "th => th.getBoundingClientRect().top"
    )
    region_top = region.evaluate("element => element.getBoundingClientRect().top")
    assert abs(header_top - region_top) <= 2

    page.evaluate("window.__noReload = true")
    action = long_plan.actions.get(reference="1.30")
    row = page.locator(f"#action-row-{action.pk}")
    row.get_by_role("link", name="Update action 1.30").click()
    form_row = page.locator(f"#action-row-{action.pk}")
    form_row.get_by_label("Delivery RAG").select_option(label="Amber – At risk")
    form_row.get_by_label("Progress note").fill("Panel dates moved to February.")
    form_row.get_by_label("Reason for the RAG rating").fill("Two panel members left.")
    form_row.get_by_label("Recovery comment").fill("Interim chair agreed.")
    form_row.get_by_role("button", name="Save update").click()

    expect(page.locator(f"#action-row-{action.pk} .tag--amber")).to_have_text("At risk")
    assert page.evaluate("window.__noReload") is True
    expect(page).to_have_url(f"{live_server.url}/plans/{long_plan.pk}/grid/?sort=-due_date")
    action.refresh_from_db()
    assert action.rag.colour == "amber"


def test_the_grid_scrolls_inside_its_region_on_a_phone(page, live_server, login, plan_lead, long_plan):
    page.set_viewport_size({"width": 375, "height": 740})
    login("plan_lead")
    page.goto(f"{live_server.url}/plans/{long_plan.pk}/grid/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    region = page.get_by_role("region", name="Actions")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    expect(region).to_be_focused()
