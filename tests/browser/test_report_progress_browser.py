"""In a real browser, with a real Celery worker: the report's progress shows without reloading, and
the page shows the finished report when it is ready."""

import subprocess

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from esafety.celery import app as celery_app
from reports.models import AnnualReport
from tests.support.services import declare_default_queue, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("heavy"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def queue_to_worker(settings):
    """Tasks go to the test settings' Redis database (emptied first) instead of running in-process."""
    database = django_settings.CELERY_BROKER_URL.rsplit("/", 1)[-1]
    subprocess.run(["redis-cli", "-n", database, "flushdb"], check=True, capture_output=True)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    declare_default_queue()
    yield django_settings.CELERY_BROKER_URL
    celery_app.conf.task_always_eager = True


def test_the_secretariat_watches_the_report_being_generated(
    page, log_in, screenshot, queue_to_worker, start_worker, secretariat, agency_a
):
    log_in(secretariat)
    page.goto("/reports/")
    page.get_by_role("button", name="Generate the report").click()
    # Queued: no worker has picked it up yet, and the page says so with its progress bar.
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress of the report")).to_be_visible()
    screenshot("report-queued")
    # A worker takes it; the page follows the work and shows the finished report by itself.
    start_worker("reports", broker_url=queue_to_worker)
    wait_until(lambda: AnnualReport.objects.get().status == "done", 120)
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=20_000)
    report = AnnualReport.objects.get()
    assert report.pages >= 4 and len(report.checksum) == 64
    screenshot("report-ready")
    # Reloading shows the same finished report.
    page.reload()
    expect(page.get_by_text("Status: Ready")).to_be_visible()
