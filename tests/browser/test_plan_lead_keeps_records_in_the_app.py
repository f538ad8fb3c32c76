"""Issue #28's journey: from an empty area, a plan lead records a 2023-framework inspection and its findings,
builds a priority action plan, adds a measure compared with a shared national series, schedules a board
every six weeks and sees the update deadline that follows, all by clicking, never visiting /admin/."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from actions.models import ComparatorSeries, Measure, Meeting, Plan
from inspections.models import Finding, Review
from tests.browser.clicking import fill_date
from tests.browser.page_checks import assert_accessible
from tests.factories import make_brag_scale, make_plan
from tests.inspections.helpers import make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def summary_row(page, key: str):
    return page.locator(".summary-list__row").filter(has=page.get_by_text(key, exact=True))


def link_findings(page, number: str, title: str, findings: list[str]) -> None:
    """Add priority `number` on the plan's page and tick the findings it answers (found by their text)."""
    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("Number", exact=True).fill(number)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Save priority").click()
    page.get_by_role("link", name=f"Findings and criteria of priority {number}").click()
    # Typing searches as you type (htmx): one request, no button press to race it.
    page.get_by_label("Search findings and criteria").fill("Northshire")
    expect(page.get_by_text("Matches for “Northshire”")).to_be_visible()
    for text in findings:
        page.get_by_label(text).check()
    page.get_by_role("button", name="Save links").click()
    expect(page.get_by_text(f"Links of priority {number} saved.")).to_be_visible()


@pytest.mark.long(25)
def test_plan_lead_keeps_every_record_in_the_app(page, live_server, login, plan_lead):
    # Reference data an administrator keeps: the national framework and a RAG scale. A national series
    # already used by another plan's measure.
    make_framework(
        sections=0, name="Area SEND inspection", year=2023, outcomes=["positive", "inconsistent", "systemic"]
    )
    make_brag_scale()
    series = ComparatorSeries.objects.create(name="% of new EHC plans issued within 20 weeks", area="England")
    Measure.define(
        name="EHC plans in 20 weeks (strategy)",
        higher_is_better=True,
        plan=make_plan(title="SEND strategy"),
        comparator=series,
    )
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    login("plan_lead")

    with time_machine.travel(datetime.datetime(2025, 1, 2, 9, tzinfo=LONDON), tick=True):
        # The inspection, in the 2023 framework's own terms.
        page.get_by_role("link", name="Reports").first.click()  # reviews are reached from the reports
        page.get_by_role("link", name="Inspections and reviews").click()
        page.get_by_role("link", name="Record a review or inspection").click()
        page.get_by_label("What kind of review").select_option(label="Ofsted/CQC local area inspection")
        page.get_by_label("Framework it is judged under").select_option(label="Area SEND inspection (2023)")
        page.get_by_role("button", name="Continue").click()
        assert_accessible(page)
        expect(page.get_by_text("Written statement of action")).to_have_count(0)
        page.get_by_label("Title", exact=True).fill("Area SEND inspection of Northshire")
        fill_date(page, "Start date", "2024-11-04")
        page.get_by_label("Outcome", exact=True).select_option(label="Widespread and/or systemic failings")
        page.get_by_label("Plan it requires").select_option(label="Priority action plan")
        fill_date(page, "Priority action plan due", "2025-02-28")
        page.get_by_role("button", name="Record the review").click()

        # Two areas for priority action pasted at once, one area for improvement added on its own.
        page.get_by_role("link", name="Paste several findings").click()
        page.get_by_label("Kind of finding").select_option(label="Area for priority action")
        page.get_by_label("Findings").fill(
            "API1 Leaders should urgently improve the timeliness of EHC plans.\n\n"
            "API2 Leaders should improve the quality of EHC plans."
        )
        page.get_by_role("button", name="Add findings").click()
        page.get_by_role("link", name="Add a finding").click()
        page.get_by_label("Kind", exact=True).select_option(label="Area for improvement")
        page.get_by_label("Reference").fill("AFI1")
        page.get_by_label("Finding, word for word").fill(
            "Leaders should improve the transition to adulthood."
        )
        page.get_by_role("button", name="Add finding").click()
        assert_accessible(page)
        expect(page.get_by_role("row")).to_have_count(4)  # a header and three findings

        # The board, meeting every six weeks from 13 January until July.
        page.get_by_role("link", name="Plans").first.click()  # boards are reached from Plans
        page.get_by_role("link", name="Boards and meetings").click()
        page.get_by_role("link", name="Add a board").click()
        page.get_by_label("Name", exact=True).fill("SEND Improvement Board")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("link", name="Add a series of meetings").click()
        assert_accessible(page)
        page.get_by_label("Every so many weeks").check()
        fill_date(page, "First meeting (or the series' start)", "2025-01-13")
        fill_date(page, "Last date of the series", "2025-07-31")
        page.get_by_label("Every how many weeks").fill("6")
        page.get_by_role("button", name="Add the meetings").click()
        expect(page.get_by_text("5 meetings added.")).to_be_visible()

        # The priority action plan answering the inspection, owned by the board.
        page.get_by_role("link", name="Plans").first.click()
        page.get_by_role("link", name="Create a plan").click()
        page.get_by_label("Title", exact=True).fill("Northshire priority action plan")
        page.get_by_label("Kind", exact=True).select_option(label="Priority action plan (area SEND)")
        page.get_by_label("Review or inspection it answers").select_option(
            label="Area SEND inspection of Northshire (November 2024)"
        )
        fill_date(page, "Submission due", "2025-02-28")
        page.get_by_label("Owning board").select_option(label="SEND Improvement Board")
        page.get_by_label("RAG scale").select_option(index=1)
        page.get_by_role("button", name="Create plan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Northshire priority action plan")

        # Its priorities answer the findings: one the two areas for priority action, one the area for
        # improvement.
        link_findings(page, "1", "Timely, good-quality EHC plans", ["urgently improve", "quality of EHC"])
        page.get_by_role("link", name="Back to the plan").click()
        link_findings(page, "2", "Preparing for adulthood", ["transition to adulthood"])
        assert_accessible(page)
        page.get_by_role("link", name="Back to the plan").click()

        # A measure compared with the national series the strategy's measure uses too.
        page.get_by_role("link", name="Add a measure (KPI) to this plan").click()
        page.get_by_label("Name", exact=True).fill("% of new EHC plans issued within 20 weeks")
        page.get_by_label("Higher is better").check()
        page.get_by_label("Baseline", exact=True).fill("42")
        page.get_by_label("Final target", exact=True).fill("80")
        page.get_by_label("Compared with").select_option(label=str(series))
        page.get_by_role("button", name="Add the measure").click()

        # The update deadline that follows the board's first meeting.
        page.get_by_role("link", name="Update cycle").first.click()
        page.get_by_role("link", name="Northshire priority action plan").click()
        expect(page.get_by_text("Monday 13 January 2025")).to_be_visible()
        # Five working days before Monday 13 January.
        expect(summary_row(page, "Updates due by")).to_contain_text("Monday 6 January 2025")
        assert_accessible(page)

        # Reporting becomes quarterly from the summer, when the board stops meeting every six weeks.
        page.get_by_role("link", name="Plans").first.click()
        page.get_by_role("link", name="Northshire priority action plan").click()
        page.get_by_role("link", name="Change the update cycle from a date").click()
        fill_date(page, "From", "2025-09-01")
        page.get_by_label("New update cycle (days)").fill("91")
        assert_accessible(page)
        page.get_by_role("button", name="Save the change of cadence").click()
        expect(page.get_by_text("From 1 September 2025: every 91 days")).to_be_visible()

    review = Review.objects.get(title="Area SEND inspection of Northshire")
    assert (review.outcome, review.plan_required, review.wsoa_due_on) == (
        "systemic",
        "priority_action_plan",
        datetime.date(2025, 2, 28),
    )
    assert list(review.findings.order_by("order").values_list("reference", "kind")) == [
        ("API1", Finding.Kind.AREA_FOR_PRIORITY_ACTION),
        ("API2", Finding.Kind.AREA_FOR_PRIORITY_ACTION),
        ("AFI1", Finding.Kind.AREA_FOR_IMPROVEMENT),
    ]
    plan = Plan.objects.get(title="Northshire priority action plan")
    assert (plan.review, plan.due_on, plan.board.meetings.count()) == (review, datetime.date(2025, 2, 28), 5)
    assert Meeting.objects.count() == 5
    assert set(series.measures.values_list("plan__title", flat=True)) == {"SEND strategy", plan.title}
    answered = {
        priority.number: sorted(priority.findings.values_list("reference", flat=True))
        for priority in plan.priorities.all()
    }
    assert answered == {"1": ["API1", "API2"], "2": ["AFI1"]}
    assert list(plan.cadence_changes.values_list("starts_on", "cycle_days")) == [
        (datetime.date(2025, 9, 1), 91)
    ]
    assert not [url for url in visited if "/admin/" in url]
