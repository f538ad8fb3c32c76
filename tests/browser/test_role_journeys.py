"""End-to-end journeys of each role in real Chromium, on the demo data."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.clicking import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def officer_action() -> Action:
    """Return an open action the demo officer leads."""
    return Action.objects.open().filter(leads__user__username="officer").order_by("reference").first()


def test_officer_hits_a_conflict_when_another_browser_saved_first(browser, live_server, demo_data):
    action = officer_action()
    officer_context, lead_context = browser.new_context(), browser.new_context()
    officer_page, lead_page = officer_context.new_page(), lead_context.new_page()
    sign_in(officer_page, live_server.url, "officer")
    sign_in(lead_page, live_server.url, "lead")
    for page in (officer_page, lead_page):
        page.goto(f"{live_server.url}/actions/{action.pk}/")

    lead_page.get_by_label("Progress note").fill("Plan lead: escalated to the SEND Development Board.")
    lead_page.get_by_role("button", name="Save update").click()
    expect(lead_page.locator("#action-main .notification-banner")).to_contain_text("updated")

    officer_page.get_by_label("Progress note").fill("Officer: casework audit half done.")
    officer_page.get_by_role("button", name="Save update").click()
    conflict = officer_page.locator(".conflict")
    expect(conflict).to_contain_text("Someone else updated this action")
    expect(conflict).to_contain_text("Plan lead: escalated to the SEND Development Board.")
    expect(conflict).to_be_focused()
    # What the officer typed is kept; saving again is a deliberate choice made after seeing the change.
    expect(officer_page.get_by_label("Progress note")).to_have_value("Officer: casework audit half done.")
    assert list(action.updates.order_by("-pk").values_list("narrative", flat=True)[:1]) == [
        "Plan lead: escalated to the SEND Development Board."
    ]
    officer_page.get_by_role("button", name="Save update").click()
    expect(officer_page.locator("#action-main .notification-banner")).to_contain_text("updated")
    assert action.updates.order_by("-pk").first().narrative == "Officer: casework audit half done."


def test_plan_lead_updates_an_action_they_do_not_lead_and_has_no_admin(page, live_server, demo_data):
    action = Action.objects.open().exclude(leads__user__username="lead").order_by("reference").first()
    sign_in(page, live_server.url, "lead")
    assert urlsplit(page.url).path == "/plans/"  # plan leads land on their plans
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    page.get_by_label("Status").select_option("on_hold")
    page.get_by_label("Progress note").fill("Paused while the ICB restructures its SEND team.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#action-main .notification-banner")).to_contain_text(
        f"Action {action.reference} updated"
    )
    action.refresh_from_db()
    assert action.status == "on_hold"

    # The admin is for administrators only: plan leads build plans in the app.
    assert page.get_by_role("link", name="Admin").count() == 0
    page.goto(f"{live_server.url}/admin/actions/action/{action.pk}/change/")
    assert urlsplit(page.url).path == "/admin/login/"


def test_administrator_sees_progress_read_only_in_the_admin(page, live_server, demo_data):
    action = officer_action()
    sign_in(page, live_server.url, "admin")
    page.get_by_role("link", name="Admin").click()
    expect(page.locator("h1")).to_contain_text("Site administration")
    page.goto(f"{live_server.url}/admin/actions/action/{action.pk}/change/")
    expect(page.get_by_label("Description:")).to_have_value(action.description)
    assert page.locator("select[name=status]").count() == 0
    assert page.locator("select[name=rag]").count() == 0
    page.goto(f"{live_server.url}/admin/actions/action/{action.pk}/history/")
    expect(page.locator("#content")).to_contain_text("Changed")


def test_scrutiny_member_reads_everything_and_finds_no_way_to_edit(page, live_server, demo_data):
    action = officer_action()
    sign_in(page, live_server.url, "scrutiny")
    for path in ("/actions/", "/actions/mine/", f"/actions/{action.pk}/"):
        page.goto(live_server.url + path)
        # The only form that posts is "Sign out"; no update links, no save buttons.
        assert page.locator("form[method=post]").count() == 1, path
        assert page.get_by_role("button", name="Save update").count() == 0, path
        assert page.locator("a[href*='/update/']").count() == 0, path
        assert page.get_by_role("link", name="Admin").count() == 0, path
    response = page.goto(f"{live_server.url}/actions/{action.pk}/update/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have permission to do that")


def test_officer_journey_works_with_the_keyboard_alone(page, live_server, demo_data):
    action = officer_action()
    sign_in(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/actions/mine/")

    # The skip link is the first stop and is visible when focused.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    update_link = page.locator(f"#action-row-{action.pk}").get_by_role(
        "link", name=f"Update action {action.reference}"
    )
    for _ in range(200):
        if update_link.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(update_link).to_be_focused()
    # Focus is visible: the focus style changes the background.
    assert update_link.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 221, 0)"

    page.keyboard.press("Enter")
    legend = page.locator(f"#action-row-{action.pk} legend")
    expect(legend).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(f"#id_{action.pk}_status")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(f"#id_{action.pk}_rag")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard-only update: panel dates confirmed.")
    # Tab past evidence, reason, recovery to the Save button and press Space.
    save = page.locator(f"#action-row-{action.pk}").get_by_role("button", name="Save update")
    for _ in range(6):
        if save.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Space")

    row_link = page.locator(f"#action-row-{action.pk}").get_by_role(
        "link", name=f"Update action {action.reference}"
    )
    expect(row_link).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text(f"Action {action.reference} updated")
    assert action.updates.order_by("-pk").first().narrative == "Keyboard-only update: panel dates confirmed."


def test_htmx_runs_under_the_content_security_policy(page, live_server, demo_data):
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    sign_in(page, live_server.url, "lead")
    response = page.goto(f"{live_server.url}/actions/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.evaluate("window.__noReload = true")
    page.get_by_label("Status").select_option("complete")
    # The filter form swaps only the results region via htmx: the page is never reloaded.
    expect(page.locator("#action-results")).to_contain_text("found")
    expect(page).to_have_url(re.compile(r"/actions/\?.*status=complete"))
    assert page.evaluate("window.__noReload") is True
    statuses = page.locator("#action-results tbody .tag--status").all_inner_texts()
    assert statuses and set(statuses) == {"Complete"}
    assert violations == []
