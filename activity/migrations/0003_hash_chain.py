"""Each trail event carries the hash of its content and of the event before it.

Events already written are chained in the order they were written (by id), so an existing
installation's trail is verifiable from the day of the upgrade on. The database also refuses
TRUNCATE now, for everyone including the owner.
"""

from django.db import migrations, models

from activity import chain

# Refused for everyone, the owner too. Only a session that says so (the test suite, which empties its
# throwaway database between tests) gets through, as the owner could by switching the trigger off;
# the portal's role has no TRUNCATE privilege at all, and verify_trail finds an emptied trail.
POSTGRES_TRUNCATE_UP = """
CREATE OR REPLACE FUNCTION activity_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('activity.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE is not allowed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_event_no_truncate
    BEFORE TRUNCATE ON activity_activityevent
    FOR EACH STATEMENT EXECUTE FUNCTION activity_event_no_truncate();
"""
POSTGRES_TRUNCATE_DOWN = """
DROP TRIGGER IF EXISTS activity_event_no_truncate ON activity_activityevent;
DROP FUNCTION IF EXISTS activity_event_no_truncate();
"""


def chain_existing(apps, schema_editor):
    ActivityEvent = apps.get_model("activity", "ActivityEvent")
    vendor = schema_editor.connection.vendor
    if not ActivityEvent.objects.exists():
        return
    # The append-only triggers refuse the one-off fill; they are off only inside this migration's transaction.
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS activity_event_no_update")
    prev = chain.GENESIS
    for event in ActivityEvent.objects.order_by("pk").iterator(chunk_size=2000):
        event.prev_hash = prev
        event.hash = chain.event_hash(prev, {name: getattr(event, name) for name in chain.FIELDS})
        event.save(update_fields=["prev_hash", "hash"])
        prev = event.hash
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE activity_activityevent ENABLE TRIGGER activity_event_append_only")
    elif vendor == "sqlite":
        schema_editor.execute(
            """CREATE TRIGGER activity_event_no_update BEFORE UPDATE ON activity_activityevent
               BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is not allowed'); END;"""
        )


def truncate_up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRUNCATE_UP, params=None)


def truncate_down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRUNCATE_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("activity", "0003_membership_dates_changed")]

    operations = [
        migrations.AlterField(model_name="activityevent", name="at", field=models.DateTimeField(db_index=True)),
        migrations.AddField(
            model_name="activityevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activityevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(truncate_up, truncate_down),
        migrations.CreateModel(
            name="TrailCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("made_at", models.DateTimeField()),
                ("first_kept_id", models.BigIntegerField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("removed", models.PositiveIntegerField()),
                ("removed_before", models.DateTimeField()),
                ("signature", models.CharField(max_length=200)),
            ],
            options={"ordering": ["-first_kept_id"], "get_latest_by": "first_kept_id"},
        ),
    ]
