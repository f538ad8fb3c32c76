"""Load the whole demo in one transaction and count what is there."""

from __future__ import annotations

from django.db import models, transaction

from accounts.models import User
from actions.models import (
    Action,
    ActionUpdate,
    Board,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Organisation,
    Plan,
    Priority,
    RagLevel,
    RagScale,
    SuccessCriterion,
)
from demo import (
    framework,
    governance,
    improvement,
    inspection,
    measures,
    papers,
    papers_2019,
    peer_review,
    people,
    public_page,
    sources,
    strategy,
    wsoa,
)
from demo.base import Demo
from inspections.models import Assessment, Criterion, Finding, Framework, Rating, Review
from reports.models import CommitteePaper, PublishedVersion

SUMMARY_MODELS: list[tuple[str, type[models.Model]]] = [
    ("users", User),
    ("organisations", Organisation),
    ("boards", Board),
    ("meetings", Meeting),
    ("RAG scales", RagScale),
    ("RAG levels", RagLevel),
    ("reviews", Review),
    ("findings", Finding),
    ("frameworks", Framework),
    ("criteria", Criterion),
    ("assessments", Assessment),
    ("ratings", Rating),
    ("plans", Plan),
    ("priorities", Priority),
    ("actions", Action),
    ("success criteria", SuccessCriterion),
    ("action updates", ActionUpdate),
    ("measures", Measure),
    ("measure values", MeasureValue),
    ("measure targets", MeasureTarget),
    ("committee papers", CommitteePaper),
    ("published versions", PublishedVersion),
]


@transaction.atomic
def load(demo: Demo | None = None) -> dict[str, int]:
    """Build or refresh the demo data and return how many rows of each kind the database now holds."""
    demo = demo or Demo.starting_now()
    people.build(demo)
    governance.build(demo)
    framework.build(demo)
    peer_review.build(demo)
    weaknesses = inspection.build(demo)
    wsoa.build(demo, weaknesses)
    strategy.build(demo)
    improvement.build(demo, weaknesses)
    measures.build(demo)
    papers.build(demo)
    papers_2019.build(demo)
    public_page.build(demo)
    sources.sync(demo)
    sources.switch_on(demo)
    return counts()


def counts() -> dict[str, int]:
    """Return the number of rows of each summarised model."""
    return {label: model.objects.count() for label, model in SUMMARY_MODELS}
