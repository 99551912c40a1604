"""Test settings: the real PostgreSQL and Redis, a fast password hasher, locmem cache."""

import os

from .settings import *  # noqa: F403
from .settings import env

DATABASES = {
    "default": env.db(
        "TEST_DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/esafety",
    )
}
# Lets several suites share one server without touching each other's database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_esafety")}
# Tests that commit empty the database after themselves with TRUNCATE, which the audit trail refuses
# unless the session says so (activity/migrations/0003_hash_chain.py); the tests of that refusal unsay it.
DATABASES["default"]["OPTIONS"] = {"options": "-c activity.allow_truncate=on"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if "TEST_CACHE_URL" in os.environ:  # the multi-host tests share one Redis cache between servers
    CACHES = {"default": env.cache("TEST_CACHE_URL")}
# A Celery worker started by an integration test sends through a real SMTP server instead.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
# Unit tests run tasks in-process; the integration tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("TEST_CELERY_EAGER", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Each suite's files in a folder of its own, unless a test's server is given one (or an object store).
PRIVATE_MEDIA_ROOT = Path(  # noqa: F405
    env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".test_private_media" / os.environ.get("TEST_DB_NAME", "default")))  # noqa: F405
)
if not AWS_STORAGE_BUCKET_NAME:  # noqa: F405
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
    STORAGES.update(private=PRIVATE_STORAGE, default=PRIVATE_STORAGE)  # noqa: F405
TWO_FACTOR_ENFORCED = True  # as in production
# An active session is saved again at most once an hour here (a minute in production), so a test that
# compares the queries of two requests never meets a renewal between them on a slow machine;
# tests/accounts/test_sessions.py tests the renewal itself, relative to this setting.
SESSION_RENEW_SECONDS = 60 * 60
