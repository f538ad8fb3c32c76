# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""An illustrative draft committee paper on the live improvement plan, in the seeds' report format.

Everything in it is generated for the demonstration and says so (executive summary and appendices). People
named here are fictional; titles follow the seeds' "implications verified by" blocks.
"""

from __future__ import annotations

from demo import governance
from demo.base import Demo, ensure
from reports.models import (
    Appendix,
    BackgroundPaper,
    CommitteePaper,
    Implication,
    Recommendation,
    Section,
    SignOff,
)

TITLE = "SEND Improvement Plan – Progress Update (illustrative)"
ASSISTANT_DIRECTOR = "Laura Bishop, Assistant Director of Education and Skills"

ILLUSTRATIVE = (
    "Illustrative: this draft paper, its plan, actions and figures are generated for the demonstration of the "
    "SEND Tracker and are not taken from any council's documents."
)
EXECUTIVE_SUMMARY = (
    f"{ILLUSTRATIVE}\n\n"
    "This report updates the Committee on progress against the local area's SEND improvement plan, which "
    "continues the work on records, quality assurance and EHC plans begun under the Written Statement of "
    "Action. The plan is a standing item on the Committee's agenda.\n\n"
    "The action plan at Appendix 1 is generated from the SEND Tracker on the day the report is published. "
    "It shows each action's lead, due date, delivery RAG and latest progress. Appendix 2 shows the key "
    "performance indicators."
)

RECOMMENDATIONS = [
    (
        "1.1",
        "That the Committee consider and comment on the progress made against the SEND improvement plan.",
    ),
    (
        "1.2",
        "That the Committee note the actions that are off track or at risk, and the recovery plans agreed by "
        "the SEND Development Board.",
    ),
]

SECTIONS = [
    (
        Section.Kind.INTRODUCTION,
        "The March 2019 joint inspection of the local area required a Written Statement of Action on three "
        "areas of significant weakness: records and oversight; quality assurance and governance; and the "
        "quality of EHC plans and annual reviews. The revisit found sufficient progress on each, and the "
        "improvement plan keeps up that work.\n\n"
        "The SEND Development Board, chaired by the Portfolio Holder for Education & Health, oversees the "
        "plan. The SEND Operational Group, chaired by the Assistant Director of Education & Skills, manages "
        "its delivery. Action leads update their actions in the SEND Tracker every four weeks.",
    ),
    (
        Section.Kind.ISSUES,
        "Most actions are on track and several are complete, including the reconciliation of every EHC plan "
        "record and the local area quality assurance framework. The timeliness of new EHC plans has improved "
        "steadily over the year (Appendix 2).\n\n"
        "Two areas need the Committee's attention. The single tracking list of children educated out of "
        "borough is overdue because two independent providers have not signed the data-sharing agreement; "
        "this has been escalated. The joint commissioning strategy will be delivered in two stages because "
        "annual review data for young people aged 19 to 25 is incomplete.",
    ),
    (
        Section.Kind.REASONS,
        "Children's Overview and Scrutiny have a clear and accountable governance responsibility around "
        "supporting children with additional needs; the standing agenda item enables the Committee to be "
        "reassured of progress and to scrutinise delivery of the plan.",
    ),
    (
        Section.Kind.CONSULTATION,
        "SEND Development Board; SEND Operational Group; Demo Parent Carer Forum.",
    ),
    (
        Section.Kind.IMPACT,
        "This report contributes to the corporate priority to create a great place for learning and "
        "opportunity, and to the Council's statutory duties under the Children and Families Act 2014.",
    ),
]

# kind: (body, verified by, title)
IMPLICATIONS = {
    Implication.Kind.FINANCIAL: (
        "The actions in the plan are funded within existing budgets and the additional resources identified "
        "for the SEND change programme. Spending on high needs placements is monitored through the Dedicated "
        "Schools Grant high needs block.",
        "Andrew Pike",
        "Strategic Lead – Finance",
    ),
    Implication.Kind.LEGAL: (
        "The Committee is asked to note the report content under the remit of the Committee's terms of "
        "reference and powers. The statutory duties in relation to SEND are covered in the Children and "
        "Families Act 2014 and described in the SEND Code of Practice 2015.",
        "Hannah Cole",
        "Deputy Head of Legal",
    ),
    Implication.Kind.DIVERSITY: (
        "The plan relates to children and young people with special educational needs and disabilities. Its "
        "delivery helps the Council meet its SEND duties and the Equality Act 2010, and gathers the voice of "
        "children, young people, parents and carers to shape services.",
        "Femi Adebayo",
        "Community Engagement and Project Officer",
    ),
    Implication.Kind.OTHER: ("None", "", ""),
}

# (role, name, days from today signed, or None while awaited)
SIGN_OFFS = [
    ("Finance", "Andrew Pike, Strategic Lead – Finance", -4),
    ("Legal", "Hannah Cole, Deputy Head of Legal", None),
]

BACKGROUND_PAPERS = [
    (
        "SEND Inspection Outcome – Written Statement of Action, Extraordinary Children's Services Overview "
        "and Scrutiny Committee, 25 July 2019",
        "Council website: committee meetings, agendas and minutes",
    ),
]


def build(demo: Demo) -> CommitteePaper:
    """Create the draft paper with its recommendations, sections, implications and appendices."""
    meeting = demo.meetings["progress_scrutiny"]
    paper = ensure(
        CommitteePaper,
        {"committee": demo.boards[governance.SCRUTINY_COMMITTEE], "title": TITLE},
        {
            "agenda_item": "7",
            "wards_affected": "All",
            "key_decision": CommitteePaper.KeyDecision.NOT_APPLICABLE,
            "report_of": ASSISTANT_DIRECTOR,
            "accountable_assistant_director": ASSISTANT_DIRECTOR,
            "accountable_director": "Daniel Okonjo, Corporate Director of Children's Services",
            "access": CommitteePaper.Access.PUBLIC,
            "executive_summary": EXECUTIVE_SUMMARY,
            "plan": demo.plans["improvement"],
            "author_name": "Priya Sharma",
            "author_title": "SEND Improvement Lead",
            "author_department": "Children's Services",
        },
        on_create={
            "meeting_date": meeting.date,
            "status": CommitteePaper.Status.DRAFT,
            "created_by": demo.user("lead"),
        },
    )
    for order, (number, text) in enumerate(RECOMMENDATIONS, start=1):
        ensure(Recommendation, {"paper": paper, "number": number}, {"text": text, "order": order})
    for order, (kind, body) in enumerate(SECTIONS, start=1):
        ensure(Section, {"paper": paper, "order": order}, {"kind": kind, "body": body})
    for order, (kind, (body, name, title)) in enumerate(IMPLICATIONS.items(), start=1):
        ensure(
            Implication,
            {"paper": paper, "kind": kind},
            {"body": body, "verified_by_name": name, "verified_by_title": title, "order": order},
        )
    for order, (role, name, signed) in enumerate(SIGN_OFFS, start=1):
        ensure(
            SignOff,
            {"paper": paper, "order": order},
            {"role": role, "name": name},
            on_create={"signed_on": None if signed is None else demo.day(signed)},
        )
    for order, (title, location) in enumerate(BACKGROUND_PAPERS, start=1):
        ensure(BackgroundPaper, {"paper": paper, "order": order}, {"title": title, "location": location})
    plan = demo.plans["improvement"]
    appendices = [
        ("SEND improvement plan (illustrative): action plan and progress", Appendix.Kind.ACTION_PLAN),
        ("Key performance indicators (illustrative)", Appendix.Kind.KPI_CHARTS),
    ]
    for number, (title, kind) in enumerate(appendices, start=1):
        demo.illustrative(
            ensure(
                Appendix,
                {"paper": paper, "number": number},
                {"title": title, "kind": kind, "plan": plan, "framework": None, "body": ILLUSTRATIVE},
            )
        )
    # A database loaded before the 2016 self-assessment appendix was dropped from this 2020s paper.
    stale = paper.appendices.filter(number__gt=len(appendices))
    if stale.exists() and paper.status == CommitteePaper.Status.DRAFT:
        stale.delete()
    demo.illustrative(paper)
    for part in (*paper.recommendations.all(), *paper.sections.all(), *paper.implications.all()):
        demo.illustrative(part)
    return paper
