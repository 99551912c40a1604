"""Files that are not what they claim, too big, or carrying formulas are refused with a clear
message, and nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from actionplan.models import Action, Priority
from imports.models import PendingImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    from tests.factories import PlanFactory

    return PlanFactory()


def _xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HOSTILE = {
    "a PDF": (
        "plan.pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "Only CSV (.csv) and Excel (.xlsx) files can be imported.",
    ),
    "a Word file": (
        "plan.docx",
        b"PK\x03\x04word/document.xml",
        "Only CSV (.csv) and Excel (.xlsx) files can be imported.",
    ),
    "an old Excel file": ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old .xls files cannot be read"),
    "a binary file called .csv": ("plan.csv", b"Objective\x00\x01\x02", "This does not look like a CSV file"),
    "a broken workbook": (
        "plan.xlsx",
        b"PK\x03\x04 not really a zip",
        "The Excel file could not be read: it may be damaged.",
    ),
    "a truncated workbook": (
        "plan.xlsx",
        _xlsx_bytes([["Objective", "Action"], ["1.1 Policies", "Write"]])[:900],
        "The Excel file could not be read: it may be damaged.",
    ),
    "50,000 CSV rows": (
        "plan.csv",
        b"Objective,Action\n" + b"1.1 P,Act\n" * 50_000,
        "The file has more than 2,000 rows; split it into smaller files.",
    ),
    "50,000 workbook rows": (
        "plan.xlsx",
        _xlsx_bytes([["Objective", "Action"]] + [["1.1 P", "Act"]] * 50_000),
        "The file has more than 2,000 rows; split it into smaller files.",
    ),
    "mixed encodings": (
        "plan.csv",
        "Objective,Action\n1.1 Café policy,Write it\n".encode() + "1.2 Naïve,Review it\n".encode("cp1252"),
        "The file mixes two text encodings (UTF-8 and Windows)",
    ),
    "an empty file": ("plan.csv", b"   \n", "The file is empty."),
    "a zip bomb called .xlsx": ("plan.xlsx", None, "The Excel file unpacks to more than 50 MB"),
}


def _zip_bomb() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/sharedStrings.xml", b"A" * (60 * 1024 * 1024))
    return buffer.getvalue()


HOSTILE["a zip bomb called .xlsx"] = ("plan.xlsx", _zip_bomb(), HOSTILE["a zip bomb called .xlsx"][2])


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_is_refused_at_upload_and_nothing_is_saved(plan, secretariat, client_for, case):
    name, data, message = HOSTILE[case]
    response = client_for(secretariat).post(
        reverse("actionplan:plan_import", args=[plan.pk]), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not Action.objects.exists()


def test_a_windows_csv_without_utf8_is_read_as_windows_text(plan, secretariat, client_for):
    from actionplan import plan_io

    upload = SimpleUploadedFile("plan.csv", "Objective,Action\n1.1 Café policy,Write it\n".encode("cp1252"))
    result = plan_io.import_plan(plan=plan, uploaded=upload, by=secretariat)
    assert result.ok
    assert Action.objects.get().objective.title == "Café policy"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.csv", b'Objective,Action\n1.1 Policies,"=HYPERLINK(""http://evil.example"",""Click"")"\n'),
        ("plan.xlsx", _xlsx_bytes([["Objective", "Action"], ["1.1 Policies", "=1+1"]])),
    ],
    # Named, not described by their bytes: a workbook's bytes hold the time it was written, and the two test
    # workers must collect the same test names.
    ids=["csv", "xlsx"],
)
def test_formulas_are_row_problems_and_block_the_import(plan, secretariat, client_for, name, data):
    client = client_for(secretariat)
    columns_url = client.post(
        reverse("actionplan:plan_import", args=[plan.pk]), {"file": SimpleUploadedFile(name, data)}
    )["Location"]
    form = client.get(columns_url).context["form"]
    preview_url = client.post(columns_url, {n: form[n].value() or "" for n in form.fields})["Location"]
    page = client.get(preview_url).content.decode()
    assert "Row 2: the Action cell holds a spreadsheet formula; replace it with its value and try again." in page
    assert "Confirm and import" not in page
    assert client.post(preview_url).status_code == 400
    assert not Action.objects.exists()
    assert not Priority.objects.exists()


def test_a_quoted_formula_from_our_own_export_is_text_not_a_formula(plan, secretariat):
    from actionplan import plan_io

    upload = SimpleUploadedFile("plan.csv", b"Objective,Action\n1.1 Policies,'=SUM(A1) is text\n")
    assert plan_io.import_plan(plan=plan, uploaded=upload, by=secretariat).ok
    assert Action.objects.get().action == "=SUM(A1) is text"
