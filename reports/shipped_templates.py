"""The paper templates every new database starts with: the council format the seeds show (three starting
points) and a generic one. Shipped by a post_migrate receiver (see reports.apps) into an empty table only,
so a fresh database (or a test's flushed one) gets them and templates a council has edited stay as they are.
"""

from __future__ import annotations

SEED_SECTIONS = [
    (
        "Introduction and Background",
        "Why the paper comes to this committee now, and the background it needs.",
    ),
    (
        "Issues, Options and Analysis of Options",
        "What the committee needs to know: progress, issues, options.",
    ),
    ("Reason for Recommendation", "Why the committee is asked to agree the recommendations."),
    ("Consultation (including Overview and Scrutiny, if applicable)", "Who was consulted."),
    (
        "Impact on corporate policies, priorities, performance and community impact",
        "Which corporate priorities the paper contributes to.",
    ),
]
# The seeds print no reviewers' table: implications carry "verified by" instead, so sign-offs are required
# before publishing but not printed.
SEED_SIGN_OFFS = [("Finance", True, False), ("Legal", True, False), ("Diversity and equality", True, False)]

TEMPLATES = [
    (
        "SEND improvement progress update",
        "The council report format of the seeds, for a progress update on the SEND improvement plan.",
        "This report updates the Committee on progress against the local area's SEND improvement plan.",
        "That the Committee consider and comment on the progress made.",
        "Action plan and progress",
        SEED_SECTIONS,
        SEED_SIGN_OFFS,
    ),
    (
        "WSOA progress",
        "The council report format of the seeds, for a Written Statement of Action progress update.",
        "This report updates the Committee on progress against the Written Statement of Action.",
        "That the Committee consider and comment on the progress made against the Written Statement of "
        "Action.",
        "Written Statement of Action: action plan and progress",
        SEED_SECTIONS,
        SEED_SIGN_OFFS,
    ),
    (
        "Peer review response",
        "The council report format of the seeds, as for the 2017 peer review report.",
        "This report provides an overview of the recommendations of the peer review and the actions that "
        "follow.",
        "That the Committee consider the recommendations of the Peer Review and the Action Plan.",
        "Peer Review Action Plan",
        SEED_SECTIONS,
        SEED_SIGN_OFFS,
    ),
    (
        "Generic committee report",
        "A generic format with a printed report reviewers' table.",
        "",
        "That the Committee note the report.",
        "Action plan",
        [
            ("Introduction", "The purpose of the report and its background."),
            ("Alternative options", "Other options considered, and why they were rejected."),
            ("Community impact", "The effect on residents, children and families."),
            ("Environmental impact", "Any environmental effect, or none."),
            ("Equality duty", "How the public sector equality duty has been considered."),
            ("Risk management", "The main risks and how they are managed."),
            ("Consultees", "Who was consulted."),
        ],
        [("Director", True, True), ("Chief Finance Officer", True, True), ("Monitoring Officer", True, True)],
    ),
]


def ship(apps) -> None:
    """Create the shipped templates, with their sections and sign-offs, unless any template exists."""
    PaperTemplate = apps.get_model("reports", "PaperTemplate")
    TemplateSection = apps.get_model("reports", "TemplateSection")
    TemplateSignOff = apps.get_model("reports", "TemplateSignOff")
    if PaperTemplate.objects.exists():
        return
    for order, (name, description, summary, recommendation, appendix, sections, sign_offs) in enumerate(
        TEMPLATES, start=1
    ):
        template = PaperTemplate.objects.create(
            name=name,
            description=description,
            summary=summary,
            recommendation=recommendation,
            appendix_title=appendix,
            order=order,
        )
        for position, (heading, guidance) in enumerate(sections, start=1):
            TemplateSection.objects.create(
                template=template, heading=heading, guidance=guidance, order=position
            )
        for position, (role, required, printed) in enumerate(sign_offs, start=1):
            TemplateSignOff.objects.create(
                template=template, role=role, required=required, printed=printed, order=position
            )


def ship_after_migrate(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """post_migrate receiver: ship the templates into a new (or flushed) database."""
    from django.apps import apps as global_apps
    from django.db import router

    if router.allow_migrate(using, "reports"):
        ship(apps or global_apps)
