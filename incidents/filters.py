import django_filters
from django import forms

from accounts import permissions
from agencies.models import Agency
from esafety.forms import DateInput, FilterSelect
from incidents import areas
from incidents.models import ConcernLevel, Incident, Status


def _my_agencies(request):
    """The agencies whose incidents this person may list (theirs; one query)."""
    if request is None:
        return Agency.objects.none()
    return permissions.agencies_for(request.user).filter(pk__in=permissions.agency_roles(request.user).ids())


class IncidentFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=_my_agencies, empty_label="Any agency", widget=FilterSelect)
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    area = django_filters.ChoiceFilter(
        choices=areas.Area.choices, empty_label="Any area", label="Area of risk", method="filter_area"
    )
    category = django_filters.ChoiceFilter(
        choices=areas.grouped_choices(include_retired=True), empty_label="Any category", widget=FilterSelect
    )
    concern_level = django_filters.ChoiceFilter(choices=ConcernLevel.choices, empty_label="Any", label="Concern")
    urgent = django_filters.BooleanFilter(
        label="Urgent",
        widget=forms.Select(choices=[("", "Any"), ("true", "Urgent only"), ("false", "Not urgent")]),
    )
    reported_from = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__gte", label="Reported from", widget=DateInput
    )
    reported_to = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__lte", label="Reported to", widget=DateInput
    )

    class Meta:
        model = Incident
        fields = ["agency", "status", "area", "category", "concern_level", "urgent", "reported_from", "reported_to"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(category__in=areas.categories_in(value))
