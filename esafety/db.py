"""Which database connection owner-only work uses."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def owner_alias() -> str:
    """The connection of the role that owns the tables: ``DATABASE_MIGRATE_URL`` when it is set
    (the portal itself then runs as a role that owns nothing), else the portal's own."""
    return "owner" if "owner" in settings.DATABASES else DEFAULT_DB_ALIAS
