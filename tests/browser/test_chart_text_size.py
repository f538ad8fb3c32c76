"""Charts are redrawn for a phone, not shrunk: every text of every shown chart is at least 12 px on screen."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actions.models import ComparatorSeries, ComparatorValue, Measure
from tests.browser.clicking import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each chart shown (its wide or narrow drawing, whichever the media query shows): the smallest rendered
# text (computed font size times the SVG's scale on screen), any text outside the chart's box, and whether
# the chart fits the viewport.
MEASURE = """() => [...document.querySelectorAll('svg.chart__svg')].filter(svg => svg.getClientRects().length)
  .map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')];
    const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const outside = texts.filter(t => {
      const r = t.getBoundingClientRect();
      return r.width && (r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1);
    }).map(t => t.textContent);
    return {id: svg.id, smallest: Math.min(...sizes), outside, right: box.right, texts: texts.length};
  })"""


@pytest.fixture
def demo_data(demo_data):
    # A measure compared with a shared national series published years before its monthly values.
    measure = Measure.objects.current().order_by("pk").first()
    series = ComparatorSeries.objects.create(name="Plans issued within 20 weeks", source="DfE SEN2")
    for year, value in ((2017, "64.9"), (2019, "58.7")):
        ComparatorValue.objects.create(
            series=series,
            period_end=datetime.date(year, 12, 31),
            period_label=str(year),
            value=Decimal(value),
        )
    Measure.objects.filter(pk=measure.pk).update(comparator=series)
    return measure


@pytest.mark.parametrize("width", [375, 1280])
def test_chart_text_is_at_least_12_px_on_every_dashboard(page, live_server, demo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "scrutiny")

    seen = []
    plan = "SEND improvement plan (illustrative)"
    page.get_by_role("link", name=plan).first.click()
    # A click returns before the next page has loaded: measure only once its heading is on screen.
    expect(page.get_by_role("heading", level=1, name=plan)).to_be_visible()
    seen += page.evaluate(MEASURE)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Key performance indicators").click()
    expect(page.get_by_role("heading", level=1, name="Key performance indicators")).to_be_visible()
    seen += page.evaluate(MEASURE)
    page.get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", level=1, name="Trends")).to_be_visible()
    seen += page.evaluate(MEASURE)

    assert len(seen) >= 4, seen  # a plan's bars, KPI lines, a plan's and a framework's trend
    narrow = width < 800
    for chart in seen:
        assert chart["id"].endswith("-narrow") == narrow, chart
        assert chart["texts"] > 3, chart
        assert chart["smallest"] >= 12, chart
        assert chart["outside"] == [], chart
        assert chart["right"] <= width, chart
    assert f"measure-{demo_data.pk}{'-narrow' if narrow else ''}" in {chart["id"] for chart in seen}
