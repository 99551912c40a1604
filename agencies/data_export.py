"""Everything the portal holds about one agency, as a ZIP of JSON files (subject access requests).

Models are found, not listed: any model of the portal with a chain of foreign keys (up to three
steps) to ``Agency`` is included, so a model added later cannot be forgotten. People appear with
their names and contact details only, never a password hash.
"""

import io
import json
import zipfile
from collections import deque

from django.apps import apps
from django.core import serializers
from django.db.models import ForeignKey
from django.utils import timezone

from agencies.models import Agency

PROJECT_APPS = {
    "agencies",
    "champions",
    "audits",
    "incidents",
    "actionplan",
    "esig",
    "locations",
    "reminders",
    "activity",
}
PERSON_FIELDS = ("full_name", "email", "job_title", "phone", "role", "is_active")


def _path_to_agency(model, depth: int = 3) -> str | None:
    """The shortest lookup (e.g. ``incident__agency``) from ``model`` to an agency, if any."""
    queue = deque([(model, "")])
    while queue:
        current, path = queue.popleft()
        for field in current._meta.get_fields():
            if not isinstance(field, ForeignKey):
                continue
            lookup = f"{path}__{field.name}" if path else field.name
            if field.related_model is Agency:
                return lookup
            if lookup.count("__") + 1 < depth and field.related_model._meta.app_label in PROJECT_APPS:
                queue.append((field.related_model, lookup))
    return None


def agency_models() -> list[tuple[type, str]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and model is not Agency:
            path = _path_to_agency(model)
            if path:
                found.append((model, path))
    return sorted(found, key=lambda item: item[0]._meta.label)


def agency_export(agency: Agency) -> bytes:
    """The ZIP file: one JSON file per kind of record, the people involved, and the evidence files."""
    from accounts.models import User

    buffer = io.BytesIO()
    people_ids = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("agencies.Agency.json", serializers.serialize("json", [agency], indent=1))
        if agency.executive_lead_id:
            people_ids.add(agency.executive_lead_id)
        counts = {"agencies.Agency": 1}
        for model, path in agency_models():
            rows = list(model._default_manager.filter(**{path: agency}))
            counts[model._meta.label] = len(rows)
            if not rows:
                continue
            archive.writestr(f"{model._meta.label}.json", serializers.serialize("json", rows, indent=1))
            for field in model._meta.fields:
                if isinstance(field, ForeignKey) and field.related_model is User:
                    people_ids.update(getattr(row, field.attname) for row in rows if getattr(row, field.attname))
            if model._meta.label == "audits.Evidence":
                for row in rows:
                    if row.file:
                        with row.file.open("rb") as handle:
                            archive.writestr(f"evidence/{row.pk}-{row.original_name}", handle.read())
        people = list(User.objects.filter(pk__in=people_ids).values("pk", *PERSON_FIELDS))
        archive.writestr("people.json", json.dumps(people, indent=1))
        archive.writestr(
            "README.txt",
            f"Data held about {agency.name}, exported {timezone.localtime():%d/%m/%Y %H:%M}.\n"
            "One JSON file per kind of record (Django's JSON format); people.json lists the people\n"
            "the records name; evidence/ holds uploaded evidence files.\n\n"
            + "\n".join(f"{label}: {n}" for label, n in sorted(counts.items())),
        )
    return buffer.getvalue()
