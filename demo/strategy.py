# Verbatim "we will" commitments read best one to a line, as the seed prints them.
# ruff: noqa: E501
"""The 2020-23 local area SEND strategy as a delivery plan: six key priority areas, "we will" actions each.

It uses the council's programme tracker scale (grey Programmed … blue Suspended) rather than BRAG. Priority
titles and descriptions and action descriptions are the strategy's own words, verbatim; leads, dates and
updates are illustrative. The strategy ran 2020–23, so at the demo's as-of date the plan is closed; its
actions' days are counted from ANCHOR, within the strategy's time.
"""

from __future__ import annotations

import dataclasses
import datetime

from actions.models import Plan, Priority
from demo import governance
from demo.base import Demo, ensure
from demo.plans import COMPLETE, IN_PROGRESS, NOT_STARTED, ON_HOLD, ActionSeed, build_actions

TITLE = "Local Area SEND Strategy 2020-23: delivery plan"
DOCUMENT = "thurrock-strategy"
SUMMARY = (
    "Our vision is all children and young people with special educational needs and disabilities across the "
    "local area can access outstanding support in their early years, school, college and work. This will "
    "enable them to fully achieve their full potential and have happy, healthy and fulfilling lives.\n\n"
    "This strategy was produced in partnership with NHS Thurrock Clinical Commissioning Group."
)
# Illustrative days within the strategy's 2020-23 period (the document gives the years only).
STARTS_ON = datetime.date(2020, 9, 1)
ENDS_ON = datetime.date(2023, 8, 31)
ANCHOR = datetime.date(2022, 12, 31)

PAGE_NOTES = {
    ("plan", TITLE): (
        "Source: Thurrock Council, Local Area SEND Strategy 2020-23. The summary (the strategic vision), the "
        "six priority areas and every action's description are quoted word for word from it. Leads, dates, "
        "statuses and update notes are illustrative. The strategy ran from 2020 to 2023, so the plan is "
        "closed at the demo's as-of date."
    ),
}

# number: (title, description, lead)
PRIORITIES = {
    "1": (
        "ensure that children, young people and families are at the heart of an effective SEND system",
        "We will ensure that children and families are at the heart of an effective SEND system, co-producing and working in partnership to ensure that the child/young person remains at the heart of the decision making process.",
        "lead",
    ),
    "2": (
        "ensure every child and young person is making good progress and attends a good place to learn",
        "We will ensure every child and young person is making good progress and attends a good place to learn and develop life skills.",
        "grace.okoro",
    ),
    "3": (
        "ensure children, young people and families are well supported",
        "We will ensure children and families are well supported.",
        "lead",
    ),
    "4": (
        "ensure an effective and responsive approach to assessing and meeting children, young people and families' needs",
        "We will ensure an effective and responsive approach to assessing and meeting children and families' needs.",
        "tom.hughes",
    ),
    "5": (
        "ensure the early identification of and early support for children with SEND",
        "We will ensure the early identification and early support for children with SEND.",
        "grace.okoro",
    ),
    "6": (
        "ensure young people are well prepared for adulthood",
        "We will ensure young people are well prepared for adulthood.",
        "amira.hassan",
    ),
}

# fmt: off
ACTIONS = {
    "1": [
        ActionSeed(
            "1.1",
            "embed the new engagement and participation strategy for children and young people to ensure they are fully engaged in all aspects of SEND developments, including the joint commissioning strategy focusing on the experience of the child/young person",
            ("lead", "karen.lloyd"), ("council", "capa"), start=-200, due=120,
            updates=(
                (150, "lead", IN_PROGRESS, "green", "Participation strategy launched with the youth forum; the participation lead is in post."),
                (25, "karen.lloyd", IN_PROGRESS, "green", "Young people sat on the joint commissioning workshop for the first time and chose the questions for the next survey."),
            ),
        ),
        ActionSeed(
            "1.2",
            "ensure that comprehensive feedback is obtained from children and young people with regard to the services they are currently accessing and that this directly drives future service developments",
            ("rachel.whitfield",), ("council",), start=-150, due=60,
            rag_reason="The feedback response rate is 14%, against the 30% we need for it to be representative.",
            recovery_plan="Text-message and in-school surveys from next month, promoted by the Parent Carer Forum and the youth forum.",
            updates=(
                (120, "rachel.whitfield", IN_PROGRESS, "green", "Feedback questions added to every annual review and to the Local Offer."),
                (33, "rachel.whitfield", IN_PROGRESS, "amber", "Response rate only 14%: too low to drive service changes. Trying text-message surveys next month."),
            ),
        ),
        ActionSeed(
            "1.3",
            "further developed the partnership approach when working with the Parent Carer Forum and support its development through a range of new engagement activities to ensure they have a voice in ongoing developments",
            ("karen.lloyd", "lead"), ("capa", "council"), start=-300, due=200,
            updates=(
                (200, "karen.lloyd", IN_PROGRESS, "green", "Joint engagement calendar agreed for the year: coffee mornings, online forums and two conferences."),
                (12, "karen.lloyd", IN_PROGRESS, "green", "Forum membership is up to 640 families, 120 more than last year."),
            ),
        ),
    ],
    "2": [
        ActionSeed(
            "2.1",
            "review and embed the Joint Strategic Needs Assessment to review the current and future predicted need of SEND resources and placements; leading to the introduction of a capital programme of development of high needs placements based on the review to ensure appropriate placements are in place to meet any needs",
            ("mark.oconnor", "tom.hughes"), ("icb", "council"), start=-250, due=180,
            rag_reason="The JSNA refresh is more than a month late because the health data arrived late.",
            recovery_plan="Health data now received; JSNA to the board next month, then capital programme options.",
            updates=(
                (210, "tom.hughes", IN_PROGRESS, "green", "JSNA refresh started; place-planning data for special schools and resource bases gathered."),
                (28, "mark.oconnor", IN_PROGRESS, "red", "Capital bids depend on the JSNA, which is more than a month late because the health data arrived late."),
            ),
        ),
        ActionSeed(
            "2.2",
            "implement and develop best practice through a quality assurance framework for out-of-borough specialist placements, to ensure all settings are providing a high-quality service for young people accessing them and that there is a clear accountability framework to ensure pupils are fully supported and are making good progress",
            ("rachel.whitfield",), ("council",), start=-180, due=90,
            updates=(
                (160, "rachel.whitfield", IN_PROGRESS, "green", "Framework drafted from the Written Statement of Action's quality assurance work."),
                (19, "rachel.whitfield", IN_PROGRESS, "green", "Framework now used for every new placement."),
            ),
        ),
        ActionSeed(
            "2.3",
            "develop the Autism Education Trust (AET) Hub and ensure all educational establishments are autism friendly and employ the AET framework and guidance as part of their universal offer – we will also consider how we can include other areas of disability going forward, such as attention deficit hyperactivity disorder (ADHD)",
            ("claire.dunn", "grace.okoro"), ("trust", "council"), start=-120, due=240,
            updates=(
                (100, "claire.dunn", IN_PROGRESS, "green", "AET hub licence agreed; the first twelve schools are booked on autism awareness training."),
                (21, "claire.dunn", IN_PROGRESS, "green", "38 schools trained; trust schools are piloting the AET progression framework."),
            ),
        ),
    ],
    "3": [
        ActionSeed(
            "3.1",
            "undertake a comprehensive review of local offer content, school and setting SEN information and implement an ongoing programme of 'update and advise' as part of the Local Offer Development Plan",
            ("tom.hughes", "karen.lloyd"), ("council", "capa"), start=-90, due=60,
            rag_reason="Half of schools have not yet updated their SEN information reports.",
            recovery_plan="Reminder through the SENCo forum and the headteachers' briefing; school improvement advisers to follow up.",
            updates=(
                (70, "tom.hughes", IN_PROGRESS, "green", "Page-by-page review started with the Parent Carer Forum volunteers."),
                (15, "karen.lloyd", IN_PROGRESS, "amber", "Half of schools have not updated their SEN information reports; chasing through the SENCo forum."),
            ),
        ),
        ActionSeed(
            "3.2",
            "review the Information, Advice and Support Service (IASS) to ensure the ongoing availability of high quality advice and support services to parents",
            ("lead",), ("council",), start=20, due=200,
            updates=(
                (40, "lead", NOT_STARTED, "grey", "Programmed for next term, after the Local Offer review."),
                (8, "lead", NOT_STARTED, "grey", "Terms of reference for the review agreed with the service."),
            ),
        ),
        ActionSeed(
            "3.3",
            "review with parents and carers the offer of support to disabled children, including access to the Sunshine Centre, short breaks and personal budgets, together with access to any other support services included under Brighter Futures, and develop new arrangements to ensure these are included in the EHC plan",
            ("ian.patel", "karen.lloyd"), ("council", "capa"), start=-140, due=150,
            rag_reason="Suspended by the SEND Development Board until the short breaks budget for next year is confirmed.",
            updates=(
                (120, "ian.patel", IN_PROGRESS, "green", "Short breaks consultation with parents closed with 240 responses."),
                (60, "ian.patel", ON_HOLD, "blue", "Suspended by the board until next year's short breaks budget is confirmed."),
            ),
        ),
    ],
    "4": [
        ActionSeed(
            "4.1",
            "explore the development of an online EHC plan hub that allows for better co-production of EHC plans and annual reviews",
            ("neil.foster",), ("council",), start=-60, due=220,
            updates=(
                (45, "neil.foster", IN_PROGRESS, "green", "Three EHC hub products demonstrated to parents and caseworkers."),
                (11, "neil.foster", IN_PROGRESS, "green", "Preferred product chosen; it will link to the case management system."),
            ),
        ),
        ActionSeed(
            "4.2",
            "develop a partnership SEND training programme, ensuring we use a person-centred planning approach",
            ("grace.okoro", "dalvinder.kaur"), ("council", "icb"), start=-200, due=-30,
            success_criteria=("Programme open to education, health and care staff", "300 staff trained in person-centred planning"),
            evidence="Training records and evaluations.",
            updates=(
                (170, "grace.okoro", IN_PROGRESS, "green", "Person-centred planning training designed with health colleagues and the Parent Carer Forum."),
                (50, "grace.okoro", COMPLETE, "green", "Programme running as business as usual: 310 staff across education, health and care trained."),
            ),
        ),
    ],
    "5": [
        ActionSeed(
            "5.1",
            "quality-assure our outreach services and targeted programme of development activity to ensure services are focused on appropriate needs leading to maximum impact on outcomes",
            ("grace.okoro",), ("council",), start=-130, due=110,
            updates=(
                (110, "grace.okoro", IN_PROGRESS, "green", "Outreach referral and outcome data collected for the first time."),
                (26, "grace.okoro", IN_PROGRESS, "green", "Outreach services now report impact termly; two services refocused on early years."),
            ),
        ),
        ActionSeed(
            "5.2",
            "review the offer of specialist early years placements to ensure all children with SEND have access to the appropriate specialist support in their education",
            ("tom.hughes", "claire.dunn"), ("council", "trust"), start=-100, due=130,
            rag_reason="The options paper is a month late: demand is higher than forecast.",
            recovery_plan="Options paper to the next board; interim outreach support for children on the waiting list.",
            updates=(
                (85, "tom.hughes", IN_PROGRESS, "green", "Review of specialist early years places started; demand mapped by ward."),
                (35, "tom.hughes", IN_PROGRESS, "amber", "The waiting list for specialist nursery places is longer than forecast; options paper delayed a month."),
            ),
        ),
    ],
    "6": [
        ActionSeed(
            "6.1",
            "develop high quality post-16 provision working in partnership with training providers, implementing innovative solutions for provision to be Ofsted-rated 'good' or above, developed in consultation with young people and focussed on developing independence, budgeting, communication, and relationship skills – this will ensure that young people are prepared for the world of work and independent living",
            ("amira.hassan",), ("college",), start=-220, due=160,
            updates=(
                (190, "amira.hassan", IN_PROGRESS, "green", "New independence and life-skills programme designed with young people."),
                (24, "amira.hassan", IN_PROGRESS, "green", "Programme running with 46 learners."),
            ),
        ),
        ActionSeed(
            "6.2",
            "ensure excellent support during transition by delivering high quality career advice from Year 9 onwards, enabling young people to be aware of the significant regeneration opportunities in Thurrock and be supported to make sound choices about their future",
            ("claire.dunn", "amira.hassan"), ("trust", "college"), start=-160, due=120,
            updates=(
                (140, "claire.dunn", IN_PROGRESS, "green", "Careers advisers trained on SEND and on the regeneration opportunities in the area."),
                (30, "amira.hassan", IN_PROGRESS, "green", "Every Year 9 review in trust schools now includes careers advice."),
            ),
        ),
        ActionSeed(
            "6.3",
            "further develop apprenticeship and supported internship offers that are reflective of young people's ambitions, are ambitious in their outcomes for the young people, are instrumental in decreasing number not in education, employment or training (NEET) in Thurrock and providing a sound foundation for the career progression of young people",
            ("amira.hassan",), ("college", "council"), start=-90, due=240,
            updates=(
                (70, "amira.hassan", IN_PROGRESS, "green", "Supported internship places agreed with four employers."),
                (13, "amira.hassan", IN_PROGRESS, "green", "First nine interns started."),
            ),
        ),
    ],
}
# fmt: on


def build(demo: Demo) -> Plan:
    """Create the strategy delivery plan with its six key priority areas and their actions."""
    plan = ensure(
        Plan,
        {"title": TITLE},
        {
            "kind": Plan.Kind.STRATEGY,
            "board": demo.boards[governance.DEVELOPMENT_BOARD],
            "lead": demo.user("lead"),
            "rag_scale": demo.scales[governance.PROGRAMME_TRACKER],
            "summary": SUMMARY,
            "starts_on": STARTS_ON,
            "ends_on": ENDS_ON,
            "update_cycle_days": 42,
            "status": Plan.Status.CLOSED,
        },
    )
    demo.cite(plan, DOCUMENT, "SEND strategic vision; final sentence of the priority areas")
    demo.plans["strategy"] = plan
    for order, (number, (title, description, lead)) in enumerate(PRIORITIES.items(), start=1):
        priority = ensure(
            Priority,
            {"plan": plan, "number": number},
            {"title": title, "description": description, "lead": demo.user(lead), "order": order},
        )
        demo.priorities[("strategy", number)] = priority
        demo.cite(priority, DOCUMENT, f"Key priority area {number}")
        seeds = [
            dataclasses.replace(
                seed, source=(DOCUMENT, f'Key priority area {number}, "To achieve this, we will"')
            )
            for seed in ACTIONS[number]
        ]
        build_actions(demo, priority, seeds, accountable_officer="dcs", anchor=ANCHOR, closed_on=ENDS_ON)
    return plan
