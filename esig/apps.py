from django.apps import AppConfig


class EsigConfig(AppConfig):
    name = "esig"
    verbose_name = "ESIG meetings and training"
