from django.db.models import Count, Prefetch

from champions.models import ConfirmationRound, ListConfirmation, Nomination


def confirmation_recipients(confirmation_round: ConfirmationRound):
    """Pairs of (pending confirmation, e-mail addresses of its champions and executive lead)."""
    confirmations = (
        ListConfirmation.objects.filter(round=confirmation_round, status="pending")
        .select_related("agency__executive_lead")
        .prefetch_related(
            Prefetch(
                "agency__nominations",
                queryset=Nomination.objects.current().select_related("user"),
                to_attr="current_nominations",
            )
        )
    )
    for confirmation in confirmations:
        agency = confirmation.agency
        emails = [n.user.email for n in agency.current_nominations if n.user.is_active]
        if agency.executive_lead and agency.executive_lead.is_active:
            emails.append(agency.executive_lead.email)
        yield confirmation, sorted(set(emails))


def current_champions():
    return Nomination.objects.current().select_related("agency", "user").filter(agency__archived_at__isnull=True)


def round_progress(confirmation_round: ConfirmationRound) -> dict:
    counts = {"pending": 0, "confirmed": 0, "corrected": 0}
    for row in confirmation_round.confirmations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    counts["answered"] = counts["confirmed"] + counts["corrected"]
    return counts
