"""Request-wide concerns of a portal that runs on several machines at once.

- Each request gets an id (the load balancer's ``X-Request-ID`` when it sent a sane one), echoed in
  the response and carried by every log line the request writes, so one person's problem can be
  followed across web servers.
- One structured log line per request (method, route, status, duration, user id — never names, query
  strings or incident text) when ``LOG_REQUESTS`` is on (it is with ``LOG_FORMAT=json``).
- The versions of the data cached figures are keyed by are read once per request (``esafety.figures``).
- A file store that does not answer gets a clear "try again shortly" page (503), not a server error.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.shortcuts import render

from esafety import figures
from esafety.storage import is_unavailable

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

logger = logging.getLogger("esafety.request")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextFilter(logging.Filter):
    """Adds the current request's id and user id to every log record (blank outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if SANE_ID.match(given) else uuid.uuid4().hex
        id_token = request_id_var.set(request.id)
        user_token = user_id_var.set(None)
        figures_token = figures.request_memo.set({})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            if settings.LOG_REQUESTS:
                match = getattr(request, "resolver_match", None)
                logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "route": match.route if match else None,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)
            figures.request_memo.reset(figures_token)


class FileStoreUnavailableMiddleware:
    """Turns "the file store is not answering" into a page that says so, with a 503 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        logging.getLogger("esafety.storage").warning("File store unavailable: %s", type(exception).__name__)
        response = render(
            request,
            "file_store_unavailable.html",
            {"uploading": request.method == "POST", "request_id": getattr(request, "id", "")},
            status=503,
        )
        response["Retry-After"] = "60"
        return response


class UserContextMiddleware:
    """After authentication: log lines written while the view runs carry the user's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)
        return self.get_response(request)
