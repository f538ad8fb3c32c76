from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from actions.models import Action
from tests.exchange.sheets import xlsx
from tests.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_plan_lead_uploads_maps_previews_and_confirms_an_action_plan(page, live_server, login, plan_lead):
    plan = make_plan(title="Written Statement of Action 2019")
    rows = [
        ["Ref", "Priority", "Priority title", "What we will do", "Owner", "Deadline", "Outcome"],
        [
            "1.1",
            "1",
            "Records",
            "Audit EHC plans",
            "Jo Bloggs (Thurrock Council)",
            datetime.date(2026, 1, 31),
            "All",
        ],
        ["1.2", "1", "Records", "Train caseworkers", "", datetime.date(2026, 3, 31), "Trained"],
    ]
    login("plan_lead")

    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a spreadsheet")
    assert (
        Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response["violations"]
        == []
    )
    page.get_by_label("Action plan").check()
    page.get_by_label("Plan", exact=True).select_option(label=plan.title)
    page.get_by_label("Spreadsheet").set_input_files(
        {"name": "wsoa.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(("Plan", rows))}
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of wsoa.xlsx")
    expect(page.locator("#count-create")).to_have_text("2")
    # "Outcome" was not recognised: map it to the success measure and preview again.
    page.get_by_label("Success measure (optional)").select_option(label="Outcome")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_label("Success measure (optional)")).to_have_value("6")
    expect(page.get_by_label("Jo Bloggs (Thurrock Council)")).to_have_value("new")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert result.response["violations"] == []
    assert Action.objects.count() == 0  # nothing written before the confirmation

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text("Imported wsoa.xlsx: 2 actions created, 0 updated")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    assert sorted(Action.objects.values_list("reference", "success_measure")) == [
        ("1.1", "All"),
        ("1.2", "Trained"),
    ]
