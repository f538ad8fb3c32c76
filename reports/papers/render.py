"""Render a paper's snapshot as HTML (the preview) and as a tagged PDF (WeasyPrint, PDF/UA-1).

WeasyPrint fetches only what PaperURLFetcher allows: our own static files and data: URLs. An <img> or
stylesheet pointing anywhere else (http:, https: elsewhere, file:) is refused and logged; the paper still
renders. Uploaded PDF appendices are appended to the rendered paper with pypdf, which does not carry over
their structure tree: those pages are untagged. Each original file is also embedded in the PDF (and the paper
says so), so its own tags, if it had any, stay available.
"""

from __future__ import annotations

import gc
import io
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.models.templates import PaperTemplate
from reports.papers.formatting import paragraph_count, to_html
from reports.papers.kpi_charts import appendix_charts

logger = logging.getLogger(__name__)

# The base URL the PDF's relative links resolve against; it is never contacted, only mapped to files.
PAPER_ORIGIN = "https://send-tracker.invalid"

# How a snapshot from before templates had styles prints: the council format of the seeds.
DEFAULT_STYLE = PaperTemplate(name="").house_style()


class BlockedFetch(ValueError):
    """WeasyPrint was asked for something outside our static files."""


class PaperURLFetcher(URLFetcher):
    """Serve data: URLs and files under our static root; refuse everything else."""

    def __init__(self) -> None:
        super().__init__(timeout=2, allowed_protocols=("data", "https"), allow_redirects=False)
        self.blocked: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_for(url)
        if path is None:
            self.blocked.append(url)
            logger.warning("Paper rendering refused to fetch %s", url[:200])
            raise BlockedFetch(f"Not one of our static files: {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_file_for(url: str) -> Path | None:
    """Return the static file a URL under PAPER_ORIGIN + STATIC_URL names, or None."""
    prefix = f"{PAPER_ORIGIN}/{settings.STATIC_URL.strip('/')}/"
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    if not relative or ".." in relative.split("/") or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    if staticfiles_storage.exists(relative):  # a hashed name after collectstatic
        return Path(staticfiles_storage.path(relative))
    return None


# Above this many actions an action plan prints one block per action instead of table rows: WeasyPrint lays
# out long tables about twice as slowly (see tests/bench/test_paper_pdf_bench.py and the figures).
TABLE_LAYOUT_MAX_ACTIONS = 120


def action_layout(appendix: dict) -> str:
    """Return "table" or "blocks" for an appendix, by how many actions it lists."""
    count = appendix["data"].get("action_count", 0) if appendix["kind"] == "action_plan" else 0
    return "blocks" if count > TABLE_LAYOUT_MAX_ACTIONS else "table"


class Numbering:
    """Hand out heading and paragraph numbers in a template's scheme, in the order the paper prints them.

    "sections": headings 1, 2, 3 and paragraphs 2.1, 2.2 within them; "continuous": paragraphs 1, 2, 3 across
    the whole paper, headings numbered or not; "none": no numbers.
    """

    def __init__(self, style: dict) -> None:
        self.scheme = style["numbering"]
        self.numbered_headings = self.scheme == "sections" or (
            self.scheme == "continuous" and style["number_headings"]
        )
        self.heading = self.in_heading = self.paragraph = 0

    def next_heading(self) -> str:
        self.heading += 1
        self.in_heading = 0
        return str(self.heading) if self.numbered_headings else ""

    def next_paragraph(self) -> str:
        if self.scheme == "sections":
            self.in_heading += 1
            return f"{self.heading}.{self.in_heading}"
        if self.scheme == "continuous":
            self.paragraph += 1
            return str(self.paragraph)
        return ""

    def paragraphs(self, text: str) -> list[str]:
        return [number for number in (self.next_paragraph() for _ in range(paragraph_count(text))) if number]


def _letter(index: int) -> str:
    return f"{'abcdefghijklmnopqrstuvwxyz'[index % 26] * (index // 26 + 1)})"


def _recommendations(snapshot: dict, style: dict, numbering: Numbering) -> tuple[SafeString, list[dict]]:
    """Return the lead-in ("That:") and the recommendations, lettered a), b) or numbered as paragraphs."""
    lead_in = style["recommendations_lead_in"]
    lead_in_html = to_html(lead_in, numbers=numbering.paragraphs(lead_in)) if lead_in else ""
    items = []
    for index, text in enumerate(snapshot["recommendations"]):
        # One number a recommendation, whatever its paragraphs; lettered ones take no paragraph number.
        number = _letter(index) if style["lettered_recommendations"] else numbering.next_paragraph()
        numbers = [number] if number else []
        items.append({"html": to_html(text, numbers=numbers)})
    return lead_in_html, items


def paper_context(snapshot: dict, *, layout: str | None = None, **extra) -> dict:
    """Return the template context for a snapshot: its parts numbered in its template's scheme, its
    template's headings and cover fields (a snapshot from before templates had styles prints as then)."""
    style = {**DEFAULT_STYLE, **snapshot.get("style", {})}
    numbering = Numbering(style)
    recommendations_number = numbering.next_heading()
    lead_in_html, recommendations = _recommendations(snapshot, style, numbering)
    sections = []
    for section in snapshot["sections"]:
        number = numbering.next_heading()
        numbers = numbering.paragraphs(section["body"])
        sections.append({**section, "number": number, "html": to_html(section["body"], numbers=numbers)})
    implications_number = numbering.next_heading() if snapshot["implications"] else ""
    implications = [
        {**implication, "number": numbering.next_paragraph(), "html": to_html(implication["body"])}
        for implication in snapshot["implications"]
    ]
    appendices = [
        {
            **appendix,
            "intro_html": to_html(appendix["intro"]),
            "layout": layout or action_layout(appendix),
            "kpis": appendix_charts(appendix) if appendix["kind"] == "kpi_charts" else [],
        }
        for appendix in snapshot["appendices"]
    ]
    return {
        "paper": snapshot,
        "cover": snapshot["cover"],
        "cover_fields": set(style["cover_fields"]),
        "summary_html": to_html(snapshot["executive_summary"]),
        "recommendations_number": recommendations_number,
        "recommendations_lead_in": lead_in_html,
        "recommendations": recommendations,
        "sections": sections,
        "implications": implications,
        "implications_number": implications_number,
        "background_number": numbering.next_heading(),
        "appendices_number": numbering.next_heading(),
        "appendices": appendices,
        "headings": {
            "summary": style["summary_heading"],
            "recommendations": style["recommendations_heading"],
            "implications": style["implications_heading"],
            "background_papers": style["background_heading"],
            "appendices": style["appendices_heading"],
        },
        **extra,
    }


def render_paper_html(snapshot: dict, **extra) -> str:
    """Return the standalone HTML document WeasyPrint lays out."""
    return render_to_string("papers/pdf.html", paper_context(snapshot, pdf=True, **extra))


@dataclass
class RenderedPdf:
    data: bytes
    page_count: int
    blocked: list[str]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block (reference counting still frees memory)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay out an HTML document as a tagged A4 PDF, fetching only our static files."""
    return _write(*_layout(html))


def _layout(html: str) -> tuple:
    """Return the laid-out WeasyPrint document and the URLs it was refused."""
    fetcher = PaperURLFetcher()
    # WeasyPrint makes hundreds of thousands of objects for a long paper, enough to set off full collections,
    # each walking all of the process's objects (Django's too) for cycles: a tenth of the time of a 300-action
    # appendix, for no memory saved (tests/bench). The few cycles it leaves are collected once it is back on.
    with cyclic_gc_paused():
        document = HTML(string=html, base_url=f"{PAPER_ORIGIN}/", url_fetcher=fetcher).render()
    return document, fetcher.blocked


def _write(document, blocked: list[str]) -> RenderedPdf:
    with cyclic_gc_paused():
        data = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPdf(data=data, page_count=len(document.pages), blocked=blocked)


def render_paper_pdf(snapshot: dict, *, attachments=(), **extra) -> RenderedPdf:
    """Return the paper as a PDF, with any uploaded PDF appendices appended after it.

    The footer's "Page X of N" counts the appended pages too: CSS's counter(pages) knows only the pages
    WeasyPrint lays out, so a paper with uploads is laid out once to count its own pages, then again with
    the whole total written into the footer (footers sit in the margin, so the pages break the same way).
    """
    uploads = []
    for number, _title, document in attachments:
        with document.open("rb") as handle:
            data = handle.read()
        uploads.append((number, data, len(PdfReader(io.BytesIO(data)).pages)))
    if not uploads:
        return _write(*_layout(render_paper_html(snapshot, **extra)))
    own_pages = len(_layout(render_paper_html(snapshot, **extra))[0].pages)
    total = own_pages + sum(pages for _number, _data, pages in uploads)
    rendered = _write(*_layout(render_paper_html(snapshot, total_pages=total, **extra)))
    writer = PdfWriter(clone_from=io.BytesIO(rendered.data))
    for number, data, _pages in uploads:
        # pypdf copies the pages but not their structure tree: the appended pages are untagged. The original
        # file is also embedded whole, so a screen reader user can open it with whatever tags it had.
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.add_attachment(f"appendix-{number}.pdf", data)
    output = io.BytesIO()
    writer.write(output)
    return RenderedPdf(data=output.getvalue(), page_count=len(writer.pages), blocked=rendered.blocked)
