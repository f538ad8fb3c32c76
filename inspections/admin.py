"""Admin for reviews, findings, frameworks, criteria and RAG assessments."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    AddOnlyInline,
    AllFieldsVersionCheckedAdmin,
    NoDeleteMixin,
    StampUserInInlineMixin,
    related_filter,
)
from inspections.models import (
    Assessment,
    Criterion,
    Finding,
    Framework,
    Rag,
    Rating,
    Review,
    RevisitJudgement,
    Section,
)

_SHORT_TEXT = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}


def _truncate(text: str, length: int = 90) -> str:
    """Return text cut to `length` characters with an ellipsis, for changelist columns."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


class FindingInline(NoDeleteMixin, AddOnlyInline):
    model = Finding
    fields = ("order", "reference", "kind", "theme", "text")
    formfield_overrides = {models.TextField: _SHORT_TEXT}


@admin.register(Review)
class ReviewAdmin(NoDeleteMixin, AllFieldsVersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "outcome", "wsoa_due_on", "revisit_due_on")
    list_filter = ("kind", "outcome")
    search_fields = ("title", "lead_body", "summary")
    ordering = ("-start_date", "title")
    date_hierarchy = "start_date"
    list_select_related = ("framework", "follows_up")
    fieldsets = (
        (None, {"fields": ("kind", "title", "lead_body", "start_date", "end_date", "report_published_on")}),
        ("Review chain", {"fields": ("follows_up", "framework", "conditions")}),
        ("What it found", {"fields": ("focus_question", "summary", "outcome", "outcome_detail")}),
        ("Written statement of action and revisit", {"fields": ("wsoa_due_on", "revisit_due_on")}),
    )
    inlines = [FindingInline]


@admin.register(RevisitJudgement)
class RevisitJudgementAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("revisit", "finding", "judgement")
    list_filter = ("judgement",)
    list_select_related = ("revisit", "finding")
    search_fields = ("evidence", "finding__reference", "revisit__title")
    fields = ("revisit", "finding", "judgement", "evidence", "order")


@admin.register(Finding)
class FindingAdmin(NoDeleteMixin, AllFieldsVersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ("label", "kind", "short_text", "theme", "review", "priority_count")
    list_filter = ("kind", "review")
    search_fields = ("reference", "text", "theme", "review__title")
    list_select_related = ("review",)
    ordering = ("review", "order", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Finding]:
        # Priorities live in the actions app; a string lookup keeps inspections free of that import.
        return super().get_queryset(request).annotate(priority_count=Count("priorities"))

    @admin.display(description="reference", ordering="reference")
    def label(self, obj: Finding) -> str:
        return obj.reference or "–"

    @admin.display(description="text")
    def short_text(self, obj: Finding) -> str:
        return _truncate(obj.text)

    @admin.display(description="addressed by priorities", ordering="priority_count")
    def priority_count(self, obj: Finding) -> int:
        return obj.priority_count


class SectionInline(NoDeleteMixin, admin.TabularInline):
    model = Section
    fields = ("order", "code", "title")
    extra = 1
    show_change_link = True
    formfield_overrides = {models.TextField: _SHORT_TEXT}


@admin.register(Framework)
class FrameworkAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "year")
    search_fields = ("name", "description")
    ordering = ("-year", "name")
    fieldsets = (
        (None, {"fields": ("name", "year", "description", "source", "is_local", "outcomes")}),
        ("What each RAG rating means", {"fields": ("red_meaning", "amber_meaning", "green_meaning")}),
    )
    inlines = [SectionInline]


class CriterionInline(NoDeleteMixin, admin.TabularInline):
    model = Criterion
    fields = ("order", "code", "group_heading", "wording")
    extra = 1
    show_change_link = True
    formfield_overrides = {models.TextField: _SHORT_TEXT}


@admin.register(Section)
class SectionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("code", "short_title", "framework", "order")
    list_filter = ("framework",)
    search_fields = ("code", "title", "framework__name")
    list_select_related = ("framework",)
    ordering = ("framework", "order")
    inlines = [CriterionInline]

    @admin.display(description="title")
    def short_title(self, obj: Section) -> str:
        return _truncate(obj.title)


@admin.register(Criterion)
class CriterionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("code", "short_wording", "group_heading", "section", "framework", "order")
    list_filter = ("framework", "section")
    search_fields = ("code", "wording", "group_heading", "section__code", "framework__name")
    # The criterion's own (denormalised) framework is shown, so both relations are joined.
    list_select_related = ("section", "framework")
    ordering = ("section__framework", "section__order", "order")

    @admin.display(description="wording")
    def short_wording(self, obj: Criterion) -> str:
        return _truncate(obj.wording)


class RatingInlineForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        # Rating.clean cannot check a rating of a new, unsaved assessment; the inline knows the framework.
        assessment, criterion = cleaned.get("assessment"), cleaned.get("criterion")
        if (
            assessment is not None
            and criterion is not None
            and assessment.framework_id
            and criterion.section.framework_id != assessment.framework_id
        ):
            self.add_error("criterion", "This criterion belongs to a different framework.")
        return cleaned


class RatingInline(NoDeleteMixin, admin.TabularInline):
    model = Rating
    form = RatingInlineForm
    fields = ("criterion", "rag", "commentary", "next_steps", "rated_by", "rated_at")
    readonly_fields = ("rated_by", "rated_at")
    autocomplete_fields = ("criterion",)
    extra = 1
    formfield_overrides = {models.TextField: _SHORT_TEXT}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rating]:
        return super().get_queryset(request).select_related("criterion__section", "rated_by")


@admin.register(Assessment)
class AssessmentAdmin(StampUserInInlineMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("label", "framework", "assessed_on", "agreed_at", "red", "amber", "green")
    readonly_fields = ("agreed_at", "agreed_by")
    list_filter = ("framework",)
    search_fields = ("label", "notes", "framework__name")
    list_select_related = ("framework",)
    ordering = ("framework", "-assessed_on")
    date_hierarchy = "assessed_on"
    inlines = [RatingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        counts = {
            f"{rag.label.lower()}_count": Count("ratings", filter=Q(ratings__rag=rag.value)) for rag in Rag
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description="red", ordering="red_count")
    def red(self, obj: Assessment) -> int:
        return obj.red_count

    @admin.display(description="amber", ordering="amber_count")
    def amber(self, obj: Assessment) -> int:
        return obj.amber_count

    @admin.display(description="green", ordering="green_count")
    def green(self, obj: Assessment) -> int:
        return obj.green_count

    stamp_model = Rating
    stamp_field = "rated_by"


@admin.register(Rating)
class RatingAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("assessment", "criterion_code", "rag", "short_commentary", "rated_by", "rated_at")
    list_filter = ("assessment__framework", ("assessment", related_filter("framework")), "rag")
    search_fields = ("criterion__code", "criterion__wording", "commentary", "next_steps")
    list_select_related = ("assessment__framework", "criterion", "rated_by")
    ordering = ("assessment", "criterion__section__order", "criterion__order")
    autocomplete_fields = ("criterion",)
    readonly_fields = ("rated_by", "rated_at")
    fields = ("assessment", "criterion", "rag", "commentary", "next_steps", "rated_by", "rated_at")

    @admin.display(description="criterion", ordering="criterion__code")
    def criterion_code(self, obj: Rating) -> str:
        return obj.criterion.code

    @admin.display(description="commentary")
    def short_commentary(self, obj: Rating) -> str:
        return _truncate(obj.commentary, 60)

    def save_model(self, request: HttpRequest, obj: Rating, form: forms.ModelForm, change: bool) -> None:
        if obj.rated_by_id is None:
            obj.rated_by = request.user
        super().save_model(request, obj, form, change)
