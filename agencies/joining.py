"""When each agency joined the partnership, from the evidence that it took part.

A partnership that types its register in when it starts using the portal, then brings its history in
(audit returns, incident logs, meetings), has agencies dated from the day they were typed in while
their records go back years. The joining date from the evidence is the earliest of: the opening of the
first audit cycle the agency was asked to return, its first incident reported or imported, its first
champion nomination, the first ESIG meeting one of its champions attended, its first training, its
first filtering review of an internet access location, and the day it was added to the register. A
date is only ever moved earlier: one the secretariat typed is never replaced by a later one.

``outside_membership`` is the check the annual report runs: agencies that took part in a year in which
the register says they were not in the partnership.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format

from activity.models import Action, ActivityEvent
from activity.services import activity_record_many
from agencies.models import Agency
from audits.models import AuditReturn
from champions.models import Nomination
from esafety import figures
from esig.models import Attendance, AttendanceStatus, TrainingAttendee, TrainingHeadcount
from incidents.access import SUBMITTED
from incidents.models import Incident
from locations.models import FilteringReview


@dataclass(frozen=True)
class JoiningChange:
    agency: Agency
    was: datetime.date
    joined_on: datetime.date
    evidence: str

    @property
    def summary(self) -> str:
        return (
            f"Joined the partnership on {date_format(self.joined_on, 'j F Y')} "
            f"(was {date_format(self.was, 'j F Y')}): {self.evidence}."
        )


def _local_date(value) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def first_evidence() -> dict[int, tuple[datetime.date, str]]:
    """Agency id → the earliest date it took part and what it did then. Eight queries, whatever the size."""
    today = timezone.localdate()
    sources = [
        (
            "asked to return the audit cycle that opened on {}",
            AuditReturn.objects.values("agency_id").annotate(first=Min("cycle__opens_on")),
        ),
        (
            "an incident reported or imported on {}",
            Incident.objects.filter(reported_at__isnull=False).values("agency_id").annotate(first=Min("reported_at")),
        ),
        ("a champion nominated from {}", Nomination.objects.values("agency_id").annotate(first=Min("started_on"))),
        (
            "training attended on {}",
            TrainingAttendee.objects.filter(event__held_on__lte=today)
            .values("agency_id")
            .annotate(first=Min("event__held_on")),
        ),
        (
            "training attended on {}",
            TrainingHeadcount.objects.filter(event__held_on__lte=today)
            .values("agency_id")
            .annotate(first=Min("event__held_on")),
        ),
        (
            "a filtering review of one of its internet access locations on {}",
            FilteringReview.objects.values("agency_id").annotate(first=Min("reviewed_on")),
        ),
    ]
    attended = esig_attendance_by_agency(end=today)
    sources.append(
        (
            "one of its champions attended the ESIG meeting of {}",
            [{"agency_id": agency_id, "first": min(days)} for agency_id, days in attended.items()],
        )
    )
    found: dict[int, tuple[datetime.date, str]] = {}
    for text, rows in sources:
        for row in rows:
            day = _local_date(row["first"])
            if row["agency_id"] not in found or day < found[row["agency_id"]][0]:
                found[row["agency_id"]] = (day, text.format(date_format(day, "j F Y")))
    return found


def esig_attendance_by_agency(
    *, start: datetime.date | None = None, end: datetime.date
) -> dict[int, list[datetime.date]]:
    """Agency id → the days of held ESIG meetings (from ``start`` to ``end``) one of its champions was present at.

    A person present counts for the agencies they were champion of that day; one with no nomination current
    that day (nominations typed in after meetings brought in with their attendance) for those of their
    nominations that had not ended by then. Two queries.
    """
    meetings = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT,
        user__isnull=False,
        meeting__cancelled_at__isnull=True,
        meeting__held_on__lte=end,
    )
    if start is not None:
        meetings = meetings.filter(meeting__held_on__gte=start)
    present = list(meetings.values_list("user_id", "meeting__held_on").distinct())
    nominations: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
    for user_id, agency_id, started, ended in Nomination.objects.filter(
        user__in=meetings.values("user_id")
    ).values_list("user_id", "agency_id", "started_on", "ended_on"):
        nominations.setdefault(user_id, []).append((agency_id, started, ended))
    days: dict[int, list[datetime.date]] = {}
    for user_id, day in present:
        held = nominations.get(user_id, [])
        on_the_day = [a for a, started, ended in held if started <= day and (ended is None or ended >= day)]
        for agency_id in on_the_day or [a for a, _started, ended in held if ended is None or ended >= day]:
            days.setdefault(agency_id, []).append(day)
    return days


def joining_dates_proposed() -> list[JoiningChange]:
    """The agencies whose joining date the evidence moves earlier, by name."""
    evidence = first_evidence()
    changes = []
    for agency in Agency.objects.order_by("name"):
        candidates = [(_local_date(agency.created_at), "added to the register on that day")]
        if agency.pk in evidence:
            candidates.append(evidence[agency.pk])
        day, why = min(candidates, key=lambda c: c[0])
        if day < agency.joined_on:
            changes.append(JoiningChange(agency=agency, was=agency.joined_on, joined_on=day, evidence=why))
    return changes


@transaction.atomic
def joining_dates_apply(*, by=None, by_label: str = "") -> list[JoiningChange]:
    """Move each agency's joining date to the earliest evidence; each change goes on the agency's history.

    Worked out again under a lock on the register, so running it twice, or at once from two places,
    changes each agency once.
    """
    list(Agency.objects.select_for_update().values_list("pk", flat=True))
    changes = joining_dates_proposed()
    for change in changes:
        change.agency.joined_on = change.joined_on
    Agency.objects.bulk_update([c.agency for c in changes], ["joined_on"], batch_size=500)
    figures.bump(figures.REGISTER)
    activity_record_many(
        [
            ActivityEvent(
                actor=by,
                actor_label=by.email if by is not None else by_label,
                action=Action.MEMBERSHIP_DATES_CHANGED,
                object_type=Agency._meta.label,
                object_id=str(c.agency.pk),
                agency=c.agency,
                summary=c.summary[:500],
            )
            for c in changes
        ]
    )
    return changes


@dataclass
class OutsideAgency:
    agency: Agency
    reasons: list[str]


def outside_membership(start: datetime.date, end: datetime.date) -> list[OutsideAgency]:
    """Agencies that took part from ``start`` to ``end`` while the register says they were not in the partnership.

    Taking part: asked to return an audit of the year, an incident reported or imported in it, or a
    champion present at one of its ESIG meetings. Six queries, whatever the size.
    """
    members = Agency.objects.members_during(start, end).values("pk")
    reasons: dict[int, list[str]] = {}
    asked = (
        AuditReturn.objects.filter(cycle__year=start.year)
        .exclude(agency__in=members)
        .values_list("agency_id", "cycle__template__name")
        .order_by("cycle__template__name")
    )
    for agency_id, template in asked:
        reasons.setdefault(agency_id, []).append(f"asked to return the {template}")
    incidents = (
        Incident.objects.filter(status__in=SUBMITTED, reported_at__date__gte=start, reported_at__date__lte=end)
        .exclude(agency__in=members)
        .values("agency_id")
        .annotate(first=Min("reported_at"))
        .order_by()
    )
    for row in incidents:
        reasons.setdefault(row["agency_id"], []).append("reported or imported incidents")
    member_ids = set(members.values_list("pk", flat=True))
    attended = sorted(set(esig_attendance_by_agency(start=start, end=end)) - member_ids)
    for agency_id in attended:
        reasons.setdefault(agency_id, []).append("attended ESIG meetings")
    agencies = Agency.objects.filter(pk__in=reasons).order_by("name")
    return [OutsideAgency(agency=a, reasons=reasons[a.pk]) for a in agencies]
