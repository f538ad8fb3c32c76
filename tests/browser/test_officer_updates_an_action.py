from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_changes_rag_in_the_row_without_a_reload(page, live_server, login, officer):
    scale = make_brag_scale()
    plan = make_plan(rag_scale=scale)
    action = make_action(
        make_priority(plan), leads=[officer], rag=rag_level(scale, "green"), status="in_progress"
    )
    login("officer_lead")
    expect(page).to_have_url(f"{live_server.url}/actions/mine/")

    # A marker on window survives only if the page is never reloaded.
    page.evaluate("window.__noReload = true")
    row = page.locator(f"#action-row-{action.pk}")
    row.get_by_role("link", name=f"Update action {action.reference}").click()
    form_row = page.locator(f"#action-row-{action.pk}")
    form_row.get_by_label("Delivery RAG").select_option(label="Amber – At risk")
    form_row.get_by_label("Progress note").fill("Recruitment of two case officers has slipped to January.")
    form_row.get_by_label("Reason for the RAG rating").fill("Two vacancies in the SEND team.")
    form_row.get_by_label("Recovery comment").fill("Agency cover agreed from 1 December.")
    form_row.get_by_role("button", name="Save update").click()

    updated = page.locator(f"#action-row-{action.pk}")
    expect(updated.locator(".tag--amber")).to_have_text("At risk")
    expect(page.locator("#live-status")).to_contain_text(f"Action {action.reference} updated")
    expect(updated.get_by_role("link", name=f"Update action {action.reference}")).to_be_focused()
    assert page.evaluate("window.__noReload") is True

    page.reload()
    expect(page.locator(f"#action-row-{action.pk} .tag--amber")).to_have_text("At risk")
    action.refresh_from_db()
    assert action.rag.colour == "amber"
    assert action.version == 2
    assert action.updates.get().narrative == "Recruitment of two case officers has slipped to January."
