from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from actions.models import Action, Organisation, Person, Plan, Priority, RagLevel
from core.dates import DateField
from core.widgets import PlainSelect


class DateFilter(django_filters.DateFilter):
    """A date filter in the product's one date input (day, month, year)."""

    field_class = DateField


class _LoadedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.loaded():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.loaded()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.loaded())


class LoadedModelChoiceField(ModelChoiceField):
    """A model choice that reads its options once, for both the select and the check of the chosen one.

    Django's field asks the database for the options when it renders them and again for the chosen value
    when it validates: one query more per filter in use, on every page of the table. (No null option.)
    """

    iterator = _LoadedChoiceIterator
    widget = PlainSelect

    def _set_queryset(self, queryset) -> None:
        self._loaded_objects = None
        super()._set_queryset(queryset)

    queryset = property(ModelChoiceField._get_queryset, _set_queryset)

    def loaded(self) -> list:
        if self._loaded_objects is None:
            self._loaded_objects = list(self.queryset)
        return self._loaded_objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.loaded():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class LoadedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LoadedModelChoiceField


class ActionFilter(django_filters.FilterSet):
    """Filters for the actions table; all state lives in the query string."""

    q = django_filters.CharFilter(method="filter_text", label="Reference or description contains")
    # The options read only what their labels show (the models' __str__).
    plan = LoadedModelChoiceFilter(
        queryset=Plan.objects.only("title").order_by("title"), empty_label="Any plan"
    )
    priority = LoadedModelChoiceFilter(
        queryset=Priority.objects.only("number", "title").order_by("plan__title", "order"),
        empty_label="Any priority",
    )
    lead = LoadedModelChoiceFilter(
        field_name="leads",
        label="Lead",
        queryset=Person.objects.filter(Exists(Action.leads.through.objects.filter(person=OuterRef("pk"))))
        .only("name")
        .order_by("name"),
        empty_label="Anyone",
    )
    organisation = LoadedModelChoiceFilter(
        field_name="lead_organisations",
        label="Lead organisation",
        queryset=Organisation.objects.only("name", "short_name").order_by("name"),
        empty_label="Any organisation",
    )
    status = django_filters.ChoiceFilter(
        choices=Action.Status.choices, empty_label="Any status", widget=PlainSelect
    )
    rag = django_filters.ChoiceFilter(
        field_name="rag__colour",
        choices=RagLevel.Colour.choices,
        label="Delivery RAG",
        empty_label="Any RAG",
        widget=PlainSelect,
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue",
        widget=PlainSelect(choices=[("", "Either"), ("true", "Overdue only"), ("false", "Not overdue")]),
    )
    not_updated_since = DateFilter(method="filter_not_updated_since", label="Not updated since")
    # Live plans' actions by default; closed plans' only on request (or when their plan is chosen).
    plans = django_filters.ChoiceFilter(
        choices=[("", "Live plans"), ("all", "Live and closed plans"), ("closed", "Closed plans")],
        empty_label=None,
        method="filter_plans",
        label="Plans",
        widget=PlainSelect,
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

    def filter_plans(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied in filter_queryset, which also sees the default (blank) value

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("plan"):
            return queryset
        closed = Q(plan__status=Plan.Status.CLOSED)
        match self.form.cleaned_data.get("plans"):
            case "closed":
                return queryset.filter(closed)
            case "all":
                live_first = Case(When(closed, then=Value(1)), default=Value(0))
                return queryset.order_by(live_first, *Action._meta.ordering)
            case _:
                return queryset.exclude(closed)

    def filter_not_updated_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(last_updated_at__isnull=True) | Q(last_updated_at__date__lt=value))
