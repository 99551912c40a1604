import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from esafety.emails import absolute_url, render_email, send_templated_email
from reminders.models import Reminder, ReminderPreference, ReminderRule, ReminderStatus
from reminders.rules import RULES

logger = logging.getLogger(__name__)


def rules_ensure() -> dict[str, ReminderRule]:
    """Every rule the code knows, with its defaults the first time (one query when all exist, three at most)."""
    existing = {rule.code: rule for rule in ReminderRule.objects.filter(code__in=RULES)}
    missing = [
        ReminderRule(code=code, name=name, description=description, days_before=days_before, repeat_after_days=repeat)
        for code, (_fn, name, description, days_before, repeat) in RULES.items()
        if code not in existing
    ]
    if missing:
        # Two sweeps starting at once both insert: the unique code keeps one row of each.
        ReminderRule.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {rule.code: rule for rule in ReminderRule.objects.filter(code__in=RULES)}
    return existing


# The jobs django-celery-beat runs for the portal, at their default times (UK time); the
# secretariat moves the first two on the schedule page.
SCHEDULE = [
    ("Daily reminder sweep", "reminders.tasks.run_sweep", {"hour": "7", "minute": "0", "day_of_week": "*"}),
    ("Weekly reminder digest", "reminders.tasks.send_digests", {"hour": "8", "minute": "0", "day_of_week": "1"}),
]
FLUSH_JOB = ("Send background work kept while the broker was away", "reminders.tasks.flush_queued_tasks")


def schedule_ensure() -> list:
    """The jobs of ``SCHEDULE``, created at their default times when missing (as the reminder rules are),
    and the outbox flush every minute; jobs that exist keep their times. One query when all exist."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    wanted = [task for _name, task, _when in SCHEDULE] + [FLUSH_JOB[1]]
    existing = {job.task: job for job in PeriodicTask.objects.filter(task__in=wanted).select_related("crontab")}
    for name, task, when in SCHEDULE:
        if task not in existing:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                **when, day_of_month="*", month_of_year="*", timezone="Europe/London"
            )
            existing[task], _ = PeriodicTask.objects.get_or_create(
                name=name, defaults={"task": task, "crontab": crontab}
            )
    name, task = FLUSH_JOB
    if task not in existing:
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every_minute})
    return [existing[task] for _name, task, _when in SCHEDULE]


def reminders_sweep(*, today: datetime.date | None = None, codes: list[str] | None = None) -> list[int]:
    """Record every reminder due today (once per key) and return the ids waiting to be sent.

    Inserting under the unique key is the claim: a second or concurrent sweep inserts
    nothing new. The ids returned include earlier reminders still unsent, so a lost task
    or a worker that died is made good by the next sweep.
    """
    today = today or timezone.localdate()
    rules = rules_ensure()
    digest_users = set(ReminderPreference.objects.filter(weekly_digest=True).values_list("user_id", flat=True))
    dues = [
        (rule, due)
        for code, rule in rules.items()
        if rule.enabled and (not codes or code in codes)
        for due in RULES[code][0](rule, today)
    ]
    # Rendering an e-mail is the costly part: only for keys not recorded by an earlier sweep.
    recorded = set(Reminder.objects.filter(key__in=[due.key for _, due in dues]).values_list("key", flat=True))
    rows = []
    for rule, due in dues:
        if due.key in recorded:
            continue
        url = absolute_url(due.action_url)
        subject, text, html = render_email(
            due.template, {**due.context, "recipient": due.recipient, "action_url": url, "due_on": due.due_on}
        )
        held = due.recipient.pk in digest_users and not due.urgent
        rows.append(
            Reminder(
                key=due.key,
                rule=rule,
                recipient=due.recipient,
                cc=", ".join(due.cc),
                about=due.about[:255],
                due_on=due.due_on,
                action_url=url,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                status=ReminderStatus.DIGEST if held else ReminderStatus.PENDING,
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return list(
        Reminder.objects.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reminder_deliver(*, reminder_id: int) -> bool:
    """Send one reminder unless it has been sent; True when this call sent it.

    The row stays locked while the mail server takes the message and is marked sent in the
    same transaction: a second worker skips it, and a worker that dies mid-send leaves it
    unsent for the next sweep.
    """
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=reminder_id, status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
            .first()
        )
        if reminder is None:
            return False
        message = EmailMultiAlternatives(
            reminder.subject,
            reminder.body_text,
            settings.DEFAULT_FROM_EMAIL,
            [reminder.recipient.email],
            cc=[a.strip() for a in reminder.cc.split(",") if a.strip()],
            headers={"X-Reminder-Key": reminder.key},
        )
        message.attach_alternative(reminder.body_html, "text/html")
        message.send()
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = timezone.now()
        reminder.attempts += 1
        reminder.last_error = ""
        reminder.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return True


def reminder_record_failure(*, reminder_id: int, error: Exception) -> None:
    """Keep the failure in the log; the row stays due, so it is retried and never dropped."""
    Reminder.objects.filter(pk=reminder_id).exclude(status=ReminderStatus.SENT).update(
        status=ReminderStatus.FAILED, last_error=str(error)[:500], attempts=F("attempts") + 1
    )


def digests_send(*, today: datetime.date | None = None) -> int:
    """One e-mail per person who chose the weekly digest, listing what was held for them."""
    held = Reminder.objects.filter(status=ReminderStatus.DIGEST).select_related("recipient").order_by("due_on", "pk")
    by_person = defaultdict(list)
    for reminder in held:
        by_person[reminder.recipient].append(reminder)
    sent = 0
    for person, reminders in by_person.items():
        with transaction.atomic():
            ids = [r.pk for r in reminders]
            claimed = Reminder.objects.filter(pk__in=ids, status=ReminderStatus.DIGEST).update(
                status=ReminderStatus.SENT, sent_at=timezone.now()
            )
            if claimed:
                send_templated_email(
                    "reminder_digest", to=[person.email], context={"person": person, "reminders": reminders}
                )
                sent += 1
    return sent
