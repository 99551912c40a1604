import django_tables2 as tables
from django.utils.html import format_html

from champions.models import ListConfirmation


class ConfirmationTable(tables.Table):
    agency = tables.Column(accessor="agency__name", verbose_name="Agency")
    status = tables.Column()
    responded_by = tables.Column(accessor="responded_by__full_name", verbose_name="Confirmed by", default="—")
    responded_at = tables.DateTimeColumn(verbose_name="On", format="j M Y, H:i", default="—")
    note = tables.Column(default="", orderable=False)

    class Meta:
        model = ListConfirmation
        fields = ["agency", "status", "responded_by", "responded_at", "note"]
        empty_text = "No agencies were asked in this round."

    def render_status(self, value, record):
        css = {"pending": "text-bg-warning", "confirmed": "text-bg-success", "corrected": "text-bg-info"}[record.status]
        return format_html('<span class="badge {}">{}</span>', css, value)
