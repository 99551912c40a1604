"""E-mails about incidents. They carry the category, the agency and a link — never the details."""

import logging

from celery import shared_task

from champions.models import Nomination
from esafety.emails import absolute_url, send_templated_email
from incidents.models import Incident, Referral

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_incident_reported(incident_id: int) -> int:
    """Tell the agency's current champions/ESLOs at once that an incident has been reported.

    An agency with no current champion must still hear of it: its executive lead is told instead.
    """
    incident = Incident.objects.select_related("agency__executive_lead").get(pk=incident_id)
    recipients = sorted(
        {
            n.user.email
            for n in Nomination.objects.current().filter(agency=incident.agency).select_related("user")
            if n.user.is_active
        }
    )
    lead = incident.agency.executive_lead
    if not recipients and lead is not None and lead.is_active:
        recipients = [lead.email]
    if not recipients:
        logger.warning("Incident %s reported at an agency with no champion and no executive lead", incident.pk)
        return 0
    return send_templated_email(
        "incident_reported",
        to=recipients,
        context={
            "urgent": incident.urgent,
            "category": incident.get_category_display(),
            "agency": incident.agency.name,
            "reference": incident.reference,
            "action_url": absolute_url(incident.get_absolute_url()),
        },
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_referral_escalated(referral_id: int) -> int:
    """Tell the partnership safeguarding lead that an incident has been escalated to them."""
    referral = Referral.objects.select_related("incident__agency", "escalated_to").get(pk=referral_id)
    if referral.escalated_to is None or not referral.escalated_to.is_active:
        return 0
    incident = referral.incident
    return send_templated_email(
        "incident_escalated",
        to=[referral.escalated_to.email],
        context={
            "category": incident.get_category_display(),
            "agency": incident.agency.name,
            "reference": incident.reference,
            "referred_to": referral.get_agency_type_display(),
            "action_url": absolute_url(incident.get_absolute_url()),
        },
    )


@shared_task
def anonymise_expired_incidents() -> int:
    """Daily (beat): remove the free text of incidents closed longer ago than the retention period."""
    from incidents.retention import incidents_anonymise_expired

    return incidents_anonymise_expired()
