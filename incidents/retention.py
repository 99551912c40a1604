"""Data protection: closed incidents past the retention period keep their statistics, not their story.

What is kept: agency, category, technology, where, dates, flow-chart answers, people by role and
age band, which referrals were made and when, the outcome. What is removed: every free text
(description, platform, rationales, outcome detail, lessons, chronology, referral references and
outcomes, notes on the people involved, the old and new values in the history).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activity.models import Action, ActivityEvent
from activity.services import activity_record_many
from esafety import figures
from incidents.models import ChronologyEntry, Incident, IncidentHistory, PersonInvolved, Referral, Status

REMOVED = "[Removed at the end of the retention period]"


def retention_cutoff(today: datetime.date | None = None) -> datetime.datetime:
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.INCIDENT_RETENTION_DAYS)
    return timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))


@transaction.atomic
def incidents_anonymise_expired(*, today: datetime.date | None = None) -> int:
    """Anonymise every closed incident closed before the cut-off; a fixed number of queries."""
    expired = Incident.objects.select_for_update().filter(
        status=Status.CLOSED, closed_at__lt=retention_cutoff(today), anonymised_at__isnull=True
    )
    agencies = dict(expired.order_by("pk").values_list("pk", "agency_id"))
    ids = list(agencies)
    if not ids:
        return 0
    Incident.objects.filter(pk__in=ids).update(
        description=REMOVED,
        platform="",
        handled_in_agency_rationale="",
        concern_rationale="",
        outcome_detail=REMOVED,
        lessons_learned=REMOVED,
        anonymised_at=timezone.now(),
    )
    ChronologyEntry.objects.filter(incident__in=ids).update(action=REMOVED)
    PersonInvolved.objects.filter(incident__in=ids).update(note="")
    Referral.objects.filter(incident__in=ids).exclude(outcome="").update(outcome=REMOVED)
    Referral.objects.filter(incident__in=ids).update(reference="")
    IncidentHistory.objects.filter(incident__in=ids).update(changes=[])
    # The trail keeps who did what to which incident: ids and labels only, so it stays as it was.
    activity_record_many(
        [
            ActivityEvent(
                actor_label="Retention schedule",
                action=Action.INCIDENT_CHANGED,
                object_type=Incident._meta.label,
                object_id=str(pk),
                agency_id=agency_id,
                summary="Anonymised at the end of the retention period",
            )
            for pk, agency_id in agencies.items()
        ]
    )
    # The counts stay as they were, but the cached pages show what was removed (e.g. a platform).
    figures.bump(figures.INCIDENTS)
    return len(ids)
