# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""The Written Statement of Action (2019): one priority per area of significant weakness; closed at the revisit.

The seeds give the WSOA's scope, deadline and governance (2019 committee report, sections 2 and 3) but not its
actions: the plan carries no actions rather than invented ones. Its priority titles are illustrative
summaries of the weaknesses they address (each linked to the weakness, quoted word for word). No seed gives
the approval date; the plan closed when the (illustrative) revisit found sufficient progress.
"""

from __future__ import annotations

from actions.models import Plan, Priority
from demo import governance, inspection
from demo.base import Demo, ensure, ensure_m2m
from inspections.models import Criterion, Finding

TITLE = "SEND Local Area: Written Statement of Action"
DOCUMENT = "thurrock-2019"
# Section 3.1, word for word.
SUMMARY = (
    "The WSOA will cover the three areas for concern raised in the inspection and nothing more. However, other "
    "areas of development are monitored through the SEND Development Action Plan."
)

PAGE_NOTES = {
    ("plan", TITLE): (
        "Source: Thurrock Council, report to the Extraordinary Children's Services Overview and Scrutiny "
        "Committee, 25 July 2019, item 4: the title (its Appendix 1), the summary (section 3.1), the "
        "submission deadline (12 August 2019) and the governance (section 2). The report does not include the "
        "WSOA's actions, so this plan has none. Priority titles and the closing date (at the illustrative "
        "revisit) are illustrative."
    ),
}

# number: (title (illustrative), lead, weakness addressed, framework criteria codes)
PRIORITIES = {
    "1": (
        "Accurate records and effective oversight of every child and young person with SEND",
        "tom.hughes",
        "ASW1",
        ["A2", "A17", "A18"],
    ),
    "2": (
        "Rigorous quality assurance, governance and oversight of services for 0 to 25-year-olds",
        "rachel.whitfield",
        "ASW2",
        ["A12", "B2", "C17"],
    ),
    "3": (
        "Good-quality EHC plans and annual reviews that inform commissioning",
        "grace.okoro",
        "ASW3",
        ["A6", "A10", "B3", "C6"],
    ),
}


def build(demo: Demo, weaknesses: dict[str, Finding]) -> Plan:
    """Create the closed plan and its three priorities, each tied to its weakness and criteria."""
    revisit = demo.reviews["revisit"]
    plan = ensure(
        Plan,
        # Found by kind: a database loaded under the old title ("refreshed") is put right.
        {"kind": Plan.Kind.WSOA},
        {
            "title": TITLE,
            "review": demo.reviews["inspection"],
            "board": demo.boards[governance.DEVELOPMENT_BOARD],
            "lead": demo.user("lead"),
            "rag_scale": demo.scales[governance.BRAG],
            "summary": SUMMARY,
            "due_on": inspection.WSOA_DUE_ON,
            "approved_on": None,
            "starts_on": None,
            "ends_on": revisit.end_date,
            "status": Plan.Status.CLOSED,
            "update_cycle_days": 28,
        },
    )
    demo.cite(plan, DOCUMENT, "Appendix 1 (title); section 3.1 (summary and deadline)")
    demo.plans["wsoa"] = plan
    ensure_m2m(plan, "reviews", [demo.reviews["inspection"], revisit])
    codes = {code for *_rest, criteria in PRIORITIES.values() for code in criteria}
    criteria = {
        c.code: c for c in Criterion.objects.filter(section__framework=demo.framework, code__in=codes)
    }
    for order, (number, (title, lead, weakness, criterion_codes)) in enumerate(PRIORITIES.items(), start=1):
        priority = ensure(
            Priority,
            {"plan": plan, "number": number},
            {"title": title, "description": "", "lead": demo.user(lead), "order": order},
        )
        demo.illustrative(priority, "Title illustrative; it addresses the weakness it is linked to.")
        demo.priorities[("wsoa", number)] = priority
        ensure_m2m(priority, "findings", [weaknesses[weakness]])
        ensure_m2m(priority, "criteria", [criteria[code] for code in criterion_codes])
    return plan
