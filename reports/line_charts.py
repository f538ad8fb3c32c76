"""Line charts over time (KPIs against their targets and comparators), laid out as shapes for
jinja2/reports/_chart.svg like the bar charts in reports/charts.py, whose conventions they follow.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from reports.charts import (
    DASHES,
    INK,
    MARKERS,
    MUTED,
    NARROW,
    PALETTE,
    WIDE,
    Chart,
    Drawing,
    LineSeries,
    ReferenceLine,
    _axis_labels,
    _fmt,
    _legend,
    _text,
    _y_axis,
    format_number,
    nice_ticks,
)


def line_chart(
    chart_id: str,
    title: str,
    series: Sequence[LineSeries],
    *,
    references: Sequence[ReferenceLine] = (),
    summary: str = "",
    unit_suffix: str = "",
    unit_label: str = "",
    date_format: str = "%b %Y",
) -> Chart:
    """Return a line chart over dates; markers and dashes tell series apart, reference lines are labelled.

    `unit_label` names the vertical axis (e.g. "Per cent", "Days"); the horizontal axis is the period's end.
    """
    dates = sorted({d for s in series for d, _ in s.points})
    unit_label = unit_label or ("Per cent" if unit_suffix == "%" else "Value")
    wide = _lines(series, references, unit_suffix, unit_label, date_format, WIDE, 12)
    narrow = _lines(series, references, unit_suffix, unit_label, date_format, NARROW, 13)
    columns = ["Period", *(s.name for s in series)]
    by_series = [{d: v for d, v in s.points} for s in series]

    def cell(item: LineSeries, values: dict, day: datetime.date) -> str:
        text = format_number(values.get(day))
        return f"{text} ({item.notes[day]})" if day in values and day in item.notes else text

    rows = [
        (
            d.strftime(date_format),
            [cell(item, values, d) for item, values in zip(series, by_series, strict=True)],
        )
        for d in dates
    ]
    summary = summary or f"{len(dates)} periods, {len(series)} series."
    return Chart(chart_id, title, summary, wide, narrow, columns, rows)


def _time_axis(series: Sequence[LineSeries]) -> tuple[list[datetime.date], list[datetime.date], list]:
    """Return the dates on the continuous axis, and the context dates drawn before and after its breaks."""
    dates = sorted({d for s in series for d, _ in s.points})
    anchored = sorted({d for s in series if not s.context for d, _ in s.points})
    if len(anchored) < 2:
        return dates, [], []
    first, last = anchored[0], anchored[-1]
    slack = datetime.timedelta(days=max(45, (last - first).days // 10))
    before = [d for d in dates if d < first - slack]
    after = [d for d in dates if d > last + slack]
    main = [d for d in dates if d not in before and d not in after]
    return main, before, after


def _lines(
    series, references, suffix: str, unit_label: str, date_format: str, width: int, size: int
) -> Drawing:
    narrow = width < WIDE
    key_items = [(item.name, _key(item)) for item in series]
    shapes, legend_bottom = _legend(key_items, width, size, 4)
    plot_top = legend_bottom + size * 2.6
    shapes.append(_text(8, plot_top - size * 0.9, unit_label, fill=MUTED, cls="chart__unit"))
    plot_height = 200 if narrow else 240
    left = 44 if narrow else 56
    right = 12 if narrow else 150
    y_bottom = plot_top + plot_height
    main, before, after = _time_axis(series)
    dates = before + main + after
    values = [float(v) for s in series for _, v in s.points] + [float(r.value) for r in references]
    if not (main and values):
        return Drawing(width, math.ceil(y_bottom + 50), size, shapes)
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or 1
    floor = 0.0 if low >= 0 and low - pad < 0 else low - pad
    ticks = nice_ticks(floor, high + pad, 4 if narrow else 5)
    base, scale = ticks[0], plot_height / (ticks[-1] - ticks[0])
    slot, gap = (40 if narrow else 56), 18
    plot_left = left + (len(before) * slot + gap if before else 0)
    plot_right = width - right - (len(after) * slot + gap if after else 0)
    shapes.extend(_y_axis(ticks, left, width - right, y_bottom, scale, base))
    first, last = main[0], main[-1]
    span = max((last - first).days, 1)
    positions = {}
    for index, day in enumerate(before):
        positions[day] = left + slot * (index + 0.5)
    for index, day in enumerate(after):
        positions[day] = plot_right + gap + slot * (index + 0.5)
    for day in main:
        positions[day] = (
            plot_left + (day - first).days / span * (plot_right - plot_left)
            if len(main) > 1
            else (plot_left + plot_right) / 2
        )

    def y_of(value) -> float:
        return y_bottom - (float(value) - base) * scale

    for edge in ([plot_left - gap / 2] if before else []) + ([plot_right + gap / 2] if after else []):
        shapes.append({"kind": "break", "x": _fmt(edge), "y": _fmt(y_bottom), "top": _fmt(plot_top)})
    # Beyond a break each point is labelled with its year; on the axis, as many periods as fit.
    labels = [(positions[d], d.strftime("%Y" if d in before or d in after else date_format)) for d in dates]
    shapes.extend(_axis_labels(sorted(labels), y_bottom + 18, width))
    shapes.append(
        _text((plot_left + plot_right) / 2, y_bottom + 40, "Period ending", anchor="middle", fill=MUTED)
    )
    labels_on_top = []
    for reference in references:
        y = y_of(reference.value)
        name = f"{reference.name} {format_number(reference.value)}{suffix}"
        label = _text(width - right + 6, y + 4, name, size=12)
        if narrow:  # above the line, inside the plot, drawn over the points with a white halo
            label = _text(plot_right - 2, y - 5, name, anchor="end", size=12, halo=True)
        line = {
            "kind": "line",
            "x1": _fmt(left),
            "x2": _fmt(width - right),
            "y1": _fmt(y),
            "y2": _fmt(y),
            "stroke": INK,
            "width": "1.5",
            "dash": DASHES[reference.dash],
        }
        if narrow:
            shapes.append({"kind": "group", "cls": "chart__reference", "children": [line]})
            labels_on_top.append({"kind": "group", "cls": "chart__reference", "children": [label]})
        else:
            shapes.append({"kind": "group", "cls": "chart__reference", "children": [line, label]})
    for item in series:
        points = [(positions[d], y_of(v), d, v) for d, v in sorted(item.points)]
        shapes.extend(_plotted(item, points, set(before + after)))
    shapes.extend(labels_on_top)
    return Drawing(width, math.ceil(y_bottom + 50), size, shapes)


def _plotted(item: LineSeries, points: list, broken: set) -> list[dict]:
    """Return a series' line (not across an axis break) and its markers, in one group of the series' fill.

    No tooltip a marker: the chart's data table gives every value (with its note) in words.
    """
    colour, _ = PALETTE[item.colour]
    shapes = []
    joined = [(x, y) for x, y, day, _ in points if day not in broken]
    if item.line and len(joined) > 1:
        path = " ".join(f"{x:.0f},{y:.0f}" for x, y in joined)
        shapes.append({"kind": "polyline", "points": path, "stroke": colour, "dash": DASHES[item.dash]})
    markers = [_marker(item, x, y) for x, y, _, _ in points]
    shapes.append(
        {"kind": "markers", "cls": "chart__points", "series": item.name, "fill": colour, "children": markers}
    )
    return shapes


def _marker(item: LineSeries, x: float, y: float) -> dict:
    shape = item.marker if item.marker in MARKERS else "circle"
    marker = {"kind": "marker", "shape": shape, "x": _fmt(x), "y": _fmt(y)}
    if shape == "square":
        marker.update(x=_fmt(x - 4.5), y=_fmt(y - 4.5))
    elif shape == "diamond":
        marker["d"] = f"M{x:.0f} {y - 6.5:.0f}l6.5 6.5-6.5 6.5-6.5-6.5z"
    elif shape == "triangle":
        marker["d"] = f"M{x:.0f} {y - 6:.0f}l6 11h-12z"
    return marker


def _key(item: LineSeries) -> list[dict]:
    """Return a legend key for a series: a sample of its line and its marker, drawn from (0, 0)."""
    colour, _ = PALETTE[item.colour]
    key = []
    if item.line:
        key.append({"kind": "polyline", "points": "0,0 28,0", "stroke": colour, "dash": DASHES[item.dash]})
    key.append({"kind": "markers", "cls": "chart__key", "fill": colour, "children": [_marker(item, 14, 0)]})
    return key
