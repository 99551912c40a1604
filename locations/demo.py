"""Demo step: registers of internet access locations for libraries, youth services and children's homes."""

import datetime

from locations.models import AccessLocation, LocationType

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
