"""The audit trail's hash chain: how one event's content becomes its fingerprint.

Each event's ``hash`` is SHA-256 over the previous event's hash and the event's own canonical
content, so changing, removing, inserting or reordering any event breaks every link after it.
Pure functions over plain values: the service, the migrations and ``verify_trail`` share them.
"""

import datetime
import hashlib
import json

GENESIS = "0" * 64
# The fields an event's hash covers, in this order.
FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "agency_id",
    "summary",
    "ip_address",
)


def canonical_time(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict) -> bytes:
    """The event's content as bytes that do not depend on the database or the Python version."""
    content = [
        canonical_time(values["at"]) if name == "at" else ("" if values[name] is None else str(values[name]))
        for name in FIELDS
    ]
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(prev_hash: str, values: dict) -> str:
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(values))
    return digest.hexdigest()
