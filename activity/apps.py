from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Audit trail"

    def ready(self):
        from activity import signals  # noqa: F401 - records log-ins, log-outs and lock-outs
        from activity.privileges import grant_after_migrate

        # After every app has migrated (this app's signal is sent once per migrate run).
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="activity_portal_role_grants")
