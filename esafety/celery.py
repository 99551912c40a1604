import os

from celery import Celery
from celery.signals import task_failure, task_success

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esafety.settings")

app = Celery("esafety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_success.connect
def _count_success(sender=None, **kwargs):
    from esafety.metrics import count_task

    count_task(sender.name, "succeeded")


@task_failure.connect
def _count_failure(sender=None, **kwargs):
    from esafety.metrics import count_task

    count_task(sender.name, "failed")
