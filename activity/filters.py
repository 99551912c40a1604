import django_filters
from django.db.models import Q

from activity.models import Action, ActivityEvent
from esafety.forms import DateInput


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Who or what contains")
    action = django_filters.ChoiceFilter(choices=Action.choices, empty_label="Any event")
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="From", widget=DateInput)
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="To", widget=DateInput)

    class Meta:
        model = ActivityEvent
        fields = ["q", "action", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(actor_label__icontains=value)
            | Q(summary__icontains=value)
            | Q(object_id=value)
            | Q(agency__name__icontains=value)
        )
