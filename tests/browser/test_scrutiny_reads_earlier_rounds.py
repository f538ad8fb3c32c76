"""A councillor reads the RAG matrix twelve rounds at a time and steps back to earlier ones (issue #32)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core import roles
from tests.browser.page_checks import WCAG_TAGS
from tests.factories import make_user
from tests.inspections.helpers import make_fourteen_monthly_rounds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fourteen_rounds(transactional_db):
    framework = make_fourteen_monthly_rounds()
    make_user("councillor", roles.SCRUTINY_MEMBER)
    return framework


def test_a_councillor_steps_back_to_earlier_rounds_and_forward_again(
    page, live_server, login, fourteen_rounds
):
    login("councillor")
    page.goto(f"{live_server.url}/inspections/matrix/")
    table = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Criterion"))
    expect(table.get_by_role("columnheader", name="R14")).to_be_visible()
    expect(table.get_by_role("columnheader", name="R2")).to_have_count(0)
    expect(page.get_by_text("in rounds 3 to 14 of 14.")).to_be_visible()

    page.get_by_role("link", name="Earlier rounds").click()
    expect(page.get_by_text("in rounds 1 to 2 of 14.")).to_be_visible()
    expect(table.get_by_role("columnheader", name="R1", exact=True)).to_be_visible()
    expect(table.get_by_role("columnheader", name="R3")).to_have_count(0)
    # The summary still reads the latest round.
    expect(page.get_by_role("heading", name="Summary: R14 against R13")).to_be_visible()
    violations = (
        Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response["violations"]
    )
    assert violations == []

    page.get_by_role("link", name="Later rounds").click()
    expect(page.get_by_text("in rounds 3 to 14 of 14.")).to_be_visible()
    # The same windows from the filter form.
    page.get_by_label("Rounds shown").select_option(label="R1 to R2")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("in rounds 1 to 2 of 14.")).to_be_visible()
