"""The live plan's public progress page: plain-words summaries, two "You said, we did" items, two KPIs.

Illustrative text written for the demonstration. Published once, on the first load; a later load leaves
the page (and whatever people changed on it) alone, as it does for what people change elsewhere.
"""

from __future__ import annotations

from actions.models import Measure
from demo.base import Demo, ensure
from public.models import PrioritySummary, Publication, PublicMeasure, YouSaidWeDid

PURPOSE = (
    "This plan sets out how the council, the NHS and schools will make support for children and young "
    "people with special educational needs and disabilities (SEND) better.\n\n"
    "It follows the inspection of our local area. This page shows how each part of the plan is going."
)

# priority number: (what has been done, what happens next)
SUMMARIES = {
    "1": (
        "We checked the records of every child with an education, health and care plan.\n\n"
        "We now know where each child goes to school and what help they get.",
        "We will check the records every month. We will fix any mistake within two weeks.",
    ),
    "2": (
        "Leaders now meet every month to check the quality of the help children get.\n\n"
        "They look at what families tell us as well as at the figures.",
        "We will check the services we buy for children, starting with speech and language therapy.",
    ),
    "3": (
        "More plans are now finished within 20 weeks. Plans now include what children and families want.",
        "We will bring every annual review up to date by the end of the year.",
    ),
}

# priority number: [(you said, we did)]
YOU_SAID_WE_DID = {
    "3": [
        (
            "Plans took too long, and we had to tell our story again and again.",
            "We hired more caseworkers. Each family now has one named worker.",
        )
    ],
    "2": [
        (
            "You did not know who to ask when things went wrong.",
            "We put one phone number and email address on the Local Offer website.",
        )
    ],
}

PUBLIC_MEASURES = 2


def build(demo: Demo) -> Publication:
    plan = demo.plans["improvement"]
    approver = demo.user("lead")
    for number, (done, next_steps) in SUMMARIES.items():
        ensure(
            PrioritySummary,
            {"priority": demo.priorities[("improvement", number)]},
            on_create={
                "done": done,
                "next_steps": next_steps,
                "approved_done": done,
                "approved_next_steps": next_steps,
                "approved_at": demo.now,
                "approved_by": approver,
            },
        )
    for number, items in YOU_SAID_WE_DID.items():
        for order, (you_said, we_did) in enumerate(items):
            ensure(
                YouSaidWeDid,
                {"priority": demo.priorities[("improvement", number)], "order": order},
                on_create={
                    "you_said": you_said,
                    "we_did": we_did,
                    "approved_you_said": you_said,
                    "approved_we_did": we_did,
                    "approved_at": demo.now,
                    "approved_by": approver,
                },
            )
    for measure in Measure.objects.filter(plan=plan).order_by("order")[:PUBLIC_MEASURES]:
        ensure(PublicMeasure, {"measure": measure}, on_create={"is_public": True})
    publication = ensure(Publication, {"plan": plan}, on_create={"purpose": PURPOSE})
    if publication.published_at is None:
        publication.publish(author=approver, version=publication.version)
    return publication
