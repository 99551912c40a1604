"""Settings of the server ``manage.py bench`` measures: production settings plus its comparison URLs."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "benchmark.urls"
