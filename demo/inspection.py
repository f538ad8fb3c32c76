# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""The March 2019 joint Ofsted/CQC local area SEND inspection, its three areas of significant weakness, and an
illustrative revisit.

The inspection's summary, outcome and weaknesses are quoted from the 2019 committee report (Executive
Summary); its WSOA deadline from section 3.1. The report gives the month of the inspection, not its days, so
the review is dated the first of March; nor does any seed give the approval date or a revisit. The report
says the area "has 18 months before the local area is re-visited" once the WSOA is approved: the revisit here
is illustrative, and says so in its title, summary and every judgement.
"""

from __future__ import annotations

import datetime

from demo.base import Demo, ensure
from inspections.models import Finding, Review, RevisitJudgement

DOCUMENT = "thurrock-2019"

D = datetime.date

SUMMARY = (
    "In March 2019 the local area, including the local authority, the CCG, and schools, had a joint "
    "inspection of special educational needs and disabilities (SEND)."
)
OUTCOME_DETAIL = (
    "The Inspection identified that leaders in the local area had not made enough progress in the "
    "introduction of the reforms and as a result were issued with a Written Statement of Action."
)

# Verbatim from the 2019 committee report; the third mends the seed's page break after "annual".
WEAKNESSES = [
    (
        "ASW1",
        "Inaccurate and incomplete records and ineffective oversight mean that leaders did not know the "
        "whereabouts of some children and young people and what provision they have.",
    ),
    (
        "ASW2",
        "Quality assurance is not rigorous enough to ensure effective governance and oversight across the "
        "provision and services for 0 to 25-year-olds with SEND. Leaders are reliant on working "
        "relationships rather than processes. Leaders are over reliant on the limited information given to "
        "them by educational providers about the quality of the provision they purchase.",
    ),
    (
        "ASW3",
        "EHC plans and the annual review process are of poor quality. The local authority has no system in "
        "place to make sure that relevant professionals and services are notified when EHC plans need "
        "reviewing or updating. Professionals are not routinely informed of requests to submit written "
        "information within specified timescales. Too often, EHC plans are out of date and do not accurately "
        "reflect the needs or views of children and young people, or the views of the families. The "
        "information from EHC plans and annual reviews is not used to inform the commissioning of services, "
        "particularly, but not exclusively, for young people between the ages of 19 and 25 years.",
    ),
]

TITLE = "Joint local area SEND inspection"
# The documents say "March 2019"; the first of the month stands for it.
STARTS_ON = D(2019, 3, 1)
WSOA_DUE_ON = D(2019, 8, 12)

REVISIT_TITLE = "Revisit of the March 2019 inspection (illustrative)"
REVISIT_ON = D(2021, 10, 4)
REVISIT_SUMMARY = (
    "Illustrative: no seed document reports a revisit. The 2019 committee report says that once the WSOA is "
    "approved the area has 18 months before it is re-visited by Ofsted on the areas outlined in the letter; "
    "this revisit, its dates and its judgements are generated for the demonstration."
)
REVISIT_JUDGEMENTS = {
    "ASW1": "Illustrative: records reconciled; leaders know where children and young people with EHC plans are.",
    "ASW2": "Illustrative: a local area quality assurance framework is in place and used across partners.",
    "ASW3": "Illustrative: most new EHC plans are timely and of better quality; annual reviews are catching up.",
}

PAGE_NOTES = {
    ("review", Review.Kind.INSPECTION, STARTS_ON): (
        "Source: Thurrock Council, report to the Extraordinary Children's Services Overview and Scrutiny "
        "Committee, 25 July 2019, item 4. The summary, outcome and the three areas of significant weakness are "
        "quoted from its Executive Summary, the WSOA deadline (12 August 2019) from section 3.1. The report "
        "gives the month of the inspection (March 2019), not its days: the date shown is the first of the "
        "month. The Demo local area is fictional; this wording is Thurrock's."
    ),
    ("review", Review.Kind.REVISIT, REVISIT_ON): (
        "Illustrative: no seed document reports a revisit; its dates and judgements are generated for the "
        "demonstration. It follows up the March 2019 inspection, whose wording is quoted from Thurrock "
        "Council's report of 25 July 2019."
    ),
}


def build(demo: Demo) -> dict[str, Finding]:
    """Create the inspection and its areas of significant weakness; return them by reference."""
    review = ensure(
        Review,
        # Found by kind, not date, so a database loaded before the dates were corrected is put right.
        {"kind": Review.Kind.INSPECTION, "follows_up": None},
        {
            "start_date": STARTS_ON,
            "title": TITLE,
            # "our Ofsted/Care Quality Commission (CQC) Local Area inspection in March 2019" (the strategy).
            "lead_body": "Ofsted and the Care Quality Commission (CQC)",
            "end_date": None,
            "summary": SUMMARY,
            "framework": demo.framework,
            "outcome": Review.Outcome.WSOA,
            "outcome_detail": OUTCOME_DETAIL,
            "wsoa_due_on": WSOA_DUE_ON,
            # Not in the seeds: "18 months" after an approval whose date no seed gives.
            "revisit_due_on": None,
        },
    )
    demo.cite(review, DOCUMENT, "Executive Summary; section 3.1")
    demo.reviews["inspection"] = review
    weaknesses = {}
    for order, (reference, text) in enumerate(WEAKNESSES, start=1):
        weaknesses[reference] = demo.cite(
            ensure(
                Finding,
                {"review": review, "reference": reference},
                {"kind": Finding.Kind.SIGNIFICANT_WEAKNESS, "text": text, "theme": "", "order": order},
            ),
            DOCUMENT,
            f"Executive Summary, area of significant weakness {order}",
        )
    _revisit(demo, review, weaknesses)
    return weaknesses


def _revisit(demo: Demo, inspection: Review, weaknesses: dict[str, Finding]) -> Review:
    """Create the illustrative revisit that follows the inspection up, with a judgement per weakness."""
    revisit = ensure(
        Review,
        {"kind": Review.Kind.REVISIT, "start_date": REVISIT_ON},
        {
            "title": REVISIT_TITLE,
            "lead_body": "Ofsted and the Care Quality Commission (CQC)",
            "end_date": REVISIT_ON + datetime.timedelta(days=2),
            "summary": REVISIT_SUMMARY,
            "framework": demo.framework,
            "outcome": Review.Outcome.SUFFICIENT_PROGRESS,
            "outcome_detail": "Illustrative: sufficient progress in addressing each area of significant weakness.",
            "follows_up": inspection,
        },
    )
    demo.illustrative(revisit)
    demo.reviews["revisit"] = revisit
    for order, (reference, evidence) in enumerate(REVISIT_JUDGEMENTS.items(), start=1):
        demo.illustrative(
            ensure(
                RevisitJudgement,
                {"revisit": revisit, "finding": weaknesses[reference]},
                {"judgement": RevisitJudgement.Judgement.SUFFICIENT, "evidence": evidence, "order": order},
            )
        )
    return revisit
