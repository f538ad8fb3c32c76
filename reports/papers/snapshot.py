"""Everything a paper shows, as one JSON-ready dict: the preview and the PDF render it, publishing freezes it.

The snapshot keeps the text as typed (formatting happens when it is rendered, escaped and sanitised), and
dates as printed. Numbering is not stored: it follows from the order of the parts (see numbering.py).
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from reports.models import Appendix, CommitteePaper, PaperTemplate
from reports.papers.appendices import appendix_data, day

SCHEMA = 2  # 2: the template's style (numbering, headings, cover fields) travels with the paper


def _parts() -> tuple:
    return (
        "recommendations",
        "sections",
        "implications",
        "sign_offs",
        "background_papers",
        Prefetch("appendices", queryset=Appendix.objects.select_related("plan", "framework")),
    )


def paper_for_snapshot(pk: int) -> CommitteePaper:
    """Return the paper with every part the snapshot reads, in a fixed number of queries."""
    return (
        CommitteePaper.objects.select_related("committee", "plan", "template")
        .prefetch_related(*_parts())
        .get(pk=pk)
    )


def with_parts(paper: CommitteePaper) -> CommitteePaper:
    """Return `paper` (read with its committee and template) with the parts the snapshot reads loaded onto
    it, for a page that reads them too (the paper page's unsigned sign-offs): the paper is not read twice."""
    prefetch_related_objects([paper], *_parts())
    return paper


def classification(paper: CommitteePaper) -> str:
    """Return the cover's classification line, e.g. "This report is Public"."""
    if paper.access == CommitteePaper.Access.EXEMPT:
        return f"This report is Exempt: {paper.exempt_reason}"
    return f"This report is {paper.get_access_display()}"


def build_snapshot(
    paper: CommitteePaper,
    *,
    version_number: int | None = None,
    published_at: datetime.datetime | None = None,
    read: bool = True,
) -> dict:
    """Return what the paper shows now, for a preview or (with a version number) for publishing.

    The paper is read afresh with its parts, unless `read` is False: then it comes from with_parts.
    """
    paper = paper_for_snapshot(paper.pk) if read else paper
    return {
        "schema": SCHEMA,
        "paper_id": paper.pk,
        "status": "published" if version_number else "draft",
        "version": version_number,
        "published_on": day(published_at) if published_at else "",
        "data_as_at": day(timezone.localtime(published_at or timezone.now())),
        "cover": {
            "meeting_date": date_long(paper.meeting_date),
            "agenda_item": paper.agenda_item,
            "committee": paper.committee.name,
            "title": paper.title,
            "wards_affected": paper.wards_affected,
            "key_decision": paper.get_key_decision_display(),
            "report_of": paper.report_of,
            "accountable_assistant_director": paper.accountable_assistant_director,
            "accountable_director": paper.accountable_director,
            "classification": classification(paper),
        },
        "style": (paper.template or PaperTemplate(name="")).house_style(),
        "executive_summary": paper.executive_summary,
        "recommendations": [rec.text for rec in paper.recommendations.all()],
        "sections": [{"heading": s.display_heading, "body": s.body} for s in paper.sections.all()],
        "implications": [
            {
                "heading": implication.get_kind_display(),
                "body": implication.body,
                "verified_by_name": implication.verified_by_name,
                "verified_by_title": implication.verified_by_title,
            }
            for implication in paper.implications.all()
        ],
        # Rows stay blank until signed: a name and date print only once the reviewer has signed.
        "sign_offs": [
            {
                "role": sign_off.role,
                "name": "Not applicable"
                if not sign_off.applicable
                else sign_off.name
                if sign_off.signed_on
                else "",
                "signed_on": day(sign_off.signed_on),
            }
            for sign_off in paper.sign_offs.all()
            if sign_off.printed
        ],
        "background_papers": [
            {"title": background.title, "location": background.location}
            for background in paper.background_papers.all()
        ],
        "appendices": [appendix_data(appendix) for appendix in paper.appendices.all()],
        "author": {
            "name": paper.author_name,
            "title": paper.author_title,
            "department": paper.author_department,
        },
    }


def date_long(value: datetime.date) -> str:
    """Return a meeting date as the cover prints it, e.g. "25 July 2019"."""
    return f"{value.day} {value:%B %Y}"
