# ruff: noqa: E501 - the seed's text, word for word
"""The published 2019 paper, word for word from seeds/thurrock-2019-wsoa-committee-report.txt.

It went to an extraordinary meeting of Thurrock's Children's Services Overview and Scrutiny Committee on 25
July 2019. Its Appendix 1 (the draft Written Statement of Action) is not among the seeds: the demo's appendix
is a free-text note saying so, and naming the source of the paper, instead of an invented action plan.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from demo import governance
from demo.base import Demo
from reports.models import (
    Appendix,
    CommitteePaper,
    Implication,
    Recommendation,
    Section,
)

TITLE = "SEND Inspection Outcome – Written Statement of Action"
MICHELE = "Michele Lucas, Assistant Director of Education and Skills"

EXECUTIVE_SUMMARY = """In March 2019 the local area, including the local authority, the CCG, and schools, had a joint inspection of special educational needs and disabilities (SEND).

The Inspection identified that leaders in the local area had not made enough progress in the introduction of the reforms and as a result were issued with a Written Statement of Action.

The following significant areas of weakness need to be addressed by the Local Authority:-
- Inaccurate and incomplete records and ineffective oversight mean that leaders did not know the whereabouts of some children and young people and what provision they have.
- Quality assurance is not rigorous enough to ensure effective governance and oversight across the provision and services for 0 to 25-year-olds with SEND. Leaders are reliant on working relationships rather than processes. Leaders are over reliant on the limited information given to them by educational providers about the quality of the provision they purchase.
- EHC plans and the annual review process are of poor quality. The local authority has no system in place to make sure that relevant professionals and services are notified when EHC plans need reviewing or updating. Professionals are not routinely informed of requests to submit written information within specified timescales. Too often, EHC plans are out of date and do not accurately reflect the needs or views of children and young people, or the views of the families. The information from EHC plans and annual reviews is not used to inform the commissioning of services, particularly, but not exclusively, for young people between the ages of 19 and 25 years.
- To address the concerns outlined, Officers and a range of partners have been drafting our written statement of action – presenting this at children’s overview and scrutiny committee will ensure that we have enabled committee members the opportunity to review and provide feedback on the WSOA before we submit the document on 12 August 2019"""

DOCUMENT = "thurrock-2019"
APPENDIX_NOTE = (
    "Demonstration data: this paper reproduces, word for word, Thurrock Council's report to its Extraordinary "
    "Children's Services Overview and Scrutiny Committee of 25 July 2019 (item 4). Its Appendix 1, the draft "
    "Written Statement of Action, was not among the public documents the demo is built from, so it is not "
    "reproduced here."
)

RECOMMENDATION = (
    "O&S to review the written statement of action and provide feedback before the document is sent for "
    "Ofsted approval."
)

SECTIONS = [
    (
        Section.Kind.INTRODUCTION,
        "Introduction and Background",
        "Ofsted require the WSOA to cover the areas that they identified governance was highlighted as an area "
        "of weakness – to support this work we have recently developed the following governance structure:-"
        "\n\n"
        "Children’s Overview and Scrutiny – this will become a standing agenda item throughout the municipal "
        "year and the WSOA will be reviewed by the committee before being sent to Ofsted. The monitoring of "
        "progress against the WSOA this will take place at all committee meetings.\n\n"
        "SEND Development Board which is chaired by the Portfolio Holder for Education & Health this will "
        "oversee both the WSOA and the wider issues identified within the inspection outcome letter.\n\n"
        "SEND Operational Group which is chaired by the Assistant Director of Education & Skills and will "
        "oversee the operational management of both the WSOA and the wider issues identified within the "
        "inspection outcome letter.",
    ),
    (
        Section.Kind.ISSUES,
        "Issues, Options and Analysis of Options",
        "The Local Authority has to submit a WSOA by 12th August 2019 this will then be reviewed by Ofsted. The "
        "WSOA will cover the three areas for concern raised in the inspection and nothing more. However, other "
        "areas of development are monitored through the SEND Development Action Plan. Once approved the LA "
        "has 18 months before the local area is re-visited by Ofsted on the areas outlined in the letter. "
        "There will also be monitoring visits by the Department for Education Regional Advisors to monitor "
        "progress against the WSOA.",
    ),
    (
        Section.Kind.REASONS,
        "Reason for Recommendation",
        "Children’s Overview and Scrutiny have a clear and accountable governance responsibility around "
        "supporting children with additional needs – the standing agenda item will enable committee members "
        "to be reassured of the progress and provide scrutiny in ensuring we are meeting the objectives "
        "outlined in the SWOA",
    ),
    (
        Section.Kind.CONSULTATION,
        "",
        "Children's Overview and Scrutiny Committee",
    ),
    (
        Section.Kind.IMPACT,
        "",
        "This report contributes to the following corporate priorities:\n"
        "- create a great place for learning and opportunity",
    ),
]

IMPLICATIONS = [
    (
        Implication.Kind.FINANCIAL,
        "Additional resources have been identified to ensure that we implement the change programme that is "
        "being developed to support children with special needs. This will be monitored alongside the "
        "written statement of action to ensure that they have been targeted in the appropriate place to see "
        "improved outcomes for children and young people.\n\n"
        "In addition, the Dedicated Schools Grant in 2018/19 prioritised resources to make permanent the "
        "additional capacity required to respond to the increase demand in EHCP.",
        "David May",
        "Strategic Lead of Finance",
    ),
    (
        Implication.Kind.LEGAL,
        "The Committee is asked to note the report content under the remit of the Committee's terms of "
        "reference and powers.",
        "Lindsey Marks",
        "Deputy Head of Legal",
    ),
    (
        Implication.Kind.DIVERSITY,
        "Supporting our children and young people who have special education al needs is a key strategic "
        "priority for Thurrock Council. The WSOA will look to address the areas identified by Ofsted. It is "
        "important to recognise that we will be undertaking work around a cultural change and the wider work "
        "around how we gather the voice of children, young people and parents and carers to inform the "
        "cultural changes we need to action to ensure that we have an SEND services that provides positive "
        "pathways around learning.",
        "Roxanne Scanlon",
        "Community Engagement and Project Officer",
    ),
    (Implication.Kind.OTHER, "None", "", ""),
]


def build(demo: Demo) -> CommitteePaper:
    """Create and publish the 2019 paper once; a published paper is frozen, so later runs leave it alone."""
    board = demo.boards[governance.SCRUTINY_COMMITTEE]
    existing = CommitteePaper.objects.filter(committee=board, title=TITLE).first()
    if existing is not None:
        _cite_existing(demo, existing)
        return existing
    paper = CommitteePaper.objects.create(
        committee=board,
        title=TITLE,
        meeting_date=datetime.date(2019, 7, 25),
        agenda_item="4",
        wards_affected="All",
        key_decision=CommitteePaper.KeyDecision.NOT_APPLICABLE,
        report_of=MICHELE,
        accountable_assistant_director=MICHELE,
        accountable_director=(
            "Roger Harris, Corporate Director of Adults, Housing and Health/Interim Director of Children's "
            "Services"
        ),
        access=CommitteePaper.Access.PUBLIC,
        executive_summary=EXECUTIVE_SUMMARY,
        plan=demo.plans["wsoa"],
        author_name="Michele Lucas",
        author_title="Assistant Director of Education and Skills",
        author_department="Children's Services",
        created_by=demo.user("lead"),
    )
    demo.cite(paper, DOCUMENT, "cover and Executive Summary")
    demo.cite(
        Recommendation.objects.create(paper=paper, number="1.1", text=RECOMMENDATION, order=1),
        DOCUMENT,
        "section 1.1",
    )
    for order, (kind, heading, body) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(paper=paper, kind=kind, heading=heading, body=body, order=order)
        demo.cite(section, DOCUMENT, f"section {order + 1}")
    for order, (kind, body, name, title) in enumerate(IMPLICATIONS, start=1):
        implication = Implication.objects.create(
            paper=paper, kind=kind, body=body, verified_by_name=name, verified_by_title=title, order=order
        )
        demo.cite(implication, DOCUMENT, f"section 7.{order}")
    appendix = Appendix.objects.create(
        paper=paper,
        number=1,
        title="SEND Local Area: Written Statement of Action (Draft)",
        kind=Appendix.Kind.TEXT,
        body=APPENDIX_NOTE,
    )
    demo.illustrative(appendix, "A note in place of the draft WSOA, which the seed does not include.")
    published_at = timezone.make_aware(datetime.datetime(2019, 7, 17, 9, 0))
    paper.publish(by=demo.user("lead"), version=paper.version, at=published_at)
    return paper


def _cite_existing(demo: Demo, paper: CommitteePaper) -> None:
    """On a later run, record the frozen paper's sources again (the same as when it was created)."""
    demo.cite(paper, DOCUMENT, "cover and Executive Summary")
    for recommendation in paper.recommendations.all():
        demo.cite(recommendation, DOCUMENT, "section 1.1")
    for section in paper.sections.all():
        demo.cite(section, DOCUMENT, f"section {section.order + 1}")
    for implication in paper.implications.all():
        demo.cite(implication, DOCUMENT, f"section 7.{implication.order}")
    for appendix in paper.appendices.all():
        demo.illustrative(appendix, "A note in place of the draft WSOA, which the seed does not include.")
