"""Read what a dashboard page shows: its tables (by caption) and its SVG charts, for tests to check."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SVG = "{http://www.w3.org/2000/svg}"


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._caption_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption_text = [], []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            caption = " ".join("".join(self._caption_text).split())
            self.tables[caption] = [row for row in self._rows if row]
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption_text.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Return every table of the page as {caption: rows of cell texts}, the header row first."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table(html: str, caption: str) -> list[list[str]]:
    found = tables(html)
    assert caption in found, f"no table captioned {caption!r}; captions: {sorted(found)}"
    return found[caption]


def charts(html: str) -> dict[str, ET.Element]:
    """Return every inline SVG chart of the page, parsed as XML (which fails if it is not well-formed)."""
    return {
        element.get("id"): element
        for element in (ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S))
    }


def bars(svg: ET.Element) -> list[tuple[str, int]]:
    """Return (series, value) of every bar segment of a chart: a series is one path, a subpath a segment."""
    found = []
    for path in svg.iter(f"{SVG}path"):
        if path.get("class") == "chart__bar":
            values = path.get("data-values").split()
            assert len(values) == path.get("d").count("M"), "one subpath a value"
            found.extend((path.get("data-series"), int(float(value))) for value in values)
    return found


def points(svg: ET.Element, series: str) -> int:
    """Return how many markers a series has in a line chart."""
    return sum(
        len(group)
        for group in svg.iter(f"{SVG}g")
        if group.get("class") == "chart__points" and group.get("data-series") == series
    )
