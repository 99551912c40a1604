from django.db.models import Count

from champions.models import ConfirmationRound, Nomination


def current_champions():
    return Nomination.objects.current().select_related("agency", "user").filter(agency__archived_at__isnull=True)


def round_progress(confirmation_round: ConfirmationRound) -> dict:
    counts = {"pending": 0, "confirmed": 0, "corrected": 0}
    for row in confirmation_round.confirmations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    counts["answered"] = counts["confirmed"] + counts["corrected"]
    return counts
