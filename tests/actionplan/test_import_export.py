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
from imports import tabular
from imports.tabular import FileRefused
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

# In the Telford & Wrekin table the Activity is the action and "Action identified…" its progress note.
TELFORD = [
    [
        "Target",
        "Activity",
        "Responsible",
        "Action identified as from January 2009",
        "Success/milestones and timescale",
        "Status",
    ],
    [
        "Children are safe online",
        "Run Safer Internet Day",
        "Exampleshire Youth Service",
        "Venue booked",
        "Day held",
        "Gold",
    ],
    [
        "Children are safe online",
        "Adopt the AUP",
        "All agencies",
        "Draft circulated",
        "AUP signed",
        "Achieved but continuously evolving",
    ],
    ["Children are safe online", "Train parents", "All agencies", "", "Sessions held", "Not achieved"],
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


def _through_the_pages(client, plan, upload):
    """Upload, keep the suggested columns, preview: the preview page's response."""
    response = client.post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    columns_url = response["Location"]
    page = client.get(columns_url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(columns_url, data)
    assert response.status_code == 302, response.content.decode()
    return client.get(response["Location"])


def test_a_wandsworth_style_csv_builds_priorities_objectives_and_actions(plan, agency_a, secretariat):
    result = _import(plan, _csv(WANDSWORTH), secretariat)
    assert result.ok, result.problems
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
    assert result.ok, result.problems
    statuses = dict(Action.objects.values_list("action", "status"))
    assert statuses == {"Run Safer Internet Day": "amber", "Adopt the AUP": "blue", "Train parents": "red"}
    assert Action.objects.get(action="Run Safer Internet Day").lead_agency == agency_b
    assert Action.objects.get(action="Adopt the AUP").success_measure == "AUP signed"
    assert Objective.objects.get().title == "Children are safe online"
    assert Action.objects.get(action="Adopt the AUP").updates.get().text == "Draft circulated"
    assert not Action.objects.get(action="Train parents").updates.exists()


def test_xlsx_date_cells_are_read_as_dates(plan, secretariat):
    rows = [["Objective", "Action", "Timescale"], ["1.1 Policies", "Write the policy", datetime.datetime(2026, 5, 1)]]  # noqa: DTZ001 - Excel cells have no time zone
    assert _import(plan, _xlsx(rows), secretariat).ok
    assert Action.objects.get().due_on == datetime.date(2026, 5, 1)


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(plan, secretariat):
    rows = [
        ["Objective", "Action", "Timescale", "Status", "Ref"],
        ["1.1 Policies", "A good row", "March 2026", "Red", "1.1.1"],
        ["1.1 Policies", "", "March 2026", "Red", ""],
        ["1.1 Policies", "Timescale in words", "the thirty-second of Smarch", "Red", ""],
        ["1.1 Policies", "Bad status", "2026-03-31", "Purple", ""],
        ["", "Objective continued from above", "2026-03-31", "Green", ""],
        ["1.1 Policies", "Duplicate ref", "2026-03-31", "Green", "1.1.1"],
    ]
    result = _import(plan, _csv(rows), secretariat)
    assert not result.ok
    assert result.problems == [
        "Row 3: the Action cell is empty.",
        "Row 5: the status “Purple” is not one the portal knows; say what it means (Red, Amber, Green or Blue) "
        "on the columns page.",
        "Row 7: the Ref 1.1.1 is also used on row 2.",
    ]
    assert not Action.objects.exists()
    assert not Priority.objects.exists()


def test_unknown_status_words_are_read_once_the_partnership_says_what_they_mean(plan, secretariat):
    rows = [["Objective", "Action", "Status"], ["1.1 Policies", "Write it", "Purple"]]
    upload = _csv(rows)
    result = plan_io.flow.import_file(
        plan_io.IMPORTER,
        target=plan,
        name="plan.csv",
        data=upload.read(),
        by=secretariat,
        values={"status": {"purple": "blue"}},
    )
    assert result.ok, result.problems
    assert Action.objects.get().status == "blue"


def test_a_timescale_is_kept_as_written_and_its_date_read_where_it_can_be(plan, secretariat):
    rows = [
        ["Objective", "Action", "Timescale"],
        ["1.1 Policies", "Fixed date", "31/12/2026"],
        ["1.1 Policies", "In words", "By end of June 2010"],
        ["1.1 Policies", "Date and ongoing", "By end of December 2009 & Ongoing"],
        ["1.1 Policies", "No date at all", "Annually (each May)"],
    ]
    assert _import(plan, _csv(rows), secretariat).ok
    got = {a.action: (a.due_on, a.ongoing, a.review_on, a.timescale_text) for a in Action.objects.all()}
    assert got == {
        "Fixed date": (datetime.date(2026, 12, 31), False, None, ""),
        "In words": (datetime.date(2010, 6, 30), False, None, "By end of June 2010"),
        "Date and ongoing": (None, True, datetime.date(2009, 12, 31), "By end of December 2009 & Ongoing"),
        "No date at all": (None, False, None, "Annually (each May)"),
    }


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
    with pytest.raises(FileRefused, match="Objective and Action"):
        _import(plan, _csv([["Colour", "Shape"], ["red", "round"]]), secretariat)


def test_a_huge_file_is_refused(plan, secretariat):
    big = SimpleUploadedFile("big.csv", b"Objective,Action\n" + b"x" * (tabular.MAX_BYTES + 10))
    with pytest.raises(FileRefused, match="MB"):
        _import(plan, big, secretariat)


def test_too_many_rows_are_refused(plan, secretariat):
    rows = [["Objective", "Action"]] + [["1.1 Policies", f"Action {n}"] for n in range(tabular.MAX_ROWS + 5)]
    with pytest.raises(FileRefused, match="rows"):
        _import(plan, _csv(rows), secretariat)
    assert not Action.objects.exists()


def test_a_damaged_xlsx_is_refused(plan, secretariat):
    with pytest.raises(FileRefused, match="could not be read"):
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
        assert result.ok, result.problems
        assert shape(copy) == shape(plan)
        # And importing the export into the plan it came from changes nothing.
        again = _import(plan, SimpleUploadedFile(file.name, data), secretariat)
        assert (again.created, again.updated) == (0, 0)


def test_xlsx_export_has_the_documented_headings(plan, secretariat):
    _import(plan, _xlsx(TELFORD), secretariat)
    sheet = load_workbook(io.BytesIO(plan_io.export_xlsx(plan))).active
    assert [c.value for c in sheet[1]] == plan_io.EXPORT_HEADINGS
    assert sheet.max_row == 4


def test_the_preview_lists_row_problems_and_offers_no_confirm(plan, secretariat, client_for):
    rows = [["Objective", "Action", "Status"], ["1.1 Policies", "Fine", "Red"], ["1.1 Policies", "Broken", "Mauve"]]
    page = _through_the_pages(client_for(secretariat), plan, _csv(rows)).content.decode()
    assert "Nothing can be imported yet: 1 problem in the file" in page
    assert "Row 3: the status “Mauve” is not one the portal knows" in page
    assert "Confirm and import" not in page
    assert not Action.objects.exists()


def test_the_import_page_refuses_a_huge_file_with_a_message(plan, secretariat, client_for):
    big = SimpleUploadedFile("big.csv", b"Objective,Action\n" + b"x" * (tabular.MAX_BYTES + 10))
    response = client_for(secretariat).post(reverse("actionplan:plan_import", args=[plan.pk]), {"file": big})
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.content.decode()


def test_the_import_pages_import_a_good_file(plan, secretariat, client_for):
    client = client_for(secretariat)
    preview = _through_the_pages(client, plan, _xlsx(TELFORD))
    assert preview.context["result"].created == 3
    response = client.post(preview.wsgi_request.path, follow=True)
    assert response.redirect_chain[-1][0] == reverse("actionplan:plan_table", args=[plan.pk])
    assert "Imported plan.xlsx: 3 actions added, 0 updated, 0 unchanged." in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 3


def test_wrong_types_in_xlsx_cells_are_read_forgivingly_and_only_a_meaningless_status_refused(plan, secretariat):
    rows = [
        ["Priority", "Objective", "Action", "Timescale", "Status"],
        ["Leadership", "1.1 Policies", "Priority without its number", "March 2026", "Red"],
        ["1. Leadership", "1.1 Policies", "A number where a date belongs", 45000, "Red"],
        ["1. Leadership", "1.1 Policies", "A number where a status belongs", "March 2026", 3],
        ["1. Leadership", "1.1 Policies", "Fine", datetime.date(2026, 3, 31), "Amber"],
    ]
    result = _import(plan, _xlsx(rows), secretariat)
    assert [p.split(":")[0] for p in result.problems] == ["Row 4"]
    assert "the status “3” is not one the portal knows" in result.problems[0]
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


THREE_ALIKE = [
    ["Objective", "Action", "Lead responsibility"],
    ["1.1 Every school is safe online", "Deliver an assembly on online safety", "Northfield Academy"],
    ["1.1 Every school is safe online", "Deliver an assembly on online safety", "Northfield Academy"],
    ["1.1 Every school is safe online", "Deliver an assembly on online safety", "Northfield Academy"],
    ["1.2 Parents know where to turn", "Deliver an assembly on online safety", "Northfield Academy"],
]


def test_three_identical_actions_are_three_actions_and_importing_them_again_adds_none(plan, secretariat, client_for):
    client = client_for(secretariat)
    page = _through_the_pages(client, plan, _csv(THREE_ALIKE))
    result = page.context["result"]
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    client.post(page.request["PATH_INFO"])
    assert Action.objects.filter(plan=plan, objective__number="1.1").count() == 3
    assert Action.objects.filter(plan=plan).count() == 4

    again = _through_the_pages(client, plan, _csv(THREE_ALIKE)).context["result"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    # Each row left alone is listed with the action it matches, each a different one.
    assert [c.matches.split(" in ")[0] for c in again.already_there] == list(
        Action.objects.filter(plan=plan).order_by("pk").values_list("ref", flat=True)
    )
    assert _import(plan, _csv(THREE_ALIKE), secretariat).created == 0
    assert Action.objects.filter(plan=plan).count() == 4


def test_a_fourth_identical_action_in_a_later_file_is_the_one_added(plan, secretariat):
    _import(plan, _csv(THREE_ALIKE), secretariat)
    result = _import(plan, _csv([*THREE_ALIKE, THREE_ALIKE[1]]), secretariat)
    assert (result.created, result.unchanged) == (1, 4)
    assert Action.objects.filter(plan=plan, objective__number="1.1").count() == 4
