"""Scrutiny reads the dashboards by clicking through them; a plan lead records a KPI value in the grid."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from actions.models import Measure, MeasureValue
from reports.dashboards import month_ends
from tests.browser.clicking import fill_date, sign_in
from tests.browser.page_checks import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_councillor_lands_on_the_overview_and_clicks_through_every_dashboard(page, live_server, demo_data):
    sign_in(page, live_server.url, "scrutiny")

    assert urlsplit(page.url).path == "/dashboard/"
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.get_by_role("heading", name="Overdue or off track")).to_be_visible()
    # The default "changed since" is the demo's last scrutiny committee meeting.
    expect(page.get_by_text("Since the last meeting of the Children's Services Overview")).to_be_visible()

    page.get_by_role("link", name="SEND improvement plan (illustrative)").first.click()
    expect(page.locator("h1")).to_have_text("SEND improvement plan (illustrative)")
    expect(page.locator("svg.chart__svg").first).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Overview").click()

    page.get_by_role("link", name="Key performance indicators").click()
    expect(page.locator("h1")).to_have_text("Key performance indicators")
    data = page.locator("main details").first
    expect(data.locator("table")).to_be_hidden()
    data.locator("summary").click()
    expect(data.locator("table")).to_be_visible()

    page.get_by_role("link", name="Trends").click()
    expect(page.locator("h1")).to_have_text("Trends")
    assert page.locator("svg.chart__svg").count() >= 2  # the plan in delivery and the framework
    # Nothing on these pages writes: the only form that posts is "Sign out".
    assert page.locator("form[method=post]").count() == 1


def test_the_changed_since_date_picker_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "scrutiny")

    fill_date(page, "Show changes since", "2019-01-01")
    page.get_by_role("button", name="Show changes").click()

    expect(page.get_by_role("heading", name="What changed since 1 January 2019")).to_be_visible()
    context.close()


def test_a_plan_lead_records_this_months_value_in_the_grid(page, live_server, demo_data):
    measure = Measure.objects.order_by("order").first()
    sign_in(page, live_server.url, "lead")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Key performance indicators").click()

    page.get_by_role("link", name=f"Record values for {measure.name}").click()
    latest = month_ends(datetime.date.today(), 1)[0]
    page.get_by_label(f"Value, {latest:%B %Y}", exact=True).fill("72.5")
    page.get_by_role("button", name="Save values").click()

    expect(page.get_by_text(f"1 value saved for {measure.name}.")).to_be_visible()
    assert measure.values.get(period_end=latest).value == Decimal("72.5")
    assert measure.values.get(period_end=latest).recorded_by.username == "lead"


def test_a_plan_lead_records_two_measures_in_the_grid_of_every_measure(page, live_server, demo_data):
    first, second = Measure.objects.order_by("order", "name")[:2]
    latest = month_ends(datetime.date.today(), 1)[0]
    before = list(MeasureValue.objects.order_by("pk").values_list("value", "national"))
    sign_in(page, live_server.url, "lead")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Key performance indicators").click()

    page.get_by_role("link", name="Record values for every measure").click()
    expect(page.locator("h1")).to_have_text("Record values for every measure")
    assert_accessible(page)
    page.get_by_label(f"{first.name}, {latest:%B %Y}", exact=True).fill("abc")
    page.get_by_label(f"{second.name}, national figure, {latest:%B %Y}", exact=True).fill("48.13")
    page.get_by_role("button", name="Save all values").click()

    # A bad figure: the error summary links to its cell, and nothing was saved.
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.get_by_role("link", name=f"{first.name}, {latest:%B %Y}: Enter a number.").click()
    expect(page.get_by_label(f"{first.name}, {latest:%B %Y}", exact=True)).to_be_focused()
    assert list(MeasureValue.objects.order_by("pk").values_list("value", "national")) == before

    page.get_by_label(f"{first.name}, {latest:%B %Y}", exact=True).fill("71.37")
    page.get_by_role("button", name="Save all values").click()

    expect(page.get_by_text("Saved 2 figures for 2 measures.")).to_be_visible()
    assert first.values.get(period_end=latest).value == Decimal("71.37")
    assert second.values.get(period_end=latest).national == Decimal("48.13")


def test_a_plan_lead_moves_the_grid_to_later_measures_and_records_one_there(page, live_server, demo_data):
    plan = Measure.objects.order_by("order").first().plan
    for n in range(1, 7):
        Measure.objects.create(name=f"Added measure {n}", plan=plan, higher_is_better=True, order=100 + n)
    last = Measure.objects.get(name="Added measure 6")
    latest = month_ends(datetime.date.today(), 1)[0]
    sign_in(page, live_server.url, "lead")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Key performance indicators").click()
    page.get_by_role("link", name="Record values for every measure").click()

    page.get_by_label("Months shown").select_option("12")
    page.get_by_role("button", name="Show measures").click()
    expect(page.get_by_label(f"{last.name}, {latest:%B %Y}", exact=True)).to_have_count(0)
    while page.get_by_role("link", name="Next measures").count():
        page.get_by_role("link", name="Next measures").click()
    assert_accessible(page)
    page.get_by_label(f"{last.name}, {latest:%B %Y}", exact=True).fill("12")
    page.get_by_role("button", name="Save all values").click()

    expect(page.get_by_text("Saved 1 figure for 1 measure.")).to_be_visible()
    expect(page.get_by_label(f"{last.name}, {latest:%B %Y}", exact=True)).to_have_value("12")
    assert last.values.get(period_end=latest).value == Decimal("12")


@pytest.fixture
def two_plans_and_a_long_priority(transactional_db):
    from core import roles
    from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_user, rag_level

    scale = make_brag_scale()
    officer = make_user("officer", roles.OFFICER)
    wsoa, strategy = make_plan(title="Written Statement of Action"), make_plan(title="SEND strategy")
    records = make_priority(wsoa, number="1", title="Records")
    for index in range(1, 13):
        make_action(records, [officer], reference=f"1.{index}", order=index, rag=rag_level(scale, "green"))
    make_action(make_priority(strategy, number="1", title="Short breaks"), [officer], reference="1.1")
    make_user("councillor", roles.SCRUTINY_MEMBER)
    return wsoa, strategy


def test_a_councillor_compares_plans_pages_a_priority_and_opens_one_plans_trend(
    page, live_server, login, two_plans_and_a_long_priority
):
    wsoa, strategy = two_plans_and_a_long_priority
    login("councillor")

    # The overview compares the plans in one chart, with the numbers in a table beside it.
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#plans-rag")).to_be_visible()
    assert_accessible(page)
    numbers = page.get_by_role("table", name="Actions by delivery RAG, per plan")
    numbers.get_by_role("link", name="Written Statement of Action").click()
    expect(page.locator("h1")).to_have_text("Written Statement of Action")

    # The priority's twelve actions come ten to a page; its "Next" keeps to that priority's list.
    actions = page.get_by_role("table", name="Actions of priority 1")
    expect(actions.locator("tbody tr")).to_have_count(10)
    page.get_by_role("link", name="Next page of actions of priority 1").click()
    expect(page.get_by_text("Showing 11 to 12 of 12.")).to_be_visible()
    expect(actions.locator("tbody tr")).to_have_count(2)
    expect(actions.get_by_role("link", name="Action 1.12")).to_be_visible()
    assert page.url.endswith(f"#priority-{wsoa.priorities.get(number='1').pk}-actions")
    assert_accessible(page)

    # Trends adds every plan up; each plan's own trend is a link away.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Trends").click()
    expect(page.locator("#plans-trend")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="SEND strategy").click()
    expect(page.locator(f"#plan-{strategy.pk}-trend")).to_be_visible()
    expect(page.locator("#plans-trend")).to_have_count(0)
