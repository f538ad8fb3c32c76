"""Committee papers and their templates, by topic; `from reports.models import X` works for every model."""

from reports.models.base import (
    ArchivablePart,
    LivePartManager,
    PaperFrozenError,
    PaperPart,
    PaperPartQuerySet,
    PaperRuleError,
    refuse_if_published,
)
from reports.models.paper import CommitteePaper, PaperQuerySet
from reports.models.parts import (
    PLAN_KINDS,
    Appendix,
    BackgroundPaper,
    Implication,
    Recommendation,
    Section,
    SignOff,
)
from reports.models.templates import PaperTemplate, TemplateSection, TemplateSignOff
from reports.models.versions import PdfIntegrityError, PublishedVersion, PublishedVersionQuerySet

__all__ = [
    "PLAN_KINDS",
    "Appendix",
    "ArchivablePart",
    "BackgroundPaper",
    "CommitteePaper",
    "Implication",
    "LivePartManager",
    "PaperFrozenError",
    "PaperPart",
    "PaperPartQuerySet",
    "PaperQuerySet",
    "PaperRuleError",
    "PaperTemplate",
    "PdfIntegrityError",
    "PublishedVersion",
    "PublishedVersionQuerySet",
    "Recommendation",
    "Section",
    "SignOff",
    "TemplateSection",
    "TemplateSignOff",
    "refuse_if_published",
]
