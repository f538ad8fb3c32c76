"""What the area does about it: organisations, boards, plans, priorities, actions, updates and KPIs."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.cycle import DEFAULT_WORKING_DAYS, MAX_CYCLE_DAYS, MAX_WORKING_DAYS
from actions.history import SnapshotHistoricalRecords
from actions.querysets import ActionQuerySet, PriorityQuerySet
from core.roles import ADMINISTRATOR, ROLES, UPDATE_ANY_ACTION
from core.text import strip_bidi
from core.versioning import StaleVersionError, Versioned


class Organisation(Versioned):
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
    # A body replaced by another (e.g. a CCG by an ICB) stays, so what it led is still attributed to it.
    succeeded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors", editable=False
    )
    succeeded_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def succeed(self, successor: Organisation, *, on: datetime.date, version: int, move_people: bool) -> int:
        """Record that `successor` replaced this organisation; optionally move its people. Version-checked.

        Returns how many people moved. Actions keep their lead organisations, so who led what is kept.
        """
        if successor.pk == self.pk or successor.succeeded_by_id == self.pk:
            raise ValidationError({"successor": "Choose a different organisation"})
        moved = 0
        with transaction.atomic():
            self.succeeded_by, self.succeeded_on = successor, on
            self.save_edit(version=version, fields=["succeeded_by", "succeeded_on"])
            if move_people:
                for person in self.members.all():
                    person.organisation = successor
                    person.save(update_fields=["organisation"])  # one save each: each is in the history
                    moved += 1
        return moved


class Person(models.Model):
    """Someone in the area who leads or is accountable for actions; they need not sign in.

    Many named leads never sign in (they get reminders by email); an administrator can link the person
    to a user later, and then "My actions" shows them what they lead.
    """

    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        help_text="The sign-in of this person, if they have one.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def give_sign_in(self, *, username: str, email: str, role: str):
        """Create a sign-in for this person with `role` and no usable password, and link it; return the user.

        The person chooses their password from an emailed link, so nobody else ever knows it. Only an
        Administrator role makes the account staff (the admin site); nobody is made a superuser here.
        Raises ValidationError if the person already signs in.
        """
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        if role not in ROLES:
            raise ValidationError({"role": "Choose a role"})
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=self.pk)
            if person.user_id is not None:
                raise ValidationError(f"{person.name} already signs in as {person.user}.")
            first, _, last = self.name.rpartition(" ") if " " in self.name else (self.name, "", "")
            user = get_user_model()(
                username=username,
                email=email,
                first_name=first,
                last_name=last,
                job_title=self.job_title,
                is_staff=role == ADMINISTRATOR,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            self.user = user
            self.email = self.email or email
            self.save(update_fields=["user", "email"])
        return user

    @property
    def with_organisation(self) -> str:
        """Return "Name, Job title (Organisation)" as leads are listed on an action."""
        text = f"{self.name}, {self.job_title}" if self.job_title else self.name
        return f"{text} ({self.organisation})" if self.organisation_id else text


class Board(Versioned):
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


class Meeting(Versioned):
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


class RagScale(Versioned):
    """A delivery RAG scale. Plans choose one; BRAG is the default, councils define their own."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RagLevel(Versioned):
    """One level of a scale. Two levels may share a colour: the label (always shown) and a pattern tell
    them apart, e.g. "Reprogrammed" drawn amber and hatched beside plain amber "At risk"."""

    class Colour(models.TextChoices):
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"
        GREY = "grey", "Grey"

    class Pattern(models.TextChoices):
        NONE = "", "None (solid colour)"
        HATCHED = "hatched", "Hatched"
        DOTTED = "dotted", "Dotted"

    scale = models.ForeignKey(RagScale, on_delete=models.PROTECT, related_name="levels")
    colour = models.CharField(max_length=10, choices=Colour.choices)
    label = models.CharField(max_length=60, help_text='The word shown with the colour, e.g. "On track".')
    meaning = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    requires_reason = models.BooleanField(default=False, help_text="An update to this level must say why.")
    requires_recovery = models.BooleanField(
        default=False, help_text="An update to this level must say how delivery will recover."
    )
    pattern = models.CharField(max_length=10, choices=Pattern.choices, blank=True, default="")
    counts_as_closed = models.BooleanField(
        "counts as closed", default=False, help_text="e.g. Complete: the action needs no more updates."
    )
    counts_as_on_track = models.BooleanField("counts as on track", default=False)
    counts_as_not_started = models.BooleanField("counts as not yet started", default=False)
    retired_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Retired levels are kept but cannot be chosen."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="level_label_unique_in_scale"),
            models.CheckConstraint(
                condition=Q(colour__in=["blue", "green", "amber", "red", "grey"]),
                name="rag_level_colour_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.label}"


# An open action overdue by up to this many days is at risk; by more, off track (each plan may set its own).
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
            raise StaleVersionError(self, version, self.stale_message) from conflict

    return wrapper


class Action(Versioned):
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
    # Each lead is a person with their own organisation; lead organisations add partners with no named lead.
    leads = models.ManyToManyField(Person, blank=True, related_name="actions_led")
    lead_organisations = models.ManyToManyField(Organisation, blank=True, related_name="actions_led")
    accountable_officer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="actions_accountable_for"
    )
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
    rebaseline_reason = models.TextField(
        blank=True, help_text="Why the due date moved from the original one (shown with the date)."
    )
    archive_reason = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    last_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Archived actions are hidden, not deleted."
    )
    history = SnapshotHistoricalRecords(m2m_fields=[leads, lead_organisations])

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
        recorded_at: datetime.datetime | None = None,
        enforce_rules: bool = True,
    ) -> ActionUpdate:
        """Apply an update made against `version`, appending it to the log.

        Raise UpdateRefusedError if the plan's status does not allow the author to update (see
        Plan.update_refusal), StaleVersionError if the action changed since `version`.

        The rules of an update (update_problems) are checked here, so no path can skip them: a broken
        rule raises ValidationError keyed by field. The compare-and-set UPDATE makes two simultaneous
        saves of the same version impossible on every database: exactly one claims the next version, the
        other is refused and nothing is overwritten.
        A plan lead records a lead's update `on_behalf_of` them, `given_on` the date the lead gave it.
        An imported past update keeps its time (`recorded_at`): never in the future, never before the
        action's latest update, so the log stays in order and trends read it as it happened.
        """
        # The UPDATE below is a save no pre_save signal sees: the text is cleaned here, for every caller.
        narrative, evidence, rag_reason, recovery_plan = (
            strip_bidi(text) for text in (narrative, evidence, rag_reason, recovery_plan)
        )
        # Only a plan's move to another scale (remap_rag) skips them: it changes no one's assessment.
        problems = enforce_rules and self.update_problems(
            status=status,
            rag=rag,
            narrative=narrative,
            evidence=evidence,
            rag_reason=rag_reason,
            recovery_plan=recovery_plan,
        )
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        if recorded_at is not None and recorded_at > now:
            raise ValidationError({"recorded_at": "An update cannot be dated in the future"})
        if recorded_at is not None and self.last_updated_at and recorded_at < self.last_updated_at:
            raise ValidationError(
                {"recorded_at": "A past update cannot come before the action's latest update"}
            )
        if given_on is not None and given_on > timezone.localdate(now):
            raise ValidationError({"given_on": "The date the update was given cannot be in the future"})
        if on_behalf_of is not None and not self.leads.filter(pk=on_behalf_of.pk).exists():
            raise ValidationError({"on_behalf_of": "Choose one of the action's leads"})
        changes = {
            "status": status,
            "rag": rag,
            "rag_reason": rag_reason,
            "recovery_plan": recovery_plan,
            "last_updated_at": recorded_at or now,
        }
        with transaction.atomic():
            # One compare-and-set UPDATE claims the next version, writes the update, and checks the plan's
            # status as it is now: a plan closed since this action was loaded refuses the update.
            open_plan = Plan.objects.filter(pk=OuterRef("plan_id"), status__in=Plan.statuses_open_to(author))

            def refused() -> None:
                refusal = Plan.objects.get(pk=self.plan_id).update_refusal(author)
                if refusal:
                    raise UpdateRefusedError(refusal)

            self.claim_version(version, where=[Exists(open_plan)], values=changes, refused=refused)
            update = ActionUpdate(
                action=self,
                author=author,
                created_at=recorded_at or now,
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
            for name, value in changes.items():
                setattr(self, name, value)
            # The UPDATE above was the save: tell its listeners, so django-simple-history records who
            # changed what, without writing the row a second time.
            post_save.send(
                Action,
                instance=self,
                created=False,
                update_fields=[*changes, "version"],
                raw=False,
                using=self._state.db,
            )
            update.save()
        return update

    def update_problems(
        self,
        *,
        status: str,
        rag: RagLevel | None,
        narrative: str,
        evidence: str = "",
        rag_reason: str = "",
        recovery_plan: str = "",
    ) -> dict[str, str]:
        """Return the broken rules of an update as {field: message}; empty when the update may be saved."""
        problems: dict[str, str] = {}
        if status not in self.Status.values:
            problems["status"] = "Choose a status"
        if rag is not None and rag.scale_id != self.plan.rag_scale_id:
            problems["rag"] = "Choose a RAG level from this plan's scale"
        elif rag is not None and rag.retired_at is not None and rag.pk != self.rag_id:
            problems["rag"] = f"“{rag.label}” is retired; choose another level"
        if not narrative.strip():
            changed = status != self.status or rag != self.rag
            problems["narrative"] = (
                "Write a progress note explaining the change of status or RAG"
                if changed
                else "Write a progress note"
            )
        if status == self.Status.COMPLETE and self.status != status and not evidence.strip():
            problems["evidence"] = "Describe the evidence that the action is complete"
        if rag is not None and rag.requires_reason and not rag_reason.strip():
            problems["rag_reason"] = f"Give a reason for rating the action {rag.label.lower()}"
        if rag is not None and rag.requires_recovery and not recovery_plan.strip():
            problems["recovery_plan"] = (
                f"Say how delivery will recover while the action is {rag.label.lower()}"
            )
        return problems

    # What an edit may change; status, RAG, reason and recovery change only through record_update.
    EDITABLE_FIELDS = (
        "priority",
        "reference",
        "description",
        "success_measure",
        "accountable_officer",
        "start_date",
        "due_date",
        "order",
    )

    def save_edit(self, *, version: int, fields=EDITABLE_FIELDS) -> None:
        """Save changes to the action's plan fields made against `version`; raise StaleVersionError if stale.

        The same compare-and-set as record_update, so an edit and an officer's update cannot overwrite
        each other. Only `fields` (never status, RAG, reason or recovery) are written.
        """
        progress = {"status", "rag", "rag_reason", "recovery_plan"}
        fields = [name for name in fields if name not in progress]
        if "priority" in fields:
            fields.append("plan")
        super().save_edit(version=version, fields=fields)

    def updates_since(self, since_version: int) -> list[ActionUpdate]:
        """Return the updates recorded since `since_version` (the conflict page lists them)."""
        return list(
            self.updates.filter(version_after__gt=since_version).select_related("author", "rag_after")
        )

    def rebaseline(self, *, due_date: datetime.date, reason: str, version: int) -> None:
        """Move the due date, keeping the first agreed one and why it moved; version-checked."""
        if not reason.strip():
            raise ValidationError({"reason": "Say why the due date is moving"})
        if self.start_date and due_date < self.start_date:
            raise ValidationError({"due_date": "The due date must be on or after the start date"})
        if self.original_due_date is None:
            self.original_due_date = self.due_date
        self.due_date = due_date
        self.rebaseline_reason = reason.strip()
        self.save_edit(version=version, fields=["due_date", "original_due_date", "rebaseline_reason"])

    def set_archived(self, archived: bool, *, version: int, reason: str = "") -> None:
        """Archive (with a reason) or restore the action; nothing is deleted. Version-checked."""
        if archived and not reason.strip():
            raise ValidationError({"reason": "Say why the action is being archived"})
        self.archived_at = timezone.now() if archived else None
        self.archive_reason = reason.strip() if archived else ""
        self.save_edit(version=version, fields=["archived_at", "archive_reason"])

    def remap_rag(self, level: RagLevel, *, author, note: str) -> ActionUpdate:
        """Move the action to `level` of its plan's new scale, logged like any update (status unchanged)."""
        return self.record_update(
            author=author,
            version=self.version,
            status=self.status,
            rag=level,
            narrative=note,
            rag_reason=self.rag_reason,
            recovery_plan=self.recovery_plan,
            enforce_rules=False,
        )

    def set_success_criteria(self, texts: list[str]) -> None:
        """Make the current success criteria exactly `texts`, in order; retire (never delete) the rest."""
        current = {criterion.text: criterion for criterion in self.success_criteria.all()}
        for order, text in enumerate(texts, start=1):
            criterion = current.pop(text, None)
            if criterion is None:
                SuccessCriterion.objects.create(action=self, text=text, order=order)
            elif criterion.order != order:
                criterion.order = order
                criterion.save(update_fields=["order"])
        for criterion in current.values():
            criterion.retired_at = timezone.now()
            criterion.save(update_fields=["retired_at"])

    @property
    def is_open(self) -> bool:
        """Return whether the action is open: querysets.open_q's rule for one action."""
        return self.archived_at is None and self.status not in self.CLOSED_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Return whether the action is overdue: querysets.overdue_q's rule (whatever its plan's status)."""
        return self.is_open and self.due_date < (today or timezone.localdate())

    def leads_shown(self) -> list[Person]:
        """Return the leads, from the plain list ActionQuerySet.for_rows prefetches when it did."""
        try:
            return self.lead_people
        except AttributeError:
            return list(self.leads.all())

    def lead_organisations_shown(self) -> list[Organisation]:
        """Return the lead organisations, from the plain list ActionQuerySet.for_rows prefetches if it did."""
        try:
            return self.lead_orgs
        except AttributeError:
            return list(self.lead_organisations.all())

    @property
    def is_rebaselined(self) -> bool:
        return self.original_due_date is not None and self.original_due_date != self.due_date


class CurrentCriteria(models.Manager):
    """Success criteria that are not retired: what every page shows (retired ones stay in the history)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(retired_at__isnull=True)


class SuccessCriterion(Versioned):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="success_criteria")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    met = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    all_objects = models.Manager()
    objects = CurrentCriteria()

    class Meta:
        default_manager_name = "objects"
        ordering = ["action", "order", "pk"]
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return self.text[:80]

    def set_met(self, met: bool, *, version: int) -> None:
        """Mark the criterion met or not yet met at `version`; StaleVersionError (nothing written) if stale.

        The one write path of the flag: the app's toggle and the admin both come here, and the history
        records who changed it and when.
        """
        self.met = met
        self.save_edit(version=version, fields=["met"])


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
        "Person",
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


class Measure(Versioned):
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
    # No default: whoever adds a KPI must say which way is better (a silent "higher" misreads waiting times).
    higher_is_better = models.BooleanField(
        "which way is better", choices=[(True, "Higher is better"), (False, "Lower is better")]
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    final_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    final_target_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures come from.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def record_values(self, *, author, version: int, rows: list[dict]) -> list[MeasureValue]:
        """Record or correct values (period_end, value, national, national_period/source, note) at `version`.

        A row whose figures are unchanged is skipped; every other row is stamped with who and when. The whole
        grid is saved or nothing is: a stale version raises StaleVersionError and writes nothing.
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
                fields = ("value", "national", "national_period", "national_source", "note")
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
    # Empty on a national-only row: a comparator published for a period with no local figure.
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    national = models.DecimalField(
        "national comparator", max_digits=12, decimal_places=2, null=True, blank=True
    )
    national_period = models.CharField(
        "period of the national figure",
        max_length=60,
        blank=True,
        help_text='National figures are published later and for their own period, e.g. "2023" or "2023/24".',
    )
    national_source = models.CharField(
        "source of the national figure",
        max_length=300,
        blank=True,
        help_text="The publication the national figure comes from, e.g. DfE SEN2 2024.",
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


class ReminderSent(models.Model):
    """One reminder emailed to a lead for one update deadline: nobody gets two for the same deadline."""

    lead = models.ForeignKey("Person", on_delete=models.PROTECT, related_name="reminders")
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
