"""Large data set: internet access locations for the big partnership's agencies, with years of reviews.

Libraries, youth services, children's homes, voluntary groups and health settings each register one
to three places where children use the internet. From the spring the DfE filtering and monitoring
standards came out (March 2023) most locations are reviewed about once a year, answers improving
as the years go on; some miss a year (their review is overdue today) and a few were never reviewed.
"""

import datetime

from django.db.models import Exists, OuterRef

from accounts.large import at, bulk_insert, secretariat
from agencies.models import Agency
from locations.models import AccessLocation, FilteringReview, LocationType
from locations.standards import REVIEW_INTERVAL_DAYS, STANDARD_FIELDS, Answer, Check

STANDARDS_PUBLISHED = datetime.date(2023, 3, 29)
TYPES_BY_SECTOR = {
    "library": [LocationType.LIBRARY],
    "youth": [LocationType.YOUTH_CLUB],
    "social_care": [LocationType.CHILDRENS_HOME, LocationType.CHILDRENS_CENTRE],
    "voluntary": [LocationType.YOUTH_CLUB, LocationType.OTHER],
    "health": [LocationType.HEALTH],
}
PLACES = ["Central", "North", "South", "East", "West", "Riverside", "Hillside", "Market", "Station", "Park"]
PROVIDERS = ["County ICT web filter", "Managed broadband filter", "Cloud DNS filter", "Trust network filter"]
MONITORING = ["Staff supervision and session logs", "Device monitoring app", "Network alerts to the DSL", ""]


def _answer(rng, years_in: int) -> str:
    """Met more often as the standards bed in."""
    roll = rng.random() - 0.08 * years_in
    return Answer.NOT_MET if roll > 0.9 else Answer.PARTLY if roll > 0.7 else Answer.MET


def seed(ctx):
    rng, today, by = ctx.rng, ctx.today, secretariat(ctx)
    # Agencies of these sectors without a register yet (the demo's have theirs).
    agencies = list(
        Agency.objects.filter(sector__in=TYPES_BY_SECTOR)
        .exclude(Exists(AccessLocation.objects.filter(agency=OuterRef("pk"))))
        .order_by("pk")
    )
    locations = []
    for agency in agencies:
        for n in range(rng.randint(1, 3)):
            created = today - datetime.timedelta(days=rng.randint(60, 365 * ctx.sizes.years))
            archived_on = today - datetime.timedelta(days=rng.randint(1, min(300, (today - created).days)))
            locations.append(
                AccessLocation(
                    agency=agency,
                    name=f"{rng.choice(PLACES)} {agency.name[:60]} site {n + 1}",
                    location_type=rng.choice(TYPES_BY_SECTOR[agency.sector]),
                    filtering=rng.random() < 0.95,
                    monitoring=rng.random() < 0.85,
                    age_filtering=rng.random() < 0.6,
                    responsible_person=rng.choice(["Site manager", "ICT lead", "Service manager", ""]),
                    created_by=by,
                    updated_by=by,
                    created_at=at(created),
                    updated_at=at(created),
                    archived_at=at(archived_on) if rng.random() < 0.05 else None,
                )
            )
    bulk_insert(AccessLocation, locations)

    reviews = []
    for location in locations:
        day = max(location.created_at.date(), STANDARDS_PUBLISHED) + datetime.timedelta(days=rng.randint(10, 120))
        if rng.random() < 0.05:
            continue  # never reviewed
        provider, monitoring = rng.choice(PROVIDERS), rng.choice(MONITORING)
        while day <= today:
            years_in = (day - STANDARDS_PUBLISHED).days // 365
            checks = sorted(set(rng.sample(Check.values, rng.randint(1, 5))))
            reviews.append(
                FilteringReview(
                    agency_id=location.agency_id,
                    location=location,
                    reviewed_on=day,
                    senior_leader=location.responsible_person or "Service manager",
                    governance_lead=rng.choice(["Chair of trustees", "Lead member", ""]),
                    safeguarding_lead="Designated safeguarding lead",
                    filtering_provider=provider,
                    monitoring_provider=monitoring,
                    checks=checks,
                    next_review_due=day + datetime.timedelta(days=REVIEW_INTERVAL_DAYS),
                    recorded_by=by,
                    recorded_at=at(day, 15),
                    **{name: _answer(rng, years_in) for name in STANDARD_FIELDS},
                )
            )
            # About a year later; now and then a year is missed.
            day += datetime.timedelta(days=rng.randint(330, 365) + (365 if rng.random() < 0.12 else 0))
    bulk_insert(FilteringReview, reviews)

    latest = {}
    for review in reviews:  # in date order per location
        latest[review.location_id] = review
    for location in locations:
        review = latest.get(location.pk)
        if review is not None:
            location.last_review = review
            location.last_checked_on = review.reviewed_on
    AccessLocation.objects.bulk_update(locations, ["last_review", "last_checked_on"], batch_size=500)
    overdue = AccessLocation.objects.active().review_overdue(today).count()
    ctx.log.append(
        f"Large: {AccessLocation.objects.count()} internet access locations, {FilteringReview.objects.count()} "
        f"filtering and monitoring reviews ({overdue} locations overdue a review)"
    )
