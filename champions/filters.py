import django_filters
from django.db.models import Q

from agencies.models import Sector
from champions.models import EsigMembership, Nomination


class NominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, agency or e-mail contains")
    sector = django_filters.ChoiceFilter(field_name="agency__sector", choices=Sector.choices, empty_label="Any sector")
    esig_membership = django_filters.ChoiceFilter(
        choices=EsigMembership.choices, empty_label="Any", label="ESIG membership"
    )

    class Meta:
        model = Nomination
        fields = ["q", "sector", "esig_membership"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(agency__name__icontains=value) | Q(user__email__icontains=value)
        )
