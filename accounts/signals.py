"""Django's own log-in signals: the second-factor state of the new session, and how the person signed in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import User
from accounts.two_factor import SESSION_KEY, state_at_login

BY_PASSWORD = "password"  # noqa: S105 (the way of signing in, not a password)


@receiver(user_logged_in, dispatch_uid="accounts_two_factor_state")
def set_two_factor_state(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_at_login(user)


@receiver(user_logged_in, dispatch_uid="accounts_last_login_method")
def record_login_method(sender, request, user, **kwargs):
    # The identity provider's name when it signed the person in (accounts.sign_in_views), otherwise the password.
    method = getattr(request, "sign_in_method", BY_PASSWORD)
    User.objects.filter(pk=user.pk).update(last_login_method=method)
