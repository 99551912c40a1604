"""Two people confirm imports of the same file at the same moment, on the real PostgreSQL database.

A champion and the secretariat both upload a school's export and both press Confirm together.
The rows come in once; the second person is told who imported them a moment ago, nothing of
their confirmation is half-saved, and neither sees a server error.
"""

import datetime
import html
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from actionplan.models import Action
from imports.models import CompletedImport, PendingImport
from incidents.models import Incident
from tests.factories import PlanFactory

pytestmark = [pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]


def _school_log() -> bytes:
    # 36 rows without a reference: twelve days, three identical incidents on each.
    lines = ["Date,Category,Outcome"]
    for day in range(12):
        when = datetime.date(2025, 3, 3) + datetime.timedelta(days=day)
        lines += [f"{when:%d/%m/%Y},Cyberbullying,Resolved"] * 3
    return ("\n".join(lines) + "\n").encode()


def _plan_file() -> bytes:
    lines = ["Objective,Action"]
    lines += [f"1.{n // 4 + 1} Objective {n // 4 + 1},Deliver the assembly" for n in range(36)]
    return ("\n".join(lines) + "\n").encode()


def _pending_preview(client, upload_url, data) -> str:
    """Upload and keep the suggested columns: the preview's address, ready to confirm."""
    columns_url = client.post(upload_url, {"file": SimpleUploadedFile("export.csv", data)})["Location"]
    form = client.get(columns_url).context["form"]
    preview_url = client.post(columns_url, {n: form[n].value() or "" for n in form.fields})["Location"]
    assert client.get(preview_url).context["result"].created == 36
    return preview_url


def _confirm_together(confirmations) -> list:
    """Each (client, url) confirmed in its own thread, on its own database connection, at once."""
    start = threading.Barrier(len(confirmations))
    answers: list = [None] * len(confirmations)

    def confirm(index, client, url):
        try:
            start.wait()
            answers[index] = client.post(url, follow=True)
        except Exception as error:  # noqa: BLE001 - a server error is what the test looks for
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(i, *c)) for i, c in enumerate(confirmations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _messages(response) -> list[str]:
    # From the page itself: the test client's captured context is shared between threads.
    page = html.unescape(response.content.decode())
    return re.findall(r"(Imported export\.csv: [^<]*|These rows were imported [^<]*)", page)


@pytest.mark.parametrize("round_", range(3))
def test_a_champion_and_the_secretariat_confirming_one_school_log_at_once_import_it_once(
    round_, agency_a, champion_a, secretariat, client_for
):
    upload_url = reverse("imports:upload", args=["incidents-spreadsheet", agency_a.pk])
    champion, staff = client_for(champion_a), client_for(secretariat)
    confirmations = [(champion, _pending_preview(champion, upload_url, _school_log()))]
    confirmations.append((staff, _pending_preview(staff, upload_url, _school_log())))

    answers = _confirm_together(confirmations)

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert [a.status_code for a in answers] == [200, 200]
    assert Incident.objects.filter(agency=agency_a).count() == 36  # not 72, not 0
    said = sorted(m for a in answers for m in _messages(a))
    first = CompletedImport.objects.get(added=36)
    second = CompletedImport.objects.get(added=0)
    assert (second.updated, second.unchanged) == (0, 36)
    assert said[0] == "Imported export.csv: 36 incidents added, 0 updated, 0 unchanged.", said
    assert said[1].startswith(f"These rows were imported a moment ago by {first.created_by} (at "), said
    assert said[1].endswith("from export.csv); nothing more was added from export.csv.")
    assert not PendingImport.objects.exists()


def test_two_people_confirming_one_plan_file_at_once_add_its_actions_once(secretariat, admin_user, client_for):
    plan = PlanFactory()
    upload_url = reverse("actionplan:plan_import", args=[plan.pk])
    one, other = client_for(secretariat), client_for(admin_user)
    confirmations = [(one, _pending_preview(one, upload_url, _plan_file()))]
    confirmations.append((other, _pending_preview(other, upload_url, _plan_file())))

    answers = _confirm_together(confirmations)

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert Action.objects.filter(plan=plan).count() == 36
    said = sorted(m for a in answers for m in _messages(a))
    assert said[0] == "Imported export.csv: 36 actions added, 0 updated, 0 unchanged."
    assert said[1].startswith("These rows were imported a moment ago by ")
