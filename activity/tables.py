import django_tables2 as tables

from activity.models import ActivityEvent


class ActivityTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name="When", format="j M Y, H:i:s")
    actor_label = tables.Column(verbose_name="Who", default="—")
    action = tables.Column(verbose_name="Event")
    record = tables.Column(accessor="object_id", verbose_name="Record", orderable=False, default="—")
    agency = tables.Column(accessor="agency__name", verbose_name="Agency", default="—")
    summary = tables.Column(verbose_name="Detail", default="", orderable=False)
    ip_address = tables.Column(verbose_name="From", default="—")

    class Meta:
        model = ActivityEvent
        fields = ["at", "actor_label", "action", "record", "agency", "summary", "ip_address"]
        empty_text = "No events match these filters."

    def render_record(self, value, record):
        return f"{record.object_type.split('.')[-1]} {value}"
