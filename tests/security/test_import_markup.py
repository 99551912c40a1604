"""A spreadsheet is made elsewhere: its file name, sheet names, headings, cells and status words
are text on every page of the import flow, and on the pages of what it imported."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from actionplan.models import Action
from imports.models import PendingImport
from tests.factories import PlanFactory
from tests.security.test_payload_walk import MARKUP as MARK
from tests.security.test_payload_walk import unescaped

pytestmark = pytest.mark.django_db


def _workbook() -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    # Two sheets, so the columns page offers a choice of sheet by name.
    workbook.create_sheet(f"Notes{MARK}"[:31]).append([f"Nothing here {MARK}"])
    sheet = workbook.create_sheet(f"Plan{MARK}"[:31])
    sheet.append([f"Action plan {MARK}"])
    sheet.append(["Objective", "Action", f"Lead {MARK}", "Timescale", "Status", "Update"])
    sheet.append([f"1.1 Policies {MARK}", f"Write the policy {MARK}", f"All agencies {MARK}", f"By June {MARK}",
                  f"Partly{MARK}", f"Drafted {MARK}"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(f"plan{MARK}.xlsx", buffer.getvalue())


def _form_data(page) -> dict:
    form = page.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_a_spreadsheet_full_of_markup_is_shown_as_text_from_upload_to_the_imported_action(secretariat, client_for):
    plan = PlanFactory()
    client = client_for(secretariat)
    upload = client.post(
        reverse("actionplan:plan_import", args=[plan.pk]), {"file": _workbook(), "sheet": f"Plan{MARK}"[:31]}
    )
    assert upload.status_code == 302, upload.content.decode()[:2000]
    columns_url = upload["Location"]
    columns = client.get(columns_url)
    html = columns.content.decode()
    assert columns.status_code == 200
    assert not unescaped(html), unescaped(html)
    # The words it shows are the file's: the status word, the heading, the sample cell and the sheets.
    for text in ("Partly&quot;&#x27;&gt;&lt;x-payload&gt;", "Lead &quot;&#x27;&gt;&lt;x-payload&gt;", "Notes&quot;"):
        assert text in html

    data = _form_data(columns)
    word = next(k for k in data if k.startswith("value_status_"))
    data[word] = "amber"
    preview_url = client.post(columns_url, data)["Location"]
    preview = client.get(preview_url)
    html = preview.content.decode()
    assert preview.status_code == 200 and preview.context["result"].created == 1
    assert not unescaped(html), unescaped(html)
    assert "plan&quot;&#x27;&gt;&lt;x-payload&gt;.xlsx" in html

    done = client.post(preview_url, follow=True)
    assert not unescaped(done.content.decode())
    assert not PendingImport.objects.exists()
    action = Action.objects.get()
    assert action.action == f"Write the policy {MARK}"
    for url in (action.get_absolute_url(), plan.get_absolute_url(), reverse("actionplan:plan_table", args=[plan.pk])):
        page = client.get(url)
        assert page.status_code == 200, url
        assert not unescaped(page.content.decode()), url
