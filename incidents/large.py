"""Large data set: ten years of incidents across the partnership, with their people, referrals and history.

Reporting grows over the years, and sextortion and nudes-sharing grow faster than the rest. Each
incident is reported by a member of the agency's staff at the time and handled by its champion
then (or its executive lead). Everything older than a year is closed; the flow chart decides
urgency and which referrals each record needs, and a closed incident has every required
referral dated with an outcome, as closing demands. Incidents closed before the retention
cut-off are stored as the nightly retention job leaves them: statistics kept, free text removed.
"""

import datetime
from collections import defaultdict
from itertools import accumulate

from django.conf import settings
from django.utils import timezone

from accounts.large import at, bulk_insert
from accounts.models import Role, User
from agencies.models import Agency, Membership
from champions.models import Nomination
from incidents import flowchart
from incidents.demo import (
    CATEGORY_WEIGHTS,
    DESCRIPTIONS,
    LOCATION_BY_SECTOR,
    PLATFORMS,
    SECTOR_WEIGHT,
    _answers,
    dated_category,
)
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
from incidents.retention import REMOVED, retention_cutoff

CHUNK = 5_000
DEMO_AGENCY = "Northfield Academy"
RISING = {
    Category.SEXTORTION: 4.0,
    Category.NUDES: 2.0,
    Category.GAMBLING: 3.0,
    Category.SCAMS: 2.0,
}  # how much more common now than ten years ago
CHRONOLOGY = [
    "Spoke with the child and agreed a safety plan.",
    "Parents informed by telephone.",
    "Device secured and locked in the safeguarding office.",
    "Met the designated safeguarding lead to review the risk.",
    "Checked the filtering logs for the period.",
    "Screenshots of the messages saved by the parent and shared with the police.",
    "Reported the account to the platform; it was removed.",
    "Class teacher and form tutor briefed.",
]
NOTES = ["Child A", "Year 9 pupil", "Year 7 pupil", "Looked-after child", "Club member", "Sibling of child A"]
LESSONS = [
    "Reminded staff and young people of the reporting route; filtering settings reviewed.",
    "Added the platform to the online safety lessons for the year group.",
    "Parents' briefing arranged on privacy settings.",
    "Acceptable use agreement updated and re-signed.",
]
STATUS_LABELS = dict(Status.choices)


def seed(ctx):
    rng, sizes, today = ctx.rng, ctx.sizes, ctx.today
    span = 365 * sizes.years
    agencies = [
        a
        for a in Agency.objects.select_related("executive_lead").order_by("pk")
        if a.sector not in ("police", "probation")
    ]
    cumulative = list(
        accumulate(SECTOR_WEIGHT.get(a.sector, 1) * (6 if a.name == DEMO_AGENCY else 1) for a in agencies)
    )
    names = {a.pk: a.name for a in agencies}
    staff = _spans(Membership.objects.filter(agency__in=agencies), "started_at", "ended_at")
    champions = _spans(Nomination.objects.filter(agency__in=agencies), "started_on", "ended_on")
    lead = User.objects.filter(role=Role.SAFEGUARDING_LEAD, is_active=True).order_by("pk").first()
    cutoff = retention_cutoff(today)
    made = 0
    while made < sizes.incidents:
        plans = []
        for _ in range(min(CHUNK, sizes.incidents - made)):
            # Part steady, part rising towards today: more incidents are reported each year.
            days_ago = rng.randint(1, span) if rng.random() < 0.55 else int(rng.triangular(1, span, 1))
            agency = rng.choices(agencies, cum_weights=cumulative)[0]
            if agency.archived_at and (today - datetime.timedelta(days=days_ago)) >= agency.archived_at.date():
                days_ago = (today - agency.archived_at.date()).days + rng.randint(1, 400)
            if today - datetime.timedelta(days=days_ago) < agency.joined_on:
                # Reported by an agency that joined later: moved into its years in the partnership.
                days_ago = rng.randint(1, max(1, (today - agency.joined_on).days))
            plans.append(_incident(ctx, agency, days_ago, span, staff, champions, cutoff))
        incidents = [incident for incident, _ in plans]
        bulk_insert(Incident, incidents)
        _children(ctx, plans, lead, names)
        made += len(plans)
    ctx.log.append(
        f"Large: {Incident.objects.count()} incidents "
        f"({Incident.objects.filter(anonymised_at__isnull=False).count()} anonymised after the retention period), "
        f"{Referral.objects.count()} referrals"
    )


def _spans(queryset, start: str, end: str) -> dict[int, list]:
    """agency id -> [(from, to or None, user id)], oldest first."""
    spans = defaultdict(list)
    for agency_id, user_id, began, ended in queryset.order_by(start, "pk").values_list(
        "agency_id", "user_id", start, end
    ):
        began = began.date() if isinstance(began, datetime.datetime) else began
        ended = ended.date() if isinstance(ended, datetime.datetime) else ended
        spans[agency_id].append((began, ended, user_id))
    return spans


def _who(rng, spans, agency, day: datetime.date) -> int:
    """One of the agency's people on that day; else its executive lead."""
    there = [
        user for began, ended, user in spans.get(agency.pk, []) if began <= day and (ended is None or ended >= day)
    ]
    return rng.choice(there) if there else agency.executive_lead_id


def _category(rng, days_ago: int, span: int):
    recent = 1 - days_ago / span
    pairs = [(c, w * (1 + (RISING.get(c, 1.0) - 1) * recent) / RISING.get(c, 1.0)) for c, w in CATEGORY_WEIGHTS]
    return dated_category(rng, rng.choices([c for c, _ in pairs], weights=[w for _, w in pairs])[0], days_ago)


def _incident(ctx, agency, days_ago, span, staff, champions, cutoff):
    rng, today = ctx.rng, ctx.today
    now = timezone.now()
    reported_on = today - datetime.timedelta(days=days_ago)
    reporter = _who(rng, staff, agency, reported_on)
    handler = _who(rng, champions, agency, reported_on)
    category = _category(rng, days_ago, span)
    answers = _answers(rng, category)
    assessment = flowchart.assess(answers)
    reported_at = min(at(reported_on, rng.randint(8, 17), rng.randint(0, 59)), now - datetime.timedelta(hours=2))
    incident = Incident(
        agency_id=agency.pk,
        reporter_id=reporter,
        step_reached="review",
        occurred_on=reported_on - datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 3, 7, 14])),
        discovered_on=reported_on,
        location=rng.choice(LOCATION_BY_SECTOR.get(agency.sector, [Location.HOME, Location.OTHER])),
        technology=rng.choice([Technology.PHONE] * 5 + [Technology.TABLET, Technology.COMPUTER, Technology.CONSOLE]),
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
        created_at=reported_at - datetime.timedelta(minutes=rng.randint(10, 90)),
    )
    if rng.random() < 0.005:
        # A draft its reporter abandoned: withdrawn, never reported.
        incident.status, incident.step_reached = Status.WITHDRAWN, rng.choice(["what", "questions", "people"])
        incident.updated_at = incident.created_at + datetime.timedelta(days=rng.randint(1, 10))
        return incident, None
    incident.reported_at = reported_at
    closed = days_ago > 365 or (days_ago > 45 and rng.random() < 0.93) or (days_ago > 7 and rng.random() < 0.4)
    triaged = closed or days_ago > 4 or rng.random() < 0.5
    incident.status = Status.CLOSED if closed else Status.IN_PROGRESS if triaged else Status.REPORTED
    incident.updated_at = reported_at
    if triaged:
        incident.concern_level = (
            ConcernLevel.HIGH if assessment.urgent else rng.choice([ConcernLevel.LOW, ConcernLevel.MEDIUM])
        )
        incident.concern_rationale = "Assessed against the flow chart and what is known of the child."
        incident.triaged_by_id = handler
        incident.triaged_at = min(reported_at + datetime.timedelta(hours=rng.randint(1, 30)), now)
        incident.updated_at = incident.triaged_at
    if closed:
        if incident.staff_involved:
            incident.outcome = Outcome.STAFF_PROCESS
        elif assessment.required_referrals:
            incident.outcome = rng.choice([Outcome.CRIMINAL, Outcome.CHILD_PROTECTION, Outcome.REFERRED_NFA])
        else:
            incident.outcome = rng.choice([Outcome.RESOLVED, Outcome.RESOLVED, Outcome.SANCTION, Outcome.SUPPORT])
        incident.outcome_detail = "Actions agreed and completed; the family was kept informed."
        incident.lessons_learned = rng.choice(LESSONS)
        incident.closed_by_id = handler
        incident.closed_at = min(incident.triaged_at + datetime.timedelta(days=rng.randint(3, 60)), now)
        incident.updated_at = incident.closed_at
        if incident.closed_at < cutoff:
            _anonymise(incident, now)
    return incident, assessment


def _anonymise(incident, now) -> None:
    """As ``incidents.retention`` leaves it, the night after the retention period ended."""
    expired = incident.closed_at + datetime.timedelta(days=settings.INCIDENT_RETENTION_DAYS + 1)
    incident.description = incident.outcome_detail = incident.lessons_learned = REMOVED
    incident.platform = incident.handled_in_agency_rationale = incident.concern_rationale = ""
    incident.anonymised_at = min(expired.replace(hour=2, minute=0), now)
    incident.updated_at = incident.anonymised_at


def _children(ctx, plans, lead, names) -> None:
    """People, referrals, chronology and history of a chunk of incidents already saved."""
    rng = ctx.rng
    people, referrals, chronology, history = [], [], [], []
    for incident, assessment in plans:
        gone = incident.anonymised_at is not None
        library = incident.location == Location.LIBRARY
        band = rng.choice(
            [AgeBand.AGE_5_10, AgeBand.AGE_11_12, AgeBand.AGE_13_15]
            if library
            else [AgeBand.AGE_11_12, AgeBand.AGE_13_15, AgeBand.AGE_13_15, AgeBand.AGE_16_17]
        )
        people.append(
            PersonInvolved(
                incident=incident,
                role=PersonRole.CHILD,
                age_band=band,
                involvement=Involvement.AFFECTED,
                note="" if gone else rng.choice(NOTES),
            )
        )
        if rng.random() < 0.5:
            staff = bool(incident.staff_involved)
            people.append(
                PersonInvolved(
                    incident=incident,
                    role=PersonRole.STAFF if staff else rng.choice([PersonRole.CHILD, PersonRole.UNKNOWN]),
                    age_band=AgeBand.ADULT if staff else rng.choice([band, AgeBand.UNKNOWN]),
                    involvement=Involvement.SUBJECT,
                )
            )
        history.append(
            IncidentHistory(
                incident=incident,
                by_id=incident.reporter_id,
                at=incident.created_at,
                event="Draft started",
                changes=[] if gone else [["agency", "", names[incident.agency_id]]],
            )
        )
        if assessment is None:  # withdrawn draft
            history.append(
                IncidentHistory(
                    incident=incident,
                    by_id=incident.reporter_id,
                    at=incident.updated_at,
                    event="Draft withdrawn",
                    changes=[["status", STATUS_LABELS[Status.DRAFT], STATUS_LABELS[Status.WITHDRAWN]]],
                )
            )
            continue
        history.append(_reported(incident, assessment, gone))
        referrals += _referrals(ctx, incident, assessment, gone, lead)
        if incident.triaged_at:
            history.append(
                IncidentHistory(
                    incident=incident,
                    by_id=incident.triaged_by_id,
                    at=incident.triaged_at,
                    event="Triaged",
                    changes=[]
                    if gone
                    else [
                        ["concern level", "", incident.get_concern_level_display()],
                        ["concern rationale", "", incident.concern_rationale],
                        ["status", STATUS_LABELS[Status.REPORTED], STATUS_LABELS[Status.IN_PROGRESS]],
                    ],
                )
            )
            last = incident.closed_at or timezone.now()
            for step in range(rng.randint(1, 3)):
                when = min(incident.triaged_at + datetime.timedelta(hours=2 + step * 20), last)
                chronology.append(
                    ChronologyEntry(
                        incident=incident,
                        happened_at=when,
                        action=REMOVED if gone else rng.choice(CHRONOLOGY),
                        by_id=incident.triaged_by_id,
                        recorded_at=when + datetime.timedelta(minutes=rng.randint(5, 240)),
                    )
                )
        if incident.closed_at:
            history.append(
                IncidentHistory(
                    incident=incident,
                    by_id=incident.closed_by_id,
                    at=incident.closed_at,
                    event="Closed",
                    changes=[]
                    if gone
                    else [
                        ["outcome", "", incident.get_outcome_display()],
                        ["status", STATUS_LABELS[Status.IN_PROGRESS], STATUS_LABELS[Status.CLOSED]],
                    ],
                )
            )
    bulk_insert(PersonInvolved, people)
    bulk_insert(Referral, referrals)
    bulk_insert(ChronologyEntry, chronology)
    bulk_insert(IncidentHistory, history)


def _reported(incident, assessment, gone) -> IncidentHistory:
    return IncidentHistory(
        incident=incident,
        by_id=incident.reporter_id,
        at=incident.reported_at,
        event="Reported",
        changes=[]
        if gone
        else [
            ["status", STATUS_LABELS[Status.DRAFT], STATUS_LABELS[Status.REPORTED]],
            ["required referrals", "", ", ".join(assessment.referral_labels) or "none"],
            ["urgent", "", "Yes" if assessment.urgent else "No"],
        ],
    )


def _referrals(ctx, incident, assessment, gone, lead) -> list[Referral]:
    """The referrals the flow chart requires: all made, with an outcome, once the incident is closed."""
    rng = ctx.rng
    rows = []
    for agency_type in assessment.required_referrals:
        done = incident.closed_at is not None or rng.random() < 0.6
        referred_on = min(
            incident.reported_at.date() + datetime.timedelta(days=rng.choice([0, 0, 1, 1, 2, 5])), ctx.today
        )
        with_outcome = done and (incident.closed_at is not None or rng.random() < 0.5)
        escalated = lead is not None and agency_type in ("lado", "social_care", "police") and rng.random() < 0.04
        rows.append(
            Referral(
                incident=incident,
                agency_type=agency_type,
                required=True,
                referred_on=referred_on if done else None,
                reference=""
                if gone or not done
                else f"{agency_type.upper()}/{referred_on:%y}/{rng.randint(1000, 99999)}",
                outcome=(REMOVED if gone else "Referral accepted; strategy discussion held.") if with_outcome else "",
                escalated_to=lead if escalated else None,
                escalated_at=incident.reported_at + datetime.timedelta(hours=3) if escalated else None,
                created_by_id=incident.reporter_id,
                created_at=incident.reported_at,
            )
        )
    return rows
