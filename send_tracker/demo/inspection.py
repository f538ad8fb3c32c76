"""The March 2019 joint Ofsted/CQC local area SEND inspection and its three areas of significant weakness."""

from __future__ import annotations

import datetime

from inspections.models import Finding, Review
from send_tracker.demo.base import Demo, ensure

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

APPROVED_ON = D(2019, 9, 30)


def build(demo: Demo) -> dict[str, Finding]:
    """Create the inspection and its areas of significant weakness; return them by reference."""
    review = ensure(
        Review,
        {"kind": Review.Kind.INSPECTION, "start_date": D(2019, 3, 4)},
        {
            "title": "Joint local area SEND inspection in Thurrock",
            "lead_body": "Ofsted and the Care Quality Commission (CQC)",
            "end_date": D(2019, 3, 8),
            "summary": SUMMARY,
            "framework": demo.framework,
            "outcome": Review.Outcome.WSOA,
            "outcome_detail": OUTCOME_DETAIL,
            "wsoa_due_on": D(2019, 8, 12),
            # Ofsted revisits within 18 months of approving the written statement.
            "revisit_due_on": D(2021, 3, 30),
        },
    )
    demo.reviews["inspection"] = review
    return {
        reference: ensure(
            Finding,
            {"review": review, "reference": reference},
            {"kind": Finding.Kind.SIGNIFICANT_WEAKNESS, "text": text, "theme": "", "order": order},
        )
        for order, (reference, text) in enumerate(WEAKNESSES, start=1)
    }
