"""The annual report's sections: each gathers its figures for a year in a fixed number of queries.

``REPORT_SECTIONS`` lists them in report order. A section function takes the
``ReportPeriod`` and returns a dict with ``key``, ``title``, ``template`` and its data;
``headline`` items from every section make the table of key figures; the executive summary
(``reports.summary``) is written from the sections' data.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from esafety.charts import PALETTE, Bar, bar_chart, rag_bar_chart


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

    @property
    def previous(self) -> "ReportPeriod":
        return ReportPeriod(self.year - 1)

    def members(self):
        """The agencies in the partnership at any time in the year: every figure of the report counts these."""
        from agencies.models import Agency

        return Agency.objects.members_during(self.start, self.as_at)

    def members_at_end(self):
        """The agencies still in the partnership at the end of the year (or today, for this year)."""
        from agencies.models import Agency

        return Agency.objects.members_as_of(self.as_at)


REPORT_SECTIONS = [
    "reports.sections.membership",
    "reports.sections.training",
    "reports.sections.audits",
    "reports.sections.action_plan",
    "reports.sections.incidents",
    "reports.online_safety.areas_of_risk",
    "reports.online_safety.filtering_reviews",
    "reports.online_safety.partnership_picture",
    "reports.sections.esig_meetings",
]
APPENDIX = "reports.sections.agency_appendix"
SUMMARY = "reports.summary.executive_summary"


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
        "summary": import_string(SUMMARY)(period, sections),
        "headlines": headlines,
        "appendix": import_string(APPENDIX)(period),
        "trail_seal": trail_seal(),
    }


def trail_seal() -> dict:
    """The audit trail's fingerprint as the report is made, printed in its appendix: with the daily
    hashes in the file store, a copy the database cannot change, so a rewrite of the whole trail shows."""
    from activity.integrity import latest_anchor
    from activity.models import ActivityEvent

    head = ActivityEvent.objects.order_by("-pk").values("pk", "hash", "at").first()
    return {"head": head, "anchor": latest_anchor()}


def membership(period: ReportPeriod) -> dict:
    """Agencies in the partnership in the year (joined, left), champion coverage and ESIG membership at its end."""
    from agencies.models import Sector
    from champions.models import ConfirmationRound, Nomination

    current = Nomination.objects.current(on=period.as_at)
    at_end = period.members_at_end()
    in_year = period.members().aggregate(total=Count("pk"), joined=Count("pk", filter=Q(joined_on__gte=period.start)))
    by_sector = {
        row["sector"]: row
        for row in at_end.order_by()
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
    board_members = sum(s["members"] for s in sectors)
    uncovered = list(
        at_end.filter(~Exists(current.filter(agency=OuterRef("pk")))).order_by("name").values_list("name", flat=True)
    )
    esig = current.filter(agency__in=at_end).aggregate(
        champions=Count("pk"),
        core=Count("pk", filter=Q(esig_membership="core")),
        associate=Count("pk", filter=Q(esig_membership="associate")),
    )
    co_chairs = list(
        current.filter(is_co_chair=True, agency__in=at_end).select_related("user", "agency").order_by("user__full_name")
    )
    confirmation = (
        ConfirmationRound.objects.filter(year=period.year)
        .annotate(
            asked=Count("confirmations"),
            answered=Count("confirmations", filter=~Q(confirmations__status="pending")),
        )
        .first()
    )
    chart = (
        bar_chart(
            [
                Bar(s["label"], s["total"], PALETTE[i % len(PALETTE)], f"{s['total']} ({s['covered']} with a champion)")
                for i, s in enumerate(sectors)
            ],
            chart_id="report-membership-chart",
            title=f"Agencies by sector, {period.year}, with the number that have a champion",
        )
        if sectors
        else None
    )
    coverage = round(100 * covered / total) if total else 0
    in_partnership = in_year["total"]
    return {
        "key": "membership",
        "title": "Membership and champion coverage",
        "template": "reports/annual/_membership.html",
        "in_year": in_partnership,
        "joined": in_year["joined"],
        "left": in_partnership - total,
        "sectors": sectors,
        "total": total,
        "board_members": board_members,
        "partners": total - board_members,
        "covered": covered,
        "coverage": coverage,
        "uncovered": uncovered,
        "esig": esig,
        "co_chairs": co_chairs,
        "confirmation": confirmation,
        "chart": chart,
        "headlines": [
            {
                "label": "Agencies in the partnership",
                "value": f"{in_partnership:,}" if in_partnership else f"No agency was a member in {period.year}",
            },
            {
                "label": "Agencies with a current e-safety champion",
                "value": f"{covered:,} of {total:,} ({coverage}%)" if total else "No member agency to count",
            },
        ],
    }


def agency_appendix(period: ReportPeriod) -> list:
    """Every agency in the partnership in the year, with the dates of any joining or leaving in it."""
    from champions.models import Nomination

    current = Nomination.objects.current(on=period.as_at)
    return list(
        period.members()
        .select_related("executive_lead")
        .annotate(champions=Count("nominations", filter=Q(nominations__in=current)))
        .order_by("name")
    )


def audits(period: ReportPeriod) -> dict | None:
    """Each audit cycle of the year: return rate, results per question, agencies by section, change on last year."""
    from audits.models import Cycle
    from audits.selectors import collation_for_cycle

    cycles = list(Cycle.objects.filter(year=period.year).select_related("template", "template_version"))
    if not cycles:
        return {
            "key": "audits",
            "title": "Annual self-assessment audits",
            "template": "reports/annual/_audits.html",
            "collations": [],
            "headlines": [{"label": "Audit returns", "value": f"No audit cycle in {period.year}"}],
        }
    collations = []
    headlines = []
    for cycle in cycles:
        collation = collation_for_cycle(cycle)
        rate = collation.rate
        returned = rate["submitted"] + rate["accepted"]
        rate["percent"] = round(100 * returned / rate["total"]) if rate["total"] else 0
        chart = bar_chart(
            [
                Bar("Accepted", rate["accepted"], PALETTE[2]),
                Bar("Submitted, awaiting review", rate["submitted"], PALETTE[0]),
                Bar("Returned for amendment", rate["returned"], PALETTE[1]),
                Bar("Not submitted (draft)", rate["draft"], PALETTE[5]),
            ],
            chart_id=f"report-audit-chart-{cycle.pk}",
            title=f"{cycle}: returns by state",
            label_width=230,
        )
        gaps = sorted((r for r in collation.question_results if r["gaps"]), key=lambda r: -r["gaps"])
        # Many sections: the level alone ("2.2") so the table fits a page; the key is given above it.
        wide = len(collation.sections) > 7
        heat = [
            (row["audit_return"].agency.name, [_short(cell.text) if wide else cell.text for cell in row["cells"]])
            for row in collation.heat_rows
        ]
        average = [_short(cell.text) if wide else cell.text for cell in collation.average_row]
        collations.append(
            {"collation": collation, "chart": chart, "gaps": gaps, "heat": heat, "average": average, "wide": wide}
        )
        headlines.append(
            {
                "label": f"{cycle.template.name}: return rate",
                "value": f"{returned:,} of {rate['total']:,} ({rate['percent']}%)",
            }
        )
    return {
        "key": "audits",
        "title": "Annual self-assessment audits",
        "template": "reports/annual/_audits.html",
        "collations": collations,
        "headlines": headlines,
    }


def _short(text: str) -> str:
    """'Level 2.2 (Established)' -> '2.2'; other texts unchanged."""
    return text.removeprefix("Level ").split(" (")[0]


def action_plan(period: ReportPeriod) -> dict | None:
    """The strategic action plan by priority: RAG counts, and the red and overdue actions listed."""
    from actionplan.selectors import current_plan, plan_actions, rag_by_priority, totals

    plan = current_plan()
    if plan is None or not _plan_covers(plan, period):
        return None
    rows = rag_by_priority(plan)
    # The plan is reported as it stands today, whatever the year: its RAG counts and this list
    # judge "overdue" on the same day, so the table and the list agree.
    attention = list(
        plan_actions(plan)
        .filter(Q(status="red") | Q(is_overdue=True))
        .order_by("objective__priority__number", "ref", "pk")
    )
    total = totals(rows)
    return {
        "key": "actionplan",
        "title": "The strategic action plan",
        "template": "reports/annual/_actionplan.html",
        "plan": plan,
        "as_it_stands": timezone.localdate(),
        "past_year": period.as_at < timezone.localdate(),
        "rows": rows,
        "totals": total,
        "chart": rag_bar_chart(rows),
        "attention": attention,
        "headlines": [
            {"label": "Actions in the plan", "value": f"{total['total']:,}"},
            {
                "label": "Actions Red / Amber / Green / Blue",
                "value": f"{total['red']:,} / {total['amber']:,} / {total['green']:,} / {total['blue']:,}",
            },
            {"label": "Actions overdue", "value": f"{total['overdue']:,}"},
        ],
    }


def _plan_covers(plan, period: ReportPeriod) -> bool:
    """Whether the plan belongs in the year's report: it existed by the year's end, or its period
    ("2025-27") starts by then. Earlier years' reports have no action plan chapter."""
    first_year = re.search(r"\d{4}", plan.period)
    starts = int(first_year.group()) if first_year else None
    return timezone.localtime(plan.created_at).date() <= period.end or (starts is not None and starts <= period.year)


def incidents(period: ReportPeriod) -> dict:
    """Incidents by quarter and category, and by sector, referral and outcome: small numbers suppressed."""
    from incidents.selectors import monitoring_figures, nature_and_range, protect_published

    table = nature_and_range(period.year)
    figures = monitoring_figures(start=period.start, end=period.end)
    protect_published(figures, table)
    quarters = table["column_totals"]
    chart = bar_chart(
        [
            Bar(label, cell.count if not cell.suppressed else 0, PALETTE[0], cell.shown)
            for label, cell in zip(table["quarters"], quarters, strict=True)
        ],
        chart_id="report-incidents-chart",
        title=f"Incidents reported per quarter, {period.year} (counts under 5 are not shown)",
    )
    return {
        "key": "incidents",
        "title": "E-safety incidents",
        "template": "reports/annual/_incidents.html",
        "table": table,
        "figures": figures,
        "chart": chart,
        "headlines": [{"label": "E-safety incidents reported", "value": table["grand_total"].display}],
    }


def training(period: ReportPeriod) -> dict:
    """People trained in the year by audience, the events, and whether champions' training is in date."""
    from esig.selectors import champions_training, training_events_of_year, training_totals

    totals = [row for row in training_totals(period.year) if row["total"]]
    champions = champions_training(today=period.as_at)
    in_date = sum(1 for n in champions if n.training.is_trained)
    trained = sum(row["total"] for row in totals)
    return {
        "key": "training",
        "title": "Training",
        "template": "reports/annual/_training.html",
        "totals": totals,
        "trained": trained,
        "events": training_events_of_year(period.year),
        "champions": len(champions),
        "champions_in_date": in_date,
        "chart": bar_chart(
            [Bar(row["audience"], row["total"], PALETTE[i % len(PALETTE)]) for i, row in enumerate(totals)],
            chart_id="report-training-chart",
            title=f"People trained in {period.year}, by audience",
        ),
        "headlines": [
            {"label": "People trained", "value": f"{trained:,}"},
            {"label": "Champions whose training is in date", "value": f"{in_date:,} of {len(champions):,}"},
        ],
    }


def esig_meetings(period: ReportPeriod) -> dict:
    """The E-Safety Strategy Implementation Group: meetings held, whether each was quorate, the yearly minimum."""
    from esig.models import Rules
    from esig.selectors import meetings_of_year, summarise, year_verdict

    rules = Rules.current()
    meetings = meetings_of_year(period.year, rules)
    summary = summarise(period.year, meetings, rules)
    return {
        "key": "esig",
        "title": "ESIG meetings and quorum",
        "template": "reports/annual/_esig.html",
        "meetings": meetings,
        "summary": summary,
        "verdict": year_verdict(summary),
        "headlines": [
            {"label": "ESIG meetings held (quorate)", "value": f"{summary['held']} ({summary['quorate']})"},
        ],
    }
