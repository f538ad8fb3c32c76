"""Create a paper from a template (reports.PaperTemplate): its sections with guidance, sign-offs, appendix."""

from __future__ import annotations

from django.db import transaction

from reports.models import (
    Appendix,
    CommitteePaper,
    Implication,
    PaperTemplate,
    Recommendation,
    Section,
    SignOff,
)

IMPLICATION_KINDS = [
    Implication.Kind.FINANCIAL,
    Implication.Kind.LEGAL,
    Implication.Kind.DIVERSITY,
    Implication.Kind.OTHER,
]


def create_paper(template: PaperTemplate, *, by, **cover) -> CommitteePaper:
    """Create a draft paper from a template, ready for the plan lead to write."""
    with transaction.atomic():
        paper = CommitteePaper.objects.create(
            **cover, template=template, executive_summary=template.summary, created_by=by
        )
        if template.recommendation:
            Recommendation.objects.create(paper=paper, number="1.1", text=template.recommendation, order=1)
        for section in template.sections.all():
            Section.objects.create(
                paper=paper,
                kind=Section.Kind.OTHER,
                heading=section.heading,
                guidance=section.guidance,
                required=section.required,
                body="",
                order=section.order,
            )
        for order, kind in enumerate(IMPLICATION_KINDS, start=1):
            Implication.objects.create(paper=paper, kind=kind, body="", order=order)
        for sign_off in template.sign_offs.all():
            SignOff.objects.create(
                paper=paper,
                role=sign_off.role,
                name="",
                required=sign_off.required,
                printed=sign_off.printed,
                order=sign_off.order,
            )
        if paper.plan_id:
            Appendix.objects.create(
                paper=paper,
                number=1,
                title=template.appendix_title or "Action plan",
                kind=Appendix.Kind.ACTION_PLAN,
                plan=paper.plan,
            )
    return paper
