from dataclasses import dataclass

from django.db.models import Count, Q, Window

from agencies.models import Agency
from champions.models import ConfirmationRound, ConfirmationStatus, Nomination


def current_champions():
    return Nomination.objects.current().select_related("agency", "user").filter(agency__archived_at__isnull=True)


def round_progress(confirmation_round: ConfirmationRound) -> dict:
    counts = {"pending": 0, "confirmed": 0, "corrected": 0}
    for row in confirmation_round.confirmations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return _progress(counts)


def _progress(counts: dict) -> dict:
    counts["total"] = sum(counts.values())
    counts["answered"] = counts["confirmed"] + counts["corrected"]
    return counts


def latest_round_with_progress() -> tuple[ConfirmationRound | None, dict | None]:
    """The latest confirmation round and how many agencies have answered it: one query."""
    latest = (
        ConfirmationRound.objects.annotate(
            **{
                f"n_{status}": Count("confirmations", filter=Q(confirmations__status=status))
                for status in ConfirmationStatus.values
            }
        )
        .order_by("-year")
        .first()
    )
    if latest is None:
        return None, None
    return latest, _progress({status: getattr(latest, f"n_{status}") for status in ConfirmationStatus.values})


@dataclass
class Coverage:
    """Active agencies with no current champion: the first few by name, how many there are, and how many
    active agencies there are in all."""

    uncovered: list[Agency]
    uncovered_count: int
    active_count: int = 0

    @property
    def more(self) -> int:
        return self.uncovered_count - len(self.uncovered)


def coverage(*, shown: int) -> Coverage:
    """The first ``shown`` active agencies without a current champion, their number and the number of
    active agencies: one query (those without a champion come first, both counted over every row)."""
    rows = list(
        Agency.objects.current_members()
        .with_champion_count()
        .annotate(
            active=Window(Count("pk")),
            without=Window(Count("pk", filter=Q(has_champion=False))),
        )
        .only("pk", "name", "sector")
        .order_by("has_champion", "name")[:shown]
    )
    uncovered = [agency for agency in rows if not agency.has_champion]
    return Coverage(uncovered, rows[0].without if rows else 0, rows[0].active if rows else 0)
