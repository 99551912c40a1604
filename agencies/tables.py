import django_tables2 as tables
from django.utils.html import format_html

from agencies.models import Agency


class AgencyTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Agency")
    sector = tables.Column()
    membership_type = tables.Column(verbose_name="Member or partner")
    executive_lead = tables.Column(accessor="executive_lead__full_name", verbose_name="Executive lead", default="—")
    has_champion = tables.Column(verbose_name="Current champion", orderable=True)
    archived_at = tables.Column(verbose_name="Status", orderable=False, empty_values=())

    class Meta:
        model = Agency
        fields = ["name", "sector", "membership_type", "executive_lead", "has_champion", "archived_at"]
        empty_text = "No agencies match these filters."

    def render_has_champion(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', "Yes")
        return format_html('<span class="badge text-bg-danger">{}</span>', "No champion")

    def render_archived_at(self, value, record):
        return "Archived" if record.is_archived else "Active"
