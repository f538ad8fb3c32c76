"""Admin for organisations, boards, plans, priorities, actions, the update log and KPIs (administrators only).

Nothing is deleted (actions are archived) and the update log is read-only. Every versioned record's change
form carries the version it was loaded at, so a stale save is refused (see core/admin.py);
versioned children are added inline but changed on their own page, where that check runs.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from actions.models import (
    Action,
    ActionUpdate,
    Board,
    CadenceChange,
    ComparatorSeries,
    ComparatorValue,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Organisation,
    Person,
    Plan,
    Priority,
    RagLevel,
    RagScale,
    ReminderSent,
    SuccessCriterion,
)
from core.admin import (
    AddOnlyInline,
    ArchivedListFilter,
    NoDeleteMixin,
    StampUserInInlineMixin,
    VersionCheckedAdmin,
    VersionedAdminForm,
    archive_selected,
    restore_selected,
)

_SHORT_TEXT = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}


def _truncate(text: str, length: int = 90) -> str:
    """Return text cut to `length` characters with an ellipsis, for changelist columns."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    ordering = ("name",)
    autocomplete_fields = ("people",)


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """People who lead actions. Link a person to a user (with a role) to let them sign in."""

    list_display = ("name", "job_title", "organisation", "email", "user")
    list_filter = ("organisation",)
    search_fields = ("name", "job_title", "email", "organisation__name", "organisation__short_name")
    list_select_related = ("organisation", "user")
    ordering = ("name",)
    autocomplete_fields = ("organisation", "user")


class MeetingInline(NoDeleteMixin, AddOnlyInline):
    model = Meeting
    fields = ("date", "title", "location", "cancelled")
    ordering = ("-date",)


@admin.register(Board)
class BoardAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "chair", "meeting_cadence")
    list_filter = ("kind",)
    search_fields = ("name", "chair")
    ordering = ("name",)
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("date", "board", "title", "location")
    list_filter = ("board",)
    search_fields = ("title", "location", "board__name")
    list_select_related = ("board",)
    ordering = ("-date",)
    date_hierarchy = "date"


class RagLevelInline(NoDeleteMixin, AddOnlyInline):
    model = RagLevel
    fields = ("order", "colour", "label", "meaning", "requires_reason", "requires_recovery")


@admin.register(RagScale)
class RagScaleAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "short_description")
    search_fields = ("name", "description")
    ordering = ("name",)
    inlines = [RagLevelInline]

    @admin.display(description="description")
    def short_description(self, obj: RagScale) -> str:
        return _truncate(obj.description)


@admin.register(RagLevel)
class RagLevelAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("label", "colour", "scale", "status", "order", "requires_reason", "requires_recovery")
    list_filter = ("scale", "colour")
    search_fields = ("label", "meaning", "scale__name")
    list_select_related = ("scale",)
    ordering = ("scale", "order")


@admin.register(CadenceChange)
class CadenceChangeAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("plan", "starts_on", "cycle_days", "retired_at")
    list_filter = ("plan",)
    list_select_related = ("plan",)
    ordering = ("plan", "starts_on")


class PriorityInline(NoDeleteMixin, AddOnlyInline):
    model = Priority
    fields = ("order", "number", "title", "lead")
    autocomplete_fields = ("lead",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Priority]:
        return super().get_queryset(request).select_related("lead")


@admin.register(Plan)
class PlanAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "board", "lead", "review", "update_cycle_days", "live_actions")
    list_filter = ("kind", "status", "board")
    search_fields = ("title", "summary")
    list_select_related = ("board", "lead", "review")
    ordering = ("title",)
    autocomplete_fields = ("lead", "review", "reviews")
    fieldsets = (
        (None, {"fields": ("title", "kind", "status", "summary", "loaded_version")}),
        ("Ownership", {"fields": ("review", "reviews", "board", "lead")}),
        (
            "Dates and update cycle",
            {
                "fields": (
                    "due_on",
                    "approved_on",
                    "starts_on",
                    "ends_on",
                    "update_cycle_days",
                    "deadline_working_days",
                )
            },
        ),
        ("Delivery RAG", {"fields": ("rag_scale",)}),
    )
    inlines = [PriorityInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Plan]:
        live = Count("actions", filter=Q(actions__archived_at__isnull=True))
        return super().get_queryset(request).annotate(live_action_count=live)

    @admin.display(description="actions", ordering="live_action_count")
    def live_actions(self, obj: Plan) -> int:
        return obj.live_action_count


class ActionAdminForm(VersionedAdminForm):
    """Carry the loaded version (a stale save is refused); check the reference is unique in its plan.

    The model constraint states it, but Django skips a constraint whose fields are not all on the form, so
    without this a duplicate would reach the database as an IntegrityError instead of a message on the field.
    """

    def clean(self) -> dict:
        cleaned = super().clean()
        priority, reference = cleaned.get("priority"), cleaned.get("reference")
        if priority is not None and reference and priority.plan_id:
            clash = Action.objects.filter(plan_id=priority.plan_id, reference=reference)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("reference", "An action in this plan already has this reference.")
        return cleaned


class ActionInline(NoDeleteMixin, admin.TabularInline):
    """A priority's actions, read-only: an action is changed on its own page, where the version is checked."""

    model = Action
    fields = ("reference", "description", "due_date", "status", "rag", "version")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Priority | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Priority | None = None) -> bool:
        return False


@admin.register(Priority)
class PriorityAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("number", "title", "plan", "lead", "order")
    list_filter = ("plan",)
    search_fields = ("number", "title", "description", "plan__title")
    list_select_related = ("plan", "lead")
    ordering = ("plan", "order", "number")
    autocomplete_fields = ("lead", "findings", "criteria")
    fields = (
        "plan",
        "number",
        "title",
        "description",
        "lead",
        "order",
        "findings",
        "criteria",
        "loaded_version",
    )
    inlines = [ActionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Priority | None = None) -> tuple[str, ...]:
        # Actions copy their plan from the priority when saved; moving a priority would leave them behind.
        return ("plan",) if obj is not None else ()


class SuccessCriterionInline(NoDeleteMixin, AddOnlyInline):
    model = SuccessCriterion
    fields = ("order", "text", "met")
    formfield_overrides = {models.TextField: _SHORT_TEXT}


class ActionUpdateInline(NoDeleteMixin, admin.TabularInline):
    """The progress log, shown read-only: it is append-only and officers add to it from the action page."""

    model = ActionUpdate
    fields = (
        "created_at",
        "author",
        "status_before",
        "status_after",
        "rag_after",
        "narrative",
        "evidence",
        "rag_reason",
        "recovery_plan",
    )
    readonly_fields = fields
    extra = 0
    ordering = ("-created_at", "-pk")
    verbose_name = "update"
    verbose_name_plural = "update log"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActionUpdate]:
        return super().get_queryset(request).select_related("author", "rag_after")

    def has_add_permission(self, request: HttpRequest, obj: Action | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Action | None = None) -> bool:
        return False


class RagColourFilter(admin.SimpleListFilter):
    title = "delivery RAG"
    parameter_name = "rag"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [*RagLevel.Colour.choices, ("none", "Not rated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(rag__isnull=True)
        if self.value() in RagLevel.Colour.values:
            return queryset.filter(rag__colour=self.value())
        return queryset


@admin.register(Action)
class ActionAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = (
        "reference",
        "short_description",
        "plan",
        "lead_names",
        "due_date",
        "status",
        "rag",
        "is_archived",
    )
    list_display_links = ("reference", "short_description")
    list_filter = ("plan", "status", RagColourFilter, "lead_organisations", ArchivedListFilter)
    search_fields = ("reference", "description")
    # Keep in step with what the columns print: the plan's title and the level's own words.
    list_select_related = ("plan", "rag")
    ordering = ("plan", "priority__order", "order", "reference")
    autocomplete_fields = ("priority", "leads", "lead_organisations", "accountable_officer")
    # Progress changes only through Action.record_update (the officer's update form), which logs it.
    readonly_fields = (
        "plan",
        "status",
        "rag",
        "rag_reason",
        "recovery_plan",
        "version",
        "last_updated_at",
        "created_at",
        "archived_at",
    )
    actions = [archive_selected, restore_selected]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "plan",
                    "priority",
                    "reference",
                    "order",
                    "description",
                    "success_measure",
                    "loaded_version",
                )
            },
        ),
        ("Who leads it", {"fields": ("leads", "lead_organisations", "accountable_officer")}),
        ("Dates", {"fields": ("start_date", "due_date", "original_due_date")}),
        ("Progress (changed by updates only)", {"fields": ("status", "rag", "rag_reason", "recovery_plan")}),
        ("Record", {"fields": ("version", "last_updated_at", "created_at", "archived_at")}),
    )
    inlines = [SuccessCriterionInline, ActionUpdateInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Action]:
        return super().get_queryset(request).prefetch_related("leads")

    @admin.display(description="description")
    def short_description(self, obj: Action) -> str:
        return _truncate(obj.description)

    @admin.display(description="leads")
    def lead_names(self, obj: Action) -> str:
        return ", ".join(str(person) for person in obj.leads.all())

    @admin.display(description="archived", boolean=True, ordering="archived_at")
    def is_archived(self, obj: Action) -> bool:
        return obj.archived_at is not None


@admin.register(SuccessCriterion)
class SuccessCriterionAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("short_text", "action", "met", "order")
    list_filter = ("met", "action__plan")
    search_fields = ("text", "action__reference", "action__description")
    list_select_related = ("action",)
    ordering = ("action", "order")
    autocomplete_fields = ("action",)

    @admin.display(description="success criterion")
    def short_text(self, obj: SuccessCriterion) -> str:
        return _truncate(obj.text)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(NoDeleteMixin, admin.ModelAdmin):
    """The append-only update log: viewable, never added, changed or deleted here (see ActionUpdate.save)."""

    list_display = ("action", "author", "created_at", "status_after", "rag_after", "version_after")
    list_filter = ("action__plan", "status_after")
    search_fields = ("action__reference", "narrative", "author__username", "author__last_name")
    ordering = ("-created_at", "-pk")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActionUpdate]:
        # For the changelist and the change page (which prints rag_before too). The changelist ignores
        # list_select_related once the queryset has a select_related, so all of it is listed here.
        return super().get_queryset(request).select_related("action", "author", "rag_before", "rag_after")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ActionUpdate | None = None) -> bool:
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Reminders emailed to leads: a record, written by the reminder command and the update status page."""

    list_display = ("lead", "deadline", "sent_at", "action_count", "sent_by")
    list_filter = ("deadline",)
    search_fields = ("lead__username", "lead__last_name")
    list_select_related = ("lead", "sent_by")
    ordering = ("-sent_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReminderSent | None = None) -> bool:
        return False


class MeasureTargetInline(NoDeleteMixin, admin.TabularInline):
    model = MeasureTarget
    fields = ("period_end", "label", "target")
    extra = 1


class MeasureValueInline(NoDeleteMixin, admin.TabularInline):
    model = MeasureValue
    fields = ("period_end", "value", "national", "note", "recorded_by")
    readonly_fields = ("recorded_by",)
    extra = 1
    formfield_overrides = {models.TextField: _SHORT_TEXT}

    def get_queryset(self, request: HttpRequest) -> QuerySet[MeasureValue]:
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Measure)
class MeasureAdmin(StampUserInInlineMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "plan", "priority", "unit", "baseline", "final_target", "higher_is_better")
    list_filter = ("plan", "unit")
    search_fields = ("name", "description", "source")
    list_select_related = ("plan", "priority")
    ordering = ("order", "name")
    autocomplete_fields = ("priority",)
    fieldsets = (
        (None, {"fields": ("name", "description", "plan", "priority", "order", "source")}),
        (
            "Baseline and target",
            {
                "fields": (
                    "unit",
                    "higher_is_better",
                    "baseline",
                    "baseline_on",
                    "final_target",
                    "final_target_on",
                )
            },
        ),
    )
    inlines = [MeasureTargetInline, MeasureValueInline]

    stamp_model = MeasureValue
    stamp_field = "recorded_by"


class ComparatorValueInline(NoDeleteMixin, admin.TabularInline):
    model = ComparatorValue
    fields = ("period_end", "period_label", "value", "source")
    extra = 1


@admin.register(ComparatorSeries)
class ComparatorSeriesAdmin(NoDeleteMixin, VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "area", "unit", "source")
    search_fields = ("name", "area", "source")
    ordering = ("name",)
    inlines = [ComparatorValueInline]


@admin.register(ComparatorValue)
class ComparatorValueAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("series", "period_label", "period_end", "value", "source")
    search_fields = ("series__name", "source")
    list_select_related = ("series",)
    ordering = ("series", "period_end")


@admin.register(MeasureTarget)
class MeasureTargetAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("measure", "period_end", "target")
    list_filter = ("measure__plan",)
    search_fields = ("measure__name",)
    list_select_related = ("measure",)
    ordering = ("measure", "period_end")
    autocomplete_fields = ("measure",)


@admin.register(MeasureValue)
class MeasureValueAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("measure", "period_end", "value", "national", "recorded_by")
    list_filter = ("measure__plan",)
    search_fields = ("measure__name", "note")
    list_select_related = ("measure", "recorded_by")
    ordering = ("measure", "period_end")
    autocomplete_fields = ("measure",)
    readonly_fields = ("recorded_by",)

    def save_model(
        self, request: HttpRequest, obj: MeasureValue, form: forms.ModelForm, change: bool
    ) -> None:
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
