"""A plan lead records a revisit after an inspection, then its judgement on an area of weakness."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from inspections.models import Review, RevisitJudgement
from tests.browser.clicking import fill_date
from tests.browser.page_checks import assert_accessible
from tests.factories import make_finding, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_lead_records_a_revisit_then_judges_each_weakness(page, live_server, login, plan_lead):
    inspection = make_review(title="Joint local area SEND inspection", start_date=datetime.date(2019, 3, 4))
    make_finding(inspection, reference="ASW1", order=1, text="Waiting times for assessment are too long.")
    make_finding(inspection, reference="ASW2", order=2, text="Co-production is weak.")
    login("plan_lead")

    page.get_by_role("link", name="Reports").first.click()  # reviews are reached from the reports
    page.get_by_role("link", name="Inspections and reviews").click()
    page.get_by_role("link", name="Joint local area SEND inspection").first.click()
    page.get_by_role("link", name="Record what followed").click()
    assert_accessible(page)
    page.get_by_label("What followed").select_option(label="Revisit or monitoring visit")
    page.get_by_label("Title", exact=True).fill("Revisit of the local area")
    fill_date(page, "Start date", "2021-03-01")
    page.get_by_role("button", name="Add to the chain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisit of the local area")

    page.get_by_role("link", name="Record progress on each area of weakness").click()
    assert_accessible(page)
    asw1 = page.locator("section").filter(has=page.get_by_role("heading", name="ASW1"))
    asw1.get_by_label("Progress").select_option(label="Insufficient progress")
    asw1.get_by_label("Evidence").fill("Waiting times are still over 20 weeks.")
    asw1.get_by_role("button", name="Save judgement on ASW1").click()

    expect(page.get_by_text("ASW1: insufficient progress recorded.")).to_be_visible()
    expect(page.get_by_text("1 of 2 judged; insufficient progress on 1 of 1.")).to_be_visible()
    revisit = Review.objects.get(follows_up=inspection)
    judgement = RevisitJudgement.objects.get(revisit=revisit)
    assert (judgement.finding.reference, judgement.judgement, judgement.evidence) == (
        "ASW1",
        "insufficient",
        "Waiting times are still over 20 weeks.",
    )
