from celery import shared_task

from accounts.models import User
from esafety.emails import send_templated_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_invitation(user_id: int, invited_by_id: int | None = None) -> None:
    from accounts.services import password_set_url

    user = User.objects.get(pk=user_id)
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    send_templated_email(
        "invitation",
        to=[user.email],
        context={"user": user, "invited_by": invited_by, "set_password_url": password_set_url(user)},
    )
