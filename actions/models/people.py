"""Organisations and the people who lead actions, and the reminders sent to them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.roles import ADMINISTRATOR, ROLES
from core.versioning import Versioned


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
