"""Demo incidents: a few hundred over two years, across every agency sector.

Some are still open for the demo champion (Northfield Academy), one was reported by the demo
staff member (who also has a draft), and some referrals are escalated to the demo safeguarding lead.
"""

import datetime

from django.utils import timezone

from accounts.demo import demo_user
from agencies.models import Membership
from incidents import flowchart
from incidents.models import (
    AgeBand,
    Category,
    ChronologyEntry,
    ConcernLevel,
    Incident,
    IncidentHistory,
    Involvement,
    Location,
    Outcome,
    PersonInvolved,
    PersonRole,
    Referral,
    Status,
    Technology,
)

COUNT = 320
SECTOR_WEIGHT = {"education": 6, "youth": 3, "library": 2, "social_care": 3, "voluntary": 2, "health": 2}
CATEGORY_WEIGHTS = [
    (Category.CYBERBULLYING, 30),
    (Category.INAPPROPRIATE, 18),
    (Category.NUDES, 15),
    (Category.GROOMING, 6),
    (Category.ILLEGAL, 4),
    (Category.SEXTORTION, 6),
    (Category.IDENTITY, 5),
    (Category.RADICALISATION, 3),
    (Category.STAFF_MISUSE, 3),
    (Category.MISINFORMATION, 3),
    (Category.HARMFUL_CONTENT, 5),
    (Category.PEER_PRESSURE, 4),
    (Category.GAMBLING, 3),
    (Category.SCAMS, 4),
    (Category.OTHER, 6),
]
# Reports older than this used the single "Other" category; newer ones pick the area's "other".
AREAS_SINCE_DAYS = 365
OTHER_BY_AREA = [Category.OTHER_CONTENT, Category.OTHER_CONTACT, Category.OTHER_CONDUCT, Category.OTHER_COMMERCE]
PLATFORMS = ["Snapchat", "TikTok", "Instagram", "WhatsApp", "Roblox", "Discord", "YouTube", "Fortnite", "A website"]
LOCATION_BY_SECTOR = {
    "education": [Location.SCHOOL, Location.HOME],
    "youth": [Location.YOUTH_CLUB, Location.HOME, Location.PUBLIC],
    "library": [Location.LIBRARY],
    "social_care": [Location.CHILDRENS_HOME, Location.HOME],
    "health": [Location.HEALTH, Location.HOME],
}
DESCRIPTIONS = {
    Category.CYBERBULLYING: "Year group chat used to send repeated hurtful messages about a pupil's race.",
    Category.INAPPROPRIATE: "A child was shown violent video content on a shared device.",
    Category.NUDES: "A young person said an image of them had been shared among peers.",
    Category.GROOMING: "An adult contact online asked a child to move to a private app and keep it secret.",
    Category.ILLEGAL: "Material that may be illegal was seen on a device; the device has been secured.",
    Category.SEXTORTION: "A young person was threatened that an image would be shared unless they paid.",
    Category.IDENTITY: "A fake profile using a young person's photos was set up.",
    Category.RADICALISATION: "A young person shared extremist videos with friends.",
    Category.STAFF_MISUSE: "A member of staff contacted a young person through a personal social media account.",
    Category.MISINFORMATION: "A group of pupils shared a conspiracy video about a local event as if it were news.",
    Category.HARMFUL_CONTENT: "A young person was following accounts that promote self-harm.",
    Category.PEER_PRESSURE: "Older users in a game chat pressured a child to join a private server.",
    Category.GAMBLING: "A young person spent money on loot boxes and a betting-style game.",
    Category.SCAMS: "A child entered a parent's card details on a fake prize page.",
    Category.OTHER: "A concern about online gaming spending and late-night use.",
    Category.OTHER_CONTENT: "A child was upset by graphic news footage shared in a class chat.",
    Category.OTHER_CONTACT: "An unknown account kept messaging a child after being blocked.",
    Category.OTHER_CONDUCT: "A pupil filmed another without consent and posted it.",
    Category.OTHER_COMMERCE: "A young person was targeted by adverts for a high-interest loan app.",
}


def dated_category(rng, category, days_ago: int):
    """The category as a reporter would have chosen it then: recent reports give the area of an 'other'."""
    if category == Category.OTHER and days_ago < AREAS_SINCE_DAYS:
        return rng.choice(OTHER_BY_AREA)
    return category


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def _answers(rng, category):
    illegal = category in (Category.ILLEGAL, Category.GROOMING, Category.SEXTORTION) or rng.random() < 0.03
    answers = {
        "category": category,
        "illegal": illegal,
        "online_sexual_abuse": illegal and category in (Category.GROOMING, Category.SEXTORTION),
        "csam_online": illegal and category == Category.ILLEGAL and rng.random() < 0.5,
        "staff_involved": category == Category.STAFF_MISUSE,
        "child_at_risk": rng.random() < (0.5 if illegal else 0.12),
        "nudes_factors": [],
    }
    if category == Category.NUDES and rng.random() < 0.35:
        answers["nudes_factors"] = rng.sample(list(flowchart.NUDES_FACTORS), rng.randint(1, 2))
    return answers


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def seed(ctx):
    if Incident.objects.exists():
        ctx.log.append(f"Incidents: {Incident.objects.count()} (already there)")
        return
    rng = ctx.rng
    agencies = [a for a in ctx.agencies.values() if a.sector != "police" and a.sector != "probation"]
    weighted_agencies = [(a, SECTOR_WEIGHT.get(a.sector, 1)) for a in sorted(agencies, key=lambda a: a.name)]
    champion, staff, lead = ctx.users["champion"], ctx.users["staff"], ctx.users["lead"]
    academy = ctx.agencies["Northfield Academy"]

    # One member of staff per agency reports its incidents.
    reporters = {}
    for agency in agencies:
        slug = "".join(c for c in agency.name.lower() if c.isalnum())[:24]
        user = demo_user(ctx, f"staff.{slug}@example.org", f"Staff member, {agency.name}", job_title="Practitioner")
        if not Membership.objects.active().filter(user=user, agency=agency).exists():
            Membership.objects.create(user=user, agency=agency)
        reporters[agency.pk] = user

    plans = []
    for index in range(COUNT):
        agency = _weighted(rng, weighted_agencies)
        days_ago = rng.randint(1, 730)
        category = dated_category(rng, _weighted(rng, CATEGORY_WEIGHTS), days_ago)
        plans.append((agency, category, days_ago, index))
    # Open incidents for the demo champion: recent ones at Northfield Academy.
    for days_ago, category in (
        (2, Category.GROOMING),
        (5, Category.CYBERBULLYING),
        (9, Category.NUDES),
        (20, Category.ILLEGAL),
    ):
        plans.append((academy, category, days_ago, len(plans)))

    incidents, extra = [], []
    for agency, category, days_ago, _index in plans:
        reported_on = ctx.today - datetime.timedelta(days=days_ago)
        occurred_on = reported_on - datetime.timedelta(days=rng.randint(0, 10))
        answers = _answers(rng, category)
        assessment = flowchart.assess(answers)
        closed = days_ago > 45 and rng.random() < 0.92
        triaged = closed or days_ago > 3
        if agency is academy and days_ago <= 20:
            closed, triaged = False, days_ago > 4
        incident = Incident(
            agency=agency,
            reporter=reporters[agency.pk],
            status=Status.CLOSED if closed else Status.IN_PROGRESS if triaged else Status.REPORTED,
            step_reached="review",
            occurred_on=occurred_on,
            discovered_on=reported_on,
            location=rng.choice(LOCATION_BY_SECTOR.get(agency.sector, [Location.HOME, Location.OTHER])),
            technology=rng.choice(
                [Technology.PHONE, Technology.PHONE, Technology.TABLET, Technology.COMPUTER, Technology.CONSOLE]
            ),
            platform=rng.choice(PLATFORMS),
            category=category,
            description=DESCRIPTIONS[category],
            illegal=answers["illegal"],
            online_sexual_abuse=answers["online_sexual_abuse"],
            csam_online=answers["csam_online"],
            staff_involved=answers["staff_involved"],
            child_at_risk=answers["child_at_risk"],
            nudes_factors=answers["nudes_factors"],
            handled_in_agency_rationale="Peers of the same age, no coercion; parents informed and imagery removed."
            if assessment.needs_rationale
            else "",
            urgent=assessment.urgent,
            reported_at=_at(reported_on, rng.randint(8, 17)),
            concern_level=(
                ConcernLevel.HIGH if assessment.urgent else rng.choice([ConcernLevel.LOW, ConcernLevel.MEDIUM])
            )
            if triaged
            else "",
            concern_rationale="Assessed against the flow chart and what is known of the child." if triaged else "",
            triaged_by=champion if agency is academy and triaged else reporters[agency.pk] if triaged else None,
            triaged_at=_at(reported_on, 17) if triaged else None,
        )
        if closed:
            incident.outcome = (
                rng.choice([Outcome.CRIMINAL, Outcome.CHILD_PROTECTION, Outcome.REFERRED_NFA])
                if assessment.required_referrals
                else rng.choice([Outcome.RESOLVED, Outcome.SANCTION, Outcome.SUPPORT])
            )
            if answers["staff_involved"]:
                incident.outcome = Outcome.STAFF_PROCESS
            incident.outcome_detail = "Actions agreed and completed; the family was kept informed."
            incident.lessons_learned = "Reminded staff and pupils of the reporting route; filtering settings reviewed."
            incident.closed_by = incident.triaged_by
            incident.closed_at = _at(reported_on + datetime.timedelta(days=rng.randint(5, 40)), 16)
        incidents.append(incident)
        extra.append((assessment, closed, days_ago))
    # The demo staff member's own open report.
    incidents[-3].reporter = staff
    Incident.objects.bulk_create(incidents)

    people, referrals, chronology, history = [], [], [], []
    escalated = 0
    for incident, (assessment, closed, days_ago) in zip(incidents, extra, strict=True):
        sector = incident.agency.sector
        band = rng.choice(
            [AgeBand.AGE_11_12, AgeBand.AGE_13_15, AgeBand.AGE_13_15, AgeBand.AGE_16_17]
            if sector != "library"
            else [AgeBand.AGE_5_10, AgeBand.AGE_11_12, AgeBand.AGE_13_15]
        )
        people.append(
            PersonInvolved(
                incident=incident,
                role=PersonRole.CHILD,
                age_band=band,
                involvement=Involvement.AFFECTED,
                note="Child A",
            )
        )
        if rng.random() < 0.5:
            people.append(
                PersonInvolved(
                    incident=incident,
                    role=PersonRole.STAFF
                    if incident.staff_involved
                    else rng.choice([PersonRole.CHILD, PersonRole.UNKNOWN]),
                    age_band=AgeBand.ADULT if incident.staff_involved else rng.choice([band, AgeBand.UNKNOWN]),
                    involvement=Involvement.SUBJECT,
                )
            )
        reported_on = incident.reported_at.date()
        for agency_type in assessment.required_referrals:
            done = closed or rng.random() < 0.5
            # The demo lead sees the recent Northfield police referrals and a few others.
            recent_at_academy = incident.agency is academy and days_ago <= 20 and agency_type == "police"
            to_lead = recent_at_academy or (rng.random() < 0.08 and agency_type in ("lado", "social_care"))
            if to_lead:
                escalated += 1
            referrals.append(
                Referral(
                    incident=incident,
                    agency_type=agency_type,
                    required=True,
                    referred_on=reported_on if done else None,
                    reference=f"{agency_type.upper()}/{reported_on:%y}/{rng.randint(1000, 9999)}" if done else "",
                    outcome="Referral accepted; strategy discussion held."
                    if done and (closed or rng.random() < 0.5)
                    else "",
                    escalated_to=lead if to_lead else None,
                    escalated_at=incident.reported_at if to_lead else None,
                    created_by=incident.reporter,
                )
            )
        for step in range(rng.randint(1, 3)):
            chronology.append(
                ChronologyEntry(
                    incident=incident,
                    happened_at=incident.reported_at + datetime.timedelta(hours=2 + step * 20),
                    action=rng.choice(
                        [
                            "Spoke with the child and agreed a safety plan.",
                            "Parents informed by telephone.",
                            "Device secured and locked in the safeguarding office.",
                            "Met the designated safeguarding lead to review the risk.",
                            "Checked the filtering logs for the period.",
                        ]
                    ),
                    by=incident.triaged_by or incident.reporter,
                )
            )
        history.append(
            IncidentHistory(
                incident=incident,
                by=incident.reporter,
                event="Reported",
                changes=[["status", "Draft", "Reported, awaiting triage"]],
            )
        )
        if closed:
            history.append(
                IncidentHistory(
                    incident=incident,
                    by=incident.closed_by,
                    event="Closed",
                    changes=[["status", "Triaged, in progress", "Closed"]],
                )
            )
    PersonInvolved.objects.bulk_create(people)
    Referral.objects.bulk_create(referrals)
    ChronologyEntry.objects.bulk_create(chronology)
    IncidentHistory.objects.bulk_create(history)

    # And a draft the demo staff member has not finished.
    draft = Incident.objects.create(
        agency=academy,
        reporter=staff,
        status=Status.DRAFT,
        step_reached="what",
        occurred_on=ctx.today - datetime.timedelta(days=1),
        discovered_on=ctx.today,
        location=Location.SCHOOL,
        technology=Technology.PHONE,
        platform="WhatsApp",
    )
    IncidentHistory.objects.create(incident=draft, by=staff, event="Draft started")
    _seed_imported_log(ctx, academy, champion)
    ctx.log.append(f"Incidents: {Incident.objects.count()} ({escalated} referrals escalated to the safeguarding lead)")


# Last term's incidents from Northfield Academy's CPOMS, as its champion imported them: day,
# category and outcome only, marked with their source (see docs/incident-log-import.md).
IMPORTED_LOG = [
    ("10231", 160, Category.CYBERBULLYING, Outcome.RESOLVED),
    ("10245", 150, Category.NUDES, Outcome.CHILD_PROTECTION),
    ("10262", 138, Category.INAPPROPRIATE, Outcome.SUPPORT),
    ("10290", 120, Category.GROOMING, Outcome.CRIMINAL),
    ("10301", 101, Category.CYBERBULLYING, Outcome.SANCTION),
]


def _seed_imported_log(ctx, academy, champion):
    from incidents.models import ImportSource
    from incidents.services import incident_import

    for reference, days_ago, category, outcome in IMPORTED_LOG:
        incident_import(
            agency=academy,
            source=ImportSource.CPOMS,
            reference=reference,
            occurred_on=ctx.today - datetime.timedelta(days=days_ago),
            category=category,
            outcome=outcome,
            filename="cpoms-incidents-autumn.csv",
            by=champion,
        )
