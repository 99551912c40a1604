from celery import shared_task

from champions import selectors
from champions.models import ConfirmationRound
from esafety.emails import absolute_url, send_templated_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_confirmation_requests(round_id: int) -> int:
    """E-mail each agency's champions and executive lead the link to confirm their list."""
    confirmation_round = ConfirmationRound.objects.get(pk=round_id)
    sent = 0
    for confirmation, recipients in selectors.confirmation_recipients(confirmation_round):
        if not recipients:
            continue
        send_templated_email(
            "champions_confirmation_request",
            to=recipients,
            context={
                "round": confirmation_round,
                "agency": confirmation.agency,
                "action_url": absolute_url(confirmation.get_absolute_url()),
            },
        )
        sent += 1
    return sent
