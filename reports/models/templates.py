"""Paper templates as data: which sections a council's papers have, in which order, with what guidance,
and which reviewers sign off (required before publishing? printed in the paper?). Administrators edit them.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class PaperTemplate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    summary = models.TextField("starting executive summary", blank=True)
    recommendation = models.TextField("starting recommendation", blank=True)
    appendix_title = models.CharField(
        max_length=300, blank=True, help_text="Title of the action-plan appendix a new paper starts with."
    )
    order = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(PaperTemplate, on_delete=models.PROTECT, related_name="sections")
    heading = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, help_text="Shown to the writer beside the section.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return self.heading


class TemplateSignOff(models.Model):
    template = models.ForeignKey(PaperTemplate, on_delete=models.PROTECT, related_name="sign_offs")
    role = models.CharField(max_length=200)
    required = models.BooleanField(default=True, help_text="The paper cannot be published until signed.")
    printed = models.BooleanField(default=True, help_text="Printed in the paper's report reviewers table.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return self.role
