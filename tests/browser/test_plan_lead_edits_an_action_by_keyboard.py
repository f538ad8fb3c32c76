"""A plan lead edits an action with the keyboard only: Tab to each control, type, Enter to follow and save.

Success criteria are rows: "Add another" adds one in place (htmx) and moves the focus into it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.factories import make_action, make_organisation, make_person, make_plan, make_priority

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching `selector` has focus (fails if it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_plan_lead_edits_an_action_by_keyboard_only(page, live_server, login, plan_lead):
    plan = make_plan(title="Written Statement of Action")
    priority = make_priority(plan, number="1", title="Identifying needs")
    action = make_action(priority, reference="1.1", description="Audit EHC plans.")
    jo = make_person("Jo Adeyemi", job_title="Casework manager", organisation=make_organisation("Council"))
    login("plan_lead")

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    tab_to(page, f"a[href='/plans/actions/{action.pk}/edit/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Edit action 1.1")

    tab_to(page, "#id_description")
    page.keyboard.press("Control+A")
    page.keyboard.type("Audit every EHC plan issued in the last year.")
    tab_to(page, f"#id_leads input[value='{jo.pk}'], input[name='leads'][value='{jo.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "#id_criterion_1")
    page.keyboard.type("Audit tool agreed")
    # "Add another" swaps in a new row by htmx and puts the focus in it.
    tab_to(page, "button[name=add_criterion]")
    page.keyboard.press("Enter")
    expect(page.locator("#id_criterion_2")).to_be_focused()
    page.keyboard.type("Findings reported to the board")
    tab_to(page, "button[type=submit].button:not([name])")
    page.keyboard.press("Enter")

    expect(page.locator(".notification-banner")).to_contain_text("Action 1.1 saved")
    action = Action.objects.get(pk=action.pk)
    assert action.description == "Audit every EHC plan issued in the last year."
    assert list(action.leads.all()) == [jo]
    criteria = [c.text for c in action.success_criteria.all()]
    assert criteria == ["Audit tool agreed", "Findings reported to the board"]
    assert action.version == 2
