"""The database itself refuses to change or delete audit-trail rows (PostgreSQL and SQLite)."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION activity_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_event_append_only
    BEFORE UPDATE OR DELETE ON activity_activityevent
    FOR EACH ROW EXECUTE FUNCTION activity_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS activity_event_append_only ON activity_activityevent;
DROP FUNCTION IF EXISTS activity_event_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER activity_event_no_update BEFORE UPDATE ON activity_activityevent
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER activity_event_no_delete BEFORE DELETE ON activity_activityevent
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE is not allowed'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS activity_event_no_update;", "DROP TRIGGER IF EXISTS activity_event_no_delete;"]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
