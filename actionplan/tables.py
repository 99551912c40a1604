import django_tables2 as tables

from actionplan.models import Action
from actionplan.templatetags.actionplan_tags import rag, timescale


class ActionTable(tables.Table):
    ref = tables.Column(verbose_name="Ref", linkify=True, order_by=("ref",))
    priority = tables.Column(accessor="objective__priority__number", verbose_name="Priority")
    action = tables.Column(verbose_name="Action", linkify=True)
    lead = tables.Column(
        accessor="lead_display",
        verbose_name="Lead",
        order_by=("lead_agency__name", "lead_person__full_name", "lead_text"),
    )
    timescale = tables.Column(verbose_name="Timescale", empty_values=())
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Action
        fields = ["ref", "priority", "action", "lead", "timescale", "status"]
        empty_text = "No actions match these filters."

    def render_action(self, value):
        return value if len(value) <= 140 else value[:138] + "…"

    def render_timescale(self, record):
        return timescale(record)

    def render_status(self, record):
        return rag(record.status, record.get_status_display())

    def order_timescale(self, queryset, is_descending):
        return queryset.order_by(("-" if is_descending else "") + "timescale", "ref"), True
