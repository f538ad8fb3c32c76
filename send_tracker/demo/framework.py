# Verbatim criteria read best one to a line, as the seed prints them.
# ruff: noqa: E501
"""The 2016 local area SEND inspection framework, as Sunderland's 2018 tracker writes it, and its RAG history.

Criteria wording is verbatim from the seed, with extraction breaks mended (B3's split line, "C 14" is C14).
The seed numbers two criteria C11; codes are unique within a framework, so the second is C11a (C12–C19 keep
the seed's numbers, and a letter suffix is how trackers already number sub-criteria, e.g. A1a). The seed's RAG cells were lost in extraction: the ratings here follow its
section 4 (A9 red; A4, A10 and B2 red until they turned amber; A6 and C3 amber; A14 and A15 green).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from inspections.models import Assessment, Criterion, Framework, Rating, Section
from send_tracker.demo.base import Demo, ensure

NAME = "Local area SEND inspection framework"
YEAR = 2016

MEANINGS = {
    "red_meaning": "Substantial work to be carried out across all service areas",
    "amber_meaning": "Work started but not embedded",
    "green_meaning": "Work started strengths identified in the area",
}

QUALITY = (
    "Quality of identification - In order to assess the quality of identification and assessment "
    "information, inspectors should take into account evidence that the information has been used for:"
)
REPORTING = "Reporting on the effectiveness of identification of need"
ASPECTS = (
    "In order to evaluate how effectively the local area assesses and meets needs, inspectors should take "
    "account of the following aspects:"
)
EVIDENCE = (
    "Inspectors should review information about the effectiveness of the local area's approaches to "
    "improving outcomes. Inspectors should review evidence about:"
)

# The monthly self-assessments: (label, date). The last is the latest.
ASSESSMENTS = [
    ("Jan 18", datetime.date(2018, 1, 31)),
    ("Feb 18", datetime.date(2018, 2, 28)),
    ("Mar 18", datetime.date(2018, 3, 31)),
]

# (code, title, [(code, RAG in each assessment, group heading, wording), …])
# fmt: off
SECTIONS = [
    (
        "Q1",
        "How effectively does the local area identify children and young people who have special educational needs and or disabilities?",
        [
            ("A1", "AAG", "", "When potential needs were raised with the local area by the young person, parents and carers or teachers or other staff working with the young person, and the efficiency and appropriateness of the response"),
            ("A2", "AAA", "", "appropriate monitoring arrangements to ensure assessment information remains up to date"),
            ("A3", "GGG", "", "the effectiveness of routine assessment of educational attainment and progress, including the application of national assessment arrangements"),
            ("A4", "RRA", "", "how social care needs of children and young people are identified and assessed"),
            ("A5", "AAG", "", "the effectiveness of the use of information from early health checks and health screening programmes"),
            ("A6", "RAA", "", "performance towards meeting expected timescales for EHC needs assessments, including for conversion of existing statements of special educational needs to EHC plans"),
            ("A7", "AAA", "", "the timing of assessments in preparation for a child or young person's move from one provider to another, or into adult services"),
            ("A8", "AAG", "", "how school census data is used to identify possible inconsistencies in Identification of needs."),
            ("A9", "RRR", QUALITY, "establishing a baseline for setting targets for progress and improvement towards meeting education, health and social care support or therapy needs"),
            ("A10", "RRA", QUALITY, "informing joint commissioning, predicting the need for services and putting in place provision that meets the needs of children and young people"),
            ("A11", "AAA", QUALITY, "informing planning for effective teaching and other education, health and social care support or therapy"),
            ("A12", "AAA", QUALITY, "evaluating the effectiveness of the teaching and other education, health and social care support or therapy provided"),
            ("A13", "AAA", REPORTING, "children and young people being considered or assessed for, or having, EHC plans"),
            ("A14", "AGG", REPORTING, "children and young people being considered or assessed for, or in receipt of, special educational needs and disability support"),
            ("A15", "AGG", REPORTING, "the thoroughness of the area's understanding of the views of children and young people who have special educational needs and/or disabilities, and their parents and carers"),
            ("A16", "AAA", REPORTING, "the thoroughness of the area's understanding of the views of parents, carers and young people as part of the identification process"),
            ("A17", "AAA", REPORTING, "the extent to which the needs of children and young people who have special educational needs and/or disabilities in the whole local area are identified, irrespective of individuals' characteristics and circumstances, and that this identification is rigorously and routinely reviewed."),
            ("A18", "AAA", REPORTING, "This evaluation will also report on the quality and sufficiency of the information on which the local area has evaluated its own effectiveness in identifying children and young people who have special educational needs and/or disabilities."),
        ],
    ),
    (
        "Q2",
        "How does the local area assess and meet the needs of children and young people who have special educational needs or disability?",
        [
            ("B1", "AAG", ASPECTS, "engagement and co-production with children and young people, and their parents and carers"),
            ("B2", "RRA", ASPECTS, "effectiveness of coordination of assessment between agencies in joint commissioning – clear roles, responsibilities and accountability of partners in assessing and meeting needs"),
            ("B3", "AAA", ASPECTS, "the suitability of EHC plan, (including where relevant alignment with child in need and child protection plans)"),
            ("B4", "AAA", ASPECTS, "satisfaction of parents and carers/satisfaction of children and young people"),
            ("B5", "GGG", ASPECTS, "the local offer, including its development, accessibility and currency"),
            ("B6", "AAA", ASPECTS, "that planning is appropriate to meet the needs of children and young people receiving special educational needs and/or disability support."),
        ],
    ),
    (
        "Q3",
        "How does the local area improves outcomes for children and young people who have special educational needs or disability?",
        [
            ("C1", "AAA", "", "the rigour of the assessment of individual starting points"),
            ("C2", "AAG", "", "the thoroughness of understanding of the young person's special educational need and/or disability"),
            ("C3", "AAA", "", "the impact of teaching and other education, health and social care support or therapy"),
            ("C4", "AAA", "", "the use of national assessment comparative data, where available, to set targets and evaluate outcomes, and that the data shows progress at or above expected levels for the young person's age and starting point"),
            ("C5", "AAA", "", "the rigour of moderation in the evaluation of progress made"),
            ("C6", "RAA", "", "the regularity and effectiveness of reviews of progress"),
            ("C7", "AAA", "", "whether the young person, and their parent/carers, as appropriate, is involved in the co-production of targets and reviews of progress"),
            ("C8", "AAA", "", "whether destinations match aspirations and achievements"),
            ("C9", "AAA", "", "the extent to which the range of outcomes matches the diversity of children and young people who have special educational needs and/or disabilities"),
            ("C10", "RAA", "", "the application of thresholds and eligibility criteria and their clarity and consistency to ensure equity and transparency of service delivery"),
            ("C11", "GGG", "", "availability of services at universal, targeted and specialist levels as identified in the early help and local offer"),
            ("C11a", "AAA", "", "commissioning of education for students who have high levels of need."),
            ("C12", "GGG", EVIDENCE, "early intervention"),
            ("C13", "AAA", EVIDENCE, "personal budgets"),
            ("C14", "AAG", EVIDENCE, "short-break care"),
            ("C15", "AAA", EVIDENCE, "out-of-area placements"),
            ("C16", "RAA", EVIDENCE, "transition arrangements between services and providers"),
            ("C17", "AAA", EVIDENCE, "jointly commissioned specialist educational, medical and therapeutic services"),
            ("C18", "GGG", EVIDENCE, "the use of advisory and advocacy services to support children and young people who have special educational needs and/or disabilities, and their parents and carers"),
            ("C19", "AAG", EVIDENCE, "the thoroughness of the local area's understanding of the views of children and young people who have special educational needs and/or disabilities, and their parents and carers."),
        ],
    ),
]
# fmt: on

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
    """Create the framework, its sections and criteria, and the monthly assessments rating every criterion."""
    framework = ensure(
        Framework,
        {"name": NAME, "year": YEAR},
        {
            "description": (
                "The Ofsted and CQC framework for inspecting local areas' effectiveness in identifying, "
                "assessing and meeting the needs of children and young people with SEND, and improving "
                "their outcomes. Criteria as one council's self-assessment tracker words them."
            ),
            **MEANINGS,
        },
    )
    demo.framework = framework
    criteria: list[tuple[Criterion, str]] = []
    for section_order, (code, title, rows) in enumerate(SECTIONS, start=1):
        section = ensure(
            Section, {"framework": framework, "order": section_order}, {"code": code, "title": title}
        )
        for order, (criterion_code, history, heading, wording) in enumerate(rows, start=1):
            criterion = ensure(
                Criterion,
                {"section": section, "order": order},
                {"code": criterion_code, "wording": wording, "group_heading": heading},
            )
            criteria.append((criterion, history))

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
