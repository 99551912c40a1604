"""Least privilege on PostgreSQL: the portal's role owns nothing and may only add to and read the trail.

The owner (``DATABASE_MIGRATE_URL``) runs the migrations; after each ``migrate`` it grants the portal's
role (the user of ``DATABASE_URL``) what the portal needs on every table, and takes back all but
INSERT and SELECT on the audit trail (SELECT only on its checkpoints). Not being the owner, the
portal's role can neither ALTER nor DROP a table, nor switch a trigger off.
"""

from django.conf import settings
from django.db import connections
from psycopg2 import sql

TRAIL = "activity_activityevent"
CHECKPOINTS = "activity_trailcheckpoint"


def portal_role_grant(connection, role: str) -> None:
    """Give ``role`` what the portal needs, as the owner of the tables (``connection``)."""
    statements = [
        "REVOKE CREATE ON SCHEMA public FROM {role}",
        "GRANT USAGE ON SCHEMA public TO {role}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {TRAIL} FROM {{role}}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {CHECKPOINTS} FROM {{role}}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(sql.SQL(statement).format(role=sql.Identifier(role)))


def grant_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate: when the portal runs as a role of its own, keep its grants up to date."""
    connection = connections[using]
    portal = settings.DATABASES["default"].get("USER")
    if connection.vendor != "postgresql" or using == "default" or not portal:
        return
    if portal == connection.settings_dict.get("USER"):
        return
    portal_role_grant(connection, portal)
