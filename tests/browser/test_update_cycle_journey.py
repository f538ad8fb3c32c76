"""The plan lead runs the update cycle in real Chromium: status page, reminders, an update on behalf."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from actions.models import ActionUpdate, Board, Meeting, ReminderSent
from tests.browser.clicking import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_lead_sends_reminders_and_records_an_update_given_by_email(page, demo_data, demo_login):
    demo_login("lead")
    page.get_by_role("link", name="Update cycle").click()
    page.get_by_role("link", name="SEND improvement plan (illustrative)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Update status")

    page.get_by_role("button", name="Send reminders").click()

    expect(page.locator(".notification-banner").first).to_contain_text("Reminders sent to")
    assert ReminderSent.objects.exists()
    assert len(mail.outbox) == ReminderSent.objects.values("lead").distinct().count()
    expect(page.get_by_role("button", name="Send reminders")).to_have_count(0)

    record = page.get_by_role("link", name="record update").first
    record.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an update to action")
    page.get_by_label("Progress note").fill("Given by email: the audit is half done.")
    page.get_by_label("Delivery RAG").select_option(label="Green – On track")
    page.get_by_role("button", name="Record update").click()

    expect(page.locator(".notification-banner").first).to_contain_text("recorded for")
    update = ActionUpdate.objects.get(narrative="Given by email: the audit is half done.")
    assert update.on_behalf_of is not None and update.author.username == "lead"


def test_plan_lead_adds_a_meeting_and_records_its_minutes_afterwards(page, demo_data, demo_login):
    demo_login("lead")
    page.get_by_role("link", name="Boards").click()
    page.get_by_role("link", name="SEND Development Board").click()
    page.get_by_role("link", name="Add a meeting").click()
    fill_date(page, "Date", "2031-03-06")
    page.get_by_label("Title").fill("Spring term review")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".notification-banner").first).to_contain_text("Meeting on 6 March 2031 added")
    board = Board.objects.get(name="SEND Development Board")
    assert Meeting.objects.filter(board=board, date="2031-03-06").exists()

    page.get_by_role("link", name="or record the minutes").first.click()
    page.get_by_label("Decisions and actions from the minutes").fill("Decision: recovery plan agreed.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision: recovery plan agreed.")).to_be_visible()
