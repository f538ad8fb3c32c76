"""The live Written Statement of Action: one priority per area of significant weakness.

The statement was approved in September 2019; the demo keeps that date but calls the plan "refreshed" and
dates its actions and updates from today, so overdue and stale actions stay meaningful whenever it is loaded.
"""

from __future__ import annotations

from actions.models import Plan, Priority
from inspections.models import Criterion, Finding
from send_tracker.demo import governance, inspection
from send_tracker.demo.base import Demo, ensure, ensure_m2m
from send_tracker.demo.plans import build_actions
from send_tracker.demo.wsoa_actions import ACTIONS

TITLE = "SEND Written Statement of Action (refreshed)"
SUMMARY = (
    "The local area's Written Statement of Action on the three areas of significant weakness found by the "
    "March 2019 joint inspection, approved in September 2019 and refreshed with the current delivery "
    "timetable. The WSOA will cover the three areas for concern raised in the inspection and nothing more. "
    "However, other areas of development are monitored through the SEND Development Action Plan."
)
ACCOUNTABLE = "ad_education"  # a key of send_tracker.demo.people.ACCOUNTABLE

# number: (title, description, lead, weakness addressed, framework criteria codes)
PRIORITIES = {
    "1": (
        "Accurate records and effective oversight of every child and young person with SEND",
        "Leaders know where every child and young person with an EHC plan is and what provision they have.",
        "tom.hughes",
        "ASW1",
        ["A2", "A17", "A18"],
    ),
    "2": (
        "Rigorous quality assurance, governance and oversight of services for 0 to 25-year-olds",
        "Leaders rely on processes, not working relationships, and check the quality of what they purchase.",
        "rachel.whitfield",
        "ASW2",
        ["A12", "B2", "C17"],
    ),
    "3": (
        "Good-quality EHC plans and annual reviews that inform commissioning",
        "Plans are up to date, reflect children's and families' views, and shape the services we commission.",
        "grace.okoro",
        "ASW3",
        ["A6", "A10", "B3", "C6"],
    ),
}


def build(demo: Demo, weaknesses: dict[str, Finding]) -> Plan:
    """Create the plan, its three priorities (each tied to its weakness and criteria) and their actions."""
    plan = ensure(
        Plan,
        {"title": TITLE},
        {
            "kind": Plan.Kind.WSOA,
            "review": demo.reviews["inspection"],
            "board": demo.boards[governance.DEVELOPMENT_BOARD],
            "lead": demo.user("lead"),
            "rag_scale": demo.scales[governance.BRAG],
            "summary": SUMMARY,
            "due_on": demo.reviews["inspection"].wsoa_due_on,
            "approved_on": inspection.APPROVED_ON,
            "starts_on": inspection.APPROVED_ON,
            "update_cycle_days": 28,
        },
        on_create={"status": Plan.Status.ACTIVE, "ends_on": demo.day(270)},
    )
    demo.plans["wsoa"] = plan
    ensure_m2m(plan, "reviews", [demo.reviews["inspection"]])
    codes = {code for *_rest, criteria in PRIORITIES.values() for code in criteria}
    criteria = {
        c.code: c for c in Criterion.objects.filter(section__framework=demo.framework, code__in=codes)
    }
    for order, (number, (title, description, lead, weakness, criterion_codes)) in enumerate(
        PRIORITIES.items(), start=1
    ):
        priority = ensure(
            Priority,
            {"plan": plan, "number": number},
            {"title": title, "description": description, "lead": demo.user(lead), "order": order},
        )
        demo.priorities[("wsoa", number)] = priority
        ensure_m2m(priority, "findings", [weaknesses[weakness]])
        ensure_m2m(priority, "criteria", [criteria[code] for code in criterion_codes])
        build_actions(demo, priority, ACTIONS[number], accountable_officer=ACCOUNTABLE)
    return plan
