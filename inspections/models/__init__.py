"""Where the local area stands: reviews and inspections, their findings, frameworks and RAG assessments.

One module per topic; everything is re-exported here so `from inspections.models import Review` keeps working.
"""

from inspections.models.frameworks import Criterion, Framework, Rag, Section
from inspections.models.ratings import (
    Assessment,
    AssessmentAgreedError,
    IncompleteRoundError,
    Rating,
    RatingError,
)
from inspections.models.reviews import (
    Finding,
    Review,
    ReviewError,
    RevisitJudgement,
    split_pasted_findings,
)

__all__ = [
    "Assessment",
    "AssessmentAgreedError",
    "Criterion",
    "Finding",
    "Framework",
    "IncompleteRoundError",
    "Rag",
    "Rating",
    "RatingError",
    "Review",
    "ReviewError",
    "RevisitJudgement",
    "Section",
    "split_pasted_findings",
]
