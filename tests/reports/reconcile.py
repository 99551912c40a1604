"""Checks that an annual report agrees with itself and with the database, for any year and data set."""

import datetime
import re
import subprocess

from django.db.models import Q
from django.utils import timezone

from actionplan.models import Action
from agencies.joining import outside_membership
from agencies.models import Agency
from audits.models import AuditReturn
from incidents import access
from incidents.models import Incident
from locations.models import AccessLocation, FilteringReview
from reports.sections import ReportPeriod, gather


def members_in_python(start: datetime.date, end: datetime.date) -> set[int]:
    """The agencies in the partnership from ``start`` to ``end``, worked out row by row, not by the selector."""
    found = set()
    for agency in Agency.objects.all():
        archived = timezone.localtime(agency.archived_at).date() if agency.archived_at else None
        left = min(d for d in (agency.left_on, archived) if d) if (agency.left_on or archived) else None
        if agency.joined_on <= end and (left is None or left >= start):
            found.add(agency.pk)
    return found


def locations_in_python(day: datetime.date) -> set[int]:
    """The internet access locations listed on ``day``, worked out row by row: of an agency in the
    partnership that day, not archived by then, and added, checked or reviewed by then."""
    members = members_in_python(day, day)
    found = set()
    for location in AccessLocation.objects.prefetch_related("reviews"):
        archived = timezone.localtime(location.archived_at).date() if location.archived_at else None
        known = (
            timezone.localtime(location.created_at).date() <= day
            or (location.last_checked_on is not None and location.last_checked_on <= day)
            or any(review.reviewed_on <= day for review in location.reviews.all())
        )
        if location.agency_id in members and known and (archived is None or archived > day):
            found.add(location.pk)
    return found


def pdf_text(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode().splitlines() if line.strip()]


def check_report(year: int) -> dict:
    """Gather the year's report and check every figure that must add up; returns the context."""
    period = ReportPeriod(year)
    context = gather(period)
    sections = {s["key"]: s for s in context["sections"]}
    summary = context["summary"]
    summary_text = " ".join(m["text"] for m in summary["messages"])
    headlines = {item["label"]: item["value"] for item in context["headlines"]}

    # No agency took part in the year (asked for an audit, incidents, ESIG) outside the membership.
    outside = outside_membership(period.start, period.as_at)
    assert not outside, (year, [(o.agency.name, o.reasons) for o in outside])

    # Membership: the agencies of the year, those at its end, the sector table and the appendix.
    in_year = members_in_python(period.start, period.as_at)
    at_end = members_in_python(period.as_at, period.as_at)
    membership = sections["membership"]
    assert membership["in_year"] == len(in_year), year
    assert membership["total"] == len(at_end) == sum(row["total"] for row in membership["sectors"]), year
    assert membership["covered"] == sum(row["covered"] for row in membership["sectors"]) <= membership["total"]
    assert all(row["members"] + row["partners"] == row["total"] for row in membership["sectors"])
    assert membership["board_members"] + membership["partners"] == membership["total"]
    assert membership["left"] == len(in_year - at_end), year
    assert {a.pk for a in context["appendix"]} == in_year, year
    assert len(membership["uncovered"]) == membership["total"] - membership["covered"]
    if in_year:
        assert headlines["Agencies in the partnership"] == f"{len(in_year):,}"
        assert f"{len(in_year):,} agenc" in summary_text
        assert f"{membership['covered']:,} of the {membership['total']:,} members" in summary_text
    else:
        assert "No agency was a member" in headlines["Agencies in the partnership"]
        assert f"No agency was a member of the partnership in {year}" in summary_text
    if membership["confirmation"]:
        assert membership["confirmation"].answered <= membership["confirmation"].asked <= len(in_year), year

    # Audits: those asked were in the partnership; returns by state add up to those asked.
    collations = sections["audits"]["collations"]
    if not collations:
        assert f"No self-assessment audit cycle was run in {year}" in summary_text
    for item in collations:
        collation = item["collation"]
        rate = collation.rate
        asked = set(AuditReturn.objects.filter(cycle=collation.cycle).values_list("agency_id", flat=True))
        assert rate["total"] == len(asked) <= len(in_year), (year, collation.cycle)
        assert asked <= in_year, (year, collation.cycle, asked - in_year)
        assert rate["draft"] + rate["submitted"] + rate["returned"] + rate["accepted"] == rate["total"]
        returned = rate["submitted"] + rate["accepted"]
        assert f"{returned:,} of the {rate['total']:,} agencies asked returned the {collation.cycle.template.name}" in (
            summary_text
        )
        outstanding = rate["total"] - returned
        if outstanding and not collation.cycle.is_past_due:  # a cycle still open says how long the rest have
            assert f"the other {outstanding:,} ha" in summary_text and f"until {collation.cycle.due_on:%-d %B %Y}" in (
                summary_text
            )
        assert all(r["gaps"] <= rate["counted"] for r in collation.question_results)

    # Action plan: RAG counts add up to the actions, by priority and in all.
    plan = sections.get("actionplan")
    if not plan:
        assert f"No action plan covered {year}." in summary_text
    else:
        for row in [*plan["rows"], plan["totals"]]:
            assert row["red"] + row["amber"] + row["green"] + row["blue"] == row["total"]
            assert row["overdue"] <= row["total"]
        assert plan["totals"]["total"] == Action.objects.active().filter(plan=plan["plan"]).count()
        # The key figures give the chapter's counts, thousands separated as in the summary.
        assert headlines["Actions in the plan"] == f"{plan['totals']['total']:,}"
        assert headlines["Actions overdue"] == f"{plan['totals']['overdue']:,}"
        red_or_overdue = (
            Action.objects.active()
            .filter(plan=plan["plan"])
            .with_overdue()
            .filter(Q(status="red") | Q(is_overdue=True))
        )
        assert len(plan["attention"]) == red_or_overdue.count()
        assert plan["totals"]["red"] <= len(plan["attention"]) <= plan["totals"]["red"] + plan["totals"]["overdue"]
        assert f"{plan['totals']['red']:,} red, {plan['totals']['overdue']:,} overdue" in [
            m["figure"] for m in summary["messages"]
        ]

    # Incidents: category, quarter and sector tables add up to the year's total before suppression.
    incidents = sections["incidents"]
    table, figures = incidents["table"], incidents["figures"]
    reported = Incident.objects.filter(status__in=access.SUBMITTED, reported_at__year=year).count()
    grand = table["grand_total"].count
    assert grand == reported, year
    for _label, cells, row_total in table["rows"]:
        assert sum(cell.count for cell in cells) == row_total.count
    assert sum(row_total.count for _l, _c, row_total in table["rows"]) == grand
    assert sum(cell.count for cell in table["column_totals"]) == grand
    for breakdown in figures["breakdowns"]:
        if breakdown.key in ("category", "sector", "outcome"):
            assert sum(cell.count for _label, cell in breakdown.rows) == breakdown.total.count == grand, breakdown.key
    assert headlines["E-safety incidents reported"] == table["grand_total"].display
    if grand:
        published = re.sub(r"\d+", lambda m: f"{int(m.group()):,}", table["grand_total"].shown)
        assert f"Agencies reported {published} e-safety incidents in {year}" in summary_text
    else:
        assert f"No e-safety incident was reported in {year}" in summary_text

    # Filtering and monitoring: the reviews counted are those of the locations counted.
    filtering = sections["filtering_reviews"]
    listed = locations_in_python(period.as_at)
    totals = filtering["totals"]
    assert totals["total"] == len(listed) == sum(row["total"] for row in filtering["sectors"]), year
    reviewed = set(
        FilteringReview.objects.filter(
            location__in=listed, reviewed_on__gte=period.start, reviewed_on__lte=period.as_at
        ).values_list("location_id", flat=True)
    )
    assert totals["reviewed"] == len(reviewed) == filtering["reviews"] <= totals["total"], year
    assert totals["in_date"] + totals["not_in_date"] == totals["total"]
    assert filtering["all_met"] <= filtering["reviews"]
    for row in filtering["standards"]:
        assert row["met"] + row["partly"] + row["not_met"] == filtering["reviews"], (year, row["standard"])
    assert headlines["Internet access locations with a filtering and monitoring review in the year"] == (
        f"{totals['reviewed']:,} of {totals['total']:,}"
    )
    assert headlines["Of those reviews, meeting all four DfE standards"] == (
        f"{filtering['all_met']:,} of {filtering['reviews']:,}"
    )

    # ESIG: the summary gives the chapter's figures.
    esig = sections["esig"]["summary"]
    assert esig["quorate"] <= esig["held"]
    if esig["held"]:
        assert f"held {esig['held']} meeting" in summary_text and f"{esig['quorate']} of them quorate" in summary_text
    else:
        assert f"No ESIG meeting was held in {year}" in summary_text

    assert 5 <= len(summary["messages"]) <= 8, year
    return context
