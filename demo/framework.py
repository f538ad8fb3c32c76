# Verbatim commentary reads best one to a line, as the seed prints it.
# ruff: noqa: E501
"""The 2016 local area SEND inspection framework, as Sunderland's 2018 tracker words it, and its rating rounds.

Criteria wording is verbatim from the seed, with extraction breaks mended (B3's split line, "C 14" is C14); it
lives in inspections/framework_data/local_area_send_2016.json, loaded as `manage.py load_frameworks` does.
The seed numbers two criteria C11; codes are unique within a framework, so the second is C11a.

The seed's table has two rounds, Feb 18 and Mar 18, whose coloured cells were lost in extraction. Its section 4
names the ratings it supports, and only those are loaded: A4, A10 and B2 red in Feb 18 and amber in Mar 18
("Reds – turned to amber"); A9 red, A6 and C3 amber, A14 and A15 green in Mar 18. Their commentary is section
4's bullets word for word; the "Next steps to achieve a green rating" list is kept whole on C3, which it follows
in the seed. Every other criterion is unrated in the seed's rounds. One illustrative round follows them
(Jun 18), rating every criterion, labelled illustrative.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from demo.base import Demo, ensure
from inspections.loading import load_all
from inspections.models import Assessment, Rating

NAME = "Local area SEND inspection framework"
YEAR = 2016

DOCUMENT = "sunderland-2018"

# The seed's rounds (its table's columns), then the illustrative one: (label, date, illustrative).
ASSESSMENTS = [
    ("Feb 18", datetime.date(2018, 2, 28), False),
    ("Mar 18", datetime.date(2018, 3, 31), False),
    ("Jun 18 (illustrative)", datetime.date(2018, 6, 30), True),
]
SEED_NOTES = (
    "From the seed's RAG table (Feb 18 and Mar 18 columns): only the ratings its section 4 names are loaded; "
    "the other cells were lost in extraction, so those criteria are unrated here."
)
ILLUSTRATIVE_NOTES = "Illustrative: generated for the demonstration, after the seed's two rounds."

# The seed's own ratings: round label -> code -> (RAG, section of the seed that gives it).
SEED_RATINGS = {
    "Feb 18": {
        "A4": ("R", "section 4.2 (Reds – turned to amber)"),
        "A10": ("R", "section 4.2 (Reds – turned to amber)"),
        "B2": ("R", "section 4.2 (Reds – turned to amber)"),
    },
    "Mar 18": {
        "A9": ("R", "section 4.1 (Reds)"),
        "A4": ("A", "section 4.2 (Reds – turned to amber)"),
        "A10": ("A", "section 4.2 (Reds – turned to amber)"),
        "B2": ("A", "section 4.2 (Reds – turned to amber)"),
        "A6": ("A", "section 4.3 (Amber Rating)"),
        "C3": ("A", "section 4.3 (Amber Rating)"),
        "A14": ("G", "section 4.4 (Green rating)"),
        "A15": ("G", "section 4.4 (Green rating)"),
    },
}

# The illustrative round: every criterion; A9 turns amber, A6 and A10 green, C6 and C16 (unrated in the seed) red.
ILLUSTRATIVE = {
    "A1": "G", "A2": "A", "A3": "G", "A4": "A", "A5": "G", "A6": "G", "A7": "A", "A8": "G", "A9": "A",
    "A10": "G", "A11": "A", "A12": "A", "A13": "A", "A14": "G", "A15": "G", "A16": "A", "A17": "A",
    "A18": "A", "B1": "G", "B2": "A", "B3": "A", "B4": "A", "B5": "G", "B6": "A", "C1": "A", "C2": "G",
    "C3": "A", "C4": "A", "C5": "A", "C6": "R", "C7": "A", "C8": "A", "C9": "A", "C10": "A", "C11": "G",
    "C11a": "A", "C12": "G", "C13": "A", "C14": "G", "C15": "A", "C16": "R", "C17": "A", "C18": "G",
    "C19": "G",
}  # fmt: skip

# Section 4 of the seed, word for word, on the Mar 18 round: code -> (commentary, next steps to achieve green).
LATEST_COMMENTARY = {
    "A9": (
        "Challenge remains around establishing joint working protocols and structures\n"
        "- Baseline targets established by education settings\n"
        "- Social care support – needs further consideration\n"
        "- Therapy needs – discussions underway with health",
        "",
    ),
    "A4": (
        "- There has been an acceptance by children's social care of the need to ensure that all children and young people have a CIN assessment as part of the process. There are issues with capacity of social workers to be more responsive to requests\n"
        "- Review of transitions protocols – need to ensure that all colleagues are aware of responsibilities – adult services\n"
        "- Further training to be carried out to ensure that all staff have a clear understanding of their responsibilities",
        "",
    ),
    "A10": (
        "- SEND analysis carried out using existing PLASC data\n"
        "- Public health needs analysis carried out – Lorraine Hughes\n"
        "- Waiting for CCG analysis to inform broader issues\n"
        "- Strategic groups agreed – see policy and terms of reference\n"
        "- Current framework for commissioning of services agreed\n"
        "- Process map agreed for future commissioning approaches\n"
        "- Commissioning process agreed between education, social care, public health and CCG",
        "",
    ),
    "B2": (
        "- See above – JSNA being co-ordinated\n"
        "- Strategic groups in place\n"
        "- Roles and responsibilities shared with colleagues – common understanding but need to ensure that needs assessments inform strategic planning",
        "",
    ),
    "A6": (
        "- All conversions from statements to EHC plans have been met in the agreed timescale\n"
        "- % of plans being completed within the 20 week timescale has been improved from 69% in January 2018 to 86% in February 2018",
        "",
    ),
    "C3": (
        "- Performance analysis carried out by SIO SEN\n"
        "- Shared intelligence meeting (focus SEND) to highlight impact of teaching on outcomes\n"
        "- Annual review process to identify progress on impact on all outcomes",
        "- Need feedback from those who have accessed Disability Matters and teaching from the community children's nurse specialists\n"
        "- Need to establish quality assurance mechanisms in health and social care with a clear focus on outcomes\n"
        "- Work with schools to ensure that the graduated response is robust and schools make more consistent use of SEN support plan format to meet identified need.\n"
        "- Implement measures for achievement of outcomes identified in individual (EHC) plans.\n"
        "- Capture the agreed progress of every child and young person towards the following outcomes through annual review, using a consistent 'measuring' framework:\n"
        " - Higher education/employment\n"
        " - Independent living\n"
        " - Participation in society\n"
        " - Being as healthy as possible in adult life.\n"
        "- Consistently apply a quality assurance framework across the Local Area that systematically embeds feedback from children and young people and their families about their experiences of services, processes and progress towards their outcomes alongside performance management and self-review.\n"
        "- Reporting on the effectiveness of identification of need\n"
        " - JSNA in development\n"
        " - SEND analysis using PLASC data has been completed\n"
        " - Sunderland University research – emphasis on next phase of the research – SEMH identified in initial research as a key area for development\n"
        "- Development of a data sharing protocol between health and education/social care to ensure effective identification leading to robust commissioning arrangements",
    ),
    "A14": (
        "- Need to ensure that all professionals strengthen person centred approaches across all aspects of work",
        "",
    ),
    "A15": (
        "- Need to strengthen mechanisms to receive feedback from children and young people. Need to appoint a participation lead to facilitate this work with young people.",
        "",
    ),
}

PAGE_NOTES = {
    ("framework", NAME, YEAR): (
        "Source: the criteria and the Feb 18 and Mar 18 rounds are quoted from Together for Children "
        "(Sunderland)'s 2018 SEND update to its Children, Education and Skills Scrutiny Committee (section 3, "
        "RAG rating; section 4, progress to date). The seed's coloured cells were lost: only the ratings its "
        "section 4 names are shown, and other criteria are unrated in those rounds. The Jun 18 round is "
        "illustrative. The Demo local area is fictional; this commentary is Sunderland's."
    ),
}


def build(demo: Demo) -> None:
    """Load the published frameworks (as production does), then the seed's rounds and the illustrative one."""
    frameworks = {(f.name, f.year): f for f in load_all()}
    framework = frameworks[(NAME, YEAR)]
    demo.framework = framework
    demo.cite(framework, DOCUMENT, "section 3 (RAG rating: meanings, questions and criteria)")
    criteria = list(framework.criteria.order_by("section__order", "order"))
    for criterion in criteria:
        demo.cite(criterion, DOCUMENT, f"section 3, criterion {criterion.code}")
    by_code = {criterion.code: criterion for criterion in criteria}
    for label, assessed_on, illustrative in ASSESSMENTS:
        assessment = ensure(
            Assessment,
            {"framework": framework, "assessed_on": assessed_on},
            {"label": label, "notes": ILLUSTRATIVE_NOTES if illustrative else SEED_NOTES},
        )
        if illustrative:
            demo.illustrative(assessment)
            wanted = {
                by_code[code].pk: {"rag": rag, "commentary": "", "next_steps": ""}
                for code, rag in ILLUSTRATIVE.items()
            }
        else:
            demo.cite(assessment, DOCUMENT, f"section 3, RAG rating table, column {label}")
            wanted = {}
            for code, (rag, _section) in SEED_RATINGS[label].items():
                commentary, next_steps = (
                    LATEST_COMMENTARY.get(code, ("", "")) if label == "Mar 18" else ("", "")
                )
                wanted[by_code[code].pk] = {"rag": rag, "commentary": commentary, "next_steps": next_steps}
        ratings = _sync_ratings(demo, assessment, wanted)
        for rating in ratings:
            if illustrative:
                demo.illustrative(rating)
            else:
                code = next(c for c, criterion in by_code.items() if criterion.pk == rating.criterion_id)
                demo.cite(rating, DOCUMENT, SEED_RATINGS[label][code][1])


def _sync_ratings(demo: Demo, assessment: Assessment, wanted: dict[int, dict[str, str]]) -> list[Rating]:
    """Create missing ratings in bulk, correct any that differ and remove any the seed does not support."""
    existing = {rating.criterion_id: rating for rating in assessment.ratings.all()}
    rated_by = demo.user("lead")
    missing = [
        Rating(assessment=assessment, criterion_id=pk, rated_by=rated_by, **values)
        for pk, values in wanted.items()
        if pk not in existing
    ]
    if missing:
        bulk_create_with_history(missing, Rating, default_user=rated_by)
        # rated_at is auto_now; the demo dates these ratings to the day of the assessment.
        rated_at = timezone.make_aware(datetime.datetime.combine(assessment.assessed_on, datetime.time(17)))
        assessment.ratings.filter(pk__in=[rating.pk for rating in missing]).update(rated_at=rated_at)
    for pk, rating in existing.items():
        changed = [name for name, value in wanted.get(pk, {}).items() if getattr(rating, name) != value]
        if changed:
            for name in changed:
                setattr(rating, name, wanted[pk][name])
            rating.save(update_fields=[*changed, "rated_at"])
    # A database loaded before the seed's unsupported ratings were dropped: take them out of the seed's rounds.
    unsupported = [pk for pk in existing if pk not in wanted]
    if unsupported:
        Rating.objects.filter(assessment=assessment, criterion_id__in=unsupported).delete()
    return list(assessment.ratings.all())
