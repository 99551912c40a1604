"""Annual report sections on today's statutory frame for online safety.

Kept apart from ``reports.sections`` so that each reads on its own: the four areas of risk of
Keeping children safe in education. Each takes the ``ReportPeriod`` and returns a section dict
(``key``, ``title``, ``template``, data, ``headlines``), as the sections there do.
"""

from __future__ import annotations


def areas_of_risk(period) -> dict:
    """Incidents of the year by area of risk and quarter, and the categories in each area, suppressed
    exactly as the incidents section and the monitoring page are (the same figures, protected together)."""
    from incidents import areas
    from incidents.selectors import monitoring_figures, nature_and_range, protect_published

    table = nature_and_range(period.year)
    protect_published(monitoring_figures(start=period.start, end=period.end), table)
    return {
        "key": "areas_of_risk",
        "title": "Online safety: the four areas of risk",
        "template": "reports/annual/_areas_of_risk.html",
        "table": table,
        "areas": areas.explained(),
        "source": areas.SOURCE,
        "version": areas.VERSION,
        "headlines": [
            {
                "label": "Incidents by area of risk: " + " / ".join(label for label, _c, _t in table["areas"]["rows"]),
                "value": " / ".join(total.shown for _l, _c, total in table["areas"]["rows"]),
            }
        ],
    }
