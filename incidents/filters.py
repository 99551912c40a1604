import django_filters

from esafety.forms import DateInput
from incidents.models import Category, ConcernLevel, Incident, Status


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    concern_level = django_filters.ChoiceFilter(choices=ConcernLevel.choices, empty_label="Any", label="Concern")
    urgent = django_filters.BooleanFilter(label="Urgent")
    reported_from = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__gte", label="Reported from", widget=DateInput
    )
    reported_to = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__lte", label="Reported to", widget=DateInput
    )

    class Meta:
        model = Incident
        fields = ["status", "category", "concern_level", "urgent", "reported_from", "reported_to"]
