import time
from urllib.parse import urlencode

from django.conf import settings
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


# When the session was last renewed (seconds since the epoch), kept in the session itself.
RENEWED_AT = "renewed_at"


class SessionRenewalMiddleware:
    """Sessions expire after ``SESSION_COOKIE_AGE`` of inactivity, without a write on every request.

    While someone is active their session is saved again — renewing its expiry in the database and
    the cookie's — at most once every ``SESSION_RENEW_SECONDS``; other requests only read it. Listed
    just after Django's ``SessionMiddleware``, which saves a session that was changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # nobody to keep logged in (an anonymous visit, or just logged out)
        now = int(time.time())
        if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_AT] = now
        return response
