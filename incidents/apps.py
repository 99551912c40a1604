from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"

    def ready(self):
        from incidents import log_import  # noqa: F401 - registers the incident log imports with the import flow
