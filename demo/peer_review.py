# Verbatim findings read best one to a line, as the seed prints them.
# ruff: noqa: E501
"""The June 2017 regional SEND peer review, its findings, and the closed action plan that answered it."""

from __future__ import annotations

import datetime

from actions.models import Plan, Priority
from demo import governance
from demo.base import Demo, ensure, ensure_m2m
from demo.plans import COMPLETE, IN_PROGRESS, WITHDRAWN, ActionSeed, build_actions
from inspections.models import Finding, Review

D = datetime.date

FOCUS_QUESTION = (
    "How effective are the SEN support arrangements for all children and young people aged 0-25 years in "
    "ensuring that their needs are identified and met so that they make sufficient progress within the "
    "expectations of the SEND reforms?"
)

SUMMARY = (
    "Thurrock Local Authority commissioned a peer review of SEND support from a team of colleagues from "
    "Cambridgeshire, Bedford Borough, Southend and Peterborough Local Authorities. The review consisted of a "
    "preview stage which included an analysis of a range of Thurrock Documentation and Data and two days in "
    "the Local Authority conducting a series of focus groups and interviews.\n\n"
    "The preview analysis of data identified 4 key themes to be examined through the review process.\n"
    "1. The prioritisation for improving the SEND cohort outcomes and improving schools' support for this "
    "cohort\n"
    "2. The effectiveness of evaluative analysis to ensure quality of provision\n"
    "3. The effectiveness of multi-agency working partnerships\n"
    "4. Parental understanding and confidence in the system"
)

STRENGTHS = [
    "The Local Area has a strong commitment to working with parents moving towards greater co-production of strategic planning and has developed with parents a set of underpinning aspirations to support Thurrock's SEND strategy.",
    "Officers and schools value the potential of the SENCo forums, which are well attended by schools, to identify effective practice and provide school-led support.",
    "The Local Area has built on strong foundations of cross agency working in Early Years to implement the SEND reforms effectively. There is good evidence of effective multi-agency working in Early Years. Relationships between settings and the Local Area developed in early years would appear to be very responsive to need. There are also examples of strong working partnerships between School improvement, Early Years support and the Educational Psychologist Team. There is good representation of Health at Early Years panels",
    "The LA has historically prioritized support to Early Years to good effect with the majority of children with SEND in EYFS having their needs met through SEN support",
    "At post-16 there are some good examples of multi-agency working for targeted work with students, particularly with South Essex College",
    "The LA has recently worked with parents to develop a set of overarching aspirations for a SEND strategy which is evidence of the LA's commitment to co-production with parents.",
    "Early Years' Parents have a range of opportunities to provide feedback through Portage and Early Support which is impacting on the refining of services and support provided.",
]

GOOD_PRACTICE = [
    "The innovative practice in post 16 provision, particularly the joint working between the local authority and South Essex College and sharing of this practice with other providers.",
    "The focused and targeted multiagency work to support children 0 – 5 years with SEND and their families. This includes transition work with primary schools.",
    "Effective practice was noted in relation to outreach services that the borough has set up in Thurrock.",
]

# (theme heading, recommendations). The seed repeats two recommendations under the third theme; so do we.
RECOMMENDATIONS = [
    (
        "Improve the strategic focus to ensure the priority for improving the outcomes for the SEND cohort is met",
        [
            "Review current staffing structures to provide more capacity for strategic leadership and planning",
            "Establish a coherent governance structure that ensures greater accountability for reviewing progress",
            "Refine the SEF to more clearly demonstrate the identification of strengths, areas for development and key priorities for the Local Area",
            "Develop a Local Area SEND plan aligned to the SEF",
            "Clarify accountabilities and responsibilities of all stakeholders for the SEND cohort",
            "Improve top level analysis of the range of data currently collected to inform strategic planning",
            "Agree with all schools, colleges and post-16 providers a revised approach to collecting SEND outcomes and progress data which will support greater challenge to those settings where outcomes for the SEND cohort are a concern",
            "Ensure parents and young peoples' voices are included in strategic planning",
        ],
    ),
    (
        "Increase parental understanding and confidence in the system",
        [
            "Improve parental understanding of the Local Offer",
            "Seek a broader representation of parents on the Parent Carer Forum (CaPa)",
            "Establish a culture where feedback from all parents with children with SEND is more frequently collected and is used to inform practice",
            "Clarify for parents the SEN support offer",
        ],
    ),
    (
        "Improve analysis of data to inform planning and practice",
        [
            "Establish a clear framework for the collection and analysis of data",
            "Improve top level analysis of the range of data currently collected to inform strategic planning",
            "Agree with all schools and colleges, post-16 providers a revised approach to collecting SEND outcomes and progress data which will support greater challenge to those settings where outcomes for the SEND cohort are a concern",
        ],
    ),
]

DOCUMENT = "thurrock-2017"
PLAN_TITLE = "SEND Peer Review Action Plan"

PAGE_NOTES = {
    ("review", Review.Kind.PEER_REVIEW, D(2017, 6, 20)): (
        "Source: Thurrock Council, report to the Children's Services Overview and Scrutiny Committee, 10 "
        "October 2017, item 9. The dates and reviewers (section 2.1), focus question (3.1), themes (3.2), key "
        "strengths (3.3), good practice (3.4) and recommendations (3.5) are quoted word for word. The Demo "
        "local area is fictional; this wording is Thurrock's."
    ),
    ("plan", PLAN_TITLE): (
        "Source: Thurrock Council, report of 10 October 2017, item 9: the plan's summary is quoted from sections "
        "3.6 and 3.7 and its priorities are the review's recommendation themes (3.5). The report attaches the "
        "action plan as an appendix that is not among the seeds, so the actions, leads, dates and updates here "
        "are illustrative."
    ),
}
PLAN_SUMMARY = (
    "A high level action plan has been developed to address the key issues raised within the peer review. "
    "These actions are linked to existing priorities across Children's Services.\n\n"
    "The Action Plan will be monitored by the SEND Development Board Chaired by the Corporate Director of "
    "Children's Services on a fortnightly basis and reviewed by the SEND Strategic Group on a termly basis."
)

# Actions of the 2017 plan, by theme number. A closed plan: its dates are the real, historical ones.
# fmt: off
ACTIONS = {
    "1": [
        ActionSeed(
            "1.1",
            "Create a Strategic Lead for SEND post and a small SEND improvement team to give capacity for strategic leadership and planning.",
            ("tom.hughes",), ("council",), start=D(2017, 10, 16), due=D(2018, 2, 28), original_due=D(2018, 1, 31),
            success_criteria=("Strategic Lead for SEND in post", "Two SEND improvement officers in post"),
            evidence="Structure chart and appointment letters; SEND Development Board minutes, 20 February 2018.",
            updates=(
                (D(2017, 11, 14), "tom.hughes", IN_PROGRESS, "green", "Revised structure consulted on with staff and unions. Job descriptions for the Strategic Lead and two improvement officers sent for evaluation."),
                (D(2018, 1, 9), "tom.hughes", IN_PROGRESS, "amber", "Strategic Lead appointed, starting in February. Improvement officer posts re-advertised after a weak field; due date moved to end of February with the board's agreement."),
                (D(2018, 2, 20), "tom.hughes", COMPLETE, "blue", "All three posts filled. Structure chart shared with the SEND Development Board."),
            ),
        ),
        ActionSeed(
            "1.2",
            "Set up the SEND Development Board with partner membership, terms of reference and a fortnightly cycle for reviewing progress against this plan.",
            ("lead",), ("council", "ccg"), start=D(2017, 9, 1), due=D(2017, 10, 31),
            success_criteria=("Terms of reference agreed by all partners", "Board meets fortnightly with a standing progress report"),
            evidence="Terms of reference and minutes of the first two meetings.",
            updates=(
                (D(2017, 9, 26), "lead", IN_PROGRESS, "green", "Draft terms of reference shared with the CCG, headteacher representatives and the Parent Carer Forum for comment."),
                (D(2017, 10, 24), "lead", COMPLETE, "blue", "Terms of reference agreed at the first meeting. The board meets fortnightly, chaired by the Corporate Director of Children's Services."),
            ),
        ),
        ActionSeed(
            "1.3",
            "Refine the local area SEF and write a Local Area SEND plan aligned to it, setting out the accountabilities of every partner.",
            ("lead", "dalvinder.kaur"), ("council", "ccg"), start=D(2017, 10, 1), due=D(2018, 3, 31),
            success_criteria=("SEF identifies strengths, areas for development and key priorities", "Local Area SEND plan signed off by all partners"),
            evidence="SEF (March 2018) and Local Area SEND plan; SEND Development Board minutes, 27 March 2018.",
            updates=(
                (D(2017, 12, 5), "lead", IN_PROGRESS, "green", "SEF workshop held with education, health, care and the Parent Carer Forum. Strengths and areas for development drafted for each of the three inspection questions."),
                (D(2018, 2, 13), "dalvinder.kaur", IN_PROGRESS, "amber", "Health sections of the SEF held up by the CCG restructure. Draft promised for the end of February; no change to the end date yet."),
                (D(2018, 3, 27), "lead", COMPLETE, "blue", "SEF and Local Area SEND plan signed off by the SEND Development Board."),
            ),
        ),
    ],
    "2": [
        ActionSeed(
            "2.1",
            "Relaunch the Local Offer website with the Parent Carer Forum, testing every page with parents before it goes live.",
            ("karen.lloyd", "tom.hughes"), ("capa", "council"), start=D(2017, 11, 1), due=D(2018, 4, 30),
            success_criteria=("Every Local Offer page tested with at least three parents", "Parents' survey shows better understanding of the Local Offer"),
            evidence="Relaunched Local Offer; Parent Carer Forum testing notes; parent survey April 2018.",
            updates=(
                (D(2017, 12, 12), "karen.lloyd", IN_PROGRESS, "green", "Twelve parents signed up to test pages. First session found the search confusing and the SEN support pages hard to find."),
                (D(2018, 2, 27), "tom.hughes", IN_PROGRESS, "green", "New navigation built from the parents' card sort. Content owners rewriting pages in plain English."),
                (D(2018, 4, 24), "karen.lloyd", COMPLETE, "blue", "Relaunched. Parents' survey: 71% now say they understand what the Local Offer is for, up from 38%."),
            ),
        ),
        ActionSeed(
            "2.2",
            "Co-produce and publish a clear SEN support offer for parents with the Parent Carer Forum and the SENCo forums.",
            ("claire.dunn", "karen.lloyd"), ("trust", "capa"), start=D(2017, 11, 1), due=D(2018, 6, 30),
            success_criteria=("SEN support offer published on the Local Offer and in every school's SEN information report",),
            evidence="Published SEN support offer; SENCo forum minutes, June 2018.",
            updates=(
                (D(2018, 1, 18), "claire.dunn", IN_PROGRESS, "green", "SENCo forum agreed a common description of the graduated response. The Parent Carer Forum is drafting the parent version."),
                (D(2018, 6, 21), "claire.dunn", COMPLETE, "blue", "Offer published on the Local Offer; schools asked to link to it from their SEN information reports."),
            ),
        ),
    ],
    "3": [
        ActionSeed(
            "3.1",
            "Agree with schools, colleges and post-16 providers a common termly return of SEND outcomes and progress data.",
            ("neil.foster", "amira.hassan"), ("council", "college"), start=D(2017, 11, 1), due=D(2018, 7, 31),
            success_criteria=("Return agreed with the headteacher and college forums", "First return received from 90% of settings"),
            evidence="Data return template; summer term return rates by setting.",
            updates=(
                (D(2018, 2, 6), "neil.foster", IN_PROGRESS, "green", "Draft return discussed at the headteachers' forum; colleges asked for destinations to be included."),
                (D(2018, 7, 17), "amira.hassan", COMPLETE, "blue", "Summer term return received from 93% of schools and all colleges."),
            ),
        ),
        ActionSeed(
            "3.2",
            "Build a top-level SEND data dashboard for the SEND Development Board.",
            ("neil.foster",), ("council",), start=D(2017, 11, 1), due=D(2018, 5, 31),
            updates=(
                (D(2018, 1, 30), "neil.foster", IN_PROGRESS, "green", "Prototype dashboard shown to the board: caseload, timeliness and placements."),
                (D(2018, 5, 15), "lead", WITHDRAWN, None, "Withdrawn by the board: superseded by the SEND Joint Strategic Needs Assessment, which will carry this analysis."),
            ),
        ),
    ],
}
# fmt: on


def build(demo: Demo) -> None:
    """Create the 2017 peer review with its findings, and its action plan (closed in 2018)."""
    review = ensure(
        Review,
        {"kind": Review.Kind.PEER_REVIEW, "start_date": D(2017, 6, 20)},
        {
            "title": "Peer Review Special Educational Needs and Disabilities Support across the Local Area",
            "lead_body": "Regional peer councils: Cambridgeshire, Bedford Borough, Southend and Peterborough",
            "end_date": D(2017, 6, 21),
            "focus_question": FOCUS_QUESTION,
            "summary": SUMMARY,
        },
    )
    demo.cite(review, DOCUMENT, "sections 2.1, 3.1 and 3.2")
    demo.reviews["peer_review"] = review
    order = 0
    by_theme: dict[str, list[Finding]] = {}
    for kind, prefix, texts, section in (
        (Finding.Kind.STRENGTH, "KS", STRENGTHS, "section 3.3"),
        (Finding.Kind.GOOD_PRACTICE, "GP", GOOD_PRACTICE, "section 3.4"),
    ):
        for number, text in enumerate(texts, start=1):
            order += 1
            finding = ensure(
                Finding,
                {"review": review, "reference": f"{prefix}{number}"},
                {"kind": kind, "text": text, "theme": "", "order": order},
            )
            demo.cite(finding, DOCUMENT, f"{section}, paragraph {number}")
    for theme_number, (theme, texts) in enumerate(RECOMMENDATIONS, start=1):
        for number, text in enumerate(texts, start=1):
            order += 1
            finding = ensure(
                Finding,
                {"review": review, "reference": f"R{theme_number}.{number}"},
                {"kind": Finding.Kind.RECOMMENDATION, "text": text, "theme": theme, "order": order},
            )
            demo.cite(finding, DOCUMENT, f"section 3.5, theme {theme_number}, bullet {number}")
            by_theme.setdefault(str(theme_number), []).append(finding)

    plan = ensure(
        Plan,
        {"title": PLAN_TITLE},
        {
            "kind": Plan.Kind.PEER_REVIEW,
            "review": review,
            "board": demo.boards[governance.DEVELOPMENT_BOARD],
            "lead": demo.user("lead"),
            "rag_scale": demo.scales[governance.BRAG],
            "summary": PLAN_SUMMARY,
            # Illustrative: the report gives no approval or end date; the plan went to committee in October 2017.
            "approved_on": D(2017, 10, 24),
            "starts_on": D(2017, 9, 1),
            "ends_on": D(2018, 7, 31),
            "update_cycle_days": 14,
            "status": Plan.Status.CLOSED,
        },
    )
    demo.cite(plan, DOCUMENT, "sections 3.6 and 3.7", note="Dates illustrative.")
    demo.plans["peer_review"] = plan
    ensure_m2m(plan, "reviews", [review])
    for order, (theme, _texts) in enumerate(RECOMMENDATIONS, start=1):
        number = str(order)
        priority = ensure(
            Priority,
            {"plan": plan, "number": number},
            {"title": theme, "lead": demo.user("lead"), "order": order},
        )
        demo.cite(priority, DOCUMENT, f"section 3.5, theme {number}")
        ensure_m2m(priority, "findings", by_theme[number])
        build_actions(demo, priority, ACTIONS[number], accountable_officer="dcs")
