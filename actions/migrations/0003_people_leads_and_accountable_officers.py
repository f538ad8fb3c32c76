"""People: action leads and accountable officers become Person rows, each with their own organisation.

Leads were users (who had to sign in) and the accountable officer was free text. Every user who led an
action becomes a person linked to that user, with the organisation they belong to (preferring one that
co-leads their actions); every accountable officer's text becomes a person of that name. The lead lists in
the actions' history are carried over too, so "who led what" is not lost.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from core.roles import sync_groups


def _organisation_for(apps, user, lead_organisation_ids: set[int]):
    organisations = list(apps.get_model("actions", "Organisation").objects.filter(people=user).order_by("name"))
    preferred = [org for org in organisations if org.pk in lead_organisation_ids]
    return (preferred or organisations or [None])[0]


def people_from_leads(apps, schema_editor) -> None:
    Action = apps.get_model("actions", "Action")
    Person = apps.get_model("actions", "Person")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    HistoricalAction = apps.get_model("actions", "HistoricalAction")
    HistoricalLeads = apps.get_model("actions", "HistoricalAction_leads")
    leads_through = Action.leads.through
    people: dict[int, object] = {}

    def person_for(user_id: int):
        if user_id not in people:
            user = User.objects.get(pk=user_id)
            co_leading = set(
                Action.lead_organisations.through.objects.filter(action__leads=user).values_list(
                    "organisation_id", flat=True
                )
            )
            people[user_id] = Person.objects.create(
                name=f"{user.first_name} {user.last_name}".strip() or user.username,
                job_title=getattr(user, "job_title", ""),
                email=user.email,
                user=user,
                organisation=_organisation_for(apps, user, co_leading),
            )
        return people[user_id]

    for row in leads_through.objects.order_by("pk"):
        Action.lead_people.through.objects.create(action_id=row.action_id, person=person_for(row.user_id))
    known_users = set(User.objects.values_list("pk", flat=True))
    for row in HistoricalLeads.objects.exclude(user__isnull=True):
        if row.user_id in known_users:
            HistoricalLeads.objects.filter(pk=row.pk).update(person_id=person_for(row.user_id).pk)

    named: dict[str, object] = {}
    texts = set(Action.objects.exclude(accountable_officer="").values_list("accountable_officer", flat=True))
    texts |= set(
        HistoricalAction.objects.exclude(accountable_officer="").values_list("accountable_officer", flat=True)
    )
    for text in sorted(texts):
        named[text] = Person.objects.create(name=text.strip()[:200])
        Action.objects.filter(accountable_officer=text).update(accountable_person=named[text])
        HistoricalAction.objects.filter(accountable_officer=text).update(accountable_person_id=named[text].pk)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_initial"),
        ("send_tracker", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalPerson",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("job_title", models.CharField(blank=True, max_length=200)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="actions.organisation",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The sign-in of this person, if they have one.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical person",
                "verbose_name_plural": "historical people",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("job_title", models.CharField(blank=True, max_length=200)),
                ("email", models.EmailField(blank=True, max_length=254)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="actions.organisation",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        help_text="The sign-in of this person, if they have one.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="person",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name_plural": "people", "ordering": ["name"]},
        ),
        # New columns beside the old ones, filled from them, then the old ones go and the new take their names.
        migrations.AddField(
            model_name="historicalaction_leads",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_tablespace="",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="actions.person",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="lead_people",
            field=models.ManyToManyField(blank=True, related_name="+", to="actions.person"),
        ),
        migrations.AddField(
            model_name="action",
            name="accountable_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="actions.person",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="accountable_person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="actions.person",
            ),
        ),
        migrations.RunPython(people_from_leads, migrations.RunPython.noop),
        migrations.RemoveField(model_name="historicalaction_leads", name="user"),
        migrations.RemoveField(model_name="action", name="leads"),
        migrations.RemoveField(model_name="action", name="accountable_officer"),
        migrations.RemoveField(model_name="historicalaction", name="accountable_officer"),
        migrations.RenameField(model_name="action", old_name="lead_people", new_name="leads"),
        migrations.AlterField(
            model_name="action",
            name="leads",
            field=models.ManyToManyField(blank=True, related_name="actions_led", to="actions.person"),
        ),
        migrations.RenameField(model_name="action", old_name="accountable_person", new_name="accountable_officer"),
        migrations.AlterField(
            model_name="action",
            name="accountable_officer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="actions_accountable_for",
                to="actions.person",
            ),
        ),
        migrations.RenameField(
            model_name="historicalaction", old_name="accountable_person", new_name="accountable_officer"
        ),
        # Give the roles their permissions on the new model (plan leads add and change people).
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
