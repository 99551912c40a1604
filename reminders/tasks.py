from smtplib import SMTPException

from celery import shared_task

from reminders import services


@shared_task
def run_sweep(codes: list[str] | None = None) -> int:
    """The daily sweep (django-celery-beat): record what is due, then queue each delivery."""
    from reminders.outbox import enqueue

    ids = services.reminders_sweep(codes=codes)
    for reminder_id in ids:
        enqueue(deliver_reminder, reminder_id)
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=8)
def deliver_reminder(self, reminder_id: int) -> bool:
    try:
        return services.reminder_deliver(reminder_id=reminder_id)
    except (SMTPException, OSError) as error:
        services.reminder_record_failure(reminder_id=reminder_id, error=error)
        if self.request.is_eager:
            return False  # in-process: the next sweep tries again
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries)) from error


@shared_task
def send_digests() -> int:
    return services.digests_send()


@shared_task
def flush_queued_tasks() -> int:
    """Every minute (beat): send background work kept while the broker was unavailable."""
    from reminders.outbox import queued_tasks_flush

    return queued_tasks_flush()
