"""Django's own log-in signals: the second-factor state of the new session is set here."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.two_factor import SESSION_KEY, state_at_login


@receiver(user_logged_in, dispatch_uid="accounts_two_factor_state")
def set_two_factor_state(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_at_login(user)
