"""The audit trail's daily check."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from accounts.models import Role, User
from activity.integrity import anchor_write, trail_verify
from esafety.emails import send_templated_email

logger = logging.getLogger(__name__)


@shared_task(time_limit=60 * 60)
def verify_trail_daily() -> bool:
    """Check the whole chain; tell the administrators only when it is broken. Then keep yesterday's
    last hash in the file store (once: running twice in a day writes nothing new)."""
    report = trail_verify()
    if not report.ok:
        logger.error("The audit trail failed its check: %s", report.problem)
        admins = sorted(User.objects.filter(is_active=True, role=Role.ADMIN).values_list("email", flat=True))
        if admins:
            send_templated_email(
                "audit_trail_broken", to=admins, context={"problem": report.problem, "checked": f"{report.checked:,}"}
            )
    anchor_write(day=timezone.localdate() - datetime.timedelta(days=1))
    return report.ok
