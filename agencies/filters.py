import django_filters
from django import forms
from django.db.models import Q

from agencies.models import Agency, MembershipType, Sector


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name contains")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")
    membership_type = django_filters.ChoiceFilter(
        choices=MembershipType.choices, empty_label="Members and partners", label="Member or partner"
    )
    champion = django_filters.ChoiceFilter(
        choices=[("with", "Has a current champion"), ("without", "No current champion")],
        method="filter_champion",
        empty_label="Any",
        label="Champion",
    )
    status = django_filters.ChoiceFilter(
        choices=[("active", "Active"), ("archived", "Archived"), ("all", "Active and archived")],
        method="filter_status",
        empty_label=None,
        label="Status",
        widget=forms.Select,
    )

    class Meta:
        model = Agency
        fields = ["q", "sector", "membership_type", "champion", "status"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(executive_lead__full_name__icontains=value))

    def filter_champion(self, queryset, name, value):
        return queryset.filter(has_champion=(value == "with"))

    def filter_status(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(archived_at__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)
