from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "champions"
    verbose_name = "Champions and ESIG"

    def ready(self):
        from champions import contacts_import  # noqa: F401 - registers the contacts import with the import flow
