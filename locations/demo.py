"""Demo step: registers of internet access locations for libraries, youth services and children's homes."""

import datetime

from django.utils import timezone

from locations import services
from locations.models import AccessLocation, LocationType
from locations.standards import REVIEW_INTERVAL_DAYS, Answer, Check

# agency, name, address, type, filtering, monitoring, age filtering, responsible person, days since last check
LOCATIONS = [
    (
        "Exampleshire Libraries",
        "Central Library public PCs",
        "1 Market Square, Exampleton",
        LocationType.LIBRARY,
        True,
        True,
        True,
        "Library ICT manager",
        90,
    ),
    (
        "Exampleshire Libraries",
        "Northfield branch library",
        "Northfield Road, Northfield",
        LocationType.LIBRARY,
        True,
        True,
        False,
        "Branch librarian",
        420,
    ),
    (
        "Exampleshire Libraries",
        "Mobile library Wi-Fi",
        "Touring the rural villages",
        LocationType.LIBRARY,
        True,
        False,
        False,
        "Mobile library supervisor",
        500,
    ),
    (
        "Exampleshire Libraries",
        "Westbrook library children's corner",
        "High Street, Westbrook",
        LocationType.LIBRARY,
        True,
        True,
        True,
        "Children's librarian",
        200,
    ),
    (
        "Exampleshire Youth Service",
        "Eastside youth centre",
        "Station Road, Eastside",
        LocationType.YOUTH_CLUB,
        True,
        True,
        True,
        "Senior youth worker",
        60,
    ),
    (
        "Exampleshire Youth Service",
        "Detached youth work tablets",
        "Used at outreach sessions",
        LocationType.OTHER,
        True,
        False,
        False,
        "Detached team leader",
        None,
    ),
    (
        "Exampleshire Youth Service",
        "Westbrook youth café",
        "Church Lane, Westbrook",
        LocationType.INTERNET_CAFE,
        False,
        False,
        False,
        "Café coordinator",
        700,
    ),
    (
        "Eastgate Youth Club",
        "Eastgate club computer room",
        "Eastgate Community Hall",
        LocationType.YOUTH_CLUB,
        True,
        True,
        False,
        "Club leader",
        380,
    ),
    (
        "Exampleshire Children's Homes",
        "Oak House",
        "Address held by the registered manager",
        LocationType.CHILDRENS_HOME,
        True,
        True,
        True,
        "Registered manager, Oak House",
        150,
    ),
    (
        "Exampleshire Children's Homes",
        "Willow Lodge",
        "Address held by the registered manager",
        LocationType.CHILDRENS_HOME,
        True,
        True,
        True,
        "Registered manager, Willow Lodge",
        395,
    ),
    (
        "Exampleshire Children's Homes",
        "Beech Cottage short breaks",
        "Address held by the registered manager",
        LocationType.CHILDRENS_HOME,
        True,
        False,
        True,
        "Deputy manager",
        30,
    ),
    (
        "Exampleshire County Council Children's Social Care",
        "Riverside children's centre",
        "Riverside Way, Exampleton",
        LocationType.CHILDRENS_CENTRE,
        True,
        True,
        False,
        "Centre manager",
        250,
    ),
    (
        "Northfield Academy",
        "After-school computer club",
        "Northfield Academy, ICT suite 2",
        LocationType.OTHER,
        True,
        True,
        True,
        "Network manager",
        410,
    ),
    (
        "Exampleshire Healthcare NHS Trust",
        "Children's ward play room",
        "Exampleshire General Hospital",
        LocationType.HEALTH,
        True,
        True,
        True,
        "Play specialist lead",
        100,
    ),
]


def seed(ctx):
    secretariat = ctx.users["secretariat"]
    made = 0
    for agency_name, name, address, kind, filtering, monitoring, age, person, days in LOCATIONS:
        agency = ctx.agencies.get(agency_name)
        if agency is None:
            continue
        _, created = AccessLocation.objects.get_or_create(
            agency=agency,
            name=name,
            defaults={
                "address": address,
                "location_type": kind,
                "filtering": filtering,
                "monitoring": monitoring,
                "age_filtering": age,
                "responsible_person": person,
                "last_checked_on": ctx.today - datetime.timedelta(days=days) if days is not None else None,
                "created_by": secretariat,
                "updated_by": secretariat,
            },
        )
        made += created
    overdue = AccessLocation.objects.active().overdue(ctx.today).count()
    ctx.log.append(f"Internet access locations: {AccessLocation.objects.active().count()} ({overdue} overdue a check)")
    _seed_reviews(ctx, {name: days for _a, name, *_rest, days in LOCATIONS})


FILTERING_PROVIDERS = {
    LocationType.LIBRARY: ("Exampleshire County ICT web filter", "Library staff supervision and session logs"),
    LocationType.YOUTH_CLUB: ("Youth service managed Wi-Fi filter", "Youth workers' supervision"),
    LocationType.CHILDRENS_HOME: ("Home broadband provider's filter", "Device monitoring app, alerts to the manager"),
    LocationType.CHILDRENS_CENTRE: ("Exampleshire County ICT web filter", "Staff supervision"),
    LocationType.HEALTH: ("NHS trust network filter", "Ward staff supervision"),
}


def _answers(location, since_last_review: int | None) -> dict:
    """Answers a reviewer would give, from what the register says about the location and how long ago
    its previous review was (None: this is its first)."""
    yearly = since_last_review is not None and since_last_review <= REVIEW_INTERVAL_DAYS
    return {
        "roles_answer": Answer.MET if location.responsible_person else Answer.PARTLY,
        "review_answer": Answer.MET if yearly else Answer.PARTLY,
        "blocking_answer": Answer.NOT_MET
        if not location.filtering
        else Answer.MET
        if location.age_filtering
        else Answer.PARTLY,
        "monitoring_answer": Answer.MET if location.monitoring else Answer.NOT_MET,
    }


def _seed_reviews(ctx, days_by_name: dict) -> None:
    """Each location checked in the register has had filtering and monitoring reviews (the last on the day it was
    last checked, one a year before that for most); those never checked have none."""
    rng, secretariat = ctx.rng, ctx.users["secretariat"]
    made = 0
    # Never checked: in the register long enough for their first review to be overdue.
    never = [name for name, days in days_by_name.items() if days is None]
    AccessLocation.objects.filter(name__in=never, last_review__isnull=True).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    for location in AccessLocation.objects.active().filter(name__in=days_by_name).order_by("name"):
        days = days_by_name[location.name]
        if days is None or location.reviews.exists():
            continue
        filtering, monitoring = FILTERING_PROVIDERS.get(location.location_type, ("Agency network filter", ""))
        previous = None
        for ago in (days + 365, days) if days < 500 else (days,):
            reviewed_on = ctx.today - datetime.timedelta(days=ago)
            answers = _answers(location, previous and (reviewed_on - previous).days)
            previous = reviewed_on
            checks = rng.sample(Check.values, rng.randint(2, 5))
            if rng.random() < 0.8:
                checks.append(Check.FILTER_TEST)
            gaps = [name for name, answer in answers.items() if answer != Answer.MET]
            services.filtering_review_record(
                location=location,
                by=secretariat,
                reviewed_on=reviewed_on,
                senior_leader=location.responsible_person or "Service manager",
                governance_lead=rng.choice(["Lead member for children's services", "Chair of trustees", ""]),
                safeguarding_lead="Designated safeguarding lead",
                filtering_provider=filtering,
                monitoring_provider=monitoring if location.monitoring else "",
                checks=sorted(set(checks)),
                checks_notes="The test site's categories were blocked; a curriculum site was wrongly blocked "
                "and has been allowed."
                if Check.FILTER_TEST in checks
                else "",
                actions_needed="Put monitoring in place and tell the designated safeguarding lead how alerts reach "
                "them."
                if gaps
                else "",
                next_review_due=reviewed_on + datetime.timedelta(days=REVIEW_INTERVAL_DAYS),
                **answers,
            )
            made += 1
    overdue = AccessLocation.objects.active().review_overdue(ctx.today).count()
    ctx.log.append(f"Filtering and monitoring reviews: {made} recorded ({overdue} locations overdue a review)")
