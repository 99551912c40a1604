"""The incident list's columns and rows (the portal's busiest list)."""

from django.urls import reverse
from django.utils import dateformat, timezone

from agencies.listing import Column
from incidents.models import Category, ConcernLevel, Status, reference_for

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

# Newest report first unless the reader sorts by a heading (``?sort=``, as the other long lists).
DEFAULT_ORDER = ("-reported_at", "-pk")
COLUMNS = [
    Column("reference", "Reference", ("pk",)),
    Column("reported_at", "Reported", ("reported_at",)),
    Column("agency", "Agency", ("agency__name",)),
    Column("category", "Category", ("category",)),
    Column("status", "Status", ("status",)),
    Column("concern_level", "Concern", ("concern_level",)),
    Column("outstanding_referrals", "Referrals outstanding", ("outstanding_referrals",)),
]


def rows(page) -> list[dict]:
    """What each row shows, worked out from the label and badge tables above, so that the template
    writes plain values. ``page`` holds the values of ``incidents.selectors.incident_list``."""
    found = []
    for incident in page:
        reported = incident["reported_at"]
        found.append(
            {
                "url": reverse("incidents:detail", args=[incident["pk"]]),
                "reference": reference_for(incident["pk"]),
                "urgent": incident["urgent"],
                "reported": dateformat.format(timezone.localtime(reported), "j F Y") if reported else "Not yet",
                "agency": incident["agency_name"],
                "category": CATEGORY_LABELS.get(incident["category"], "—"),
                "status": STATUS_LABELS.get(incident["status"], incident["status"]),
                "status_badge": STATUS_BADGE.get(incident["status"], "text-bg-light border"),
                "concern": CONCERN_LABELS.get(incident["concern_level"], ""),
                "concern_badge": CONCERN_BADGE.get(incident["concern_level"], ""),
                "outstanding": incident["outstanding_referrals"],
            }
        )
    return found
