"""Plans and their priorities."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.cycle import DEFAULT_WORKING_DAYS, MAX_CYCLE_DAYS, MAX_WORKING_DAYS
from actions.history import SnapshotHistoricalRecords
from actions.models.boards import Board
from actions.models.scales import RagLevel, RagScale
from actions.querysets import PriorityQuerySet
from core.roles import UPDATE_ANY_ACTION
from core.versioning import Versioned

DEFAULT_TOLERANCE_DAYS = 28
MAX_TOLERANCE_DAYS = 365


class Plan(Versioned):
    class Kind(models.TextChoices):
        WSOA = "wsoa", "Written statement of action"
        PRIORITY_ACTION_PLAN = "priority_action_plan", "Priority action plan (area SEND)"
        ACCELERATED_PROGRESS = "accelerated_progress", "Accelerated progress plan"
        PEER_REVIEW = "peer_review", "Peer review action plan"
        STRATEGY = "strategy", "Strategy delivery plan"
        IMPROVEMENT = "improvement", "Improvement plan"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        ACTIVE = "active", "Approved and in delivery"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    review = models.ForeignKey(
        "inspections.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The review or inspection this plan answers.",
    )
    # A plan can answer more than one review, e.g. a WSOA refreshed after a revisit.
    reviews = models.ManyToManyField(
        "inspections.Review",
        blank=True,
        related_name="answering_plans",
        help_text="Every review this plan answers (including the one above).",
    )
    due_on = models.DateField(
        "submission due", null=True, blank=True, help_text="When the plan must be submitted, e.g. to Ofsted."
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="Owning board.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plans_led"
    )
    rag_scale = models.ForeignKey(RagScale, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    update_cycle_days = models.PositiveIntegerField(
        "update cycle (days)",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CYCLE_DAYS)],
        help_text="Without a board meeting to work to, updates fall due every this many days.",
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        "update deadline (working days before the meeting)",
        default=DEFAULT_WORKING_DAYS,
        validators=[MaxValueValidator(MAX_WORKING_DAYS)],
        help_text="Updates are due this many working days before the owning board's next meeting.",
    )
    off_track_tolerance_days = models.PositiveSmallIntegerField(
        "off-track tolerance (days overdue)",
        default=DEFAULT_TOLERANCE_DAYS,
        validators=[MaxValueValidator(MAX_TOLERANCE_DAYS)],
        help_text=(
            "An open action overdue by up to this many days puts what it answers at risk; overdue by more, "
            "off track."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update_cycle_days__gte=1, update_cycle_days__lte=MAX_CYCLE_DAYS),
                name="plan_update_cycle_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline_working_days__lte=MAX_WORKING_DAYS),
                name="plan_deadline_working_days_valid",
            ),
            models.CheckConstraint(
                condition=Q(off_track_tolerance_days__lte=MAX_TOLERANCE_DAYS),
                name="plan_off_track_tolerance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # Only an approved plan in delivery takes updates from officers; a draft or submitted plan takes them
    # from plan leads (a baseline while it awaits approval); a closed plan from nobody.
    OPEN_TO_PLAN_LEADS_ONLY = (Status.DRAFT, Status.SUBMITTED)

    def update_refusal(self, author) -> str:
        """Return why `author` may not record an action update under this plan's status, or "" if they may."""
        return self.refusal_in(self.status, author)

    @classmethod
    def refusal_in(cls, status: str, author) -> str:
        if status == cls.Status.CLOSED:
            return "This plan is closed: its actions no longer take updates."
        if status in cls.OPEN_TO_PLAN_LEADS_ONLY and not author.has_perm(UPDATE_ANY_ACTION):
            return "This plan is not approved yet: only a plan lead can update its actions."
        return ""

    @classmethod
    def statuses_open_to(cls, author) -> list[str]:
        """Return the plan statuses under which `author` may record action updates."""
        return [status for status in cls.Status.values if not cls.refusal_in(status, author)]

    # Where a plan may go from each status; "approved" puts it in delivery.
    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.DRAFT, Status.ACTIVE),
        Status.ACTIVE: (Status.CLOSED,),
        Status.CLOSED: (Status.ACTIVE,),
    }

    def next_statuses(self) -> list[Plan.Status]:
        return [self.Status(status) for status in self.TRANSITIONS[self.Status(self.status)]]

    def move_to(self, status: str, *, version: int) -> None:
        """Move the plan to `status` if allowed from where it is; who and when are kept in its history."""
        if status not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValidationError(
                f"A plan that is {self.get_status_display().lower()} cannot move to "
                f"{self.Status(status).label.lower()}."
            )
        self.status = status
        fields = ["status"]
        if status == self.Status.ACTIVE and self.approved_on is None:
            self.approved_on = timezone.localdate()
            fields.append("approved_on")
        self.save_edit(version=version, fields=fields)

    def set_archived(self, archived: bool, *, version: int) -> None:
        self.archived_at = timezone.now() if archived else None
        self.save_edit(version=version, fields=["archived_at"])

    def levels_in_use(self) -> list[RagLevel]:
        """Return the levels the plan's actions (archived ones too) are rated at, in scale order."""
        used = self.actions.exclude(rag=None).values("rag")
        return list(RagLevel.objects.filter(pk__in=used).order_by("order"))

    def move_to_scale(self, scale: RagScale, mapping: dict[int, RagLevel], *, author, version: int) -> int:
        """Move the plan to `scale`, mapping each level in use (old level id -> new level), in one step.

        Every action's move is logged as an update. Returns how many actions moved. Raises ValidationError
        if a level in use has no mapping or maps outside the new scale, StaleVersionError if the plan changed.
        """
        in_use = self.levels_in_use()
        missing = [level.label for level in in_use if level.pk not in mapping]
        if missing:
            raise ValidationError(f"Choose a level of {scale} for: {', '.join(missing)}.")
        if any(level.scale_id != scale.pk or level.retired_at for level in mapping.values()):
            raise ValidationError(f"Map every level to a current level of {scale}.")
        old_scale = self.rag_scale
        moved = 0
        with transaction.atomic():
            self.rag_scale = scale
            self.save_edit(version=version, fields=["rag_scale"])
            for action in self.actions.exclude(rag=None).select_related("rag", "plan"):
                new_level = mapping[action.rag_id]
                note = (
                    f"The plan moved from the {old_scale} scale to {scale}: "
                    f"“{action.rag.label}” is now “{new_level.label}”."
                )
                action.remap_rag(new_level, author=author, note=note)
                moved += 1
        return moved

    def add_priority(
        self, *, number: str, title: str, order: int | None = None, description: str = "", lead=None
    ) -> Priority:
        """Create a priority of this plan: the one creation path of the plan pages and the import.

        Raises ValidationError when the number is taken in this plan or a field breaks its limits.
        """
        number = number.strip()
        if self.priorities.filter(number=number).exists():
            raise ValidationError({"number": "Another priority in this plan has this number"})
        if order is None:
            order = self.priorities.count() + 1
        priority = Priority(
            plan=self, number=number, title=title.strip(), order=order, description=description, lead=lead
        )
        priority.full_clean(exclude=["plan", "lead", "findings", "criteria"], validate_unique=False)
        priority.save()
        return priority

    def status_changes(self) -> list:
        """Return the plan's history records where its status changed, newest first (who and when)."""
        records = list(self.history.select_related("history_user").order_by("history_id"))
        changes = [
            record
            for previous, record in zip([None, *records], records, strict=False)
            if previous is None or previous.status != record.status
        ]
        return changes[::-1]


class Priority(Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="priorities")
    number = models.CharField(max_length=10, help_text="e.g. 1, 2 or 3")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="priorities_led",
    )
    findings = models.ManyToManyField(
        "inspections.Finding",
        blank=True,
        related_name="priorities",
        help_text="Findings this priority addresses.",
    )
    criteria = models.ManyToManyField(
        "inspections.Criterion",
        blank=True,
        related_name="priorities",
        help_text="Framework criteria it addresses.",
    )
    order = models.PositiveIntegerField(default=0)
    history = SnapshotHistoricalRecords(m2m_fields=[findings, criteria])

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def add_action(
        self,
        *,
        reference: str,
        description: str,
        due_date: datetime.date,
        start_date: datetime.date | None = None,
        success_measure: str = "",
        accountable_officer=None,
        order: int | None = None,
        leads=(),
        lead_organisations=(),
        criteria=(),
    ):
        """Create an action under this priority: the one creation path of the plan pages and the import.

        Raises ValidationError when the reference is taken in the plan or the due date is before the start.
        """
        action_model = self.actions.model  # Action lives in a module that imports this one
        reference = reference.strip()
        if action_model.objects.filter(plan_id=self.plan_id, reference=reference).exists():
            raise ValidationError({"reference": "Another action in this plan has this reference"})
        if start_date and due_date < start_date:
            raise ValidationError({"start_date": "The start date must be on or before the due date"})
        if order is None:
            order = self.actions.count() + 1
        with transaction.atomic():
            action = action_model.objects.create(
                plan_id=self.plan_id,
                priority=self,
                reference=reference,
                description=description,
                due_date=due_date,
                start_date=start_date,
                success_measure=success_measure,
                accountable_officer=accountable_officer,
                order=order,
            )
            if leads:
                action.leads.set(leads)
            if lead_organisations:
                action.lead_organisations.set(lead_organisations)
            action.set_success_criteria([text for text in criteria if text])
        return action


class CadenceChange(Versioned):
    """From `starts_on`, a plan's board-less updates fall due every `cycle_days` days.

    "Quarterly until March 2024, then annually": the plan's own cycle holds from its start, each live
    change from its date, so deadlines before a change keep the cadence they had. Retired, never deleted.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="cadence_changes")
    starts_on = models.DateField(
        "from",
        help_text="The first update deadline of the new cycle; the next ones follow it every so many days.",
    )
    cycle_days = models.PositiveIntegerField(
        "update cycle (days)", validators=[MinValueValidator(1), MaxValueValidator(MAX_CYCLE_DAYS)]
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="e.g. Annual reporting agreed after the revisit"
    )
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "starts_on"],
                condition=Q(retired_at__isnull=True),
                name="one_live_cadence_change_per_plan_per_day",
            ),
            models.CheckConstraint(
                condition=Q(cycle_days__gte=1, cycle_days__lte=MAX_CYCLE_DAYS),
                name="cadence_change_cycle_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: every {self.cycle_days} days from {self.starts_on:%-d %B %Y}"

    def check_edit(self, changes: dict) -> None:
        starts_on = changes.get("starts_on", self.starts_on)
        plan = self.plan
        if plan.starts_on and starts_on <= plan.starts_on:
            raise ValidationError({"starts_on": "A change of cadence must come after the plan's start"})
        same_day = plan.cadence_changes.filter(starts_on=starts_on, retired_at__isnull=True)
        if same_day.exclude(pk=self.pk).exists():
            raise ValidationError({"starts_on": "The cadence already changes on this date"})

    @classmethod
    def add(cls, plan: Plan, *, starts_on: datetime.date, cycle_days: int, note: str = "") -> CadenceChange:
        """Record a change of the plan's cadence; raise ValidationError if it breaks a rule (check_edit)."""
        change = cls(plan=plan, starts_on=starts_on, cycle_days=cycle_days, note=note)
        change.check_edit({})
        change.save()
        return change

    def set_retired(self, retired: bool, *, version: int) -> None:
        """Retire the change (deadlines follow the cadence before it again) or bring it back."""
        if not retired:
            self.check_edit({})
        self.retired_at = timezone.now() if retired else None
        self.save_edit(version=version, fields=["retired_at"])
