"""Server-rendered SVG charts: stacked bars and line charts, each with a title, a summary and its data.

Our own small module rather than pygal or matplotlib: pygal puts a <style> element and script references in
its SVG (refused by our strict CSP when inlined in a page), and matplotlib is heavy for four shapes. Python
lays a chart out as shapes (this module); jinja2/reports/_chart.svg writes them as plain SVG with presentation
attributes only (no CSS, no script, no external reference), so the same markup is inlined in HTML pages and in
WeasyPrint PDFs. Jinja2 because a KPI page draws hundreds of points.

Every chart is drawn twice: wide (760 px, for screens from 50em and the PDF) and narrow (288 px, chosen by a
CSS media query below 50em), so its text is never shown smaller than 12 px: a chart is redrawn for a phone,
not scaled down. Colour is never the only carrier: every bar segment carries its count as text, red segments
are hatched (amber and red differ by more than hue), lines differ by dash pattern and marker shape, and the
data is always given as a table beside the picture.

Bytes matter (a dashboard draws up to ten charts twice): a RAG series is one <path> (a subpath a segment),
the numbers and markers of a series sit in one <g> that carries their shared attributes, coordinates are
whole pixels, and no mark has its own <title> tooltip (the data table has every value in words).
"""

from __future__ import annotations

import datetime
import functools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template import engines
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
HATCHED = {"red"}  # filled with diagonal stripes as well as the colour
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
# Line styles: dash pattern and marker shape, so series differ without colour.
DASHES = {"solid": "", "dashed": "8 4", "dotted": "2 4", "dashdot": "10 4 2 4"}
MARKERS = ("circle", "square", "diamond", "triangle")

WIDE, NARROW = 760, 288
CHAR = 0.58  # a character's average width, in ems, for laying out labels of the system font
LINE = 1.35  # line height, in ems


@dataclass(frozen=True)
class BarSeries:
    """One segment kind of a stacked bar (e.g. "On track"), with a value for each category."""

    name: str
    colour: str
    values: Sequence[Number]


@dataclass(frozen=True)
class LineSeries:
    """A line (or, with `line=False`, a set of markers) of (date, value) points.

    A `context` series (a national comparator) does not set the time axis: its points far before or after
    the others are drawn beyond an axis break, so two old national figures do not squash a monthly series.
    """

    name: str
    points: Sequence[tuple[datetime.date, Number]]
    colour: str = "black"
    dash: str = "solid"
    marker: str = "circle"
    line: bool = True
    # Words added to a point's label and data cell, by date: e.g. the period a national figure refers to.
    notes: dict = field(default_factory=dict, compare=False)
    context: bool = False


@dataclass(frozen=True)
class ReferenceLine:
    """A labelled horizontal line across the plot, e.g. the baseline or the final target."""

    name: str
    value: Number
    dash: str = "dotted"


@dataclass
class Drawing:
    """One layout of a chart: its size, base font size and shapes (dicts with a `kind`, see _chart.svg)."""

    width: int
    height: float
    font_size: int
    shapes: list[dict]
    hatch: bool = False


@dataclass(frozen=True)
class Chart:
    """What a page needs to show a chart accessibly: the SVG (wide and narrow), its words and its data."""

    id: str
    title: str
    summary: str
    wide: Drawing
    narrow: Drawing
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[str]]] = field(default_factory=tuple)

    @property
    def svg(self) -> SafeString:
        """Return the wide SVG: the one printed, and shown on screens from 50em."""
        return _render(self, self.id, self.wide)

    @property
    def narrow_svg(self) -> SafeString:
        """Return the narrow SVG, shown on screens narrower than 50em."""
        return _render(self, f"{self.id}-narrow", self.narrow)


@functools.cache
def _template():
    return engines["jinja2"].env.get_template("reports/_chart.svg")


def _render(chart: Chart, svg_id: str, drawing: Drawing) -> SafeString:
    html = _template().render(
        id=svg_id, title=chart.title, summary=chart.summary, drawing=drawing, font=FONT, ink=INK
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping engine


def format_number(value: Number | None) -> str:
    if value is None:
        return "–"
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Return `text` in lines that fit `width` pixels: wrapped whole, never cut off."""
    return textwrap.wrap(text, max(8, int(width / (size * CHAR)))) or [""]


def _fmt(value: float) -> str:
    """Return a coordinate in whole pixels: a tenth of a pixel changes nothing on screen or paper."""
    return str(round(value))


def _text(x, y, text, *, anchor="start", size=None, fill=None, bold=False, cls="", halo=False) -> dict:
    return {
        "kind": "text",
        "x": _fmt(x),
        "y": _fmt(y),
        "text": text,
        "anchor": anchor,
        "size": size,
        "fill": fill,
        "bold": bold,
        "cls": cls,
        "halo": halo,
    }


def _legend(
    items: list[tuple[str, list[dict]]], width: float, size: int, top: float
) -> tuple[list[dict], float]:
    """Lay out legend entries (name, key shapes at x=0) in rows that fit `width`; return shapes, bottom."""
    shapes, x, y = [], 10.0, top + size
    for name, key in items:
        entry = 40 + _text_width(name, size)
        if x > 10 and x + entry > width - 10:
            x, y = 10.0, y + size * LINE + 4
        shapes.append({"kind": "group", "dx": _fmt(x), "dy": _fmt(y - size * 0.35), "children": key})
        shapes.append(_text(x + 36, y, name))
        x += entry + 14
    return shapes, y + size * 0.6


# Stacked bars


def stacked_bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    summary: str = "",
    horizontal: bool = True,
    category_heading: str = "",
    value_label: str = "Number of actions",
) -> Chart:
    """Return a stacked bar chart: one bar per category, one segment per series, each labelled with its count.

    Horizontal bars suit long category names (plans, priorities); vertical columns suit periods of time. On a
    narrow screen every bar chart is drawn horizontally with each name above its bar.
    """
    totals = [sum(float(s.values[i]) for s in series) for i in range(len(categories))]
    if horizontal:
        wide = _horizontal_bars(categories, series, totals, WIDE, 12, value_label, label_beside=True)
    else:
        wide = _columns(categories, series, totals, WIDE, 12, value_label, category_heading)
    narrow = _horizontal_bars(categories, series, totals, NARROW, 13, value_label, label_beside=False)
    columns = [category_heading, *(s.name for s in series), "Total"]
    rows = [
        (category, [*(format_number(s.values[i]) for s in series), format_number(totals[i])])
        for i, category in enumerate(categories)
    ]
    summary = summary or _bar_summary(categories, series, totals)
    return Chart(chart_id, title, summary, wide, narrow, columns, rows)


def _bar_legend(series: Sequence[BarSeries], width: float, size: int) -> tuple[list[dict], float]:
    items = [(item.name, [_rect(0, -7, 14, 14, item.colour, cls="chart__key")]) for item in series]
    return _legend(items, width, size, 4)


def _rect(x, y, w, h, colour, *, cls="") -> dict:
    fill, _ = PALETTE[colour]
    return {
        "kind": "rect",
        "x": _fmt(x),
        "y": _fmt(y),
        "w": _fmt(w),
        "h": _fmt(h),
        "fill": fill,
        "hatch": colour in HATCHED,
        "cls": cls,
    }


class _Segments:
    """Collect a chart's bar segments: one <path> per series (a subpath a segment), not a <rect> each.

    A segment's count goes inside it when it fits (white or black to read on the fill), else the caller puts
    it beside the bar. Ends are rounded to whole pixels, so neighbouring segments meet without a gap.
    """

    def __init__(self, series: Sequence[BarSeries]) -> None:
        self.series = series
        self.paths: list[list[str]] = [[] for _ in series]
        self.values: list[list[str]] = [[] for _ in series]
        self.labels: list[list[dict]] = [[] for _ in series]

    def add(self, index: int, value: float, x, y, w, h) -> bool:
        """Add a segment of series `index`; return whether its number fits inside it."""
        left, top, right, bottom = round(x), round(y), round(x + w), round(y + h)
        self.paths[index].append(f"M{left} {top}h{right - left}v{bottom - top}h{left - right}z")
        number = format_number(value)
        self.values[index].append(number)
        fits = w >= _text_width(number, 12) + 6 and h >= 15
        if fits:
            self.labels[index].append(_text(x + w / 2, y + h / 2 + 4, number))
        return fits

    def shapes(self) -> list[dict]:
        shapes = []
        for item, path, values, labels in zip(self.series, self.paths, self.values, self.labels, strict=True):
            if not path:
                continue
            fill, ink = PALETTE[item.colour]
            shapes.append(
                {
                    "kind": "bars",
                    "series": item.name,
                    "counts": " ".join(values),
                    "d": "".join(path),
                    "fill": fill,
                    "hatch": item.colour in HATCHED,
                }
            )
            if labels:
                shapes.append({"kind": "values", "fill": ink, "children": labels})
        return shapes


def _horizontal_bars(
    categories, series, totals, width: int, size: int, value_label: str, *, label_beside: bool
) -> Drawing:
    """Bars left to right; names beside the bars (wide) or above them (narrow), wrapped, never cut off."""
    shapes, legend_bottom = _bar_legend(series, width, size)
    shapes.append(_text(10, legend_bottom + size * 1.2, f"Bar length: {value_label.lower()}", fill=MUTED))
    top = legend_bottom + size * 2.2
    label_width = 250 if label_beside else width - 20
    plot_left = label_width + 10 if label_beside else 10
    plot_right = width - 10 - _text_width(format_number(max(totals, default=0)), size) - 8
    scale = (plot_right - plot_left) / (max(totals, default=0) or 1)
    bar_height, lane = 26, size + 4
    labels: list[dict] = []  # drawn over the bars: names, numbers beside them, totals
    y = top
    segments = _Segments(series)
    for index, category in enumerate(categories):
        lines = _wrap(category, label_width, size)
        if not label_beside:
            for line in lines:
                y += size * LINE
                shapes.append(_text(10, y, line, bold=True))
            y += 6
        bar_top = y if not label_beside else y + max(0, (len(lines) * size * LINE - bar_height) / 2)
        if label_beside:
            first = bar_top + bar_height / 2 + size * 0.35 - (len(lines) - 1) * size * LINE / 2
            for number, line in enumerate(lines):
                shapes.append(_text(label_width, first + number * size * LINE, line, anchor="end"))
        x, outside, last_end = plot_left, [], -math.inf
        for number, item in enumerate(series):
            value = float(item.values[index])
            if not value:
                continue
            length = value * scale
            if not segments.add(number, value, x, bar_top, length, bar_height):
                # Too narrow for its number: the number goes below the bar, under the segment, pushed
                # right of the one before so that they never overlap.
                number = format_number(value)
                half = _text_width(number, 12) / 2
                centre = max(x + length / 2, last_end + half + 4)
                last_end = centre + half
                outside.append(_text(centre, bar_top + bar_height + 13, number, anchor="middle", size=12))
            x += length
        labels.extend(outside)
        labels.append(
            _text(
                x + 6,
                bar_top + bar_height / 2 + size * 0.35,
                format_number(totals[index]),
                cls="chart__total",
            )
        )
        row_height = bar_height + (lane if outside else 0)
        if label_beside:
            row_height = max(row_height, len(lines) * size * LINE)
        y = bar_top + row_height + 12
    shapes.extend(segments.shapes())
    shapes.extend(labels)
    return Drawing(width, math.ceil(y), size, shapes, hatch=_any_hatched(series))


def _columns(categories, series, totals, width: int, size: int, value_label: str, heading: str) -> Drawing:
    """Columns bottom to top, one per period; a number too big for its segment sits beside the column."""
    shapes, legend_bottom = _bar_legend(series, width, size)
    left, right = 50, 20
    plot_top = legend_bottom + size * 2.5
    shapes.append(_text(left - 40, plot_top - size, value_label, fill=MUTED))
    plot_height = 240
    bottom = plot_top + plot_height
    step = (width - left - right) / max(len(categories), 1)
    bar_width = min(48, step * 0.6)
    ticks = nice_ticks(0, max(totals, default=0) or 1)
    scale = plot_height / ticks[-1]
    shapes.extend(_y_axis(ticks, left, width - right, bottom, scale))
    labels, beside = [], []
    segments = _Segments(series)
    for index, category in enumerate(categories):
        x = left + index * step + (step - bar_width) / 2
        y, last_label = bottom, math.inf
        for number, item in enumerate(series):
            value = float(item.values[index])
            if not value:
                continue
            length = value * scale
            y -= length
            if not segments.add(number, value, x, y, bar_width, length):
                label_y = min(y + length / 2 + 4, last_label - 13)
                last_label = label_y
                beside.append(_text(x + bar_width + 3, label_y, format_number(value), size=12))
        labels.append((x + bar_width / 2, category))
    shapes.extend(segments.shapes())
    shapes.extend(beside)
    shapes.extend(_axis_labels(labels, bottom + 18, width, fill=INK))
    shapes.append(_text(left + (width - left - right) / 2, bottom + 52, heading, anchor="middle", fill=MUTED))
    return Drawing(width, math.ceil(bottom + 62), size, shapes, hatch=_any_hatched(series))


def _axis_labels(
    candidates: list[tuple[float, str]], y: float, width: float, fill: str = MUTED
) -> list[dict]:
    """Return labels (x, text) of an axis, as many as fit without overlapping: the first and last always,
    others when 8 px clear of their neighbours; kept inside the drawing, never cut off at its edges."""
    placed: list[tuple[float, float, str]] = []  # left, right, text

    def span(x: float, text: str) -> tuple[float, float]:
        half = _text_width(text, 12) / 2
        x = min(max(x, half + 2), width - half - 2)
        return x - half, x + half

    for index, (x, text) in enumerate(candidates):
        left, right = span(x, text)
        if placed and left < placed[-1][1] + 8:
            if index < len(candidates) - 1:
                continue
            placed.pop()  # the last label always shows: the one before gives way
            if placed and left < placed[-1][1] + 8:
                placed.pop()
        if (
            index == len(candidates) - 1
            or not candidates
            or span(candidates[-1][0], candidates[-1][1])[0] >= right + 8
        ):
            placed.append((left, right, text))
    return [
        _text((left + right) / 2, y, text, anchor="middle", size=12, fill=fill)
        for left, right, text in placed
    ]


def _any_hatched(series: Sequence[BarSeries]) -> bool:
    return any(item.colour in HATCHED for item in series)


def _bar_summary(categories: Sequence[str], series: Sequence[BarSeries], totals: list[float]) -> str:
    overall = {s.name: sum(float(v) for v in s.values) for s in series}
    parts = ", ".join(f"{format_number(n)} {name.lower()}" for name, n in overall.items() if n)
    return f"{format_number(sum(totals))} in all across {len(categories)} bars: {parts or 'none'}."


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


def _y_axis(
    ticks: list[float], left: float, right: float, bottom: float, scale: float, base=0.0
) -> list[dict]:
    shapes = []
    for tick in ticks:
        y = bottom - (tick - base) * scale
        shapes.append({"kind": "line", "x1": _fmt(left), "x2": _fmt(right), "y1": _fmt(y), "y2": _fmt(y)})
        shapes.append(_text(left - 6, y + 4, format_number(tick), anchor="end", size=12, fill=MUTED))
    return shapes


# Lines over time
