"""The secretariat brings a spreadsheet in: upload, match the columns, preview, confirm."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Role
from actionplan.models import Action, ProgressUpdate
from imports.models import PendingImport, RememberedMapping
from imports.tabular import MAX_ROWS
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PriorityFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADINGS = ["Objective", "Task", "Notes", "RAG"]
ROWS = [
    ["1.1 Policies", "Write the acceptable use policy", "Draft with the head", "Partly"],
    ["", "Adopt the policy in every school", "", "Gold"],
]


def _csv(rows, name="plan.csv", title=True) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow(["Exampleshire e-safety action plan 2026"])
        writer.writerow([])
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def _xlsx(sheets: dict, name="plan.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def plan():
    return PlanFactory(name="Action plan", period="2026-27")


def _upload(client, plan, upload, **extra):
    return client.post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": upload, **extra})


def _form_data(page) -> dict:
    form = page.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_headings_below_a_title_are_found_and_matched_from_their_words(plan, secretariat, client_for):
    client = client_for(secretariat)
    response = _upload(client, plan, _csv([HEADINGS, *ROWS]))
    pending = PendingImport.objects.get()
    assert response["Location"] == reverse("imports:columns", args=[pending.pk])
    assert pending.heading_row == 3
    assert pending.columns == {"0": "objective", "1": "action", "2": "update", "3": "status"}
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Write the acceptable use policy" in html  # the first values of each column
    assert "Status “Partly” means" in html  # a word the portal does not know; Gold it knows


def test_the_secretariat_changes_a_match_and_says_what_a_word_means_then_imports(plan, secretariat, client_for):
    client = client_for(secretariat)
    columns_url = _upload(client, plan, _csv([HEADINGS, *ROWS]))["Location"]
    data = _form_data(client.get(columns_url))
    data["column_2"] = ""  # the notes are not progress updates here
    word = next(k for k in data if k.startswith("value_status_"))
    data[word] = "amber"
    preview_url = client.post(columns_url, data)["Location"]
    preview = client.get(preview_url)
    result = preview.context["result"]
    assert (result.created, result.updated, result.unchanged, result.problems) == (2, 0, 0, [])
    assert not Action.objects.exists()  # nothing saved before the confirm
    client.post(preview_url)
    assert sorted(Action.objects.values_list("action", "status")) == [
        ("Adopt the policy in every school", "amber"),
        ("Write the acceptable use policy", "amber"),
    ]
    assert not ProgressUpdate.objects.exists()
    assert not PendingImport.objects.exists()


def test_the_mapping_is_remembered_for_the_next_file_with_the_same_headings(plan, secretariat, client_for):
    client = client_for(secretariat)
    columns_url = _upload(client, plan, _csv([HEADINGS, *ROWS]))["Location"]
    data = _form_data(client.get(columns_url))
    data["column_2"] = ""
    word = next(k for k in data if k.startswith("value_status_"))
    data[word] = "green"
    client.post(columns_url, data)
    assert RememberedMapping.objects.count() == 1
    _upload(client, plan, _csv([HEADINGS, ["1.2 Training", "Train staff", "", "partly"]], name="next.csv"))
    second = PendingImport.objects.get(filename="next.csv")
    assert second.columns["2"] == ""
    assert second.values == {"status": {"partly": "green"}}


def test_a_chosen_sheet_is_read_and_another_can_be_picked_on_the_columns_page(plan, secretariat, client_for):
    client = client_for(secretariat)
    workbook = _xlsx(
        {
            "Notes": [["Nothing to import here"]],
            "2026 plan": [["Objective", "Action"], ["1.1 Policies", "Write the policy"]],
            "2027 plan": [["Objective", "Action"], ["2.1 Training", "Train staff"], ["2.1 Training", "Train parents"]],
        }
    )
    columns_url = _upload(client, plan, workbook, sheet="2026 plan")["Location"]
    assert PendingImport.objects.get().sheet == "2026 plan"
    data = _form_data(client.get(columns_url))
    data["sheet"] = "2027 plan"
    assert client.post(columns_url, data)["Location"] == columns_url
    data = _form_data(client.get(columns_url))
    preview = client.get(client.post(columns_url, data)["Location"])
    assert preview.context["result"].created == 2


def test_a_sheet_that_does_not_exist_is_refused_with_its_name(plan, secretariat, client_for):
    response = _upload(client_for(secretariat), plan, _xlsx({"Plan": [["Objective", "Action"]]}), sheet="Plan 2")
    assert response.status_code == 400
    assert "The workbook has no sheet called “Plan 2”." in response.content.decode()


def test_without_an_action_column_the_columns_page_asks_for_one(plan, secretariat, client_for):
    client = client_for(secretariat)
    columns_url = _upload(client, plan, _csv([["Objective", "Something"], ["1.1 Policies", "Write it"]]))["Location"]
    data = _form_data(client.get(columns_url))
    response = client.post(columns_url, data)
    assert response.status_code == 400
    assert "Choose the column that holds: Action." in response.content.decode()
    data["column_1"] = "action"
    assert client.post(columns_url, data).status_code == 302


def test_the_same_field_from_two_columns_is_refused(plan, secretariat, client_for):
    client = client_for(secretariat)
    columns_url = _upload(client, plan, _csv([["Objective", "Action", "Other"], ["1.1 P", "Write", "x"]]))["Location"]
    data = _form_data(client.get(columns_url))
    data["column_2"] = "action"
    response = client.post(columns_url, data)
    assert "Each field can come from one column only: Action is chosen twice." in response.content.decode()


def test_re_importing_previews_every_row_as_left_alone(plan, secretariat, client_for):
    client = client_for(secretariat)
    rows = [["Objective", "Action", "Update"], ["1.1 Policies", "Write the policy", "Drafted"]]
    for _ in range(2):
        columns_url = _upload(client, plan, _csv(rows))["Location"]
        preview_url = client.post(columns_url, _form_data(client.get(columns_url)))["Location"]
        result = client.get(preview_url).context["result"]
        client.post(preview_url)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert (Action.objects.count(), ProgressUpdate.objects.count()) == (1, 1)


@pytest.mark.parametrize("role", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_plan_editors_may_import(plan, role, request, client_for):
    user = request.getfixturevalue(role)
    response = _upload(client_for(user), plan, _csv([HEADINGS, *ROWS]))
    assert response.status_code == 403
    assert client_for(user).get(reverse("imports:upload", args=["actionplan", plan.pk])).status_code == 403
    assert not PendingImport.objects.exists()


def test_someone_elses_uploaded_file_is_not_found(plan, secretariat, client_for):
    client = client_for(secretariat)
    pending_url = _upload(client, plan, _csv([HEADINGS, *ROWS]))["Location"]
    pk = PendingImport.objects.get().pk
    other = client_for(UserFactory(email="second.secretariat@example.org", role=Role.SECRETARIAT))
    assert other.get(pending_url).status_code == 404
    assert other.get(reverse("imports:preview", args=[pk])).status_code == 404
    assert other.post(reverse("imports:preview", args=[pk])).status_code == 404
    assert not Action.objects.exists()


def test_an_archived_plan_or_an_unknown_import_is_not_found(plan, secretariat, client_for):
    client = client_for(secretariat)
    assert client.get(reverse("imports:upload", args=["nothing", plan.pk])).status_code == 404
    assert client.get(reverse("imports:upload", args=["actionplan", plan.pk + 999])).status_code == 404


def _big_plan(plan, actions: int):
    objective = ObjectiveFactory(priority=PriorityFactory(plan=plan, number=1), number="1.1", title="Policies")
    Action.objects.bulk_create(
        [
            ActionFactory.build(objective=objective, plan=plan, ref=f"1.1.{n}", action=f"Action {n}")
            for n in range(actions)
        ]
    )


@pytest.mark.parametrize("step", ["columns", "preview"])
def test_the_pages_use_the_same_queries_for_10_rows_as_for_1000(plan, secretariat, client_for, step):
    client = client_for(secretariat)
    _big_plan(plan, 300)
    counts = []
    for size in (10, 1000):
        rows = [["Ref", "Objective", "Action", "Update"]] + [
            [f"1.1.{n}", "1.1 Policies", f"Action {n}", f"Note {n}"] for n in range(size)
        ]
        _upload(client, plan, _csv(rows, title=False))
        pending = PendingImport.objects.latest("pk")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"imports:{step}", args=[pending.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


def test_a_file_at_the_row_limit_previews(plan, secretariat, client_for):
    client = client_for(secretariat)
    rows = [["Objective", "Action"]] + [["1.1 Policies", f"Action {n}"] for n in range(MAX_ROWS)]
    pending_url = _upload(client, plan, _csv(rows, title=False))["Location"]
    preview_url = client.post(pending_url, _form_data(client.get(pending_url)))["Location"]
    assert client.get(preview_url).context["result"].created == MAX_ROWS


def _contacts_rows(size):
    return [["Agency", "Sector", "Champion", "E-mail"]] + [
        [f"School {n}", "Schools", f"Champion {n}", f"champion{n}@school{n}.example.org"] for n in range(size)
    ]


def _incident_rows(size):
    return [["Incident ID", "Date", "Category", "Outcome"]] + [
        [f"I-{n}", "03/02/2025", "Cyberbullying", "Resolved"] for n in range(size)
    ]


@pytest.mark.parametrize(("kind", "rows"), [("contacts", _contacts_rows), ("incidents-cpoms", _incident_rows)])
def test_the_other_imports_preview_with_the_same_queries_for_10_rows_as_for_1000(
    secretariat, agency_a, client_for, kind, rows
):
    client = client_for(secretariat)
    target = agency_a.pk if kind.startswith("incidents") else 0
    counts = []
    for size in (10, 1000):
        upload = _csv(rows(size), title=False)
        client.post(reverse("imports:upload", args=[kind, target]), {"file": upload})
        pending = PendingImport.objects.latest("pk")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("imports:preview", args=[pending.pk]))
        assert response.status_code == 200
        assert response.context["result"].created == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20
