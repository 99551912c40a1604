import django_filters
from django.db.models import Q

from accounts import permissions
from agencies.models import Sector
from locations.models import AccessLocation, LocationType, check_due_before, review_overdue_condition

MISSING_CHOICES = [
    ("filtering", "No filtering"),
    ("monitoring", "No monitoring"),
    ("either", "No filtering or no monitoring"),
    ("age", "No age-related filtering"),
]


class AccessLocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, address or responsible person contains")
    agency = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any agency")
    sector = django_filters.ChoiceFilter(field_name="agency__sector", choices=Sector.choices, empty_label="Any sector")
    location_type = django_filters.ChoiceFilter(choices=LocationType.choices, empty_label="Any type", label="Type")
    missing = django_filters.ChoiceFilter(
        method="filter_missing", choices=MISSING_CHOICES, empty_label="Any", label="Safeguards missing"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Check",
        widget=django_filters.widgets.BooleanWidget(),
    )

    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue",
        label="Filtering and monitoring review",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = AccessLocation
        fields = ["q", "agency", "sector", "location_type", "missing", "overdue", "review_overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = permissions.agencies_for(user).only("pk", "name") if user else None
        self.form.fields["overdue"].widget.choices = [
            ("", "Any"),
            ("true", "Not checked within a year"),
            ("false", "Checked within the year"),
        ]
        self.form.fields["review_overdue"].widget.choices = [("", "Any"), ("true", "Overdue"), ("false", "In date")]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(address__icontains=value) | Q(responsible_person__icontains=value)
        )

    def filter_missing(self, queryset, name, value):
        return {
            "filtering": queryset.filter(filtering=False),
            "monitoring": queryset.filter(monitoring=False),
            "either": queryset.filter(Q(filtering=False) | Q(monitoring=False)),
            "age": queryset.filter(age_filtering=False),
        }.get(value, queryset)

    def filter_overdue(self, queryset, name, value):
        stale = Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=check_due_before())
        return queryset.filter(stale) if value else queryset.exclude(stale)

    def filter_review_overdue(self, queryset, name, value):
        overdue = review_overdue_condition()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
