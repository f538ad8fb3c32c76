"""The SVG chart module: well-formed XML, a title and description, one shape per datum, no CSS or script."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from reports.charts import BarSeries, LineSeries, ReferenceLine, nice_ticks, stacked_bar_chart
from reports.line_charts import line_chart
from tests.reports.pages import SVG, bars, points


def _parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_stacked_bar_chart_has_a_segment_for_every_non_zero_value(horizontal):
    series = [BarSeries("On track", "green", [3, 0, 2]), BarSeries("Off track", "red", [1, 4, 0])]

    chart = stacked_bar_chart(
        "c1", "Actions by RAG", ["Plan", "Priority 1", "Priority 2"], series, horizontal=horizontal
    )

    svg = _parse(chart)
    assert sorted(bars(svg)) == sorted([("On track", 3), ("On track", 2), ("Off track", 1), ("Off track", 4)])
    assert svg.find(f"{SVG}title").text == "Actions by RAG"
    assert svg.find(f"{SVG}desc").text == chart.summary
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"


def test_a_bar_chart_gives_its_data_as_rows_with_totals():
    series = [BarSeries("Green", "green", [3, 1]), BarSeries("Red", "red", [1, 0])]

    chart = stacked_bar_chart("c2", "Ratings", ["Feb 18", "Mar 18"], series, category_heading="Round")

    assert chart.columns == ["Round", "Green", "Red", "Total"]
    assert chart.rows == [("Feb 18", ["3", "1", "4"]), ("Mar 18", ["1", "0", "1"])]
    assert chart.summary == "5 in all across 2 bars: 4 green, 1 red."


def test_segments_carry_their_count_as_text_not_only_colour():
    chart = stacked_bar_chart("c3", "T", ["Plan"], [BarSeries("On track", "green", [7])])

    texts = [t.text for t in _parse(chart).iter(f"{SVG}text")]
    assert "7" in texts
    assert "On track" in texts  # the legend names the colour


def test_a_line_chart_has_a_marker_per_point_and_labelled_reference_lines():
    days = [datetime.date(2026, m, 28) for m in range(1, 6)]
    chart = line_chart(
        "c4",
        "Timeliness",
        [
            LineSeries("Value", list(zip(days, [50, 55, 53, 60, 62], strict=True)), "blue"),
            LineSeries("National", [(days[0], 58), (days[3], 59)], "black", dash="dashed", marker="square"),
            LineSeries("Milestone target", [(days[2], 55)], "purple", marker="diamond", line=False),
        ],
        references=[ReferenceLine("Baseline", 48), ReferenceLine("Final target", 70, dash="dashdot")],
        unit_suffix="%",
    )

    svg = _parse(chart)
    assert points(svg, "Value") == 5
    assert points(svg, "National") == 2
    assert points(svg, "Milestone target") == 1
    assert len(svg.findall(f"{SVG}polyline")) == 2  # targets are markers only
    references = [
        " ".join(t.text for t in g.iter(f"{SVG}text"))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "chart__reference"
    ]
    assert references == ["Baseline 48%", "Final target 70%"]
    assert chart.columns == ["Period", "Value", "National", "Milestone target"]
    assert chart.rows[0] == ("Jan 2026", ["50", "58", "–"])


def test_an_empty_line_chart_is_still_a_valid_svg():
    chart = line_chart("c5", "Nothing yet", [LineSeries("Value", [])])

    svg = _parse(chart)
    assert points(svg, "Value") == 0
    assert chart.rows == []


def test_charts_use_no_css_script_or_external_reference():
    chart = line_chart("c6", "T", [LineSeries("Value", [(datetime.date(2026, 1, 1), 1)])])
    bar = stacked_bar_chart("c7", "T", ["A"], [BarSeries("X", "amber", [1])])

    for markup in (str(chart.svg), str(bar.svg)):
        assert "<style" not in markup
        assert "style=" not in markup
        assert "<script" not in markup
        assert "href" not in markup


def test_names_are_escaped():
    chart = stacked_bar_chart("c8", "<b>T</b>", ["<script>"], [BarSeries("A & B", "green", [1])])

    svg = _parse(chart)  # parses, so nothing broke out of its element
    assert svg.find(f"{SVG}title").text == "<b>T</b>"
    assert "<script>" not in str(chart.svg)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0, 18, [0, 5, 10, 15, 20]), (40, 90, [40, 50, 60, 70, 80, 90]), (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1])],
)
def test_ticks_are_round_numbers_covering_the_range(low, high, expected):
    assert nice_ticks(low, high) == expected


def test_the_same_svg_renders_in_a_weasyprint_pdf():
    from io import BytesIO

    from pypdf import PdfReader
    from weasyprint import HTML

    chart = stacked_bar_chart("c9", "Actions by RAG", ["Whole plan"], [BarSeries("On track", "green", [12])])
    html = f"<html lang='en'><body><h1>Appendix</h1>{chart.svg}<p>{chart.summary}</p></body></html>"

    pdf = HTML(string=html).write_pdf()

    assert pdf.startswith(b"%PDF")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Whole plan" in text  # the SVG's own text was drawn, not dropped
    assert "12" in text


# Issue #31: readable at every width, labels whole, units on the axes, numbers on every segment, red hatched,
# and distant national figures beyond an axis break.

LONG = "Priority 1: Improve the timeliness and quality of EHC plans across the local area partnership"


def _both(chart) -> list[ET.Element]:
    return [ET.fromstring(str(chart.svg)), ET.fromstring(str(chart.narrow_svg))]


def _texts(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}text"))


def _bar_chart(horizontal=True):
    series = [
        BarSeries("On track", "green", [30, 1, 12]),
        BarSeries("At risk", "amber", [5, 1, 1]),
        BarSeries("Off track", "red", [3, 2, 1]),
    ]
    return stacked_bar_chart("c10", "RAG", ["Whole plan", LONG, "Priority 2"], series, horizontal=horizontal)


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_chart_is_drawn_wide_and_narrow_with_no_text_under_12_px(horizontal):
    charts = [
        _bar_chart(horizontal),
        line_chart("c11", "T", [LineSeries("Value", [(datetime.date(2026, m, 1), m) for m in range(1, 13)])]),
    ]

    for chart in charts:
        wide, narrow = _both(chart)
        assert (wide.get("width"), narrow.get("width")) == ("760", "288")
        assert narrow.get("id") == f"{chart.id}-narrow"
        for svg in (wide, narrow):
            sizes = [float(t.get("font-size") or svg.get("font-size")) for t in _texts(svg)]
            assert min(sizes) >= 12


@pytest.mark.parametrize("horizontal", [True, False])
def test_every_bar_segment_carries_its_number_and_red_is_hatched(horizontal):
    for svg in _both(_bar_chart(horizontal)):
        texts = [t.text for t in _texts(svg)]
        segments = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "chart__bar"]
        for value in ("1", "2", "3", "5", "12", "30"):
            wanted = sum(1 for _, number in bars(svg) if str(number) == value)
            assert texts.count(value) >= wanted, (value, texts)
        hatched = {p.get("data-series") for p in segments if p.get("data-pattern") == "hatched"}
        assert hatched == {"Off track"}
        assert all(p.get("fill").startswith("url(#") for p in segments if p.get("data-series") == "Off track")
        assert svg.find(f"{SVG}defs/{SVG}pattern") is not None


def test_long_names_are_wrapped_whole_never_cut_off():
    for svg in _both(_bar_chart()):
        text = " ".join(t.text for t in _texts(svg) if t.text)
        assert " ".join(LONG.split()) in " ".join(text.split())
        assert "…" not in text


def test_axes_name_their_units():
    line = line_chart("c12", "T", [LineSeries("Value", [(datetime.date(2026, 1, 1), 1)])], unit_suffix="%")
    days = line_chart("c13", "T", [LineSeries("Value", [(datetime.date(2026, 1, 1), 1)])], unit_label="Weeks")

    for svg in _both(line):
        assert {"Per cent", "Period ending"} <= {t.text for t in _texts(svg)}
    assert "Weeks" in {t.text for t in _texts(_both(days)[0])}
    for svg in _both(_bar_chart(horizontal=False)):
        assert any("number of actions" in (t.text or "").lower() for t in _texts(svg))


def test_distant_national_points_sit_beyond_an_axis_break_and_do_not_squash_the_months():
    months = [datetime.date(2025, m, 28) for m in range(1, 13)]
    national = [(datetime.date(2017, 12, 31), 64.9), (datetime.date(2019, 12, 31), 58.7)]
    chart = line_chart(
        "c14",
        "T",
        [
            LineSeries("Value", [(d, 40 + i) for i, d in enumerate(months)], "blue"),
            LineSeries("National", national, "black", marker="square", context=True),
        ],
    )

    for svg in _both(chart):
        width = float(svg.get("width"))
        xs = {
            series: sorted(
                float(p.get("cx") or p.get("x"))
                for g in svg.iter(f"{SVG}g")
                if g.get("class") == "chart__points" and g.get("data-series") == series
                for p in g
            )
            for series in ("Value", "National")
        }
        assert len(xs["National"]) == 2 and max(xs["National"]) < min(xs["Value"])
        assert xs["Value"][-1] - xs["Value"][0] > 0.45 * width  # the months keep most of the width
        assert any(g.get("class") == "chart__break" for g in svg.iter(f"{SVG}g"))
        assert {"2017", "2019"} <= {t.text for t in _texts(svg)}
    assert [row[0] for row in chart.rows][:2] == ["Dec 2017", "Dec 2019"]  # the data table keeps them all
