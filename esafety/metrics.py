"""Prometheus metrics at ``/metrics``: django-prometheus's request, latency, error and database
figures, plus the task queue's length and how many tasks succeeded or failed.

Task outcomes are counted in the broker's Redis (one hash), so the figures are the same whichever
web server is scraped and survive a worker's restart. The page answers only to the internal network
(``METRICS_ALLOWED_NETWORKS``) or to ``Authorization: Bearer <METRICS_TOKEN>``.
"""

import ipaddress
import logging
import os
import secrets

import redis
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from accounts.lockout import client_ip

logger = logging.getLogger(__name__)

TASKS_KEY = "esafety:metrics:tasks"
# kombu's Redis transport keeps a queue's messages in a list named after it, one list per priority step.
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def _broker():
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def count_task(task_name: str, outcome: str) -> None:
    """Called by the worker's task signals; a metrics hiccup never fails a task."""
    client = _broker()
    if client is None:
        return
    try:
        client.hincrby(TASKS_KEY, f"{task_name}|{outcome}", 1)
    except redis.RedisError:
        logger.warning("Could not count a task outcome in the broker")


class CeleryCollector:
    """Read at scrape time from the broker, so every web server reports the same numbers."""

    def collect(self):
        client = _broker()
        if client is None:
            return
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        up = GaugeMetricFamily("esafety_broker_up", "Whether the task broker answered this scrape")
        try:
            length = sum(client.llen(queue + suffix) for suffix in PRIORITY_SUFFIXES)
            outcomes = client.hgetall(TASKS_KEY)
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        waiting = GaugeMetricFamily("esafety_celery_queue_length", "Tasks waiting in the queue", labels=["queue"])
        waiting.add_metric([queue], length)
        yield waiting
        tasks = CounterMetricFamily("esafety_celery_tasks", "Tasks finished, by outcome", labels=["task", "outcome"])
        for field, value in sorted(outcomes.items()):
            task, _, outcome = field.decode().rpartition("|")
            tasks.add_metric([task, outcome], int(value))
        yield tasks


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_safe
def metrics(request):
    if not allowed(request):
        return HttpResponse(
            "Metrics are available to the internal network only.", status=403, content_type="text/plain"
        )
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        # Several gunicorn workers: add up what each wrote to the shared folder.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    output = generate_latest(registry) + generate_latest(_celery_registry())
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


def _celery_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(CeleryCollector())
    return registry
