"""Server-rendered SVG charts: stacked bars and line charts, each with a title, a summary and its data.

Our own small module rather than pygal or matplotlib: pygal puts a <style> element and script references in
its SVG (refused by our strict CSP when inlined in a page), and matplotlib is heavy for four shapes. Every
chart here is plain SVG with presentation attributes only (no CSS, no script, no external reference), so the
same markup is inlined in HTML pages and in WeasyPrint PDFs. Colour is never the only carrier: bar segments
carry their count as text and follow the legend's order, lines differ by dash pattern and marker shape, and
the data is always given as a table beside the picture.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# Fill, and the text colour that reads on it (contrast at least 4.5:1). Dark outlines on every shape give
# the 3:1 non-text contrast against the white background whatever the fill.
PALETTE = {
    "blue": ("#1d70b8", "#ffffff"),
    "green": ("#00703c", "#ffffff"),
    "amber": ("#f47738", "#0b0c0c"),
    "red": ("#d4351c", "#ffffff"),
    "grey": ("#b1b4b6", "#0b0c0c"),
    "none": ("#ffffff", "#0b0c0c"),
    "black": ("#0b0c0c", "#ffffff"),
    "purple": ("#4c2c92", "#ffffff"),
}
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
# Line styles: dash pattern and marker shape, so series differ without colour.
DASHES = {"solid": "", "dashed": "8 4", "dotted": "2 4", "dashdot": "10 4 2 4"}
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class BarSeries:
    """One segment kind of a stacked bar (e.g. "On track"), with a value for each category."""

    name: str
    colour: str
    values: Sequence[Number]


@dataclass(frozen=True)
class LineSeries:
    """A line (or, with `line=False`, a set of markers) of (date, value) points."""

    name: str
    points: Sequence[tuple[datetime.date, Number]]
    colour: str = "black"
    dash: str = "solid"
    marker: str = "circle"
    line: bool = True
    # Words added to a point's label and data cell, by date: e.g. the period a national figure refers to.
    notes: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ReferenceLine:
    """A labelled horizontal line across the plot, e.g. the baseline or the final target."""

    name: str
    value: Number
    dash: str = "dotted"


@dataclass(frozen=True)
class Chart:
    """What a page needs to show a chart accessibly: the SVG, its words and its data as a table."""

    id: str
    title: str
    summary: str
    svg: SafeString
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[str]]] = field(default_factory=tuple)


def format_number(value: Number | None) -> str:
    if value is None:
        return "–"
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:.1f}".rstrip("0").rstrip(".")


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _svg(chart_id: str, title: str, summary: str, width: int, height: int, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" id="{escape(chart_id)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="13" fill="{INK}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(summary)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value above is escaped


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values covering low..high (e.g. 0, 20, 40, 60, 80, 100)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def stacked_bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    summary: str = "",
    horizontal: bool = True,
    category_heading: str = "",
) -> Chart:
    """Return a stacked bar chart: one bar per category, one segment per series, each labelled with its count.

    Horizontal bars suit long category names (plans, priorities); vertical columns suit periods of time.
    """
    totals = [sum(float(s.values[i]) for s in series) for i in range(len(categories))]
    top = max(totals, default=0) or 1
    body: list[str] = []
    if horizontal:
        label_width, bar_height, gap, width = 250, 26, 12, 760
        plot_left, plot_right = label_width + 10, width - 50
        legend_y = 18
        plot_top = 44
        height = plot_top + len(categories) * (bar_height + gap) + 10
        scale = (plot_right - plot_left) / top
        for index, category in enumerate(categories):
            y = plot_top + index * (bar_height + gap)
            body.append(
                f'<text x="{label_width}" y="{y + bar_height / 2 + 4}" text-anchor="end">'
                f"<title>{escape(category)}</title>{escape(_truncate(category, 36))}</text>"
            )
            x = plot_left
            for item in series:
                value = float(item.values[index])
                if not value:
                    continue
                length = value * scale
                body.append(_segment(item, category, value, x, y, length, bar_height))
                x += length
            body.append(
                f'<text x="{x + 6}" y="{y + bar_height / 2 + 4}" class="chart__total">'
                f"{format_number(totals[index])}</text>"
            )
    else:
        width, left, right, plot_top, bottom = 760, 50, 20, 44, 50
        legend_y = 18
        plot_height = 240
        height = plot_top + plot_height + bottom
        step = (width - left - right) / max(len(categories), 1)
        bar_width = min(48, step * 0.7)
        ticks = nice_ticks(0, top)
        scale = plot_height / ticks[-1]
        body.extend(_y_axis(ticks, left, width - right, plot_top + plot_height, scale))
        label_every = max(1, math.ceil(len(categories) * 70 / (width - left - right)))
        for index, category in enumerate(categories):
            x = left + index * step + (step - bar_width) / 2
            y = plot_top + plot_height
            for item in series:
                value = float(item.values[index])
                if not value:
                    continue
                length = value * scale
                y -= length
                body.append(_segment(item, category, value, x, y, bar_width, length, vertical=True))
            if index % label_every == 0 or index == len(categories) - 1:
                body.append(
                    f'<text x="{x + bar_width / 2:.1f}" y="{plot_top + plot_height + 18}" '
                    f'text-anchor="middle" font-size="12">{escape(_truncate(category, 10))}</text>'
                )
    body.extend(_bar_legend(series, 10, legend_y))
    columns = [category_heading, *(s.name for s in series), "Total"]
    rows = [
        (category, [*(format_number(s.values[i]) for s in series), format_number(totals[i])])
        for i, category in enumerate(categories)
    ]
    summary = summary or _bar_summary(categories, series, totals)
    return Chart(chart_id, title, summary, _svg(chart_id, title, summary, width, height, body), columns, rows)


def _segment(
    item: BarSeries,
    category: str,
    value: float,
    x: float,
    y: float,
    w: float,
    h: float,
    vertical: bool = False,
) -> str:
    fill, text = PALETTE[item.colour]
    label = f"{category}: {item.name} {format_number(value)}"
    parts = [
        f'<g><title>{escape(label)}</title><rect class="chart__bar" data-series="{escape(item.name)}" '
        f'data-value="{format_number(value)}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
        f'fill="{fill}" stroke="{INK}"/>'  # SVG's default stroke width is 1: not repeated on every bar
    ]
    if w >= 18 and h >= 16:
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" fill="{text}" '
            f'font-weight="bold" aria-hidden="true">{format_number(value)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _bar_legend(series: Sequence[BarSeries], x: float, y: float) -> list[str]:
    body = []
    for item in series:
        fill, _ = PALETTE[item.colour]
        body.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{fill}" '
            f'stroke="{INK}" stroke-width="1"/>'
            f'<text x="{x + 20}" y="{y}">{escape(item.name)}</text>'
        )
        x += 34 + 7.5 * len(item.name)
    return body


def _bar_summary(categories: Sequence[str], series: Sequence[BarSeries], totals: list[float]) -> str:
    overall = {s.name: sum(float(v) for v in s.values) for s in series}
    parts = ", ".join(f"{format_number(n)} {name.lower()}" for name, n in overall.items() if n)
    return f"{format_number(sum(totals))} in all across {len(categories)} bars: {parts or 'none'}."


def _y_axis(
    ticks: list[float], left: float, right: float, bottom: float, scale: float, base=0.0
) -> list[str]:
    body = []
    for tick in ticks:
        y = bottom - (tick - base) * scale
        body.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}">'
            f"{format_number(tick)}</text>"
        )
    return body


def line_chart(
    chart_id: str,
    title: str,
    series: Sequence[LineSeries],
    *,
    references: Sequence[ReferenceLine] = (),
    summary: str = "",
    unit_suffix: str = "",
    date_format: str = "%b %Y",
) -> Chart:
    """Return a line chart over dates; markers and dashes tell series apart, reference lines are labelled."""
    width, left, right, plot_top, bottom = 760, 56, 150, 44, 44
    plot_height = 240
    height = plot_top + plot_height + bottom
    dates = sorted({d for s in series for d, _ in s.points})
    values = [float(v) for s in series for _, v in s.points] + [float(r.value) for r in references]
    body: list[str] = []
    if dates and values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or 1
        floor = 0.0 if low >= 0 and low - pad < 0 else low - pad
        ticks = nice_ticks(floor, high + pad)
        base, scale = ticks[0], plot_height / (ticks[-1] - ticks[0])
        y_bottom = plot_top + plot_height
        body.extend(_y_axis(ticks, left, width - right, y_bottom, scale, base))
        first, last = dates[0], dates[-1]
        span = max((last - first).days, 1)
        plot_width = width - left - right

        def x_of(day: datetime.date) -> float:
            return left + (day - first).days / span * plot_width if len(dates) > 1 else left + plot_width / 2

        def y_of(value: Number) -> float:
            return y_bottom - (float(value) - base) * scale

        last_label = -math.inf
        for index, day in enumerate(dates):
            # Labels at least 70px apart (the last one always shown), so they never overlap.
            is_last = index == len(dates) - 1
            if x_of(day) - last_label >= 70 and (is_last or x_of(dates[-1]) - x_of(day) >= 70):
                last_label = x_of(day)
                body.append(
                    f'<text x="{x_of(day):.1f}" y="{y_bottom + 18}" text-anchor="middle" font-size="12" '
                    f'fill="{MUTED}">{day.strftime(date_format)}</text>'
                )
        for reference in references:
            y = y_of(reference.value)
            body.append(
                f'<g class="chart__reference">'
                f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="{DASHES[reference.dash]}"/>'
                f'<text x="{width - right + 6}" y="{y + 4:.1f}" font-size="12">'
                f"{escape(reference.name)} {format_number(reference.value)}{escape(unit_suffix)}</text></g>"
            )
        for item in series:
            colour, _ = PALETTE[item.colour]
            points = [(x_of(d), y_of(v), d, v) for d, v in sorted(item.points)]
            if item.line and len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
                dash = DASHES[item.dash]
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f"{f' stroke-dasharray={chr(34)}{dash}{chr(34)}' if dash else ''}/>"
                )
            for x, y, day, value in points:
                label = f"{item.name}, {day.strftime(date_format)}: {format_number(value)}{unit_suffix}"
                if day in item.notes:
                    label += f" ({item.notes[day]})"
                body.append(f"<g><title>{escape(label)}</title>{_marker(item, x, y, colour)}</g>")
        body.extend(_line_legend(series, 10, 18))
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
    return Chart(chart_id, title, summary, _svg(chart_id, title, summary, width, height, body), columns, rows)


def _marker(item: LineSeries, x: float, y: float, colour: str) -> str:
    common = (
        f'class="chart__point" data-series="{escape(item.name)}" fill="{colour}" '
        f'stroke="{INK}" stroke-width="1"'
    )
    if item.marker == "square":
        return f'<rect {common} x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9"/>'
    if item.marker == "diamond":
        return (
            f'<path {common} d="M{x:.1f} {y - 6.5:.1f} L{x + 6.5:.1f} {y:.1f} '
            f'L{x:.1f} {y + 6.5:.1f} L{x - 6.5:.1f} {y:.1f} Z"/>'
        )
    if item.marker == "triangle":
        return (
            f'<path {common} d="M{x:.1f} {y - 6:.1f} L{x + 6:.1f} {y + 5:.1f} L{x - 6:.1f} {y + 5:.1f} Z"/>'
        )
    return f'<circle {common} cx="{x:.1f}" cy="{y:.1f}" r="4.5"/>'


def _line_legend(series: Sequence[LineSeries], x: float, y: float) -> list[str]:
    body = []
    for item in series:
        colour, _ = PALETTE[item.colour]
        dash = DASHES[item.dash]
        sample = (
            f'<line x1="{x}" x2="{x + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5"'
            f"{f' stroke-dasharray={chr(34)}{dash}{chr(34)}' if dash else ''}/>"
            if item.line
            else ""
        )
        marker = _marker(item, x + 14, y - 4, colour).replace('class="chart__point"', 'class="chart__key"')
        body.append(f'<g>{sample}{marker}<text x="{x + 36}" y="{y}">{escape(item.name)}</text></g>')
        x += 48 + 7.5 * len(item.name)
    return body
