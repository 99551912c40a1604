import django_filters
from django import forms
from django.db.models import Q

from actionplan.models import Action, Priority, Status
from agencies.models import Agency


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text contains")
    priority = django_filters.ModelChoiceFilter(
        field_name="objective__priority",
        queryset=Priority.objects.none(),
        empty_label="Any priority",
        label="Priority",
    )
    lead_agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.all(), empty_label="Any lead agency", label="Lead agency"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, widget=forms.CheckboxSelectMultiple, label="Status"
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", "Overdue only"), ("no", "Not overdue")],
        method="filter_overdue",
        empty_label="Overdue or not",
        label="Overdue",
    )

    class Meta:
        model = Action
        fields = ["q", "priority", "lead_agency", "status", "overdue"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.filters["priority"].queryset = Priority.objects.filter(plan=plan)
            self.form.fields["priority"].queryset = Priority.objects.filter(plan=plan)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(action__icontains=value)
            | Q(method__icontains=value)
            | Q(ref__istartswith=value)
            | Q(success_measure__icontains=value)
            | Q(lead_text__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        # Actions with no timescale have no overdue value (NULL): they count as not overdue.
        return queryset.filter(is_overdue=True) if value == "yes" else queryset.exclude(is_overdue=True)
