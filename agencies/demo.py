import datetime

from accounts.demo import demo_user
from agencies.models import Agency, Membership, MembershipType, Sector

# name, sector, member/partner, executive lead (name, job title)
AGENCIES = [
    (
        "Exampleshire County Council Children's Social Care",
        Sector.SOCIAL_CARE,
        MembershipType.MEMBER,
        ("Helen Ward", "Director of Children's Services"),
    ),
    ("Exampleshire Police", Sector.POLICE, MembershipType.MEMBER, ("Det Supt Gary Holt", "Head of Public Protection")),
    ("Exampleshire Healthcare NHS Trust", Sector.HEALTH, MembershipType.MEMBER, ("Dr Anita Rao", "Chief Nurse")),
    (
        "Exampleshire Integrated Care Board",
        Sector.HEALTH,
        MembershipType.MEMBER,
        ("Claire Benson", "Designated Nurse for Safeguarding"),
    ),
    (
        "Exampleshire Education Improvement Service",
        Sector.EDUCATION,
        MembershipType.MEMBER,
        ("Mark Ellis", "Head of School Improvement"),
    ),
    ("Northfield Academy", Sector.EDUCATION, MembershipType.MEMBER, ("Rachel Owen", "Headteacher")),
    ("St Mary's Primary School", Sector.EDUCATION, MembershipType.PARTNER, ("David Kerr", "Headteacher")),
    ("Riverside Special School", Sector.EDUCATION, MembershipType.PARTNER, ("Fiona Grant", "Headteacher")),
    ("Exampleshire College", Sector.EDUCATION, MembershipType.MEMBER, ("Peter Lang", "Vice Principal, Students")),
    ("Exampleshire Youth Service", Sector.YOUTH, MembershipType.MEMBER, ("Jo Baxter", "Youth Service Manager")),
    ("Eastgate Youth Club", Sector.YOUTH, MembershipType.PARTNER, ("Kevin Moss", "Club Leader")),
    ("Exampleshire Libraries", Sector.LIBRARY, MembershipType.MEMBER, ("Susan Hale", "Head of Libraries")),
    ("Exampleshire Probation Service", Sector.PROBATION, MembershipType.MEMBER, ("Neil Carter", "Head of Service")),
    ("Exampleshire Voluntary Action", Sector.VOLUNTARY, MembershipType.MEMBER, ("Grace Adeyemi", "Chief Executive")),
    ("Safe Steps Family Support", Sector.VOLUNTARY, MembershipType.PARTNER, ("Imran Hussain", "Service Manager")),
    (
        "Westbrook Scouts and Guides District",
        Sector.VOLUNTARY,
        MembershipType.PARTNER,
        ("Linda Price", "District Commissioner"),
    ),
    ("Exampleshire Children's Homes", Sector.SOCIAL_CARE, MembershipType.MEMBER, ("Owen Davies", "Registered Manager")),
    (
        "Exampleshire Fire and Rescue Service",
        Sector.OTHER,
        MembershipType.PARTNER,
        ("Carl Jennings", "Community Safety Manager"),
    ),
    (
        "Exampleshire Housing Partnership",
        Sector.OTHER,
        MembershipType.PARTNER,
        ("Beverley Stone", "Head of Tenancy Services"),
    ),
    (
        "Children and Adolescent Mental Health Service",
        Sector.HEALTH,
        MembershipType.MEMBER,
        ("Dr Lewis Ng", "Clinical Director"),
    ),
]


# When agencies joined the partnership, in years before this one (1 April of that year): the statutory
# partners founded it; schools, youth and voluntary groups came in over the years; two joined lately.
JOINED_YEARS_AGO = {
    "Exampleshire County Council Children's Social Care": 12,
    "Exampleshire Police": 12,
    "Exampleshire Healthcare NHS Trust": 12,
    "Exampleshire Integrated Care Board": 4,  # took over the clinical commissioning group's seat
    "Exampleshire Education Improvement Service": 12,
    "Exampleshire Probation Service": 12,
    "Exampleshire Youth Service": 10,
    "Exampleshire Libraries": 9,
    "Exampleshire Housing Partnership": 2,
    "Children and Adolescent Mental Health Service": 3,
}
JOINED_YEARS_AGO_OTHERWISE = 7


def joined_on(name: str, today) -> datetime.date:
    return datetime.date(today.year - JOINED_YEARS_AGO.get(name, JOINED_YEARS_AGO_OTHERWISE), 4, 1)


def _slug(name: str) -> str:
    return "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")


# About how many children, young people and staff each agency works with (for incident rates per 1,000);
# the others have not told the secretariat yet.
PEOPLE_SERVED = {
    "Northfield Academy": 1450,
    "St Mary's Primary School": 260,
    "Riverside Special School": 180,
    "Exampleshire College": 4200,
    "Exampleshire Youth Service": 3100,
    "Eastgate Youth Club": 140,
    "Safe Steps Family Support": 600,
    "Exampleshire Children's Homes": 95,
}


def seed(ctx):
    for name, sector, membership_type, (lead_name, lead_job) in AGENCIES:
        lead = demo_user(ctx, f"{_slug(lead_name)}@example.org", lead_name, job_title=lead_job)
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "sector": sector,
                "membership_type": membership_type,
                "executive_lead": lead,
                "email": f"safeguarding@{_slug(name)[:30]}.example.org",
                "joined_on": joined_on(name, ctx.today),
            },
        )
        ctx.agencies[name] = agency
    for name, people in PEOPLE_SERVED.items():
        Agency.objects.filter(name=name, people_served__isnull=True).update(people_served=people)
    academy = ctx.agencies["Northfield Academy"]
    if not Membership.objects.active().filter(user=ctx.users["staff"], agency=academy).exists():
        Membership.objects.create(user=ctx.users["staff"], agency=academy)
    ctx.log.append(f"Agencies: {Agency.objects.count()}")
