from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "actionplan"

    def ready(self):
        from actionplan import plan_io  # noqa: F401 - registers the plan import with the import flow
