"""Django's and django-axes' own authentication signals, written to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from activity.models import Action
from activity.services import activity_record


@receiver(user_logged_in, dispatch_uid="activity_login")
def on_login(sender, request, user, **kwargs):
    activity_record(Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="activity_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        activity_record(Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="activity_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    activity_record(Action.LOGIN_FAILED, request=request, actor_label=str(credentials.get("username", ""))[:254])


@receiver(user_locked_out, dispatch_uid="activity_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    activity_record(Action.LOCKED_OUT, request=request, actor_label=str(username or "")[:254])
