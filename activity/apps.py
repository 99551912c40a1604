from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Audit trail"

    def ready(self):
        from activity import signals  # noqa: F401 - records log-ins, log-outs and lock-outs
