"""Bringing existing plans in from the seeds' spreadsheets, and taking the plan out again."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actionplan import plan_io, services
from actionplan.models import Action, Objective, Priority, ProgressUpdate
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

WANDSWORTH = [
    ["Priority", "Objective", "Method", "Action", "Lead responsibility", "Timescale", "Update"],
    [
        "1. Leadership and governance",
        "1.1 Effective e-safety leadership across the partnership",
        "Identify an ESLO in each agency",
        "Each agency to identify an e-Safety Lead Officer (ESLO)",
        "All agencies",
        "March 2026",
        "Thirteen agencies have named an ESLO.",
    ],
    [
        "1. Leadership and governance",
        "1.1 Effective e-safety leadership across the partnership",
        "Audit",
        "Complete the annual e-safety self-assessment audit",
        "Northfield Academy",
        "Ongoing — review 30 September 2026",
        "",
    ],
    [
        "2. Education and training",
        "2.1 Staff are trained",
        "Training",
        "Deliver ESLO training twice a year",
        "e-Safety Working Group",
        "31/12/2026",
        "",
    ],
]

TELFORD = [
    ["Target", "Activity", "Responsible", "Action identified", "Success/milestones and timescale", "Status"],
    [
        "Children are safe online",
        "Awareness",
        "Exampleshire Youth Service",
        "Run Safer Internet Day",
        "Day held",
        "Gold",
    ],
    [
        "Children are safe online",
        "Policy",
        "All agencies",
        "Adopt the AUP",
        "AUP signed",
        "Achieved but continuously evolving",
    ],
    ["Children are safe online", "Training", "All agencies", "Train parents", "Sessions held", "Not achieved"],
]


def _csv(rows, name="plan.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def _xlsx(rows, name="plan.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _import(plan, upload, user):
    return plan_io.import_plan(plan=plan, uploaded=upload, by=user, filename=upload.name)


def test_a_wandsworth_style_csv_builds_priorities_objectives_and_actions(plan, agency_a, secretariat):
    result = _import(plan, _csv(WANDSWORTH), secretariat)
    assert result.ok, result.errors
    assert result.created == 3
    assert list(Priority.objects.filter(plan=plan).values_list("number", "title")) == [
        (1, "Leadership and governance"),
        (2, "Education and training"),
    ]
    esl = Action.objects.get(action__startswith="Each agency")
    assert (esl.lead_text, esl.due_on, esl.status) == ("All agencies", datetime.date(2026, 3, 31), "red")
    assert esl.objective.number == "1.1"
    assert esl.updates.get().text == "Thirteen agencies have named an ESLO."
    audit = Action.objects.get(action__startswith="Complete the annual")
    assert audit.lead_agency == agency_a
    assert (audit.ongoing, audit.review_on, audit.due_on) == (True, datetime.date(2026, 9, 30), None)
    assert Action.objects.get(action__startswith="Deliver ESLO").due_on == datetime.date(2026, 12, 31)


def test_a_telford_style_xlsx_with_its_status_words(plan, agency_b, secretariat):
    result = _import(plan, _xlsx(TELFORD), secretariat)
    assert result.ok, result.errors
    statuses = dict(Action.objects.values_list("action", "status"))
    assert statuses == {"Run Safer Internet Day": "amber", "Adopt the AUP": "blue", "Train parents": "red"}
    assert Action.objects.get(action="Run Safer Internet Day").lead_agency == agency_b
    assert Action.objects.get(action="Adopt the AUP").success_measure == "AUP signed"
    assert Objective.objects.get().title == "Children are safe online"


def test_xlsx_date_cells_are_read_as_dates(plan, secretariat):
    rows = [["Objective", "Action", "Timescale"], ["1.1 Policies", "Write the policy", datetime.datetime(2026, 5, 1)]]  # noqa: DTZ001 - Excel cells have no time zone
    assert _import(plan, _xlsx(rows), secretariat).ok
    assert Action.objects.get().due_on == datetime.date(2026, 5, 1)


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(plan, secretariat):
    rows = [
        ["Objective", "Action", "Timescale", "Status", "Ref"],
        ["1.1 Policies", "A good row", "March 2026", "Red", "1.1.1"],
        ["1.1 Policies", "", "March 2026", "Red", ""],
        ["1.1 Policies", "Bad date", "the thirty-second of Smarch", "Red", ""],
        ["1.1 Policies", "Bad status", "2026-03-31", "Purple", ""],
        ["", "No objective", "2026-03-31", "Green", ""],
        ["1.1 Policies", "Duplicate ref", "2026-03-31", "Green", "1.1.1"],
    ]
    result = _import(plan, _csv(rows), secretariat)
    assert not result.ok
    assert [e.split(":")[0] for e in result.errors] == ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"]
    assert "Action cell is empty" in result.errors[0]
    assert "Smarch" in result.errors[1]
    assert "Purple" in result.errors[2]
    assert "also used on row 2" in result.errors[4]
    assert not Action.objects.exists()
    assert not Priority.objects.exists()


def test_reimporting_the_same_file_creates_no_duplicates(plan, agency_a, secretariat):
    _import(plan, _csv(WANDSWORTH), secretariat)
    again = _import(plan, _csv(WANDSWORTH), secretariat)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Action.objects.count() == 3
    assert ProgressUpdate.objects.count() == 1
    assert Priority.objects.count() == 2


def test_reimport_with_a_new_status_records_the_change(plan, secretariat):
    _import(plan, _xlsx(TELFORD), secretariat)
    changed = [row[:] for row in TELFORD]
    changed[3][5] = "Completed"
    result = _import(plan, _xlsx(changed), secretariat)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    action = Action.objects.get(action="Train parents")
    assert action.status == "green"
    assert action.status_changes.first().reason == "Imported from plan.xlsx"


def test_a_file_without_the_needed_headings_is_refused(plan, secretariat):
    with pytest.raises(plan_io.ImportRefused, match="action"):
        _import(plan, _csv([["Colour", "Shape"], ["red", "round"]]), secretariat)


def test_a_huge_file_is_refused(plan, secretariat):
    big = SimpleUploadedFile("big.csv", b"Objective,Action\n" + b"x" * (plan_io.MAX_BYTES + 10))
    with pytest.raises(plan_io.ImportRefused, match="MB"):
        _import(plan, big, secretariat)


def test_too_many_rows_are_refused(plan, secretariat):
    rows = [["Objective", "Action"]] + [["1.1 Policies", f"Action {n}"] for n in range(plan_io.MAX_ROWS + 5)]
    with pytest.raises(plan_io.ImportRefused, match="rows"):
        _import(plan, _csv(rows), secretariat)
    assert not Action.objects.exists()


def test_a_damaged_xlsx_is_refused(plan, secretariat):
    with pytest.raises(plan_io.ImportRefused, match="could not be read"):
        _import(plan, SimpleUploadedFile("plan.xlsx", b"PK\x03\x04 not really a zip"), secretariat)


def test_export_then_import_gives_the_same_plan(plan, agency_a, secretariat):
    _import(plan, _csv(WANDSWORTH), secretariat)
    _import(plan, _xlsx(TELFORD), secretariat)
    amber = Action.objects.get(action="Deliver ESLO training twice a year")
    services.action_set_status(action=amber, status="amber", reason="First session booked", by=secretariat)
    services.progress_update_add(action=amber, text="=SUM(A1) looks like a formula", by=secretariat)

    def shape(p):
        return sorted(
            (
                a.ref,
                a.objective.priority.number,
                a.objective.priority.title,
                a.objective.number,
                a.objective.title,
                a.method,
                a.action,
                a.lead_display,
                a.due_on,
                a.ongoing,
                a.review_on,
                a.success_measure,
                a.status,
                a.updates.first().text if a.updates.exists() else "",
            )
            for a in Action.objects.filter(plan=p)
        )

    for export, filename in ((plan_io.export_csv, "export.csv"), (plan_io.export_xlsx, "export.xlsx")):
        copy = PlanFactory(name=f"Copy via {filename}", period="2025-27", is_current=False)
        data = export(plan)
        file = SimpleUploadedFile(filename, data)
        result = _import(copy, file, secretariat)
        assert result.ok, result.errors
        assert shape(copy) == shape(plan)
        # And importing the export into the plan it came from changes nothing.
        again = _import(plan, SimpleUploadedFile(file.name, data), secretariat)
        assert (again.created, again.updated) == (0, 0)


def test_xlsx_export_has_the_documented_headings(plan, secretariat):
    _import(plan, _xlsx(TELFORD), secretariat)
    sheet = load_workbook(io.BytesIO(plan_io.export_xlsx(plan))).active
    assert [c.value for c in sheet[1]] == plan_io.EXPORT_HEADINGS
    assert sheet.max_row == 4


def test_the_import_page_lists_row_errors_and_saves_nothing(plan, secretariat, client_for):
    rows = [["Objective", "Action", "Status"], ["1.1 Policies", "Fine", "Red"], ["1.1 Policies", "Broken", "Mauve"]]
    response = client_for(secretariat).post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": _csv(rows)})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert "Row 3: status &#x27;Mauve&#x27;" in response.content.decode()
    assert not Action.objects.exists()


def test_the_import_page_refuses_a_huge_file_with_a_message(plan, secretariat, client_for):
    big = SimpleUploadedFile("big.csv", b"Objective,Action\n" + b"x" * (plan_io.MAX_BYTES + 10))
    response = client_for(secretariat).post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": big})
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.content.decode() or "larger than 2 MB" in response.content.decode()


def test_the_import_page_imports_a_good_file(plan, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:plan_import", args=[plan.pk]), {"file": _xlsx(TELFORD)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("actionplan:plan_table", args=[plan.pk])
    assert "Imported 3 rows: 3 actions added" in response.content.decode()


def test_wrong_types_in_xlsx_cells_are_row_errors(plan, secretariat):
    rows = [
        ["Priority", "Objective", "Action", "Timescale", "Status"],
        ["Leadership", "1.1 Policies", "Priority without its number", "March 2026", "Red"],
        ["1. Leadership", "1.1 Policies", "A number where a date belongs", 45000, "Red"],
        ["1. Leadership", "1.1 Policies", "A number where a status belongs", "March 2026", 3],
        ["1. Leadership", "1.1 Policies", "Fine", datetime.date(2026, 3, 31), "Amber"],
    ]
    result = _import(plan, _xlsx(rows), secretariat)
    assert [e.split(":")[0] for e in result.errors] == ["Row 2", "Row 3", "Row 4"]
    assert "does not start with its number" in result.errors[0]
    assert "'45000' is not a date" in result.errors[1]
    assert "status 3 is not one of" in result.errors[2]
    assert not Action.objects.exists()


def test_anyone_logged_in_downloads_the_plan_as_csv(plan, secretariat, staff_a, client_for):
    _import(plan, _csv(WANDSWORTH), secretariat)
    response = client_for(staff_a).get(reverse("actionplan:plan_export", args=[plan.pk, "csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-2025-27-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == plan_io.EXPORT_HEADINGS
    assert len(rows) == 4
    assert rows[2][6] == "Ongoing — review 30 September 2026"


def test_a_csv_file_the_csv_module_cannot_read_is_refused_with_a_message(secretariat, plan, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    # A cell longer than the csv module accepts (over 131,072 characters), well within the size limit.
    upload = SimpleUploadedFile("plan.csv", b'Objective,Action\n"' + b"x" * 200_000 + b'",y\n', content_type="text/csv")
    response = client_for(secretariat).post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": upload})
    assert response.status_code == 400 and "could not be read" in response.content.decode()
