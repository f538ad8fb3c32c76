"""Whether this database holds demonstration data, and where each demo record's content comes from.

Only `load_demo` writes these tables, so a production database (where it never runs) has no flag and no
banner. They are not part of the tracker's domain: no roles, no admin, no history.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoDataset(models.Model):
    """One row (pk 1) when `load_demo` has run here: the pages then show the "demonstration data" banner."""

    area_name = models.CharField(max_length=100)
    as_of = models.DateField(help_text="The day the demo's story stands at: live dates are counted from it.")
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.area_name} as of {self.as_of:%d %B %Y}"


class DemoSource(models.Model):
    """Where one demo record comes from: a seed document and its section, or "illustrative" (generated)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # A key of demo.sources.DOCUMENTS, or "" for generated content.
    document = models.CharField(max_length=40, blank=True)
    section = models.CharField(max_length=200, blank=True, help_text="Section, paragraph or page.")
    illustrative = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_source_per_demo_record"),
            models.CheckConstraint(
                condition=models.Q(illustrative=True) | ~models.Q(document=""),
                name="demo_source_names_a_document_or_is_illustrative",
            ),
        ]

    def __str__(self) -> str:
        return (
            "Illustrative" if self.illustrative and not self.document else f"{self.document} {self.section}"
        )
