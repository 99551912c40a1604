import django_tables2 as tables
from django.utils import dateformat, timezone

from incidents.models import Category, ConcernLevel, Incident, Status

STATUS_BADGE = {
    "draft": "text-bg-light border",
    "reported": "text-bg-warning",
    "in_progress": "text-bg-info",
    "closed": "text-bg-secondary",
    "withdrawn": "text-bg-light border",
}
CONCERN_BADGE = {"low": "text-bg-success", "medium": "text-bg-warning", "high": "text-bg-danger"}
CATEGORY_LABELS = dict(Category.choices)
STATUS_LABELS = dict(Status.choices)
CONCERN_LABELS = dict(ConcernLevel.choices)


class IncidentTable(tables.Table):
    reference = tables.Column(linkify=True, accessor="pk", verbose_name="Reference", order_by="pk")
    reported_at = tables.DateColumn(verbose_name="Reported", format="j F Y", default="Not yet")
    agency = tables.Column(accessor="agency__name", verbose_name="Agency")
    category = tables.Column()
    status = tables.Column()
    concern_level = tables.Column(verbose_name="Concern", default="Not triaged")
    outstanding_referrals = tables.Column(verbose_name="Referrals outstanding")

    class Meta:
        model = Incident
        fields = ["reference", "reported_at", "agency", "category", "status", "concern_level", "outstanding_referrals"]
        empty_text = "No incidents match these filters."
        # The rows are written out in the template from page_rows below; the columns give the headings and sorting.
        template_name = "incidents/_incident_table.html"
        order_by = "-reported_at"

    def page_rows(self):
        """What each row of the page shows, worked out here from the label and badge tables above, so
        the template writes plain values (the incident list is the portal's busiest page)."""
        for row in self.paginated_rows:
            incident = row.record
            reported = incident.reported_at
            yield {
                "url": incident.get_absolute_url(),
                "reference": incident.reference,
                "urgent": incident.urgent,
                "reported": dateformat.format(timezone.localtime(reported), "j F Y") if reported else "Not yet",
                "agency": incident.agency.name,
                "category": CATEGORY_LABELS.get(incident.category, "—"),
                "status": STATUS_LABELS.get(incident.status, incident.status),
                "status_badge": STATUS_BADGE.get(incident.status, "text-bg-light border"),
                "concern": CONCERN_LABELS.get(incident.concern_level, ""),
                "concern_badge": CONCERN_BADGE.get(incident.concern_level, ""),
                "outstanding": incident.outstanding_referrals,
            }
