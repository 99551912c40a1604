from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _new_release(sender, using, **kwargs):
    """Every release runs ``migrate``: what the cache kept (figures, and pages rendered with the old
    templates) is left behind, as a write would leave it."""
    from esafety import figures

    figures.bump(*figures.AREAS, using=using)


class EsafetyConfig(AppConfig):
    name = "esafety"
    verbose_name = "E-safety portal"

    def ready(self):
        post_migrate.connect(_new_release, sender=self)
