"""Who opened an incident is kept in the audit trail only (a hash chain nobody can edit); the views
logged so far move there, each as the event it was, at the time it happened."""

from django.db import migrations

from activity import chain

CHAIN_LOCK = 0x7472_6169_6C  # the lock activity.services takes


def views_to_trail(apps, schema_editor):
    IncidentView = apps.get_model("incidents", "IncidentView")
    ActivityEvent = apps.get_model("activity", "ActivityEvent")
    if not IncidentView.objects.exists():
        return
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")
    last = ActivityEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
    prev = last or chain.GENESIS
    views = IncidentView.objects.select_related("user", "incident").order_by("at", "pk")
    batch = []
    for view in views.iterator(chunk_size=2000):
        event = ActivityEvent(
            at=view.at,
            actor_id=view.user_id,
            actor_label=view.user.email,
            action="incident_viewed",
            object_type="incidents.Incident",
            object_id=str(view.incident_id),
            agency_id=view.incident.agency_id,
            summary="Details (from the view log kept before the audit trail held views)",
            ip_address=None,
            prev_hash=prev,
        )
        event.hash = prev = chain.event_hash(prev, {name: getattr(event, name) for name in chain.FIELDS})
        batch.append(event)
        if len(batch) >= 2000:
            ActivityEvent.objects.bulk_create(batch)
            batch = []
    ActivityEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_incident_import_source"), ("activity", "0003_hash_chain")]
    operations = [
        migrations.RunPython(views_to_trail, migrations.RunPython.noop),
        migrations.DeleteModel(name="IncidentView"),
    ]
