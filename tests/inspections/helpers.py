"""Builders for inspection tests: a framework with sections, criteria and rated rounds."""

from __future__ import annotations

import datetime
import itertools

from inspections.models import Assessment, Criterion, Framework, Rating, Section

_n = itertools.count(1)


def make_framework(sections: int = 2, per_section: int = 3, **fields) -> Framework:
    fields.setdefault("name", f"Framework {next(_n)}")
    fields.setdefault("year", 2016)
    framework = Framework.objects.create(**fields)
    letters = "ABCDEFGH"
    for s in range(sections):
        section = Section.objects.create(
            framework=framework, code=f"Q{s + 1}", title=f"Question {s + 1}", order=s + 1
        )
        for c in range(per_section):
            Criterion.objects.create(
                section=section, code=f"{letters[s]}{c + 1}", wording=f"Criterion {c + 1}", order=c + 1
            )
    return framework


def add_round(
    framework: Framework, label: str, day: datetime.date, rags: dict[str, str], user=None
) -> Assessment:
    """Add a round rating the given criteria by code ({"A1": "R", …})."""
    assessment = Assessment.objects.create(framework=framework, label=label, assessed_on=day)
    criteria = {c.code: c for c in framework.criteria.all()}
    for code, rag in rags.items():
        Rating.objects.create(assessment=assessment, criterion=criteria[code], rag=rag, rated_by=user)
    return assessment


def make_fourteen_monthly_rounds() -> Framework:
    """Return a framework of two criteria rated in 14 monthly rounds R1 … R14: more than the matrix shows.

    A1 is red for two rounds, then amber; A2 is green in the first round only.
    """
    framework = make_framework(sections=1, per_section=2)
    for month in range(1, 15):
        day = datetime.date(2017 + month // 13, (month - 1) % 12 + 1, 1)
        add_round(framework, f"R{month}", day, {"A1": "R" if month <= 2 else "A", "A2": "GA"[month > 1]})
    return framework
