import django_filters
from django.db.models import Q

from esafety.forms import DateInput
from reminders.models import Reminder, ReminderRule, ReminderStatus


class ReminderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Recipient or subject contains")
    rule = django_filters.ModelChoiceFilter(queryset=ReminderRule.objects.all(), empty_label="Any rule")
    status = django_filters.ChoiceFilter(choices=ReminderStatus.choices, empty_label="Any status")
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="Since", widget=DateInput)

    class Meta:
        model = Reminder
        fields = ["q", "rule", "status", "since"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(recipient__full_name__icontains=value)
            | Q(recipient__email__icontains=value)
            | Q(subject__icontains=value)
        )
