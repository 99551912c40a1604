from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from activity import chain
from activity.models import Action, ActivityEvent, TrailCheckpoint

# The key of the PostgreSQL advisory lock that serialises writers of the trail (any fixed number).
CHAIN_LOCK = 0x7472_6169_6C  # "trail"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _chain_head(using: str = DEFAULT_DB_ALIAS) -> str:
    """The hash the next event links to. The caller holds the chain's lock."""
    last = ActivityEvent.objects.using(using).order_by("-pk").values_list("hash", flat=True).first()
    if last is not None:
        return last
    checkpoint = (
        TrailCheckpoint.objects.using(using).order_by("-first_kept_id").values_list("prev_hash", flat=True).first()
    )
    return checkpoint or chain.GENESIS


def activity_record(
    action: str,
    *,
    request=None,
    actor=None,
    obj=None,
    agency=None,
    summary: str = "",
    actor_label: str = "",
    object_type: str = "",
    object_id: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> ActivityEvent:
    """Add one event to the audit trail (who, what, on which record, from where).

    Written in the caller's transaction: the event stands or falls with the change it records.
    Writers take the chain's lock until their transaction ends, so two events never link to the
    same predecessor and the chain never forks.
    """
    if actor is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        actor = request.user
    if agency is None and obj is not None:
        agency = getattr(obj, "agency", None) if hasattr(obj, "agency_id") else None
    event = ActivityEvent(
        actor=actor,
        actor_label=(actor_label or (actor.email if actor is not None else ""))[:254],
        action=action,
        object_type=obj._meta.label if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else str(object_id),
        agency=agency,
        summary=summary[:500],
        ip_address=client_ip(request),
    )
    with transaction.atomic(using=using):
        lock_chain(using)
        # Stamped after the lock, so times rise along the chain as its order does.
        event.at = timezone.now()
        event.prev_hash = _chain_head(using)
        event.hash = chain.event_hash(event.prev_hash, chain_values(event))
        event.save(force_insert=True, using=using)
    return event


def activity_record_many(events: list[ActivityEvent]) -> list[ActivityEvent]:
    """Add several events at once (a batch job), chained in list order, in a fixed number of queries."""
    if not events:
        return []
    with transaction.atomic():
        lock_chain()
        now, prev = timezone.now(), _chain_head()
        for event in events:
            event.at, event.prev_hash = now, prev
            event.hash = prev = chain.event_hash(prev, chain_values(event))
        return ActivityEvent.objects.bulk_create(events)


def lock_chain(using: str = DEFAULT_DB_ALIAS) -> None:
    """Serialise writers of the trail until the transaction ends."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        elif connection.vendor == "sqlite":
            # A write that changes nothing takes SQLite's one write lock now, before the head is read.
            cursor.execute("UPDATE activity_trailcheckpoint SET id = id WHERE 0")


def chain_values(event: ActivityEvent) -> dict:
    return {name: getattr(event, name) for name in chain.FIELDS}


def export_record(request, *, what: str, obj=None, agency=None) -> ActivityEvent:
    """Record a download of a list: which list, and the filters it was drawn with."""
    filters = "; ".join(f"{key}={value}" for key, value in request.GET.items() if value and key != "page")
    summary = f"{what} — filters: {filters}" if filters else f"{what} — no filters"
    return activity_record(Action.EXPORTED, request=request, obj=obj, agency=agency, summary=summary)
