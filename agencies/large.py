"""Large data set: the rest of the partnership's agencies, their executive leads and their staff.

Agencies are named after places in Exampleshire and spread over the sectors a partnership really
has (mostly schools, then voluntary groups, youth, health and care). Most joined long ago, some in
later years; a few closed in recent years: they left the partnership then and are archived. Staff are added to every agency (the demo's too) until the portal has
``sizes.users`` people in all.
"""

import datetime

from accounts.large import at, bulk_insert, new_user, person_name
from accounts.models import User
from agencies.models import Agency, Membership, MembershipType, Sector

PLACES = [
    "Ashcombe",
    "Barton",
    "Beckford",
    "Bramley",
    "Brookfield",
    "Castleton",
    "Cheswick",
    "Claymoor",
    "Coldharbour",
    "Cranleigh",
    "Dalton",
    "Eastfield",
    "Elmbridge",
    "Fairford",
    "Fernhill",
    "Foxley",
    "Greenhill",
    "Hadley",
    "Harcourt",
    "Hawthorn",
    "Highbury",
    "Holmwood",
    "Kingsmead",
    "Langley",
    "Larkhill",
    "Longbridge",
    "Lowther",
    "Marlow",
    "Meadowbank",
    "Millbrook",
    "Moorside",
    "Netherby",
    "Newbury",
    "Norwood",
    "Oakley",
    "Orchard",
    "Parkside",
    "Pennington",
    "Redbrook",
    "Ridgeway",
    "Rosedale",
    "Saltash",
    "Sandhurst",
    "Shelford",
    "Southgate",
    "Springfield",
    "Stanmore",
    "Stonebridge",
    "Summerfield",
    "Thornbury",
    "Tilford",
    "Upton",
    "Wakefield",
    "Walcot",
    "Westcliffe",
    "Whitmore",
    "Willowbrook",
    "Windmill",
    "Woodhouse",
    "Yarley",
]
STREETS = ["High Street", "Church Lane", "Station Road", "Mill Road", "School Lane", "Park Avenue", "Victoria Road"]
SAINTS = ["Anne", "Andrew", "Bede", "Chad", "George", "John", "Luke", "Mark", "Michael", "Paul", "Peter", "Thomas"]

# sector, membership type, share of agencies, name patterns, executive lead's job title, staff job titles
KINDS = [
    (
        Sector.EDUCATION,
        MembershipType.PARTNER,
        34,
        ["{place} Primary School", "{place} Infant School", "St {saint}'s C of E Primary School", "{place} Nursery"],
        "Headteacher",
        ["Class teacher", "Teaching assistant", "Deputy headteacher", "Computing lead", "School business manager"],
    ),
    (
        Sector.EDUCATION,
        MembershipType.MEMBER,
        12,
        ["{place} Academy", "{place} High School", "{place} Sixth Form College", "{place} Community College"],
        "Principal",
        ["Head of year", "Computing teacher", "Pastoral manager", "Network manager", "Attendance officer"],
    ),
    (
        Sector.VOLUNTARY,
        MembershipType.PARTNER,
        14,
        ["{place} Scout Group", "{place} Family Centre", "{place} Community Trust", "{place} Sports Club"],
        "Chair of trustees",
        ["Volunteer coordinator", "Project worker", "Family support worker", "Group leader"],
    ),
    (
        Sector.YOUTH,
        MembershipType.PARTNER,
        10,
        ["{place} Youth Club", "{place} Youth Project", "{place} Young People's Centre"],
        "Youth club manager",
        ["Youth worker", "Senior youth worker", "Detached youth worker"],
    ),
    (
        Sector.HEALTH,
        MembershipType.MEMBER,
        9,
        ["{place} Medical Practice", "{place} Health Visiting Team", "{place} School Nursing Team"],
        "Practice manager",
        ["Health visitor", "School nurse", "Practice nurse", "GP safeguarding lead"],
    ),
    (
        Sector.SOCIAL_CARE,
        MembershipType.MEMBER,
        8,
        ["{place} Children's Home", "{place} Fostering Team", "{place} Children's Centre"],
        "Registered manager",
        ["Residential care worker", "Social worker", "Senior practitioner"],
    ),
    (
        Sector.LIBRARY,
        MembershipType.MEMBER,
        5,
        ["{place} Library", "{place} Community Library"],
        "Library manager",
        ["Library assistant", "Children's librarian", "Digital inclusion officer"],
    ),
    (
        Sector.POLICE,
        MembershipType.MEMBER,
        3,
        ["Exampleshire Police, {place} Neighbourhood Team"],
        "Inspector",
        ["Police community support officer", "Schools liaison officer", "Detective constable"],
    ),
    (
        Sector.PROBATION,
        MembershipType.MEMBER,
        1,
        ["{place} Youth Justice Team"],
        "Youth justice manager",
        ["Case manager", "Restorative justice worker"],
    ),
    (
        Sector.OTHER,
        MembershipType.PARTNER,
        4,
        ["{place} Leisure Centre", "{place} Housing Association", "{place} Children's Theatre"],
        "General manager",
        ["Duty manager", "Tenancy officer", "Activities coordinator"],
    ),
]
# Staff per agency, by sector: a secondary school or a police team has more people in the portal than a scout group.
STAFF_WEIGHT = {"education": 5, "police": 6, "health": 4, "social_care": 4, "youth": 3, "library": 2, "probation": 3}
STAFF_TITLES = {sector: titles for sector, _m, _w, _p, _lead, titles in KINDS}


def _domain(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())[:40] + ".example.org"


def _names(rng, count: int, taken: set[str]):
    """``count`` new agency names with their kind, drawn by the kinds' shares."""
    weights = [kind[2] for kind in KINDS]
    made = 0
    while made < count:
        kind = rng.choices(KINDS, weights=weights)[0]
        pattern = rng.choice(kind[3])
        place = rng.choice(PLACES)
        name = pattern.format(place=place, saint=rng.choice(SAINTS))
        if name in taken:
            if rng.random() < 0.9:
                continue
            name = f"{name} ({rng.choice(PLACES)} site)"
            if name in taken:
                continue
        taken.add(name)
        made += 1
        yield name, place, kind


def seed(ctx):
    rng, sizes, today = ctx.rng, ctx.sizes, ctx.today
    first_year = today - datetime.timedelta(days=365 * sizes.years + 200)
    wanted = sizes.agencies - Agency.objects.count()
    taken = set(Agency.objects.values_list("name", flat=True))
    leads, agencies = [], []
    for name, place, kind in _names(rng, wanted, taken):
        sector, membership_type, _weight, _patterns, lead_title, _titles = kind
        joined = first_year - datetime.timedelta(days=rng.randint(0, 900))
        # Most agencies have been members for years; about one in ten joined since, in any year.
        late = rng.random() < 0.1
        if late:
            joined = today - datetime.timedelta(days=rng.randint(60, 365 * sizes.years))
        lead = new_user(
            ctx, full_name=person_name(rng), domain=_domain(name), job_title=lead_title, joined=at(joined, 9)
        )
        leads.append(lead)
        # A few schools and groups closed in the last two years: archived, their records kept.
        closed = not late and rng.random() < 0.025
        closed_on = today - datetime.timedelta(days=rng.randint(30, 700)) if closed else None
        agencies.append(
            Agency(
                name=name,
                sector=sector,
                membership_type=membership_type,
                executive_lead=lead,
                email=f"office@{_domain(name)}",
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {place}, Exampleshire",
                joined_on=joined,
                left_on=closed_on,
                archived_at=at(closed_on, 12) if closed else None,
                created_at=at(joined, 9),
                updated_at=at(joined, 9),
            )
        )
    bulk_insert(User, leads)
    bulk_insert(Agency, agencies)  # each lead's new key is picked up from the row it was given
    _staff(ctx)
    ctx.log.append(
        f"Large: {Agency.objects.count()} agencies ({Agency.objects.active().count()} active), "
        f"{User.objects.count()} people, {Membership.objects.count()} staff memberships"
    )


def _staff(ctx):
    """Staff for every agency until the portal has ``sizes.users`` people; some have left since."""
    rng, today = ctx.rng, ctx.today
    wanted = ctx.sizes.users - User.objects.count()
    if wanted <= 0:
        return
    agencies = list(Agency.objects.order_by("pk"))
    weights = [STAFF_WEIGHT.get(a.sector, 2) * (8 if a.name == "Northfield Academy" else 1) for a in agencies]
    # Every agency gets one first, then the rest by weight.
    picks = agencies[:wanted] + rng.choices(agencies, weights=weights, k=max(0, wanted - len(agencies)))
    people, memberships = [], []
    for agency in picks:
        titles = STAFF_TITLES.get(agency.sector, ["Practitioner", "Manager", "Administrator"])
        started = today - datetime.timedelta(days=rng.randint(20, 365 * ctx.sizes.years))
        person = new_user(
            ctx,
            full_name=person_name(rng),
            domain=_domain(agency.name),
            job_title=rng.choice(titles),
            joined=at(started, 9, rng.randint(0, 59)),
            phone=f"01632 {rng.randint(100000, 999999)}" if rng.random() < 0.4 else "",
        )
        left = rng.random() < 0.08 and (today - started).days > 200
        people.append(person)
        memberships.append(
            Membership(
                agency=agency,
                started_at=person.date_joined,
                ended_at=at(started + datetime.timedelta(days=rng.randint(100, (today - started).days)), 17)
                if left
                else None,
            )
        )
    bulk_insert(User, people)
    for membership, person in zip(memberships, people, strict=True):
        membership.user = person
    bulk_insert(Membership, memberships)
