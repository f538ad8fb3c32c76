"""Committee papers in a council's own style, by clicking: a plan lead makes a template from a shipped one,
renames a heading, switches the numbering, writes a paper without a plan from it, removes an empty
implications block, says which sign-offs it needs and publishes. And the preview's action-plan appendix keeps
the printed page's proportions at a desktop width and a phone's."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from actions.models import Board
from tests.browser.clicking import fill_date
from tests.browser.page_checks import assert_accessible
from tests.factories import make_action, make_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_plan_lead_makes_a_template_and_publishes_a_paper_without_a_plan(
    page, live_server, login, plan_lead
):
    Board.objects.create(name="Cabinet", kind=Board.Kind.SCRUTINY)
    login("plan_lead")
    page.get_by_role("link", name="Committee papers").first.click()
    page.get_by_role("link", name="Paper templates").click()
    page.get_by_label("Start from").select_option(label="WSOA progress")
    page.get_by_label("Name of the new template").fill("Our borough")
    page.get_by_role("button", name="Make the template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our borough")
    assert_accessible(page)

    page.get_by_label("Section 1: heading").fill("Purpose of report")
    page.get_by_label("Continuously across the paper: 1, 2, 3").check()
    page.get_by_label("Number the section headings").uncheck()
    page.get_by_role("button", name="Save the template").click()
    expect(page.get_by_text("Template saved.")).to_be_visible()
    expect(page.get_by_label("Section 1: heading")).to_have_value("Purpose of report")

    page.get_by_role("link", name="Committee papers").first.click()
    page.get_by_role("link", name="Write a new paper").click()
    page.get_by_label("Template").select_option(label="Our borough")
    page.get_by_label("Committee").select_option(label="Cabinet")
    fill_date(page, "Meeting date", "2030-07-15")
    page.get_by_label("Title").fill("SEND strategy update")
    page.get_by_label("Report of").fill("Laura Bishop, Assistant Director")
    page.get_by_label("Report author").fill("Priya Sharma")
    page.get_by_role("button", name="Create the paper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit: SEND strategy update")

    page.get_by_role("link", name="Sections, implications, background papers and appendices").first.click()
    # The implications block is empty: "Remove" must not be stopped by the browser's required check.
    page.get_by_role("button", name="Remove Financial implications").click()
    expect(page.get_by_text("Removed from the paper: Financial.")).to_be_visible()
    for role in ("Finance", "Legal", "Diversity and equality"):
        page.get_by_label(f"{role}: needed for this paper").select_option(label="Not applicable")
        page.get_by_role("button", name=f"Save {role} sign-off").click()
        expect(page.get_by_text(f"{role} sign-off: not applicable.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview the paper").click()
    page.get_by_role("link", name="Publish version 1").click()  # a check page says what publishing does
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Published version 1: the PDF and its data are frozen.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - a temporary file
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Recommendation(s) 1 That the Committee consider" in text
    assert "Purpose of report" in text
    assert "2. Purpose of report" not in text
    assert "Financial" not in text.split("Implications", 1)[-1].split("Background papers", 1)[0]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_previews_action_plan_keeps_the_printed_proportions(page, live_server, login, plan_lead, width):
    action = make_action(leads=[plan_lead], description="Review every EHC plan issued late. " * 6)
    paper = make_paper(action.plan)
    page.set_viewport_size({"width": width, "height": 900})
    login("plan_lead")
    page.goto(f"{live_server.url}/papers/{paper.pk}/")
    table = page.locator(".paper-actions").first
    shares = table.evaluate(
        """t => { const w = t.getBoundingClientRect().width;
                  return [...t.querySelectorAll('thead th')]
                    .map(th => th.getBoundingClientRect().width / w); }"""
    )
    action_share = shares[1]
    assert 0.2 < action_share < 0.3, shares  # the Action column, as on the printed landscape page
    assert page.evaluate("document.documentElement.scrollHeight") < 8000
    region = page.get_by_role("region", name=f"Priority {action.priority.number}: {action.priority.title}")
    scrolls = region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert scrolls == (width < 800)  # a phone scrolls the table sideways instead of squeezing it
    expect(page.get_by_role("link", name="Edit this paper")).to_be_visible()
