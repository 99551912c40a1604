"""What load balancers and operators ask of each web server.

``/health/live/``: the process is up and answering (restart it if not). ``/health/ready/`` (and
``/health/``): it can do its work — the database, the cache, the task broker and the file store each
answered just now; a failure names which, with 503, so the balancer sends people elsewhere.
"""

import asyncio
import dataclasses
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def live(request):
    return HttpResponse("ok", content_type="text/plain")


@dataclasses.dataclass
class Broker(Redis):
    def __repr__(self):
        return "broker"


def dependencies():
    """(name, check) for each service this portal depends on, as configured."""
    checks = [
        ("database", Database()),
        ("cache", Cache()),
        ("file store", Storage(alias="private")),
    ]
    broker_url = settings.CELERY_BROKER_URL
    if broker_url.startswith(("redis://", "rediss://")) and not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append(("broker", Broker(client_factory=lambda: RedisClient.from_url(broker_url))))
    return checks


@method_decorator(require_safe, name="dispatch")
class ReadyView(HealthCheckView):
    """Every dependency checked at once; the answer is JSON naming each one and what failed."""

    def get_checks(self):
        self.names = {}
        for name, check in dependencies():
            self.names[id(check)] = name
            yield check

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        failed = [self.names[id(r.check)] for r in self.results if r.error]
        for result in self.results:
            if result.error:  # the details (addresses, errors) go to the log, not to whoever asks
                logger.warning("Not ready: %s: %s", self.names[id(result.check)], result.error)
        body = {
            "status": "unavailable" if failed else "ok",
            "checks": {self.names[id(r.check)]: ("failed" if r.error else "ok") for r in self.results},
            "failed": failed,
        }
        return JsonResponse(body, status=503 if failed else 200)
