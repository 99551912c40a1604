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


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_account_locked(user_id: int) -> None:
    """Tell the person their account is locked after failed log-ins from many places, with a link to unlock it."""
    from django.conf import settings
    from django.urls import reverse

    from accounts.lockout import unlock_token
    from esafety.emails import absolute_url

    user = User.objects.get(pk=user_id)
    send_templated_email(
        "account_locked",
        to=[user.email],
        context={
            "user": user,
            "failure_limit": settings.ACCOUNT_LOCKOUT_LIMIT,
            "hours": settings.ACCOUNT_LOCKOUT_HOURS,
            "link_hours": settings.UNLOCK_LINK_HOURS,
            "unlock_url": absolute_url(reverse("account_unlock", args=[unlock_token(user)])),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )
