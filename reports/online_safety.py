"""Annual report sections on today's statutory frame for online safety.

Kept apart from ``reports.sections`` so that each reads on its own: the four areas of risk of
Keeping children safe in education, the internet access locations' reviews against the DfE
filtering and monitoring standards, and the partnership picture (``reports.picture``). Each takes
the ``ReportPeriod`` and returns a section dict (``key``, ``title``, ``template``, data,
``headlines``), as the sections there do.
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
                "value": " / ".join(total.display for _l, _c, total in table["areas"]["rows"]),
            }
        ],
    }


def filtering_reviews(period) -> dict:
    """Internet access locations' filtering and monitoring reviews against the DfE standards: how many locations
    had one in the year and one in date at its end (by sector), and how the latest reviews of those locations
    answered each standard and which checks they made. Locations are those listed at the year's end
    (``AccessLocation.objects.listed_as_of``), so the reviews counted are those of the locations counted. Two queries."""
    from django.db.models import Count, Exists, OuterRef, Q

    from agencies.models import Sector
    from locations.models import AccessLocation, FilteringReview
    from locations.standards import SOURCE, STANDARDS, Answer, Check

    as_at = period.as_at
    in_register = AccessLocation.objects.listed_as_of(as_at)
    reviewed_in_year = FilteringReview.objects.filter(
        location=OuterRef("pk"), reviewed_on__gte=period.start, reviewed_on__lte=as_at
    )
    in_date = FilteringReview.objects.filter(
        location=OuterRef("pk"), reviewed_on__lte=as_at, next_review_due__gte=as_at
    )
    by_sector = {
        row["agency__sector"]: row
        for row in in_register.order_by()
        .values("agency__sector")
        .annotate(
            total=Count("pk"),
            reviewed=Count("pk", filter=Q(Exists(reviewed_in_year))),
            in_date=Count("pk", filter=Q(Exists(in_date))),
        )
    }
    sectors = [
        {"label": label, **{k: by_sector[code][k] for k in ("total", "reviewed", "in_date")}}
        for code, label in Sector.choices
        if code in by_sector
    ]
    totals = {k: sum(s[k] for s in sectors) for k in ("total", "reviewed", "in_date")}
    totals["not_in_date"] = totals["total"] - totals["in_date"]

    # Each location's latest review of the year: what it answered and which checks it made.
    later = FilteringReview.objects.filter(
        location=OuterRef("location"), reviewed_on__gte=period.start, reviewed_on__lte=as_at
    ).filter(Q(reviewed_on__gt=OuterRef("reviewed_on")) | Q(reviewed_on=OuterRef("reviewed_on"), pk__gt=OuterRef("pk")))
    latest = list(
        FilteringReview.objects.filter(
            reviewed_on__gte=period.start, reviewed_on__lte=as_at, location__in=in_register.values("pk")
        )
        .exclude(Exists(later))
        .values(*(s.field for s in STANDARDS), "checks")
    )
    standards = [
        {
            "standard": standard,
            **{answer: sum(1 for r in latest if r[standard.field] == answer) for answer in Answer.values},
        }
        for standard in STANDARDS
    ]
    checks = [
        {"label": label, "count": sum(1 for r in latest if code in (r["checks"] or []))}
        for code, label in Check.choices
    ]
    all_met = sum(1 for r in latest if all(r[s.field] == Answer.MET for s in STANDARDS))
    return {
        "key": "filtering_reviews",
        "title": "Filtering and monitoring of internet access locations",
        "template": "reports/annual/_filtering_reviews.html",
        "as_at": as_at,
        "sectors": sectors,
        "totals": totals,
        "reviews": len(latest),
        "all_met": all_met,
        "standards": standards,
        "answers": Answer.choices,
        "checks": checks,
        "source": SOURCE,
        "headlines": [
            {
                "label": "Internet access locations with a filtering and monitoring review in the year",
                "value": f"{totals['reviewed']:,} of {totals['total']:,}",
            },
            {
                "label": "Of those reviews, meeting all four DfE standards",
                "value": f"{all_met:,} of {len(latest):,}",
            },
        ],
    }


def partnership_picture(period) -> dict | None:
    """The partnership picture for the year's audit (the maturity review where there is one): gaps of the year
    before and whether their actions closed them, self-assessment beside incidents, what moved most and least."""
    from audits.models import Cycle
    from reports.picture import default_template, picture

    template = default_template()
    if template is None or not Cycle.objects.filter(template=template, year=period.year).exists():
        return None
    data = picture(template=template, year=period.year)
    followed = [row for row in data["follow_up"] if row.with_action]
    closed = sum(row.closed_with_action for row in followed)
    judged = closed + sum(row.still_gap_with_action for row in followed)
    return {
        "key": "picture",
        "title": "The partnership picture: is what we do making children safer?",
        "template": "reports/annual/_partnership_picture.html",
        "p": data,
        "headlines": [
            {
                "label": f"Gaps of {period.year - 1} with an action, closed by the {period.year} audit",
                "value": f"{closed:,} of {judged:,}" if judged else "None answered yet",
            }
        ],
    }
