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
    """e.g. 2026-12-07T16:45:21.123456Z, whatever the time zone it is given in."""
    return at.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def canonical_row(row) -> bytes:
    """The content of an event given as its values in the order of FIELDS, as bytes that depend on
    neither the database nor the Python version: a JSON array of strings."""
    at, *rest = row
    return _encode([canonical_time(at), *("" if value is None else str(value) for value in rest)]).encode()


def canonical(values: dict) -> bytes:
    return canonical_row([values[name] for name in FIELDS])


def row_hash(prev_hash: str, row) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical_row(row)).hexdigest()


def event_hash(prev_hash: str, values: dict) -> str:
    return row_hash(prev_hash, [values[name] for name in FIELDS])
