# Verbatim commentary reads best one to a line, as the seed prints it.
# ruff: noqa: E501
"""The 2016 local area SEND inspection framework, as Sunderland's 2018 tracker writes it, and its RAG history.

Criteria wording is verbatim from the seed, with extraction breaks mended (B3's split line, "C 14" is C14); it
lives in inspections/framework_data/local_area_send_2016.json, loaded as `manage.py load_frameworks` does.
The seed numbers two criteria C11; codes are unique within a framework, so the second is C11a (C12–C19 keep
the seed's numbers, and a letter suffix is how trackers already number sub-criteria, e.g. A1a). The seed's
RAG cells were lost in extraction: the ratings here follow its section 4 (A9 red; A4, A10 and B2 red until
they turned amber; A6 and C3 amber; A14 and A15 green).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from inspections.loading import load_all
from inspections.models import Assessment, Rating
from send_tracker.demo.base import Demo, ensure

NAME = "Local area SEND inspection framework"
YEAR = 2016

# The monthly self-assessments: (label, date). The last is the latest.
ASSESSMENTS = [
    ("Jan 18", datetime.date(2018, 1, 31)),
    ("Feb 18", datetime.date(2018, 2, 28)),
    ("Mar 18", datetime.date(2018, 3, 31)),
]

# Each criterion's rating in the three rounds (illustrative: the seed's cells were lost; see the docstring).
# The criteria themselves are data: inspections/framework_data/local_area_send_2016.json.
HISTORY = {
    "A1": "AAG",
    "A2": "AAA",
    "A3": "GGG",
    "A4": "RRA",
    "A5": "AAG",
    "A6": "RAA",
    "A7": "AAA",
    "A8": "AAG",
    "A9": "RRR",
    "A10": "RRA",
    "A11": "AAA",
    "A12": "AAA",
    "A13": "AAA",
    "A14": "AGG",
    "A15": "AGG",
    "A16": "AAA",
    "A17": "AAA",
    "A18": "AAA",
    "B1": "AAG",
    "B2": "RRA",
    "B3": "AAA",
    "B4": "AAA",
    "B5": "GGG",
    "B6": "AAA",
    "C1": "AAA",
    "C2": "AAG",
    "C3": "AAA",
    "C4": "AAA",
    "C5": "AAA",
    "C6": "RAA",
    "C7": "AAA",
    "C8": "AAA",
    "C9": "AAA",
    "C10": "RAA",
    "C11": "GGG",
    "C11a": "AAA",
    "C12": "GGG",
    "C13": "AAA",
    "C14": "AAG",
    "C15": "AAA",
    "C16": "RAA",
    "C17": "AAA",
    "C18": "GGG",
    "C19": "AAG",
}

# Section 4 of the seed, on the latest assessment: code -> (commentary, next steps to achieve green).
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
        "- Development of a data sharing protocol between health and education/social care to ensure effective identification leading to robust commissioning arrangements",
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
        "  - Higher education/employment\n"
        "  - Independent living\n"
        "  - Participation in society\n"
        "  - Being as healthy as possible in adult life.\n"
        "- Consistently apply a quality assurance framework across the Local Area that systematically embeds feedback from children and young people and their families about their experiences of services, processes and progress towards their outcomes alongside performance management and self-review.",
    ),
    "A18": (
        "",
        "- Reporting on the effectiveness of identification of need\n"
        "  - JSNA in development\n"
        "  - SEND analysis using PLASC data has been completed\n"
        "  - Sunderland University research – emphasis on next phase of the research – SEMH identified in initial research as a key area for development",
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


def build(demo: Demo) -> None:
    """Load the published frameworks (as production does), then the monthly assessments of the 2016 one."""
    frameworks = {(f.name, f.year): f for f in load_all()}
    framework = frameworks[(NAME, YEAR)]
    demo.framework = framework
    criteria = [
        (criterion, HISTORY[criterion.code])
        for criterion in framework.criteria.order_by("section__order", "order")
    ]

    latest = len(ASSESSMENTS) - 1
    for index, (label, assessed_on) in enumerate(ASSESSMENTS):
        assessment = ensure(
            Assessment,
            {"framework": framework, "assessed_on": assessed_on},
            {"label": label, "notes": "Compiled in conjunction with partners." if index == latest else ""},
        )
        wanted = {}
        for criterion, history in criteria:
            commentary, next_steps = (
                LATEST_COMMENTARY.get(criterion.code, ("", "")) if index == latest else ("", "")
            )
            wanted[criterion.pk] = {"rag": history[index], "commentary": commentary, "next_steps": next_steps}
        _sync_ratings(demo, assessment, wanted)


def _sync_ratings(demo: Demo, assessment: Assessment, wanted: dict[int, dict[str, str]]) -> None:
    """Create missing ratings in bulk and correct any that differ from the seed."""
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
