"""Each agency joined the partnership no later than the first evidence that it took part.

Until now every agency was dated from the day its row was made; a partnership that typed its register
in, then brought its history in, had last year's audits and incidents from agencies that were not yet
members. This moves each joining date earlier to the first audit cycle the agency was asked to return,
its first incident, champion nomination, ESIG attendance, training or filtering review, never later;
each change is on the agency's history. (``python manage.py agency_joining_dates`` does the same later.)
"""

import datetime

from django.db import migrations
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format

from activity import chain


def _day(value):
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def _esig_attendance(Attendance, Nomination, today):
    """(agency id, day) for each held ESIG meeting one of the agency's champions was present at: for the agencies
    they were champion of that day, or, with none that day (nominations typed in after the meetings were brought
    in), for those of their nominations that had not ended by then."""
    meetings = Attendance.objects.filter(
        status="present", user__isnull=False, meeting__cancelled_at__isnull=True, meeting__held_on__lte=today
    )
    nominations = {}
    for user_id, agency_id, started, ended in Nomination.objects.filter(
        user__in=meetings.values("user_id")
    ).values_list("user_id", "agency_id", "started_on", "ended_on"):
        nominations.setdefault(user_id, []).append((agency_id, started, ended))
    for user_id, day in meetings.values_list("user_id", "meeting__held_on").distinct():
        held = nominations.get(user_id, [])
        on_the_day = [a for a, started, ended in held if started <= day and (ended is None or ended >= day)]
        for agency_id in on_the_day or [a for a, _started, ended in held if ended is None or ended >= day]:
            yield agency_id, day


def joining_dates_from_the_evidence(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    ActivityEvent = apps.get_model("activity", "ActivityEvent")
    AuditReturn = apps.get_model("audits", "AuditReturn")
    Incident = apps.get_model("incidents", "Incident")
    Nomination = apps.get_model("champions", "Nomination")
    TrainingAttendee = apps.get_model("esig", "TrainingAttendee")
    TrainingHeadcount = apps.get_model("esig", "TrainingHeadcount")
    FilteringReview = apps.get_model("locations", "FilteringReview")
    Attendance = apps.get_model("esig", "Attendance")
    today = timezone.localdate()
    # (what the agency did, its rows, the date of each)
    sources = [
        ("asked to return the audit cycle that opened on {}", AuditReturn.objects.all(), "cycle__opens_on"),
        ("an incident reported or imported on {}", Incident.objects.filter(reported_at__isnull=False), "reported_at"),
        ("a champion nominated from {}", Nomination.objects.all(), "started_on"),
        ("training attended on {}", TrainingAttendee.objects.filter(event__held_on__lte=today), "event__held_on"),
        ("training attended on {}", TrainingHeadcount.objects.filter(event__held_on__lte=today), "event__held_on"),
        (
            "a filtering review of one of its internet access locations on {}",
            FilteringReview.objects.all(),
            "reviewed_on",
        ),
    ]
    evidence = {}
    for text, queryset, field in sources:
        # values() before annotate() groups by agency; order_by() keeps the model's ordering out of the GROUP BY.
        for row in queryset.values("agency_id").annotate(first=Min(field)).order_by():
            day = _day(row["first"])
            if row["agency_id"] not in evidence or day < evidence[row["agency_id"]][0]:
                evidence[row["agency_id"]] = (day, text.format(date_format(day, "j F Y")))
    for agency_id, day in _esig_attendance(Attendance, Nomination, today):
        if agency_id not in evidence or day < evidence[agency_id][0]:
            evidence[agency_id] = (
                day,
                f"one of its champions attended the ESIG meeting of {date_format(day, 'j F Y')}",
            )
    changed, events = [], []
    for agency in Agency.objects.order_by("name"):
        candidates = [(_day(agency.created_at), "added to the register on that day")]
        if agency.pk in evidence:
            candidates.append(evidence[agency.pk])
        day, why = min(candidates, key=lambda c: c[0])
        if day >= agency.joined_on:
            continue
        summary = (
            f"Joined the partnership on {date_format(day, 'j F Y')} (was {date_format(agency.joined_on, 'j F Y')}): "
            f"{why}."
        )
        agency.joined_on = day
        changed.append(agency)
        events.append(
            ActivityEvent(
                actor_label="Upgrade of the portal",
                action="membership_dates",
                object_type="agencies.Agency",
                object_id=str(agency.pk),
                agency=agency,
                summary=summary[:500],
            )
        )
    Agency.objects.bulk_update(changed, ["joined_on"], batch_size=500)
    # Each change goes on the audit trail's hash chain, linked to the last event (or checkpoint) before it.
    Checkpoint = apps.get_model("activity", "TrailCheckpoint")
    prev = (
        ActivityEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        or Checkpoint.objects.order_by("-first_kept_id").values_list("prev_hash", flat=True).first()
        or chain.GENESIS
    )
    now = timezone.now()
    for event in events:
        event.at, event.prev_hash = now, prev
        event.hash = prev = chain.event_hash(prev, {name: getattr(event, name) for name in chain.FIELDS})
    ActivityEvent.objects.bulk_create(events, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_agency_people_served"),
        ("activity", "0007_membership_dates_in_the_chained_trail"),
        ("audits", "0003_answer_board_rated_index"),
        ("incidents", "0005_incident_import_source"),
        ("champions", "0001_initial"),
        ("esig", "0003_default_rules"),
        ("locations", "0002_filtering_and_monitoring_reviews"),
    ]

    operations = [migrations.RunPython(joining_dates_from_the_evidence, migrations.RunPython.noop)]
