"""The papers a plan lead can start from: section headings in the council format and the usual sign-offs.

Each starter fills in the parts of a new paper; the plan lead then writes the text. Headings follow the
seeds (thurrock-2019-wsoa-committee-report.txt, thurrock-2017-peer-review-committee-report.txt).
"""

from __future__ import annotations

from django.db import transaction

from reports.models import Appendix, CommitteePaper, Implication, Recommendation, Section, SignOff

_COUNCIL_SECTIONS = [
    (Section.Kind.INTRODUCTION, ""),
    (Section.Kind.ISSUES, ""),
    (Section.Kind.REASONS, ""),
    (Section.Kind.CONSULTATION, ""),
    (Section.Kind.IMPACT, ""),
]
_SIGN_OFFS = [("Finance", True), ("Legal", True), ("Director", True)]

STARTERS: dict[str, dict] = {
    "send_progress": {
        "label": "SEND improvement progress update",
        "summary": (
            "This report updates the Committee on progress against the local area's SEND improvement plan."
        ),
        "recommendation": "That the Committee consider and comment on the progress made.",
        "sections": _COUNCIL_SECTIONS,
        "appendix": "Action plan and progress",
    },
    "wsoa_progress": {
        "label": "WSOA progress",
        "summary": "This report updates the Committee on progress against the Written Statement of Action.",
        "recommendation": (
            "That the Committee consider and comment on the progress made against the Written Statement of "
            "Action."
        ),
        "sections": _COUNCIL_SECTIONS,
        "appendix": "Written Statement of Action: action plan and progress",
    },
    "peer_review_response": {
        "label": "Peer review response",
        "summary": (
            "This report provides an overview of the recommendations of the peer review and the actions "
            "that follow."
        ),
        "recommendation": (
            "That the Committee consider the recommendations of the Peer Review and the Action Plan."
        ),
        "sections": _COUNCIL_SECTIONS,
        "appendix": "Peer Review Action Plan",
    },
}

IMPLICATION_KINDS = [
    Implication.Kind.FINANCIAL,
    Implication.Kind.LEGAL,
    Implication.Kind.DIVERSITY,
    Implication.Kind.OTHER,
]
SIGN_OFFS = _SIGN_OFFS


def create_paper(starter: str, *, by, **cover) -> CommitteePaper:
    """Create a draft paper from a starter: sections, a recommendation, implications, sign-offs, appendix."""
    spec = STARTERS[starter]
    with transaction.atomic():
        paper = CommitteePaper.objects.create(
            **cover,
            executive_summary=spec["summary"],
            created_by=by,
            author_title="",
        )
        Recommendation.objects.create(paper=paper, number="1.1", text=spec["recommendation"], order=1)
        for order, (kind, heading) in enumerate(spec["sections"], start=1):
            Section.objects.create(paper=paper, kind=kind, heading=heading, body="", order=order)
        for order, kind in enumerate(IMPLICATION_KINDS, start=1):
            Implication.objects.create(paper=paper, kind=kind, body="", order=order)
        for order, (role, required) in enumerate(SIGN_OFFS, start=1):
            SignOff.objects.create(paper=paper, role=role, name="", required=required, order=order)
        if paper.plan_id:
            Appendix.objects.create(
                paper=paper, number=1, title=spec["appendix"], kind=Appendix.Kind.ACTION_PLAN, plan=paper.plan
            )
    return paper
