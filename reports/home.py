from reports.models import AnnualReport
from reports.views import reads_reports


def section(user) -> dict | None:
    """Board members and the secretariat: the latest annual report."""
    if not reads_reports(user):
        return None
    latest = AnnualReport.objects.filter(status="done").order_by("-year", "-is_board_version", "-version").first()
    return {"template": "reports/_home.html", "latest": latest}
