"""What load balancers and operators ask of each web server.

``/health/live/``: the process is up and answering (restart it if not). ``/health/ready/`` (and
``/health/``): it can do its work — the database, the cache, the task broker and the file store each
answered just now; a failure names which, with 503, so the balancer sends people elsewhere.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as RedisClient

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def live(request):
    return HttpResponse("ok", content_type="text/plain")


def dependencies():
    """(name, check) for each service this portal depends on, as configured."""
    checks = [
        ("database", Database()),
        ("cache", Cache()),
        ("file store", Storage(alias="private")),
    ]
    broker_url = settings.CELERY_BROKER_URL
    if broker_url.startswith(("redis://", "rediss://")) and not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append(("broker", Redis(client_factory=lambda: RedisClient.from_url(broker_url))))
    return checks


def _check_all(checks) -> list:
    async def gather():
        return await asyncio.gather(*(check.get_result(None) for check in checks))

    return asyncio.run(gather())


@never_cache
@require_safe
def ready(request):
    """Every dependency checked at once; the answer is JSON naming each one and what failed."""
    names = dependencies()
    # The checks run in an event loop of their own, on a thread of their own: a web worker's thread
    # may already have a loop (an async server, or a test's browser driver).
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(_check_all, [check for _, check in names]).result()
    checks = {name: ("failed" if result.error else "ok") for (name, _), result in zip(names, results, strict=True)}
    failed = [name for name, state in checks.items() if state == "failed"]
    for (name, _), result in zip(names, results, strict=True):
        if result.error:  # the details (addresses, errors) go to the log, not to whoever asks
            logger.warning("Not ready: %s: %s", name, result.error)
    body = {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
