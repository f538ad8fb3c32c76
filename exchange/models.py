"""An uploaded file waiting for its preview to be confirmed, and the column mapping each user last used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportUpload(models.Model):
    """A file that passed the safety checks, kept until its import is confirmed (or abandoned).

    Confirming reads the stored file again with the confirmed mapping, so what is written is exactly what
    the preview showed for that file, never a second upload.
    """

    class Kind(models.TextChoices):
        ACTION_PLAN = "action_plan", "Action plan"
        RAG_GRID = "rag_grid", "Framework RAG grid"
        KPI_SHEET = "kpi_sheet", "KPI sheet"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    plan = models.ForeignKey(
        "actions.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    framework = models.ForeignKey(
        "inspections.Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()})"

    def claim_import(self) -> bool:
        """Mark the file imported, once; return False if it already was. Call inside the import's transaction.

        One conditional UPDATE is the guard: a second confirm waits on the row until the first commits (then
        finds it imported) or rolls back (then may import it itself), so a file is never imported twice.
        """
        now = timezone.now()
        claimed = ImportUpload.objects.filter(pk=self.pk, imported_at__isnull=True).update(imported_at=now)
        if claimed:
            self.imported_at = now
        return bool(claimed)

    @property
    def mapping_key(self) -> str:
        if self.kind == self.Kind.ACTION_PLAN:
            return f"plan:{self.plan_id}"
        if self.kind == self.Kind.KPI_SHEET:
            return f"kpis:{self.plan_id}"
        return f"framework:{self.framework_id}"


class ImportMapping(models.Model):
    """The columns a user last mapped for a plan (or a framework's grid), offered again next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, help_text='"plan:<id>" or "framework:<id>"')
    mapping = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_mapping_per_user_and_key")]

    def __str__(self) -> str:
        return f"{self.user} {self.key}"
