from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role, User
from activity.models import Action
from activity.services import activity_record
from esafety.emails import absolute_url


def password_set_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def user_get_or_invite(
    *, email: str, full_name: str, job_title: str = "", phone: str = "", invited_by: User | None = None
) -> tuple[User, bool]:
    """The person with this e-mail address, or a new account invited to set a password."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email, full_name=full_name, job_title=job_title, phone=phone, role=Role.MEMBER
    )
    activity_record(Action.ROLE_CHANGED, actor=invited_by, obj=user, summary=f"Account {email} made (role={user.role})")
    from reminders.outbox import enqueue_on_commit

    enqueue_on_commit("accounts.tasks.send_invitation", user.pk, invited_by.pk if invited_by else None)
    return user, True


def account_unlock(*, email: str, by: User | None) -> bool:
    """Lift every log-in lock from an account (from each address, and account-wide); False if none was on.

    ``by`` is the secretariat member who unlocked it, or None when the person used their e-mailed link.
    Moving ``login_failures_cleared_at`` on also spends any unlock link sent before.
    """
    from axes.utils import reset

    from accounts.lockout import account_locked

    email = email.strip().lower()
    was_locked_everywhere = account_locked(email)
    removed = reset(username=email)
    User.objects.filter(email__iexact=email).update(login_failures_cleared_at=timezone.now())
    if removed or was_locked_everywhere:
        summary = f"Unlocked {email}" if by else f"{email} unlocked their account with the e-mailed link"
        activity_record(Action.ACCOUNT_UNLOCKED, actor=by, actor_label="" if by else email, summary=summary)
    return bool(removed or was_locked_everywhere)


def two_factor_reset_for(*, email: str, by: User) -> User | None:
    """Remove a person's authenticator and backup codes (lost phone). Only administrators reset administrators."""
    from django.core.exceptions import PermissionDenied

    from accounts.two_factor import two_factor_reset

    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        return None
    if person.is_portal_admin and not by.is_portal_admin:
        raise PermissionDenied("Only an administrator can reset an administrator's two-factor authentication.")
    two_factor_reset(user=person)
    activity_record(Action.TWO_FACTOR_RESET, actor=by, obj=person, summary=f"Reset for {person.email}")
    return person
