"""Checking the audit trail is whole, and keeping copies of its fingerprints out of the database's reach.

``trail_verify`` walks the chain in order, in chunks, and names the first event that no longer
matches. The chain's latest hash at the end of each day is written to the private file store
(``storages["private"]``, which the database's roles cannot touch): if the whole table were
rewritten with a chain of its own, those anchors would no longer match.
"""

import dataclasses
import datetime
import json

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone

from activity import chain
from activity.models import ActivityEvent, TrailCheckpoint

ANCHOR_DIR = "audit-trail/anchors"
CHECKPOINT_DIR = "audit-trail/checkpoints"
CHUNK = 20_000
_SIGNER_SALT = "activity.trail-checkpoint"


@dataclasses.dataclass
class TrailReport:
    checked: int
    problem: str = ""
    event_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


# Anchors: the latest hash of each day, in the file store.


def _private():
    return storages["private"]


def anchor_name(day: datetime.date) -> str:
    return f"{ANCHOR_DIR}/{day.isoformat()}.json"


def anchor_write(*, day: datetime.date) -> dict | None:
    """Write the chain's last hash at the end of ``day`` (local time) to the file store, once.

    Nothing is written for a day before the first event. An anchor already there is left alone:
    a store with object lock would refuse to overwrite it anyway.
    """
    storage = _private()
    name = anchor_name(day)
    if storage.exists(name):
        return json.loads(storage.open(name).read())
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    last = ActivityEvent.objects.filter(at__lt=end).order_by("-pk").values("pk", "hash", "at").first()
    if last is None:
        return None
    anchor = {"day": day.isoformat(), "event_id": last["pk"], "hash": last["hash"], "at": last["at"].isoformat()}
    storage.save(name, ContentFile(json.dumps(anchor, indent=1).encode()))
    return anchor


def anchors() -> list[dict]:
    storage = _private()
    if not storage.exists(ANCHOR_DIR):
        return []
    _dirs, files = storage.listdir(ANCHOR_DIR)
    found = []
    for name in sorted(files):
        if name.endswith(".json"):
            with storage.open(f"{ANCHOR_DIR}/{name}") as handle:
                found.append(json.loads(handle.read()))
    return found


def latest_anchor() -> dict | None:
    found = anchors()
    return found[-1] if found else None


# Checkpoints: what is left when events past the trail's retention are removed.


def checkpoint_payload(*, first_kept_id: int, prev_hash: str, removed: int, removed_before: datetime.datetime) -> str:
    return f"{first_kept_id}:{prev_hash}:{removed}:{chain.canonical_time(removed_before)}"


def checkpoint_sign(payload: str) -> str:
    return signing.Signer(salt=_SIGNER_SALT).signature(payload)


def checkpoint_is_genuine(checkpoint: TrailCheckpoint) -> bool:
    payload = checkpoint_payload(
        first_kept_id=checkpoint.first_kept_id,
        prev_hash=checkpoint.prev_hash,
        removed=checkpoint.removed,
        removed_before=checkpoint.removed_before,
    )
    return signing.constant_time_compare(checkpoint_sign(payload), checkpoint.signature)


# The walk.


def _describe(event_id: int, at: datetime.datetime | None = None) -> str:
    if at is None:
        return f"event #{event_id}"
    return f"event #{event_id} ({timezone.localtime(at):%d/%m/%Y %H:%M:%S})"


def _events_in_order(using: str, chunk_size: int):
    """(id, prev_hash, hash, *chain.FIELDS) of every event, oldest first, a chunk at a time."""
    connection = connections[using]
    columns = ["id", "prev_hash", "hash", *chain.FIELDS]
    if connection.vendor != "postgresql":
        fields = ["pk", *columns[1:]]
        yield from ActivityEvent.objects.using(using).order_by("pk").values_list(*fields).iterator(chunk_size)
        return
    # On PostgreSQL straight from a server-side cursor: the values arrive as the hash needs them
    # (timestamps in UTC, addresses as text), and a million events stream in seconds.
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM activity_activityevent ORDER BY id")  # noqa: S608 - our own column names
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def trail_verify(*, using: str = "default", chunk_size: int = CHUNK) -> TrailReport:
    """Walk the whole trail in order and report the first event that no longer matches its chain."""
    checkpoint = TrailCheckpoint.objects.using(using).order_by("-first_kept_id").first()
    expected_prev, start = chain.GENESIS, 0
    if checkpoint is not None:
        if not checkpoint_is_genuine(checkpoint):
            return TrailReport(0, f"The checkpoint at event #{checkpoint.first_kept_id} is not signed by this portal.")
        expected_prev, start = checkpoint.prev_hash, checkpoint.first_kept_id
    pinned = {a["event_id"]: a for a in anchors() if a["event_id"] >= start}

    checked, previous = 0, None
    for row in _events_in_order(using, chunk_size):
        pk, prev_hash, stored_hash, content = row[0], row[1], row[2], row[3:]
        values = {"at": content[0]}
        if pk < start:
            return TrailReport(
                checked,
                f"{_describe(pk, values['at']).capitalize()} is older than the checkpoint at event #{start}: "
                "it was inserted after the events before that checkpoint were removed.",
                pk,
            )
        if prev_hash != expected_prev:
            after = f"after {_describe(previous)}" if previous is not None else "at the start of the trail"
            return TrailReport(
                checked,
                f"The chain breaks {after}: {_describe(pk, values['at'])} does not link to the event before it. "
                "An event was deleted or inserted here, or the event before it was changed and its hash recomputed.",
                pk,
            )
        if chain.row_hash(prev_hash, content) != stored_hash:
            return TrailReport(
                checked,
                f"{_describe(pk, values['at']).capitalize()} no longer matches its hash: "
                "it was changed after it was written.",
                pk,
            )
        anchor = pinned.pop(pk, None)
        if anchor is not None and anchor["hash"] != stored_hash:
            return TrailReport(
                checked,
                f"{_describe(pk, values['at']).capitalize()} does not match the hash written to the file store "
                f"at the end of {anchor['day']}: the trail was rewritten.",
                pk,
            )
        expected_prev, previous = stored_hash, pk
        checked += 1
    if pinned:
        missing = min(pinned)
        return TrailReport(
            checked,
            f"Event #{missing}, whose hash was written to the file store at the end of {pinned[missing]['day']}, "
            "is missing: the trail was emptied, cut short or rewritten.",
            missing,
        )
    return TrailReport(checked)


# Removing events past the trail's own retention period (owner only).


class TrailNotWhole(Exception):
    pass


def trail_prune(*, before: datetime.datetime, using: str) -> TrailCheckpoint | None:
    """Remove the events written before ``before``, after writing a signed checkpoint that the first
    kept event links to (in the database and in the private file store), then record the removal.

    Refuses a trail that is not whole: removing its start could hide where it was broken.
    Must run as the role that owns the trail (the portal's role cannot delete from it).
    """
    from django.db import transaction

    from activity.models import Action
    from activity.services import activity_record, lock_chain

    report = trail_verify(using=using)
    if not report.ok:
        raise TrailNotWhole(report.problem)
    connection = connections[using]
    with transaction.atomic(using=using):
        lock_chain(using)
        events = ActivityEvent.objects.using(using).order_by("pk")
        first_kept = events.filter(at__gte=before).values("pk", "prev_hash").first()
        if first_kept is None:
            return None  # nothing newer: the trail is never emptied, the newest events always stay
        removed = events.filter(pk__lt=first_kept["pk"]).count()
        if not removed:
            return None
        fields = {
            "first_kept_id": first_kept["pk"],
            "prev_hash": first_kept["prev_hash"],
            "removed": removed,
            "removed_before": before,
        }
        checkpoint = TrailCheckpoint.objects.using(using).create(
            made_at=timezone.now(), signature=checkpoint_sign(checkpoint_payload(**fields)), **fields
        )
        document = {**fields, "removed_before": before.isoformat(), "signature": checkpoint.signature}
        name = f"{CHECKPOINT_DIR}/{first_kept['pk']}.json"
        _private().save(name, ContentFile(json.dumps(document, indent=1).encode()))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _append_only(cursor, connection.vendor, on=False)
            cursor.execute("DELETE FROM activity_activityevent WHERE id < %s", [first_kept["pk"]])
            _append_only(cursor, connection.vendor, on=True)
        activity_record(
            Action.TRAIL_PRUNED,
            actor_label="prune_trail",
            summary=f"{removed:,} events written before {timezone.localtime(before):%d/%m/%Y} removed; "
            f"signed checkpoint at event #{first_kept['pk']}",
            using=using,
        )
    return checkpoint


def _append_only(cursor, vendor: str, *, on: bool) -> None:
    if vendor == "postgresql":
        cursor.execute(
            f"ALTER TABLE activity_activityevent {'ENABLE' if on else 'DISABLE'} TRIGGER activity_event_append_only"
        )
    elif vendor == "sqlite":
        if on:
            cursor.execute(
                "CREATE TRIGGER activity_event_no_delete BEFORE DELETE ON activity_activityevent "
                "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE is not allowed'); END;"
            )
        else:
            cursor.execute("DROP TRIGGER IF EXISTS activity_event_no_delete")
