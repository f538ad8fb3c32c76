"""What the area does about it: organisations, boards, plans, priorities, actions, updates and KPIs."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.cycle import DEFAULT_WORKING_DAYS, MAX_CYCLE_DAYS, MAX_WORKING_DAYS
from actions.querysets import ActionQuerySet
from send_tracker.roles import UPDATE_ANY_ACTION


class StaleEditError(Exception):
    """Someone else saved the record after the form was loaded; carries the record as it is now."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        super().__init__(f"{type(current).__name__} {current.pk} changed since the form was loaded.")


class VersionedEdit(models.Model):
    """A record edited through `edit()` only: each edit is made against the version its form loaded."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def check_edit(self, changes: dict) -> None:
        """Raise ValidationError if the changes break a rule of the record; subclasses add their rules."""

    def edit(self, *, version: int, **changes) -> None:
        """Apply `changes` made against `version`; raise StaleEditError if someone saved since.

        The compare-and-set UPDATE claims the next version, so of two simultaneous edits one is refused.
        """
        self.check_edit(changes)
        model = type(self)
        with transaction.atomic():
            claimed = self.version == version and (
                model._default_manager.filter(pk=self.pk, version=version).update(version=version + 1) == 1
            )
            if not claimed:
                raise StaleEditError(model._default_manager.get(pk=self.pk))
            for name, value in changes.items():
                setattr(self, name, value)
            self.version = version + 1
            # A full save so django-simple-history records who changed what.
            self.save()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        HEALTH = "health", "NHS (ICB/CCG or trust)"
        SCHOOL = "school", "School or academy trust"
        COLLEGE = "college", "College"
        PARENT_CARER_FORUM = "pcf", "Parent carer forum"
        OTHER = "other", "Other partner"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organisations")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Board(VersionedEdit):
    """A governance body that owns or scrutinises plans, e.g. the SEND Development Board."""

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        SCRUTINY = "scrutiny", "Scrutiny committee"
        OPERATIONAL = "operational", "Operational group"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BOARD)
    chair = models.CharField(max_length=200, blank=True, help_text="e.g. Portfolio Holder for Education")
    meeting_cadence = models.CharField(max_length=100, blank=True, help_text="e.g. fortnightly, termly")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(VersionedEdit):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(
        default=False, help_text="A cancelled meeting sets no update deadline; it is kept, not deleted."
    )
    papers = models.TextField(blank=True, help_text="The papers put to the meeting, one per line.")
    minutes = models.TextField(
        "decisions and actions from the minutes",
        blank=True,
        help_text="Recorded after the meeting: what it decided and the actions it set.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.date:%d %b %Y}"

    def check_edit(self, changes: dict) -> None:
        date = changes.get("date", self.date)
        if changes.get("minutes", self.minutes).strip() and date > timezone.localdate():
            raise ValidationError({"minutes": "Record the minutes after the meeting has taken place"})


class RagScale(models.Model):
    """A delivery RAG scale. Plans choose one; BRAG is the default, councils define their own."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RagLevel(models.Model):
    class Colour(models.TextChoices):
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"
        GREY = "grey", "Grey"

    scale = models.ForeignKey(RagScale, on_delete=models.PROTECT, related_name="levels")
    colour = models.CharField(max_length=10, choices=Colour.choices)
    label = models.CharField(max_length=60, help_text='The word shown with the colour, e.g. "On track".')
    meaning = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    requires_reason = models.BooleanField(default=False, help_text="An update to this level must say why.")
    requires_recovery = models.BooleanField(
        default=False, help_text="An update to this level must say how delivery will recover."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "colour"], name="one_level_per_colour_in_scale"),
            models.UniqueConstraint(fields=["scale", "label"], name="level_label_unique_in_scale"),
            models.CheckConstraint(
                condition=Q(colour__in=["blue", "green", "amber", "red", "grey"]),
                name="rag_level_colour_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.label}"


class Plan(models.Model):
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
        ]

    def __str__(self) -> str:
        return self.title

    # Only an approved plan in delivery takes updates from officers; a draft or submitted plan takes them
    # from plan leads (a baseline while it awaits approval); a closed plan from nobody.
    OPEN_TO_PLAN_LEADS_ONLY = (Status.DRAFT, Status.SUBMITTED)

    def update_refusal(self, author) -> str:
        """Return why `author` may not record an action update under this plan's status, or "" if they may."""
        if self.status == self.Status.CLOSED:
            return "This plan is closed: its actions no longer take updates."
        if self.status in self.OPEN_TO_PLAN_LEADS_ONLY and not author.has_perm(UPDATE_ANY_ACTION):
            return "This plan is not approved yet: only a plan lead can update its actions."
        return ""


class Priority(models.Model):
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
    history = HistoricalRecords(m2m_fields=[findings, criteria])

    class Meta:
        ordering = ["plan", "order", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def _conflicts_are_stale(record_update):
    """Refuse a save that breaks a database constraint (e.g. the log's one update per version) as stale.

    However the action's version and its log came to disagree, the user gets the conflict page (409) with
    what is saved now, never a server error.
    """

    @functools.wraps(record_update)
    def wrapper(self: Action, *, version: int, **fields) -> ActionUpdate:
        try:
            return record_update(self, version=version, **fields)
        except IntegrityError as conflict:
            self.refresh_from_db()
            raise StaleActionError(self, since_version=version) from conflict

    return wrapper


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        ON_HOLD = "on_hold", "On hold"
        WITHDRAWN = "withdrawn", "Withdrawn"

    CLOSED_STATUSES = (Status.COMPLETE, Status.WITHDRAWN)

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions", editable=False)
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20, help_text="e.g. 2.3; unique within the plan.")
    description = models.TextField()
    success_measure = models.TextField("intended outcome / success measure", blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="actions_led")
    lead_organisations = models.ManyToManyField(Organisation, blank=True, related_name="actions_led")
    accountable_officer = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    original_due_date = models.DateField(
        null=True, blank=True, help_text="The due date first agreed, kept when the action is re-baselined."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.ForeignKey(
        RagLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="delivery RAG",
    )
    rag_reason = models.TextField("reason for RAG", blank=True)
    recovery_plan = models.TextField("recovery comment", blank=True)
    order = models.PositiveIntegerField(default=0)
    # Bumped on every save of an officer's update; a form carries it to refuse stale writes (no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)
    last_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Archived actions are hidden, not deleted."
    )
    history = HistoricalRecords(m2m_fields=[leads, lead_organisations])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "priority__order", "order", "reference"]
        permissions = [
            ("update_own_action", "Can update the status of actions they lead"),
            ("update_any_action", "Can update the status of any action"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_reference_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "complete", "on_hold", "withdrawn"]),
                name="action_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:80]}"

    def save(self, *args, **kwargs) -> None:
        if self.priority_id:
            # The plan is denormalised so references can be unique per plan in the database.
            self.plan_id = self.priority.plan_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.rag_id and self.priority_id and self.rag.scale_id != self.priority.plan.rag_scale_id:
            raise ValidationError({"rag": "Choose a RAG level from this plan's scale."})

    @_conflicts_are_stale
    def record_update(
        self,
        *,
        author,
        version: int,
        status: str,
        rag: RagLevel | None,
        narrative: str,
        evidence: str = "",
        rag_reason: str = "",
        recovery_plan: str = "",
        on_behalf_of=None,
        given_on: datetime.date | None = None,
    ) -> ActionUpdate:
        """Apply an update made against `version`, appending it to the log.

        Raise UpdateRefusedError if the plan's status does not allow the author to update (see
        Plan.update_refusal), StaleActionError if the action changed since `version`.

        The compare-and-set UPDATE makes two simultaneous saves of the same version impossible on every
        database: exactly one claims the next version, the other is refused and nothing is overwritten.
        A plan lead records a lead's update `on_behalf_of` them, `given_on` the date the lead gave it.
        """
        now = timezone.now()
        if given_on is not None and given_on > timezone.localdate(now):
            raise ValidationError({"given_on": "The date the update was given cannot be in the future"})
        if on_behalf_of is not None and not self.leads.filter(pk=on_behalf_of.pk).exists():
            raise ValidationError({"on_behalf_of": "Choose one of the action's leads"})
        with transaction.atomic():
            # Read the plan's status afresh: a plan closed since this action was loaded refuses the update.
            plan = Plan.objects.select_for_update().get(pk=self.plan_id)
            refusal = plan.update_refusal(author)
            if refusal:
                raise UpdateRefusedError(refusal)
            claimed = self.version == version and (
                Action.objects.filter(pk=self.pk, version=version).update(version=version + 1) == 1
            )
            if not claimed:
                raise StaleActionError(Action.objects.get(pk=self.pk), since_version=version)
            update = ActionUpdate(
                action=self,
                author=author,
                created_at=now,
                narrative=narrative,
                evidence=evidence,
                status_before=self.status,
                status_after=status,
                rag_before=self.rag,
                rag_after=rag,
                rag_reason=rag_reason,
                recovery_plan=recovery_plan,
                version_after=version + 1,
                on_behalf_of=on_behalf_of,
                given_on=given_on,
            )
            self.status = status
            self.rag = rag
            self.rag_reason = rag_reason
            self.recovery_plan = recovery_plan
            self.version = version + 1
            self.last_updated_at = now
            # A full save (not the UPDATE above) so django-simple-history records who changed what.
            self.save()
            update.save()
        return update

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def is_rebaselined(self) -> bool:
        return self.original_due_date is not None and self.original_due_date != self.due_date


class SuccessCriterion(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="success_criteria")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    met = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order", "pk"]
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return self.text[:80]


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an entry of an append-only log."""


class ActionUpdateQuerySet(models.QuerySet):
    """Refuses bulk changes too, so the log stays append-only whichever way code reaches it."""

    def update(self, **kwargs):
        raise AppendOnlyError("Action updates are append-only.")

    def delete(self):
        raise AppendOnlyError("Action updates are append-only.")


class ActionUpdate(models.Model):
    """One entry of an action's progress log. Append-only: never edited or deleted."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    narrative = models.TextField()
    evidence = models.TextField(
        blank=True, help_text="Evidence of completion, required when marking complete."
    )
    status_before = models.CharField(max_length=20, choices=Action.Status.choices)
    status_after = models.CharField(max_length=20, choices=Action.Status.choices)
    rag_before = models.ForeignKey(
        RagLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rag_after = models.ForeignKey(RagLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the action said with this update, so the log alone answers "why was it amber in March".
    rag_reason = models.TextField("reason for RAG", blank=True)
    recovery_plan = models.TextField("recovery comment", blank=True)
    version_after = models.PositiveIntegerField()
    # Set when a plan lead records an update a lead gave by email or phone.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_updates_given",
        help_text="The lead who gave this update, when someone else recorded it.",
    )
    given_on = models.DateField(null=True, blank=True, help_text="The date the lead gave the update.")

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "version_after"], name="one_update_per_action_version"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} by {self.author} at {self.created_at:%d %b %Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Action updates are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Action updates are append-only.")

    @property
    def changed_status(self) -> bool:
        return self.status_before != self.status_after

    @property
    def changed_rag(self) -> bool:
        return self.rag_before_id != self.rag_after_id


class Measure(models.Model):
    """A KPI with its baseline, final target and milestone targets; values are recorded over time."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Per cent"
        NUMBER = "number", "Number"
        DAYS = "days", "Days"
        WEEKS = "weeks", "Weeks"
        RATE = "rate", "Rate per 10,000"

    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="measures")
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    higher_is_better = models.BooleanField(default=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    final_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    final_target_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures come from.")
    order = models.PositiveIntegerField(default=0)
    # Bumped by every definition edit and value recorded in the app; forms carry it to refuse stale writes.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def claim_version(self, version: int) -> None:
        """Move the measure from `version` to the next, or raise StaleMeasureError (call in a transaction).

        The compare-and-set UPDATE is what makes two simultaneous saves impossible: exactly one claims it.
        """
        if self.version != version or not Measure.objects.filter(pk=self.pk, version=version).update(
            version=version + 1
        ):
            raise StaleMeasureError(Measure.objects.get(pk=self.pk))
        self.version = version + 1

    def record_values(self, *, author, version: int, rows: list[dict]) -> list[MeasureValue]:
        """Record or correct values (period_end, value, national, national_period, note) against `version`.

        A row whose figures are unchanged is skipped; every other row is stamped with who and when. The whole
        grid is saved or nothing is: a stale version raises StaleMeasureError and writes nothing.
        """
        now = timezone.now()
        existing = {v.period_end: v for v in self.values.all()}
        saved = []
        with transaction.atomic():
            self.claim_version(version)
            for row in rows:
                current = existing.get(row["period_end"]) or MeasureValue(
                    measure=self, period_end=row["period_end"], version=0
                )
                fields = ("value", "national", "national_period", "note")
                if current.pk and all(getattr(current, f) == row.get(f, getattr(current, f)) for f in fields):
                    continue
                for name in fields:
                    if name in row:
                        setattr(current, name, row[name])
                current.recorded_by = author
                current.recorded_at = now
                current.version += 1
                current.save()
                saved.append(current)
        return saved

    def edit_definition(self, *, version: int, targets: dict | None = None, **fields) -> None:
        """Change the definition (unit, polarity, baseline, final target, source...) and milestone targets.

        `targets` maps period_end to a milestone target, made against `version`. Milestones are added or
        changed, never deleted (nothing is hard-deleted from the UI).
        """
        with transaction.atomic():
            self.claim_version(version)
            for name, value in fields.items():
                setattr(self, name, value)
            self.save()
            for period_end, target in (targets or {}).items():
                MeasureTarget.objects.update_or_create(
                    measure=self, period_end=period_end, defaults={"target": target}
                )


class MeasureTarget(models.Model):
    """A milestone target for one period."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="targets")
    period_end = models.DateField()
    target = models.DecimalField(max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="one_target_per_measure_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target} by {self.period_end}"


class MeasureValue(models.Model):
    """The value of a KPI for one period, with the national comparator where there is one."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    national = models.DecimalField(
        "national comparator", max_digits=12, decimal_places=2, null=True, blank=True
    )
    national_period = models.CharField(
        "period of the national figure",
        max_length=60,
        blank=True,
        help_text='National figures are published later and for their own period, e.g. "2023" or "2023/24".',
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="one_value_per_measure_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} at {self.period_end}"


class UpdateRefusedError(Exception):
    """The action's plan does not take this update (closed, or not approved and the author no plan lead)."""


class StaleActionError(Exception):
    """Someone else saved the action after the form was loaded; carries what they changed."""

    def __init__(self, action: Action, since_version: int) -> None:
        self.action = action
        self.since_version = since_version
        self.updates_since = list(
            action.updates.filter(version_after__gt=since_version).select_related("author", "rag_after")
        )
        super().__init__(f"Action {action.pk} is at version {action.version}, not {since_version}.")


class ReminderSent(models.Model):
    """One reminder emailed to a lead for one update deadline: nobody gets two for the same deadline."""

    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders")
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    action_count = models.PositiveIntegerField(help_text="How many actions the reminder listed.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sent it from the update status page; empty when the scheduled command sent it.",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        constraints = [
            models.UniqueConstraint(fields=["lead", "deadline"], name="one_reminder_per_lead_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.lead} for {self.deadline:%d %b %Y}"


class StaleMeasureError(Exception):
    """Someone else recorded values or edited the measure after the form was loaded."""

    def __init__(self, measure: Measure) -> None:
        self.measure = measure
        super().__init__(f"Measure {measure.pk} is at version {measure.version}.")
