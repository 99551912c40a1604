import django_tables2 as tables
from django.utils.html import format_html

from locations.models import AccessLocation


def _yes_no(value: bool, what: str) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        "text-bg-success" if value else "text-bg-danger",
        "Yes" if value else f"No {what}",
    )


class AccessLocationTable(tables.Table):
    agency = tables.Column(accessor="agency__name", verbose_name="Agency", order_by="agency__name")
    name = tables.Column(verbose_name="Location")
    location_type = tables.Column(verbose_name="Type")
    filtering = tables.Column(verbose_name="Filtering")
    monitoring = tables.Column(verbose_name="Monitoring")
    age_filtering = tables.Column(verbose_name="Age-related filtering")
    responsible_person = tables.Column(verbose_name="Responsible", default="—")
    last_checked_on = tables.DateColumn(verbose_name="Last checked", format="j F Y", default="Never")
    check = tables.Column(empty_values=(), verbose_name="Check status", orderable=False)
    review = tables.Column(empty_values=(), verbose_name="Filtering and monitoring review", orderable=False)

    class Meta:
        model = AccessLocation
        fields = [
            "agency",
            "name",
            "location_type",
            "filtering",
            "monitoring",
            "age_filtering",
            "responsible_person",
            "last_checked_on",
            "check",
            "review",
        ]
        empty_text = "No internet access locations match these filters."
        attrs = {"class": "table table-sm align-middle"}

    def render_agency(self, value, record):
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("locations:agency", args=[record.agency_id]), value)

    def render_filtering(self, value):
        return _yes_no(value, "filtering")

    def render_monitoring(self, value):
        return _yes_no(value, "monitoring")

    def render_age_filtering(self, value):
        return "Yes" if value else "No"

    def render_check(self, record):
        if record.is_check_overdue():
            return format_html('<span class="badge text-bg-warning">{}</span>', record.check_status)
        return record.check_status

    def render_review(self, record):
        from django.urls import reverse

        status = record.review_status()
        words = f"{status}, next due {record.next_review_due:%-d %B %Y}" if record.last_review_id else status
        return format_html(
            '<a href="{}">{}</a>{}',
            reverse("locations:reviews", args=[record.pk]),
            words,
            format_html(' <span class="badge text-bg-warning">{}</span>', "Overdue")
            if record.is_review_overdue()
            else "",
        )
