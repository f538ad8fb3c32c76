"""A committee paper from template to published PDF, by clicking: a plan lead creates it and writes it, a
signer (the administrator) records the sign-offs, the plan lead publishes it and downloads the PDF, whose
text is read back. The edit and structure pages pass axe-core on the way."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from actions.models import Board
from reports.models import CommitteePaper
from tests.browser.clicking import fill_date
from tests.browser.page_checks import assert_accessible
from tests.factories import make_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_paper_is_written_signed_off_published_and_its_pdf_read_back(
    page, live_server, login, plan_lead, administrator
):
    # A reference as plans write them: the factory's counter grows with the suite, and a ten-character
    # reference wraps inside the narrow "Ref" column, which splits it in the extracted text.
    action = make_action(leads=[plan_lead], reference="1.12")
    Board.objects.create(name="Children's Services Overview and Scrutiny Committee", kind=Board.Kind.SCRUTINY)

    login("plan_lead")
    page.get_by_role("link", name="Committee papers").first.click()
    page.get_by_role("link", name="Write a new paper").click()
    page.get_by_label("Template").select_option(label="WSOA progress")
    page.get_by_label("Committee").select_option(label="Children's Services Overview and Scrutiny Committee")
    fill_date(page, "Meeting date", "2030-07-15")
    page.get_by_label("Agenda item").fill("6")
    page.get_by_label("Title").fill("WSOA progress, July")
    page.get_by_label("Plan").select_option(label=str(action.plan))
    page.get_by_label("Report of").fill("Laura Bishop, Assistant Director")
    page.get_by_label("Report author").fill("Priya Sharma")
    page.get_by_role("button", name="Create the paper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit: WSOA progress, July")

    # Write the first section.
    page.get_by_label("2. Introduction and background").fill(
        "The plan is on track.\n\nTwo actions are late and have recovery plans."
    )
    page.get_by_role("button", name="Save recommendations and sections").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert_accessible(page)

    # Add a free-text appendix, then rename it on the structure page.
    adding = page.get_by_role("form", name="Add an appendix")
    adding.get_by_label("Kind").select_option(label="Free text (e.g. a glossary)")
    adding.get_by_label("Title").fill("Glossary")
    glossary = "EHCP: education, health and care plan."
    adding.get_by_label("Text (free-text appendix) or introduction").fill(glossary)
    adding.get_by_role("button", name="Add the appendix").click()
    expect(page.get_by_text("Appendix added.")).to_be_visible()
    page.get_by_role("link", name="Sections, implications, background papers and appendices").first.click()
    page.get_by_label("Title of appendix 2").fill("Glossary of terms")
    page.get_by_role("button", name="Rename appendix 2").click()
    expect(page.get_by_text("Renamed.")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # The signer records each reviewer's sign-off.
    login("administrator")
    page.get_by_role("link", name="Committee papers").first.click()
    page.get_by_role("link", name="WSOA progress, July").click()
    page.get_by_role("link", name="Edit this paper").click()
    for role in ("Finance", "Legal", "Diversity and equality"):
        page.get_by_label(f"Name and title ({role})").fill(f"{role} reviewer")
        fill_date(page, f"Date signed {role}", "2030-07-01")
        page.get_by_role("button", name=f"Record {role} sign-off").click()
        expect(page.get_by_text(f"{role} sign-off recorded.")).to_be_visible()
    _sign_out(page)

    # The plan lead publishes and downloads the PDF.
    login("plan_lead")
    page.get_by_role("link", name="Committee papers").first.click()
    page.get_by_role("link", name="WSOA progress, July").click()
    page.get_by_role("link", name="Publish version 1").click()  # a check page says what publishing does
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Published version 1: the PDF and its data are frozen.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - a temporary file

    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "WSOA progress, July" in reader.pages[0].extract_text()
    assert "2.1 The plan is on track. 2.2 Two actions are late and have recovery plans." in text
    assert "Appendix 2: Glossary of terms" in text
    assert glossary in text
    assert action.reference in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert CommitteePaper.objects.get(title="WSOA progress, July").is_published
