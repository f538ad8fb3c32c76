"""Published versions of a paper: the PDF as printed, its checksum and the data it showed. Immutable."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from reports.models.base import PaperFrozenError


class PdfIntegrityError(Exception):
    """The stored PDF of a published version no longer matches the checksum taken when it was published."""


class PublishedVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PaperFrozenError("Published versions are never changed.")

    def delete(self):
        raise PaperFrozenError("Published versions are never deleted.")


class PublishedVersion(models.Model):
    """One published version of a paper: the PDF as printed, its SHA-256 and the data it showed. Immutable."""

    paper = models.ForeignKey("reports.CommitteePaper", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="papers/published/")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(help_text="Bytes.")
    page_count = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="Everything the paper showed, as rendered.")
    note = models.TextField(blank=True, help_text="What a correction changed.")

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="published_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper.title}, version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PaperFrozenError("Published versions are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaperFrozenError("Published versions are never deleted.")

    def read_verified_pdf(self) -> bytes:
        """Return the stored PDF's bytes; raise PdfIntegrityError if they are not what was published."""
        with self.pdf.open("rb") as stored:
            data = stored.read()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PdfIntegrityError(f"{self.pdf.name} does not match its published SHA-256.")
        return data
