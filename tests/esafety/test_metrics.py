"""What operators watch: /metrics for Prometheus (requests, latency, errors, the task queue and task
outcomes), only for the internal network or with the metrics token; liveness and readiness."""

import re

import pytest
from django.urls import reverse

from accounts.tasks import send_invitation
from reminders.tasks import run_sweep
from tests.support.services import SHARED_BROKER, wait_until

pytestmark = pytest.mark.django_db


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one sample in Prometheus's text format (None when it is not there)."""
    for line in text.splitlines():
        if not line.startswith((name + "{", name + " ")):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def scrape(client, **extra) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_a_scrape_finds_the_request_just_made_with_its_latency(client):
    before = scrape(client)
    view = {"view": "health_live", "method": "GET"}
    count_before = sample(before, "django_http_requests_total_by_view_transport_method_total", **view) or 0
    assert client.get(reverse("health_live")).status_code == 200
    after = scrape(client)
    assert sample(after, "django_http_requests_total_by_view_transport_method_total", **view) == count_before + 1
    assert sample(after, "django_http_requests_latency_seconds_by_view_method_count", **view) >= 1
    assert sample(after, "django_http_responses_total_by_status_total", status="200") >= 1


def test_metrics_answer_only_the_internal_network_or_the_token(client, settings):
    settings.METRICS_TOKEN = "a-long-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    refused = client.get("/metrics", **outside)
    assert refused.status_code == 403 and b"django_http" not in refused.content
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-token", **outside).status_code == 200
    # Behind a proxy the proxy's own address does not count as the scraper's.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200


@pytest.mark.slow
@pytest.mark.xdist_group("heavy")  # the shared broker database is emptied and read by this test
@pytest.mark.django_db(transaction=True)
def test_the_queue_length_and_task_outcomes_come_from_the_broker(client, settings, broker, start_worker):
    settings.CELERY_BROKER_URL = SHARED_BROKER
    run_sweep.delay()  # no worker is running yet: they wait in the queue
    send_invitation.delay(user_id=987654321)  # nobody has that id: the task fails
    text = scrape(client)
    assert sample(text, "esafety_broker_up") == 1
    assert sample(text, "esafety_celery_queue_length", queue="celery") == 2

    start_worker()

    def outcomes():
        text = scrape(client)
        return (
            sample(text, "esafety_celery_tasks_total", task="reminders.tasks.run_sweep", outcome="succeeded"),
            sample(text, "esafety_celery_tasks_total", task="accounts.tasks.send_invitation", outcome="failed"),
            sample(text, "esafety_celery_queue_length", queue="celery"),
        )

    wait_until(lambda: outcomes() == (1, 1, 0), 60)


def test_a_broker_that_is_down_shows_in_the_metrics_and_the_page_still_answers(client, settings, throwaway_redis):
    settings.CELERY_BROKER_URL = throwaway_redis.url
    assert sample(scrape(client), "esafety_broker_up") == 1
    throwaway_redis.stop()
    assert sample(scrape(client), "esafety_broker_up") == 0


def test_liveness_and_readiness(client, settings, tmp_path):
    assert client.get("/health/live/").content == b"ok"
    ready = client.get("/health/ready/")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "file store": "ok"},
        "failed": [],
    }
    assert client.get("/health/").json()["status"] == "ok"
    # A file store that cannot be written (a folder where a file is) makes the server not ready.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from tests.support.objectstore import use_folder

    use_folder(settings, blocker)
    ready = client.get("/health/ready/")
    assert ready.status_code == 503 and ready.json()["failed"] == ["file store"]
