import django_tables2 as tables
from django.utils.html import format_html

from champions.models import ListConfirmation, Nomination


class NominationTable(tables.Table):
    agency = tables.Column(linkify=True, accessor="agency", order_by="agency__name")
    name = tables.Column(accessor="user__full_name", verbose_name="Name")
    title = tables.Column(verbose_name="Role")
    email = tables.EmailColumn(accessor="user__email", verbose_name="E-mail")
    phone = tables.Column(accessor="user__phone", verbose_name="Telephone", default="—")
    esig_membership = tables.Column(verbose_name="ESIG")
    is_co_chair = tables.BooleanColumn(verbose_name="Co-chair", yesno="Co-chair,—")
    started_on = tables.DateColumn(verbose_name="Since", format="j M Y")

    class Meta:
        model = Nomination
        fields = ["agency", "name", "title", "email", "phone", "esig_membership", "is_co_chair", "started_on"]
        empty_text = "No current champions match these filters."


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
