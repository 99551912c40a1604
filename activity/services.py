from activity.models import ActivityEvent


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def activity_record(
    action: str,
    *,
    request=None,
    actor=None,
    obj=None,
    agency=None,
    summary: str = "",
    actor_label: str = "",
) -> ActivityEvent:
    """Add one event to the audit trail (who, what, on which record, from where)."""
    if actor is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        actor = request.user
    if agency is None and obj is not None:
        agency = getattr(obj, "agency", None) if hasattr(obj, "agency_id") else None
    return ActivityEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        agency=agency,
        summary=summary[:500],
        ip_address=client_ip(request),
    )
