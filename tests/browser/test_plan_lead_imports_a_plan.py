from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.page_checks import assert_accessible
from tests.exchange.sheets import xlsx
from tests.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

    page.get_by_role("link", name="Import a spreadsheet").click()  # from Plans, where plan leads land
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a spreadsheet")
    assert_accessible(page)
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
    assert_accessible(page)
    assert Action.objects.count() == 0  # nothing written before the confirmation

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text("Imported wsoa.xlsx: 2 actions created, 0 updated")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    assert sorted(Action.objects.values_list("reference", "success_measure")) == [
        ("1.1", "All"),
        ("1.2", "Trained"),
    ]


def test_plan_lead_imports_a_list_with_title_rows_and_no_priority_naming_its_priority(
    page, live_server, login, plan_lead
):
    plan = make_plan(title="Priority action plan 2024")
    rows = [
        ["SEND priority action plan – tracker"],
        [],
        ["Title", "Owner", "Due Date", "Progress update (Nov)"],
        ["Audit EHC plans", "Jo Bloggs (Thurrock Council)", "2026-01-31T00:00:00Z", "Scoped"],
        ["Train caseworkers", "", "2026-03-31T00:00:00Z", ""],
    ]
    login("plan_lead")
    page.get_by_role("link", name="Import a spreadsheet").click()  # from Plans, where plan leads land
    page.get_by_label("Action plan").check()
    page.get_by_label("Plan", exact=True).select_option(label=plan.title)
    page.get_by_label("Spreadsheet").set_input_files(
        {"name": "list.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(("Items", rows))}
    )
    page.get_by_role("button", name="Upload and preview").click()

    first_rows = page.locator("#first-rows")
    expect(first_rows.get_by_role("row").nth(3)).to_contain_text("Header row")
    expect(page.get_by_label("The row holding the column headings")).to_have_value("2")
    expect(page.locator(".error-summary")).to_contain_text("This file names no priority")
    page.get_by_label("The priority these actions go under").fill("Joint commissioning")
    page.get_by_label("The year of the first update column").fill("2024")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.locator("#row-plans")).to_contain_text("1.2")
    assert_accessible(page)

    page.get_by_role("button", name="Import 2 rows").click()
    expect(
        page.get_by_text("Imported list.xlsx: 2 actions created, 0 updated, 1 past updates")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="1. Joint commissioning")).to_be_visible()
    assert sorted(Action.objects.values_list("reference", "priority__title")) == [
        ("1.1", "Joint commissioning"),
        ("1.2", "Joint commissioning"),
    ]
