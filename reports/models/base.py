"""What every part of a committee paper shares: frozen once the paper is published, archived not deleted."""

from __future__ import annotations

from django.apps import apps
from django.db import models


class PaperFrozenError(Exception):
    """Raised when code tries to change a published paper, one of its parts or a published version."""


class PaperRuleError(Exception):
    """A paper write broke one of its rules (e.g. publishing before every required sign-off)."""


def refuse_if_published(paper_ids) -> None:
    """Raise PaperFrozenError if any of these papers is published."""
    paper_model = apps.get_model("reports", "CommitteePaper")
    if paper_model.objects.filter(pk__in=paper_ids, status=paper_model.Status.PUBLISHED).exists():
        raise PaperFrozenError("A published paper's parts cannot be changed.")


class PaperPartQuerySet(models.QuerySet):
    """Refuses bulk writes that would reach a published paper's parts."""

    def update(self, **kwargs):
        refuse_if_published(self.values("paper_id"))
        return super().update(**kwargs)

    def delete(self):
        refuse_if_published(self.values("paper_id"))
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_published({obj.paper_id for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_published({obj.paper_id for obj in objs})
        return super().bulk_update(objs, *args, **kwargs)


class PaperPart(models.Model):
    """Base of the parts of a paper: none can be saved or deleted while the paper is published."""

    objects = PaperPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        refuse_if_published([self.paper_id])


class LivePartManager(models.Manager.from_queryset(PaperPartQuerySet)):
    """The parts a paper shows: archived ones (removed in the app, never deleted) are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class ArchivablePart(PaperPart):
    """A part the plan lead can remove from the paper: it is archived (kept, with its history), not deleted.

    `objects` (and so `paper.sections` and the like, the snapshot and the PDF) sees live parts only;
    `all_objects` sees archived ones too.
    """

    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LivePartManager()
    all_objects = PaperPartQuerySet.as_manager()

    class Meta:
        abstract = True
