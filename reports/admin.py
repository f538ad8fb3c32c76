"""Admin for committee papers in the UK council format and the parts each paper is made of."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    ArchivedListFilter,
    NoDeleteMixin,
    archive_selected,
    related_filter,
    restore_selected,
)
from reports.models import (
    Appendix,
    BackgroundPaper,
    CommitteePaper,
    Implication,
    PaperTemplate,
    PublishedVersion,
    Recommendation,
    SignOff,
    TemplateSection,
    TemplateSignOff,
)
from reports.models import Section as PaperSection

_SHORT_TEXT = {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}


def _truncate(text: str, length: int = 90) -> str:
    """Return text cut to `length` characters with an ellipsis, for changelist columns."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


def _published(obj) -> bool:
    """Return whether obj is, or belongs to, a published paper (which nothing may change)."""
    paper = obj if isinstance(obj, CommitteePaper) else getattr(obj, "paper", None)
    return paper is not None and paper.is_published


class FrozenWhenPublishedMixin:
    """A published paper and its parts are read-only here too: the models refuse the write anyway."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return not _published(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class RecommendationInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.TabularInline):
    model = Recommendation
    fields = ("order", "number", "text")
    extra = 1
    formfield_overrides = {models.TextField: _SHORT_TEXT}


class PaperSectionInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.StackedInline):
    model = PaperSection
    fields = (("order", "kind", "heading"), "body")
    extra = 0
    verbose_name = "body section"


class ImplicationInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.StackedInline):
    model = Implication
    fields = (("order", "kind"), "body", ("verified_by_name", "verified_by_title"))
    extra = 0


class SignOffInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.TabularInline):
    model = SignOff
    fields = ("order", "role", "name", "signed_on")
    extra = 1


class BackgroundPaperInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.TabularInline):
    model = BackgroundPaper
    fields = ("order", "title", "location")
    extra = 1


class AppendixInline(FrozenWhenPublishedMixin, NoDeleteMixin, admin.StackedInline):
    model = Appendix
    fields = (("number", "kind", "title"), ("plan", "framework"), "body")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appendix]:
        return super().get_queryset(request).select_related("plan", "framework")


@admin.register(CommitteePaper)
class CommitteePaperAdmin(FrozenWhenPublishedMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "committee",
        "meeting_date",
        "agenda_item",
        "access",
        "status",
        "plan",
        "is_archived",
    )
    list_filter = ("status", "access", "committee", ArchivedListFilter)
    search_fields = ("title", "report_of", "author_name", "executive_summary")
    list_select_related = ("committee", "plan")
    ordering = ("-meeting_date", "title")
    date_hierarchy = "meeting_date"
    readonly_fields = ("created_by", "created_at", "archived_at", "status", "signed_off_at", "published_at")
    actions = ["archive_drafts", restore_selected]
    # The order of a paper's cover sheet in the council format (see DESIGN.md and the seeds).
    fieldsets = (
        (
            "Cover",
            {
                "fields": (
                    "committee",
                    "meeting_date",
                    "agenda_item",
                    "title",
                    "wards_affected",
                    "key_decision",
                    "report_of",
                    "accountable_assistant_director",
                    "accountable_director",
                    "access",
                    "exempt_reason",
                )
            },
        ),
        ("Summary", {"fields": ("executive_summary", "plan")}),
        ("Author", {"fields": ("author_name", "author_title", "author_department")}),
        (
            "Status",
            {
                "fields": (
                    "status",
                    "signed_off_at",
                    "published_at",
                    "created_by",
                    "created_at",
                    "archived_at",
                )
            },
        ),
    )
    inlines = [
        RecommendationInline,
        PaperSectionInline,
        ImplicationInline,
        SignOffInline,
        BackgroundPaperInline,
        AppendixInline,
    ]

    @admin.action(description="Archive selected drafts (published papers stay as published)")
    def archive_drafts(self, request: HttpRequest, queryset: QuerySet[CommitteePaper]) -> None:
        archive_selected(self, request, queryset.exclude(status=CommitteePaper.Status.PUBLISHED))

    @admin.display(description="archived", boolean=True, ordering="archived_at")
    def is_archived(self, obj: CommitteePaper) -> bool:
        return obj.archived_at is not None

    def save_model(
        self, request: HttpRequest, obj: CommitteePaper, form: forms.ModelForm, change: bool
    ) -> None:
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class _PaperPartAdmin(FrozenWhenPublishedMixin, NoDeleteMixin, SimpleHistoryAdmin):
    """Shared settings for the parts of a paper, listed across papers; usually edited inline on the paper."""

    # The paper's name includes its committee, in the rows and in the filter's choices.
    list_filter = ("paper__committee", ("paper", related_filter("committee")))
    list_select_related = ("paper__committee",)
    ordering = ("paper", "order")


@admin.register(Recommendation)
class RecommendationAdmin(_PaperPartAdmin):
    list_display = ("number", "short_text", "paper")
    search_fields = ("number", "text", "paper__title")

    @admin.display(description="text")
    def short_text(self, obj: Recommendation) -> str:
        return _truncate(obj.text)


@admin.register(PaperSection)
class PaperSectionAdmin(_PaperPartAdmin):
    list_display = ("display_heading", "kind", "paper", "order")
    list_filter = ("kind", *_PaperPartAdmin.list_filter)
    search_fields = ("heading", "body", "paper__title")


@admin.register(Implication)
class ImplicationAdmin(_PaperPartAdmin):
    list_display = ("kind", "paper", "verified_by_name", "verified_by_title")
    list_filter = ("kind", *_PaperPartAdmin.list_filter)
    search_fields = ("body", "verified_by_name", "paper__title")


@admin.register(SignOff)
class SignOffAdmin(_PaperPartAdmin):
    list_display = ("role", "name", "signed_on", "paper")
    search_fields = ("role", "name", "paper__title")


@admin.register(BackgroundPaper)
class BackgroundPaperAdmin(_PaperPartAdmin):
    list_display = ("title", "location", "paper")
    search_fields = ("title", "location", "paper__title")


@admin.register(Appendix)
class AppendixAdmin(_PaperPartAdmin):
    list_display = ("number", "title", "kind", "paper", "plan", "framework")
    list_filter = ("kind", *_PaperPartAdmin.list_filter)
    list_select_related = ("paper__committee", "plan", "framework")
    search_fields = ("title", "body", "paper__title")
    ordering = ("paper", "number")


@admin.register(PublishedVersion)
class PublishedVersionAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Published versions are records: the admin lists them, nobody adds or changes one here."""

    list_display = ("paper", "number", "published_at", "published_by", "page_count", "sha256")
    list_select_related = ("paper__committee", "published_by")
    search_fields = ("paper__title", "sha256")
    exclude = ("snapshot",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class TemplateSectionInline(NoDeleteMixin, admin.TabularInline):
    model = TemplateSection
    fields = ("order", "heading", "guidance", "required")
    extra = 1
    formfield_overrides = {models.TextField: _SHORT_TEXT}


class TemplateSignOffInline(NoDeleteMixin, admin.TabularInline):
    model = TemplateSignOff
    fields = ("order", "role", "required", "printed")
    extra = 1


@admin.register(PaperTemplate)
class PaperTemplateAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Councils' paper formats differ: sections, their order and guidance, and which sign-offs print."""

    list_display = ("name", "order", "archived_at")
    search_fields = ("name", "description")
    fields = ("name", "description", "order", "summary", "recommendation", "appendix_title", "archived_at")
    inlines = [TemplateSectionInline, TemplateSignOffInline]


@admin.register(TemplateSection)
class TemplateSectionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("heading", "template", "order")
    list_filter = ("template",)
    list_select_related = ("template",)
    search_fields = ("heading", "guidance", "template__name")


@admin.register(TemplateSignOff)
class TemplateSignOffAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("role", "template", "required", "printed", "order")
    list_filter = ("template", "required", "printed")
    list_select_related = ("template",)
    search_fields = ("role", "template__name")
