"""What the board member's home page reads: what changed since the last ESIG/Board meeting."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

# The home page lists this many new Red actions by name; the status history has them all.
NEW_RED_SHOWN = 10


@dataclass
class SinceLastMeeting:
    meeting: object  # the last meeting held, or None
    since: datetime.date | None = None
    status_changes: dict = field(default_factory=dict)  # status word -> number of changes to it
    status_total: int = 0
    new_red: list = field(default_factory=list)  # the latest changes to Red, with their action
    new_red_count: int = 0
    returns: list = field(default_factory=list)  # per cycle: cycle id, name, year, how many returns received
    incidents: list = field(default_factory=list)  # (category label, Cell) with small numbers suppressed
    incidents_total: object = None  # a Cell


def since_last_meeting(meeting) -> SinceLastMeeting:
    """Status changes, new Red actions, returns received and incidents by category since the day of
    ``meeting``, the last ESIG meeting held (None: there has been none): three queries whatever the
    amount of work since. The home page has the meeting already, with the ESIG section's."""
    from actionplan.models import STATUS_WORDS, Status, StatusChange
    from audits.models import AuditReturn
    from incidents import access
    from incidents.models import Category, Incident
    from incidents.selectors import protect_together, suppress_table

    if meeting is None:
        return SinceLastMeeting(meeting=None)
    since = meeting.held_on
    starts = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    result = SinceLastMeeting(meeting=meeting, since=since)

    # Per status: how many changes, and the newest few of each (for the Red ones' names), in one query.
    changes = list(
        StatusChange.objects.filter(at__gte=starts, action__archived_at__isnull=True)
        .select_related("action")
        .only("at", "old", "new", "action__ref", "action__action")
        .annotate(
            n=Window(Count("pk"), partition_by=[F("new")]),
            rank=Window(RowNumber(), partition_by=[F("new")], order_by=[F("at").desc(), F("pk").desc()]),
        )
        .filter(rank__lte=NEW_RED_SHOWN)
        .order_by("-at", "-pk")
    )
    counts = {change.new: change.n for change in changes}
    result.status_changes = {STATUS_WORDS[status]: counts[status] for status in Status.values if counts.get(status)}
    result.status_total = sum(counts.values())
    result.new_red_count = counts.get(Status.RED, 0)
    result.new_red = [change for change in changes if change.new == Status.RED]

    result.returns = list(
        AuditReturn.objects.filter(submitted_at__gte=starts)
        .values("cycle_id", "cycle__template__name", "cycle__year")
        .annotate(n=Count("pk"))
        .order_by("-cycle__year", "cycle__template__name")
    )

    by_category = dict(
        Incident.objects.filter(status__in=access.SUBMITTED, reported_at__gte=starts)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    cells, _rows, _cols, total = suppress_table([[by_category.get(value, 0)] for value, _ in Category.choices])
    # Published together, as on the monitoring page: once any is hidden, the others are rounded to 5.
    protect_together([*(row[0] for row in cells), total])
    result.incidents = [(label, cells[i][0]) for i, (_value, label) in enumerate(Category.choices) if cells[i][0].count]
    result.incidents_total = total
    return result
