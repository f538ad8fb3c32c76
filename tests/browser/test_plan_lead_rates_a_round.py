from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.clicking import fill_date
from tests.inspections.helpers import add_round, make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_lead_rates_criteria_by_keyboard_without_a_reload_then_agrees_the_round(
    page, live_server, login, plan_lead
):
    framework = make_framework(sections=1, per_section=2)
    add_round(framework, "Feb 18", datetime.date(2018, 2, 28), {"A1": "R", "A2": "A"}, plan_lead)
    login("plan_lead")

    page.get_by_role("link", name="Reports").first.click()  # frameworks are reached from the reports
    page.get_by_role("link", name="Frameworks", exact=True).click()
    page.get_by_role("link", name=str(framework), exact=True).click()
    page.get_by_role("link", name="Open a new round").click()
    page.get_by_label("Label").fill("Mar 18")
    fill_date(page, "Date of the round", "2018-03-31")
    page.get_by_role("button", name="Open round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rating round Mar 18")
    # Pre-filled from February.
    a1 = page.locator(".rating").filter(has=page.get_by_role("heading", name="A1"))
    expect(a1.get_by_role("radio", name="Red")).to_be_checked()

    page.evaluate("window.__noReload = true")
    a1.get_by_role("radio", name="Red").focus()
    page.keyboard.press("ArrowRight")  # radios move with the arrow keys
    expect(a1.get_by_role("radio", name="Amber")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Baseline targets agreed with schools.")
    a1.get_by_role("button", name="Save A1").press("Enter")

    saved = page.locator(".rating").filter(has=page.get_by_role("heading", name="A1"))
    expect(saved.get_by_role("status")).to_have_text("A1 saved: Amber.")
    expect(saved.get_by_role("status")).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("A1 saved: Amber.")
    assert page.evaluate("window.__noReload") is True

    page.reload()
    page.get_by_role("button", name="Agree Mar 18").click()
    expect(page.get_by_text("Round Mar 18 agreed: it is now read-only.")).to_be_visible()
    expect(page.get_by_role("button", name="Save A1")).to_have_count(0)
    march = framework.assessments.get(label="Mar 18")
    rating = march.ratings.get(criterion__code="A1")
    assert (rating.rag, rating.commentary, rating.version) == (
        "A",
        "Baseline targets agreed with schools.",
        2,
    )
