"""Log-in lock-outs an attacker cannot aim at someone else (django-axes, plus an account-wide limit).

Two limits, both counted on the e-mail address as typed (lower-cased, so "Jo@" and "jo@" are one):

* per account *and* address (django-axes, ``AXES_LOCKOUT_PARAMETERS``): five failures from one
  address pause log-in to that account from that address for an hour. Colleagues behind the same
  council address, and the owner anywhere else, are not affected.
* per account from anywhere (``ACCOUNT_LOCKOUT_LIMIT`` failures in ``ACCOUNT_LOCKOUT_HOURS``): guessing
  spread over many addresses stops too. The person is e-mailed a link that unlocks the account once;
  the secretariat can unlock it under Manage → Account support.

django-axes has one limit and one cool-off for all its parameters, so the account-wide limit is
counted here from axes's own failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``) by a handler that
extends axes's database handler; lifting a lock moves ``User.login_failures_cleared_at`` on.
"""

from __future__ import annotations

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils import timezone

UNLOCK_SALT = "accounts.lockout.unlock-link"


def username_from(request, credentials: dict | None = None) -> str:
    """The e-mail address as axes records it: trimmed and lower-cased, as log-in matches it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return str(value or "").strip().lower()[:254]


def client_ip(request) -> str | None:
    """The address the nearest trusted proxy saw (``TRUSTED_PROXY_COUNT`` proxies append to X-Forwarded-For)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def _window_start(email: str) -> datetime.datetime:
    from accounts.models import User

    start = timezone.now() - datetime.timedelta(hours=settings.ACCOUNT_LOCKOUT_HOURS)
    cleared = User.objects.filter(email__iexact=email).values_list("login_failures_cleared_at", flat=True).first()
    return max(start, cleared) if cleared else start


def account_failures(email: str) -> int:
    """Failed log-ins to this account from any address in the window (since the last unlock)."""
    if not email:
        return 0
    return AccessFailureLog.objects.filter(username=email, attempt_time__gte=_window_start(email)).count()


def account_locked(email: str) -> bool:
    return account_failures(email) >= settings.ACCOUNT_LOCKOUT_LIMIT


def accounts_locked_everywhere() -> list[dict]:
    """Accounts over the account-wide limit, for Account support: one query whatever their number."""
    from django.db.models import Count, F, Max, OuterRef, Q, Subquery

    from accounts.models import User

    start = timezone.now() - datetime.timedelta(hours=settings.ACCOUNT_LOCKOUT_HOURS)
    cleared = User.objects.filter(email=OuterRef("username")).values("login_failures_cleared_at")[:1]
    return list(
        AccessFailureLog.objects.filter(attempt_time__gte=start)
        .annotate(cleared=Subquery(cleared))
        # An unlock since some of those failures: only the failures after it count.
        .filter(Q(cleared__isnull=True) | Q(attempt_time__gte=F("cleared")))
        .values("username")
        .annotate(failures=Count("pk"), last=Max("attempt_time"))
        .filter(failures__gte=settings.ACCOUNT_LOCKOUT_LIMIT)
        .order_by("-last")
    )


class LockoutHandler(AxesDatabaseHandler):
    """axes's database handler, with the account-wide limit added to its per account-and-address one."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if account_locked(get_client_username(request, credentials)):
            request.account_locked = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # Refused by a lock before any password was checked: not a guess, not recorded, nothing to add.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused or not settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            return
        email = get_client_username(request, credentials)
        failures = account_failures(email)
        if failures >= settings.ACCOUNT_LOCKOUT_LIMIT:
            request.account_locked = True
            request.axes_locked_out = True
            request.axes_credentials = credentials
        if failures == settings.ACCOUNT_LOCKOUT_LIMIT:  # just reached: tell the person, once per lock
            from activity.models import Action
            from activity.services import activity_record

            activity_record(
                Action.LOCKED_OUT,
                request=request,
                actor_label=email,
                summary=f"Locked everywhere after {failures} failed log-ins in {settings.ACCOUNT_LOCKOUT_HOURS} hours",
            )
            _tell_the_owner(email)


def _tell_the_owner(email: str) -> None:
    from accounts.models import User
    from reminders.outbox import enqueue_on_commit

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        enqueue_on_commit("accounts.tasks.send_account_locked", user.pk)


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The page a refused log-in gets: which lock applies, and what to do next."""
    account_wide = getattr(request, "account_locked", False) or account_locked(
        get_client_username(request, credentials)
    )
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "account_wide": account_wide,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
            "account_limit": settings.ACCOUNT_LOCKOUT_LIMIT,
            "account_hours": settings.ACCOUNT_LOCKOUT_HOURS,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- the unlock link ----------------------------------------------------------------------------


def unlock_token(user) -> str:
    """Signed and dated; it names the last unlock, so it stops working once it (or anyone) unlocks."""
    cleared = user.login_failures_cleared_at.isoformat() if user.login_failures_cleared_at else ""
    return signing.dumps({"user": user.pk, "cleared": cleared}, salt=UNLOCK_SALT, compress=True)


def user_for_unlock_token(token: str):
    """The account a valid, unexpired, unused link unlocks; None otherwise."""
    from accounts.models import User

    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=datetime.timedelta(hours=settings.UNLOCK_LINK_HOURS))
    except signing.BadSignature:  # also SignatureExpired
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        return None
    cleared = user.login_failures_cleared_at.isoformat() if user.login_failures_cleared_at else ""
    return user if cleared == data.get("cleared") else None
