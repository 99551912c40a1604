from django.db import migrations

NAME = "Send background work kept while the broker was away"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "reminders.tasks.flush_queued_tasks", "interval": every_minute}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0003_queued_task"), ("reminders", "0002_beat_schedule")]
    operations = [migrations.RunPython(create, remove)]
