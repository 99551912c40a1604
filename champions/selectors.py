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
    """Active agencies with no current champion: the first few by name, and how many there are."""

    uncovered: list[Agency]
    uncovered_count: int

    @property
    def more(self) -> int:
        return self.uncovered_count - len(self.uncovered)


def coverage(*, shown: int) -> Coverage:
    """The first ``shown`` active agencies without a current champion, and their number: one query."""
    uncovered = list(
        Agency.objects.current_members()
        .without_champion()
        .annotate(of=Window(Count("pk")))
        .only("pk", "name", "sector")[:shown]
    )
    return Coverage(uncovered, uncovered[0].of if uncovered else 0)
