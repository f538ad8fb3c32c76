"""What the officer sees when an htmx save fails: the session ended (sign in, then find what was typed),
the server refuses (403) or breaks (500), or cannot be reached. Never a login form inside a table row,
never silence."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from actions.models import Action, Plan
from tests.browser.clicking import Clicker
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TYPED = "Casework audit half done; the rest by Friday."
# What the browser and htmx log for a failed request: expected here, an error anywhere else.
FAILED_REQUEST = [
    re.compile(r"status of (403|500)"),
    re.compile(r"Response Status Error Code"),
    re.compile(r"htmx:(sendError|afterRequest)|ERR_FAILED"),
]


@pytest.fixture
def action(officer) -> Action:
    scale = make_brag_scale()
    plan = make_plan(rag_scale=scale)
    return make_action(make_priority(plan), [officer], reference="2.3", rag=rag_level(scale, "green"))


def test_a_row_save_after_the_session_ended_goes_to_sign_in_and_keeps_what_was_typed(
    page, live_server, officer, action
):
    clicker = Clicker(page, live_server.url)
    clicker.goto("/login/")
    clicker.sign_in("officer_lead", password=PASSWORD, expect_path="/actions/mine/")
    row = page.locator(f"#action-row-{action.pk}")
    clicker.click_htmx(row.get_by_role("link", name="Update action 2.3"))
    row.get_by_label("Progress note").fill(TYPED)

    Session.objects.all().delete()  # the session ends on the server while the form is open
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("button", name="Save update").click()

    # The whole sign-in page, not a login form swapped into the row.
    clicker.check("/login/?next=/actions/mine/", what="saving after the session ended")
    expect(page.locator("h1")).to_have_text("Sign in to SEND Tracker")
    assert not Action.objects.get(pk=action.pk).updates.exists()

    clicker.sign_in("officer_lead", password=PASSWORD, expect_path="/actions/mine/")
    banner = page.locator("#messages")
    expect(banner).to_contain_text("You were signed out before your update of action 2.3 was saved.")
    page.get_by_role("link", name="Continue your update of action 2.3").click()
    page.wait_for_url(re.compile(r"/actions/\d+/update/\?next="), wait_until="load")
    clicker.check(f"/actions/{action.pk}/update/?next=/actions/mine/", what="continuing the update")
    expect(page.get_by_label("Progress note")).to_have_value(TYPED)
    expect(page.locator("form .draft-restored")).to_contain_text("What you typed has been put back")

    clicker.click_button("Save update", navigates=True, expect_path="/actions/mine/")
    assert Action.objects.get(pk=action.pk).updates.get().narrative == TYPED
    # Saved: the kept copy is not offered again.
    expect(page.get_by_role("link", name=re.compile("Continue your update"))).to_have_count(0)


def test_a_detail_save_without_a_session_cookie_comes_back_to_the_form_with_the_text(
    page, live_server, officer, action
):
    clicker = Clicker(page, live_server.url)
    clicker.goto("/login/")
    clicker.sign_in("officer_lead", password=PASSWORD, expect_path="/actions/mine/")
    clicker.goto(f"/actions/{action.pk}/")
    page.get_by_label("Progress note").fill(TYPED)

    page.context.clear_cookies(name="sessionid")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save update").click()
    clicker.check(f"/login/?next=/actions/{action.pk}/", what="saving without a session cookie")

    clicker.sign_in("officer_lead", password=PASSWORD, expect_path=f"/actions/{action.pk}/")
    expect(page.get_by_label("Progress note")).to_have_value(TYPED)
    clicker.click_button("Save update")
    expect(page.locator("#action-main .notification-banner")).to_contain_text("Action 2.3 updated")
    assert Action.objects.get(pk=action.pk).updates.get().narrative == TYPED


def test_a_refused_a_broken_and_an_unreachable_save_each_show_an_announced_error(
    page, live_server, officer, action, monkeypatch
):
    clicker = Clicker(page, live_server.url, allowed_errors=list(FAILED_REQUEST))
    clicker.goto("/login/")
    clicker.sign_in("officer_lead", password=PASSWORD, expect_path="/actions/mine/")
    row = page.locator(f"#action-row-{action.pk}")
    clicker.click_htmx(row.get_by_role("link", name="Update action 2.3"))
    row.get_by_label("Progress note").fill(TYPED)
    alert = page.locator("#request-error")
    expect(alert).to_have_attribute("role", "alert")

    # 403: the plan was closed while the form was open.
    Plan.objects.filter(pk=action.plan_id).update(status=Plan.Status.CLOSED)
    clicker.click_button("Save update", within=row)
    expect(alert).to_contain_text("You do not have permission to do that. Nothing was saved.")
    expect(alert).to_contain_text("This plan is closed: its actions no longer take updates.")
    expect(alert.locator(".notification-banner")).to_be_focused()
    expect(row.get_by_label("Progress note")).to_have_value(TYPED)

    # 500: something breaks on the server.
    Plan.objects.filter(pk=action.plan_id).update(status=Plan.Status.ACTIVE)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Action, "record_update", broken)
    clicker.click_button("Save update", within=row)
    expect(alert).to_contain_text("Sorry, something went wrong on our side. Nothing was saved.")
    expect(alert).not_to_contain_text("permission")
    expect(row.get_by_label("Progress note")).to_have_value(TYPED)
    monkeypatch.undo()

    # No answer at all: the connection dropped.
    page.route(re.compile(r"/actions/\d+/update/$"), lambda route: route.abort())
    clicker.click_button("Save update", within=row)
    expect(alert).to_contain_text("The server could not be reached. Nothing was saved.")
    page.unroute(re.compile(r"/actions/\d+/update/$"))

    # A save that works clears the error.
    clicker.click_button("Save update", within=row)
    expect(page.locator(f"#action-row-{action.pk}")).to_contain_text("Saved")
    expect(alert).to_be_empty()
    assert Action.objects.get(pk=action.pk).updates.get().narrative == TYPED
