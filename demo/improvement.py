"""The live plan: an illustrative SEND improvement plan, in delivery at the demo's as-of date.

No seed document is current: the peer review plan closed in 2018, the WSOA at the revisit in 2021, and the
2020-23 strategy in 2023. So the plan people update, the update cycle, the KPIs and the draft committee paper
belong to this generated plan. It is named illustrative, its dates count from the as-of date (the day the demo
was first loaded), and every record of it is recorded as illustrative.
"""

from __future__ import annotations

from actions.models import Plan, Priority
from demo import governance, wsoa
from demo.base import Demo, ensure, ensure_m2m
from demo.improvement_actions import ACTIONS
from demo.plans import build_actions
from inspections.models import Finding

TITLE = "SEND improvement plan (illustrative)"
SUMMARY = (
    "Illustrative: generated for the demonstration. The Demo local area's current SEND improvement plan, "
    "keeping up the work on records, quality assurance and EHC plans after the Written Statement of Action "
    "closed. Its actions, leads, dates, update notes and KPI figures are not taken from any document."
)
ACCOUNTABLE = "ad_education"  # a key of demo.people.ACCOUNTABLE

PAGE_NOTES = {
    ("plan", TITLE): (
        "Illustrative: this plan, its actions, update notes and KPI figures are generated for the "
        "demonstration and are not taken from any council's documents. Its dates count from the demo's as-of "
        "date."
    ),
}

# number: (title, description, lead)
PRIORITIES = {
    "1": (
        "Accurate records and effective oversight of every child and young person with SEND",
        "Leaders know where every child and young person with an EHC plan is and what provision they have.",
        "tom.hughes",
    ),
    "2": (
        "Rigorous quality assurance, governance and oversight of services for 0 to 25-year-olds",
        "Leaders rely on processes, not working relationships, and check the quality of what they purchase.",
        "rachel.whitfield",
    ),
    "3": (
        "Good-quality EHC plans and annual reviews that inform commissioning",
        "Plans are up to date, reflect children's and families' views, and shape the services we commission.",
        "grace.okoro",
    ),
}


def build(demo: Demo, weaknesses: dict[str, Finding]) -> Plan:
    """Create the live plan, its three priorities and their actions (dated from the as-of date).

    Each priority carries on the WSOA priority of the same number, so it addresses the same area of
    significant weakness: scrutiny's coverage of the inspection reads the work in delivery, not only the
    closed WSOA.
    """
    plan = ensure(
        Plan,
        {"title": TITLE},
        {
            "kind": Plan.Kind.IMPROVEMENT,
            "board": demo.boards[governance.DEVELOPMENT_BOARD],
            "lead": demo.user("lead"),
            "rag_scale": demo.scales[governance.BRAG],
            "summary": SUMMARY,
            "update_cycle_days": 28,
        },
        on_create={
            "status": Plan.Status.ACTIVE,
            "approved_on": demo.day(-310),
            "starts_on": demo.day(-300),
            "ends_on": demo.day(270),
        },
    )
    demo.illustrative(plan)
    demo.plans["improvement"] = plan
    for order, (number, (title, description, lead)) in enumerate(PRIORITIES.items(), start=1):
        priority = ensure(
            Priority,
            {"plan": plan, "number": number},
            {"title": title, "description": description, "lead": demo.user(lead), "order": order},
        )
        demo.illustrative(priority)
        demo.priorities[("improvement", number)] = priority
        ensure_m2m(priority, "findings", [weaknesses[wsoa.PRIORITIES[number][2]]])
        build_actions(demo, priority, ACTIONS[number], accountable_officer=ACCOUNTABLE)
    return plan
