"""What families see: a plan's public progress page, written and approved by its lead, frozen when published.

Nothing reaches the public page until a plan lead approves it, and the page reads only the snapshot taken by
the last publish, so a half-typed summary never appears. Every approval, publish and withdrawal is in the
history (who and when).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Measure, Plan, Priority
from core.versioning import Versioned


class Publication(Versioned):
    """A plan's public progress page: its plain-words purpose, and what the last publish froze."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="publication")
    purpose = models.TextField(
        "purpose in plain words",
        blank=True,
        help_text="What the plan is for, written for families. Shown at the top of the public page.",
    )
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    stale_message = "Someone else changed the public page first. Nothing was published: check and try again."

    def __str__(self) -> str:
        return f"Public page for {self.plan}"

    @property
    def is_live(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    def publish(self, *, author, version: int) -> None:
        """Freeze what the page shows now (approved text only) and put it live."""
        from public.snapshot import build_snapshot  # the snapshot reads this module's models

        with transaction.atomic():
            self.claim_version(version)
            self.published_at = timezone.now()
            self.snapshot = build_snapshot(self, published_at=self.published_at)
            self.published_by = author
            self.withdrawn_at = None
            self.save()

    def withdraw(self, *, author, version: int) -> None:
        """Take the page down: it answers 410 Gone until published again; the history keeps who did it."""
        with transaction.atomic():
            self.claim_version(version)
            self.withdrawn_at = timezone.now()
            self.save()


class Approvable(Versioned):
    """Text a plan lead writes and then approves; only the approved words are ever published."""

    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    # The fields whose words are published; approving copies them to `approved_<name>`.
    published_fields: tuple[str, ...] = ()

    @property
    def is_approved(self) -> bool:
        """Whether the words as they stand now are the approved ones."""
        return self.approved_at is not None and all(
            getattr(self, name) == getattr(self, f"approved_{name}") for name in self.published_fields
        )

    def approve(self, *, author, version: int) -> None:
        with transaction.atomic():
            self.claim_version(version)
            for name in self.published_fields:
                setattr(self, f"approved_{name}", getattr(self, name))
            self.approved_at = timezone.now()
            self.approved_by = author
            self.save()


class PrioritySummary(Approvable):
    """A priority in plain words for families: what has been done and what happens next."""

    priority = models.OneToOneField(Priority, on_delete=models.PROTECT, related_name="public_summary")
    done = models.TextField("what has been done", blank=True)
    next_steps = models.TextField("what happens next", blank=True)
    approved_done = models.TextField(blank=True, editable=False)
    approved_next_steps = models.TextField(blank=True, editable=False)
    history = HistoricalRecords()

    published_fields = ("done", "next_steps")

    class Meta:
        verbose_name_plural = "priority summaries"

    def __str__(self) -> str:
        return f"Public summary of {self.priority}"


class YouSaidWeDid(Approvable):
    """What families told the area, and what was done about it, linked to a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="you_said_we_did")
    you_said = models.TextField("you said")
    we_did = models.TextField("we did")
    approved_you_said = models.TextField(blank=True, editable=False)
    approved_we_did = models.TextField(blank=True, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    published_fields = ("you_said", "we_did")

    class Meta:
        ordering = ["priority", "order", "pk"]
        verbose_name = "“You said, we did” item"

    def __str__(self) -> str:
        return self.you_said[:60]

    def retire(self, *, version: int) -> None:
        with transaction.atomic():
            self.claim_version(version)
            self.retired_at = timezone.now()
            self.save()


class PublicMeasure(Versioned):
    """A KPI the plan lead chose to show on the public page (chart and table, small numbers suppressed)."""

    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="public")
    is_public = models.BooleanField(default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.measure} ({'public' if self.is_public else 'not public'})"
