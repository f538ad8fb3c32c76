"""Three councils' house styles built as templates, as each council would, each paper rendered to a PDF and
read back: headings in order, numbering as the scheme says, the sign-off rows, and the PDF still tagged."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actions.models import Board
from reports.models import PaperTemplate, TemplateSection, TemplateSignOff
from reports.papers import starters
from reports.papers.render import render_paper_pdf
from reports.papers.snapshot import build_snapshot

pytestmark = pytest.mark.django_db

BODY = "First point of {heading}.\n\nSecond point of {heading}."


def make_template(name: str, sections: list[str], sign_offs: list[tuple[str, bool, bool]], **style):
    template = PaperTemplate.objects.create(name=name, **style)
    for order, heading in enumerate(sections, start=1):
        TemplateSection.objects.create(template=template, heading=heading, order=order, required=order == 1)
    for order, (role, required, printed) in enumerate(sign_offs, start=1):
        TemplateSignOff.objects.create(
            template=template, role=role, required=required, printed=printed, order=order
        )
    return template


def write_paper(template: PaperTemplate, by, *, recommendations: list[str], **cover):
    """Create a paper from the template (no plan), write every section and the recommendations, sign it."""
    board, _ = Board.objects.get_or_create(name="Cabinet", defaults={"kind": Board.Kind.SCRUTINY})
    paper = starters.create_paper(
        template,
        by=by,
        committee=board,
        meeting_date="2030-07-15",
        agenda_item="9",
        title=f"SEND strategy update ({template.name})",
        report_of="Director of Children's Services",
        author_name="Priya Sharma",
        **cover,
    )
    for section in paper.sections.all():
        section.body = BODY.format(heading=section.heading)
        section.save()
    paper.recommendations.all().delete()
    paper.edit_parts(by=by, version=paper.version, sections={}, recommendations={})
    for text in recommendations:
        paper.refresh_from_db()
        paper.edit_parts(
            by=by, version=paper.version, sections={}, recommendations={}, new_recommendation=text
        )
    for index, row in enumerate(paper.sign_offs.all()):
        paper.refresh_from_db()
        paper.sign(row, by=by, version=paper.version, name=f"Signer {index + 1}", signed_on="2030-07-01")
    paper.refresh_from_db()
    return paper


def pdf_text(paper) -> tuple[str, PdfReader]:
    data = render_paper_pdf(build_snapshot(paper)).data
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return text, reader


def in_order(text: str, parts: list[str]) -> bool:
    """Return whether every part is in the text, each after the one before."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            pytest.fail(
                f"Not found in order: {part!r} after position {position}: {text[position : position + 300]!r}"
            )
        position = found + len(part)
    return True


def assert_tagged(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"


def test_continuous_numbering_with_unnumbered_headings_and_a_sign_off_table(plan_lead):
    sections = ["Purpose of report", "Background", "Issues for consideration", "Options", "Consultation"]
    template = make_template(
        "Borough A",
        sections,
        [("Finance", True, True), ("Legal", True, True), ("Governance", False, True)],
        numbering=PaperTemplate.Numbering.CONTINUOUS,
        number_headings=False,
        summary_heading="Summary",
        recommendations_heading="Recommendations",
        recommendations_lead_in="That:",
        lettered_recommendations=True,
        background_heading="Background papers",
        appendices_heading="Appendices",
    )
    paper = write_paper(
        template, plan_lead, recommendations=["Cabinet notes progress.", "Cabinet agrees the plan."]
    )
    text, reader = pdf_text(paper)
    # Headings as the council writes them, in order, none numbered; paragraphs 1, 2, 3 across the paper.
    in_order(
        text,
        [
            "Summary",
            "Recommendations 1 That: a) Cabinet notes progress. b) Cabinet agrees the plan.",
            "Purpose of report 2 First point of Purpose of report. 3 Second point of Purpose of report.",
            "Background 4 First point of Background. 5 Second point of Background.",
            "Issues for consideration 6 First",
            "Options 8 First",
            "Consultation 10 First point of Consultation. 11 Second",
            "Report reviewers",
            "Finance Signer 1 1 Jul 2030",
            "Legal Signer 2 1 Jul 2030",
            "Governance Signer 3 1 Jul 2030",
            "Background papers",
            "Appendices",
        ],
    )
    assert not re.search(r"\b\d+\. (Purpose of report|Background|Options|Recommendations)", text)
    assert "2.1" not in text
    assert_tagged(reader)


def test_numbering_within_sections_with_implications_verified_by(plan_lead):
    sections = ["Introduction and background", "Issues, options and analysis", "Reasons for recommendation"]
    template = make_template(
        "County B",
        sections,
        [("Finance", True, False), ("Legal", True, False)],
        numbering=PaperTemplate.Numbering.SECTIONS,
        summary_heading="Executive summary",
    )
    paper = write_paper(template, plan_lead, recommendations=["That Committee note the report."])
    for implication in paper.implications.all():
        paper.refresh_from_db()
        paper.save_implication(
            by=plan_lead,
            version=paper.version,
            implication=implication,
            body=f"No {implication.get_kind_display().lower()} implications.",
            verified_by_name=f"Verifier {implication.order}",
            verified_by_title="Strategic Lead",
        )
    paper.refresh_from_db()
    text, reader = pdf_text(paper)
    in_order(
        text,
        [
            "Executive summary",
            "1. Recommendation(s) 1.1 That Committee note the report.",
            "2. Introduction and background 2.1 First point of Introduction and background. 2.2 Second",
            "3. Issues, options and analysis 3.1 First",
            "4. Reasons for recommendation 4.1 First point of Reasons for recommendation. 4.2 Second",
            "5. Implications",
            "5.1 Financial Implications verified by: Verifier 1 Strategic Lead No financial implications.",
            "5.2 Legal Implications verified by: Verifier 2 Strategic Lead",
            "5.3 Diversity and equality Implications verified by: Verifier 3",
            "5.4 Other implications Implications verified by: Verifier 4",
            "6. Background papers used in preparing the report",
            "7. Appendices to the report",
        ],
    )
    assert "Report reviewers" not in text  # signed off, but this council prints no reviewers' table
    assert_tagged(reader)


def test_no_numbering_with_a_key_decision_cover(plan_lead):
    sections = [
        "Purpose",
        "Summary",
        "Financial implications",
        "Legal implications",
        "Equality impact",
        "Risk",
    ]
    template = make_template(
        "City C",
        sections,
        [("Monitoring Officer", True, True)],
        numbering=PaperTemplate.Numbering.NONE,
        cover_fields=["key_decision", "report_of", "classification"],
        summary_heading="Decision sought",
        recommendations_heading="Recommendation",
    )
    paper = write_paper(
        template, plan_lead, recommendations=["Approve the SEND strategy."], key_decision="key"
    )
    text, reader = pdf_text(paper)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Key Decision: Key" in cover
    assert "Wards and communities affected" not in cover  # this council's cover leaves it out
    assert "ITEM: 9" not in cover
    in_order(
        text,
        [
            "Decision sought",
            "Recommendation Approve the SEND strategy.",
            *[f"{heading} First point of {heading}. Second point of {heading}." for heading in sections],
            "Report reviewers",
            "Monitoring Officer Signer 1 1 Jul 2030",
        ],
    )
    assert not re.search(r"(^|\s)\d+(\.\d+)?\.? First point", text)
    assert_tagged(reader)
