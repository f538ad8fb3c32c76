"""Actions, their success criteria and their append-only update log."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.history import SnapshotHistoricalRecords
from actions.models.people import Organisation, Person
from actions.models.plans import Plan, Priority
from actions.models.scales import RagLevel
from actions.querysets import ActionQuerySet
from core.text import strip_bidi
from core.versioning import StaleVersionError, Versioned


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


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Action(Versioned):
    Status = ActionStatus

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
            # A re-baselined action keeps its history: the first due date was after the start, a revised
            # one (an imported plan's) may come before it.
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date"))
                # NULL would pass a CHECK: without a first due date, the due date must be after the start.
                | Q(original_due_date__isnull=False, original_due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values),
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
        Plan.update_refusal), StaleVersionError if the action changed since `version` (one compare-and-set
        UPDATE: of two saves of one version exactly one wins), ValidationError keyed by field for a broken
        rule of an update (update_problems, checked here so no path can skip them).
        A plan lead records a lead's update `on_behalf_of` them, `given_on` the date the lead gave it.
        An imported past update keeps its time (`recorded_at`): never in the future, never before the
        action's latest update, so the log stays in order and trends read it as it happened.
        """
        # The UPDATE below is a save no pre_save signal sees: the text is cleaned here, for every caller.
        narrative, evidence, rag_reason, recovery_plan = (
            strip_bidi(text) for text in (narrative, evidence, rag_reason, recovery_plan)
        )
        texts = {"narrative": narrative, "evidence": evidence, "rag_reason": rag_reason}
        # Only a plan's move to another scale (remap_rag) skips them: it changes no one's assessment.
        problems = enforce_rules and self.update_problems(
            status=status, rag=rag, recovery_plan=recovery_plan, **texts
        )
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        self._check_when_and_for_whom(
            now, recorded_at=recorded_at, given_on=given_on, on_behalf_of=on_behalf_of
        )
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
            self.claim_version(
                version,
                where=[Exists(open_plan)],
                values=changes,
                refused=lambda: self._refuse_if_plan_closed(author),
            )
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
            self._announce_save(update_fields=[*changes, "version"])
            update.save()
        return update

    def _check_when_and_for_whom(self, now, *, recorded_at, given_on, on_behalf_of) -> None:
        """Raise ValidationError for an update dated in the future or before the latest, or for a non-lead."""
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

    def _refuse_if_plan_closed(self, author) -> None:
        """Raise UpdateRefusedError if the plan, as it is now, refuses `author`'s update."""
        refusal = Plan.objects.get(pk=self.plan_id).update_refusal(author)
        if refusal:
            raise UpdateRefusedError(refusal)

    def _announce_save(self, update_fields: list[str]) -> None:
        """Send post_save for a save made by a compare-and-set UPDATE, so django-simple-history records
        who changed what without the row being written a second time."""
        post_save.send(
            Action,
            instance=self,
            created=False,
            update_fields=update_fields,
            raw=False,
            using=self._state.db,
        )

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
        elif rag is not None and rag.status and rag.status != status and status in self.Status.values:
            problems["rag"] = self.two_tier_refusal(status, rag)
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

    def two_tier_refusal(self, status: str, rag: RagLevel) -> str:
        """Return why a two-tier scale refuses `rag` with `status`, naming the levels that go with it."""
        allowed = RagLevel.objects.filter(scale_id=rag.scale_id, retired_at__isnull=True).filter(
            Q(status=status) | Q(status="")
        )
        names = [f"“{level.label}”" for level in allowed.order_by("order")]
        label = self.Status(status).label
        if not names:
            return f"On this plan's scale no RAG level goes with “{label}”"
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return f"“{rag.label}” goes with “{rag.get_status_display()}”; with “{label}” choose {listed}"

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

    def rebaseline(
        self, *, due_date: datetime.date, reason: str, version: int, before_start: bool = False
    ) -> None:
        """Move the due date, keeping the first agreed one and why it moved; version-checked.

        `before_start` lets an imported plan's history keep a revised date before the start date.
        """
        if not reason.strip():
            raise ValidationError({"reason": "Say why the due date is moving"})
        if self.start_date and due_date < self.start_date and not before_start:
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

    def organisations_leading(self) -> list[Organisation]:
        """Return the lead organisations and the leads' own organisations, once each, in name order."""
        found = {org.pk: org for org in self.lead_organisations_shown()}
        for person in self.leads_shown():
            if person.organisation_id and person.organisation_id not in found:
                found[person.organisation_id] = person.organisation
        return sorted(found.values(), key=lambda org: org.name.lower())

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


# What an update changed: the columns the index of changes since a date carries (ActionUpdate.Meta).
CHANGE_COLUMNS = ("status_before", "status_after", "rag_before", "rag_after")


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
        # An action's log in time order: its first update, and its last before a date (reports.sql on SQLite).
        indexes = [
            models.Index(fields=["action", "created_at", "id"], name="actionupdate_action_time"),
            # What changed since a date, without reading the log's wide rows (the overview's count of status
            # and RAG changes and its RAG moves, reports.dashboards and reports.scrutiny): for a month of the
            # large area's updates the count took 0.5 ms rather than 4 on SQLite, the moves 3.7 ms rather than
            # 7.2 on PostgreSQL (an index-only scan: hence the id).
            models.Index(
                fields=["created_at", "action", *CHANGE_COLUMNS, "id"],
                name="actionupdate_changes_since",
            ),
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


class UpdateRefusedError(Exception):
    """The action's plan does not take this update (closed, or not approved and the author no plan lead)."""
