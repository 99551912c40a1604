from esig.selectors import home_meetings_for
from reports.models import AnnualReport
from reports.selectors import since_last_meeting
from reports.views import reads_reports


def section(user) -> dict | None:
    """Board members and the secretariat: the latest report's executive summary, and what changed since
    the last ESIG/Board meeting."""
    if not reads_reports(user):
        return None
    latest = AnnualReport.objects.filter(status="done").order_by("-year", "-is_board_version", "-version").first()
    return {
        "template": "reports/_home.html",
        "latest": latest,
        "summary": latest.summary if latest and latest.summary.get("messages") else None,
        # The last meeting comes with the ESIG section's meetings (every reader of reports reads those).
        "since": since_last_meeting(home_meetings_for(user)[1].last_meeting),
    }
