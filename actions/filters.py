from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from actions.models import Action, Organisation, Person, Plan, Priority, RagLevel


class ActionFilter(django_filters.FilterSet):
    """Filters for the actions table; all state lives in the query string."""

    q = django_filters.CharFilter(method="filter_text", label="Reference or description contains")
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.order_by("title"), empty_label="Any plan")
    priority = django_filters.ModelChoiceFilter(
        queryset=Priority.objects.select_related("plan").order_by("plan__title", "order"),
        empty_label="Any priority",
    )
    lead = django_filters.ModelChoiceFilter(
        field_name="leads",
        label="Lead",
        queryset=Person.objects.filter(actions_led__isnull=False).distinct().order_by("name"),
        empty_label="Anyone",
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="lead_organisations",
        label="Lead organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any organisation",
    )
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, empty_label="Any status")
    rag = django_filters.ChoiceFilter(
        field_name="rag__colour", choices=RagLevel.Colour.choices, label="Delivery RAG", empty_label="Any RAG"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue",
        widget=forms.Select(choices=[("", "Either"), ("true", "Overdue only"), ("false", "Not overdue")]),
    )
    not_updated_since = django_filters.DateFilter(
        method="filter_not_updated_since",
        label="Not updated since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(reference__icontains=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_not_updated_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(last_updated_at__isnull=True) | Q(last_updated_at__date__lt=value))
