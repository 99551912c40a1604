from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import SESSION_KEY, State, state_at_login

# Pages a person may reach before proving their second factor.
ALLOWED_PREFIXES = ("/account/two-factor/", "/logout/", "/static/")


class TwoFactorMiddleware:
    """After the password: people with a device prove it; those who must have one set it up.

    The state is decided once at log-in and kept in the session, so pages cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(ALLOWED_PREFIXES):
            state = request.session.get(SESSION_KEY)
            if state is None:
                state = request.session[SESSION_KEY] = state_at_login(user)
            if state == State.HAS_DEVICE:
                return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
            if state == State.SETUP_NEEDED:
                return redirect("two_factor_setup")
        return self.get_response(request)
