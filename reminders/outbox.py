"""Queue background work so that a broker outage never fails the user's request or loses the work."""

import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from reminders.models import QueuedTask

logger = logging.getLogger(__name__)
BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, OSError)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits (nothing is sent for a rolled-back change).

    ``task`` is a Celery task, or its dotted path (``"reports.tasks.generate_annual_report"``): a service
    that its own app's tasks call names the task it sends instead of importing it, so that the app's
    modules import downwards only (services ← tasks)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def enqueue(task, *args, **kwargs) -> None:
    if isinstance(task, str):
        task = import_string(task)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(*args, **kwargs)
        return
    try:
        task.apply_async(args, kwargs, retry=False)
    except BROKER_ERRORS as error:
        logger.warning("Broker unavailable, %s kept for later: %s", task.name, error)
        QueuedTask.objects.create(task_name=task.name, args=list(args), kwargs=kwargs, last_error=str(error)[:500])


def queued_tasks_flush(limit: int = 500) -> int:
    """Send what was kept while the broker was away; each row is sent by one caller only."""
    sent = 0
    with transaction.atomic():
        for queued in QueuedTask.objects.select_for_update(skip_locked=True)[:limit]:
            try:
                current_app.send_task(queued.task_name, args=queued.args, kwargs=queued.kwargs, retry=False)
            except BROKER_ERRORS as error:
                QueuedTask.objects.filter(pk=queued.pk).update(
                    attempts=queued.attempts + 1, last_error=str(error)[:500]
                )
                break
            queued.delete()
            sent += 1
    return sent
