"""The annual report's sections: each gathers its figures for a year in a fixed number of queries.

``REPORT_SECTIONS`` lists them in report order. A section function takes the
``ReportPeriod`` and returns a dict with ``key``, ``title``, ``template`` and its data;
``headline`` items from every section make the summary at the front.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from reports.charts import PALETTE, Bar, bar_chart


@dataclass(frozen=True)
class ReportPeriod:
    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def as_at(self) -> datetime.date:
        """Registers are described as they stood at the end of the year (or today, for this year)."""
        return min(self.end, timezone.localdate())


REPORT_SECTIONS = [
    "reports.sections.membership",
]
APPENDIX = "reports.sections.agency_appendix"


def gather(period: ReportPeriod, progress=None) -> dict:
    """All sections for the year, then the summary made of their headlines."""
    sections = []
    for index, dotted in enumerate(REPORT_SECTIONS):
        section = import_string(dotted)(period)
        if section:
            sections.append(section)
        if progress:
            progress(
                10 + int(60 * (index + 1) / len(REPORT_SECTIONS)), f"Gathered {section['title'] if section else ''}"
            )
    headlines = [item for section in sections for item in section.get("headlines", [])]
    return {
        "period": period,
        "year": period.year,
        "sections": sections,
        "headlines": headlines,
        "appendix": import_string(APPENDIX)(period),
    }


def membership(period: ReportPeriod) -> dict:
    """Member and partner agencies, champion coverage and ESIG membership at the end of the year."""
    from agencies.models import Agency, Sector
    from champions.models import ConfirmationRound, Nomination

    current = Nomination.objects.current(on=period.as_at)
    agencies = Agency.objects.filter(created_at__date__lte=period.as_at).filter(
        Q(archived_at__isnull=True) | Q(archived_at__date__gt=period.as_at)
    )
    by_sector = {
        row["sector"]: row
        for row in agencies.order_by()
        .values("sector")
        .annotate(
            total=Count("pk"),
            members=Count("pk", filter=Q(membership_type="member")),
            covered=Count("pk", filter=Q(Exists(current.filter(agency=OuterRef("pk"))))),
        )
    }
    sectors = [
        {
            "label": label,
            "total": by_sector[code]["total"],
            "members": by_sector[code]["members"],
            "partners": by_sector[code]["total"] - by_sector[code]["members"],
            "covered": by_sector[code]["covered"],
        }
        for code, label in Sector.choices
        if code in by_sector
    ]
    total = sum(s["total"] for s in sectors)
    covered = sum(s["covered"] for s in sectors)
    uncovered = list(
        agencies.filter(~Exists(current.filter(agency=OuterRef("pk")))).order_by("name").values_list("name", flat=True)
    )
    esig = current.filter(agency__in=agencies).aggregate(
        champions=Count("pk"),
        core=Count("pk", filter=Q(esig_membership="core")),
        associate=Count("pk", filter=Q(esig_membership="associate")),
    )
    co_chairs = list(current.filter(is_co_chair=True).select_related("user", "agency").order_by("user__full_name"))
    confirmation = (
        ConfirmationRound.objects.filter(year=period.year)
        .annotate(
            asked=Count("confirmations"),
            answered=Count("confirmations", filter=~Q(confirmations__status="pending")),
        )
        .first()
    )
    chart = bar_chart(
        [
            Bar(s["label"], s["total"], PALETTE[i % len(PALETTE)], f"{s['total']} ({s['covered']} with a champion)")
            for i, s in enumerate(sectors)
        ],
        title=f"Agencies by sector, {period.year}, with the number that have a champion",
    )
    coverage = round(100 * covered / total) if total else 0
    return {
        "key": "membership",
        "title": "Membership and champion coverage",
        "template": "reports/annual/_membership.html",
        "sectors": sectors,
        "total": total,
        "covered": covered,
        "coverage": coverage,
        "uncovered": uncovered,
        "esig": esig,
        "co_chairs": co_chairs,
        "confirmation": confirmation,
        "chart": chart,
        "headlines": [
            {"label": "Agencies in the partnership", "value": total},
            {"label": "Agencies with a current e-safety champion", "value": f"{covered} ({coverage}%)"},
        ],
    }


def agency_appendix(period: ReportPeriod) -> list:
    from agencies.models import Agency
    from champions.models import Nomination

    current = Nomination.objects.current(on=period.as_at)
    return list(
        Agency.objects.filter(created_at__date__lte=period.as_at)
        .filter(Q(archived_at__isnull=True) | Q(archived_at__date__gt=period.as_at))
        .select_related("executive_lead")
        .annotate(champions=Count("nominations", filter=Q(nominations__in=current)))
        .order_by("name")
    )
