"""A web server of a hosted service says whether it can work: /health/ready/ checks the database, the
cache, the task broker and the file store, and names the one that is down, while /health/live/ keeps
answering so the server is not restarted for another service's fault."""

import secrets

import pytest
import requests

from tests.support.objectstore import ObjectStoreServer, new_bucket
from tests.support.portal import PortalServer
from tests.support.services import ThrowawayPostgres, ThrowawayRedis


def sample(text, name, **labels):
    """{status: value} of the samples of ``name`` with these labels."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            status = line.split('status="')[1].split('"')[0]
            found[status] = int(float(line.rsplit(" ", 1)[1]))
    return found


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy")]


def test_readiness_names_each_dependency_that_is_down_and_recovers(tmp_path):
    postgres, cache, broker, store = ThrowawayPostgres(), ThrowawayRedis(), ThrowawayRedis(), ObjectStoreServer()
    postgres.pg_ctl("start")
    cache.start()
    broker.start()
    store.start()
    bucket = new_bucket(store.endpoint)
    server = PortalServer(
        "web",
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "esafety.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": postgres.url,
            "REDIS_URL": broker.url,
            "CACHE_URL": cache.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            **bucket.environ(read_timeout=2),
            # Two gunicorn workers adding up their metrics, as in the compose file.
            "WEB_CONCURRENCY": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        },
    )

    def ready():
        response = requests.get(f"{server.url}/health/ready/", timeout=30)
        assert requests.get(f"{server.url}/health/live/", timeout=10).status_code == 200
        print(f"{response.status_code} {response.text}")
        return response.status_code, response.json()

    try:
        server.start()
        assert ready() == (
            200,
            {
                "status": "ok",
                "checks": dict.fromkeys(["database", "cache", "file store", "broker"], "ok"),
                "failed": [],
            },
        )
        stops = [
            ("database", lambda: postgres.pg_ctl("stop", "-m", "fast"), lambda: postgres.pg_ctl("start")),
            ("cache", cache.stop, cache.start),
            ("broker", broker.stop, broker.start),
            ("file store", store.pause, store.resume),
        ]
        for name, stop, start in stops:
            stop()
            status, body = ready()
            assert status == 503 and body["status"] == "unavailable" and body["failed"] == [name], body
            assert body["checks"][name] == "failed"
            start()
            assert ready()[0] == 200

        # Every readiness answer, from whichever worker gave it, is in one scrape.
        scraped = requests.get(f"{server.url}/metrics", timeout=30).text
        counts = sample(scraped, "django_http_responses_total_by_status_view_method_total", view="health_ready")
        assert counts == {"200": 5, "503": 4}, counts
    finally:
        server.stop()
        if store.process.poll() is None:
            store.resume()  # a paused process would not stop
        store.stop()
        cache.stop()
        broker.stop()
        postgres.remove()
