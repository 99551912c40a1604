"""In a real browser: the secretariat brings the seeds' plans in, matches a column of its own
spreadsheet, previews and confirms; a broken file is refused with a message."""

import csv
import pathlib

import pytest
from playwright.sync_api import expect

from actionplan.models import Action, Priority
from benchmark.scenarios import plan_spreadsheet
from imports.models import PendingImport
from tests.browser.test_accessibility import axe_violations
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILES = pathlib.Path(__file__).parent.parent / "imports" / "files"


def _actions_in(name: str, heading: str, action_column: str) -> int:
    with open(FILES / name, newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    start = next(i for i, row in enumerate(rows) if row and row[0] == heading)
    index = rows[start].index(action_column)
    return sum(1 for row in rows[start + 1 :] if len(row) > index and row[index] and row != rows[start])


def _upload(page, plan, path):
    page.goto(f"/action-plan/plans/{plan.pk}/import/")
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(path)
    page.get_by_role("button", name="Upload and map the columns").click()


@pytest.mark.parametrize(
    ("name", "heading", "action_column", "heading_row"),
    [
        ("telford-wrekin-2009.xlsx", "Priority", "Activity", "4"),
        ("wandsworth-action-plan.csv", "Strategic priority", "WSCB Action", "3"),
        ("telford-wrekin-2009-as-in-the-document.xlsx", "Target", "Activity", "5"),
    ],
)
def test_the_secretariat_imports_a_seed_plan_and_importing_it_again_adds_nothing(
    page, log_in, screenshot, secretariat, name, heading, action_column, heading_row
):
    plan = PlanFactory(name="E-safety action plan", period="2009-10")
    expected = _actions_in(name.replace(".xlsx", ".csv"), heading, action_column)
    log_in(secretariat)
    _upload(page, plan, FILES / name)
    expect(page.get_by_role("heading", name="Import actions: E-safety action plan 2009-10")).to_be_visible()
    # The headings were found below the title rows and matched from their words.
    expect(page.get_by_label("Row holding the headings")).to_have_value(heading_row)
    expect(page.get_by_label(action_column, exact=True)).to_have_value("action")
    screenshot(f"import-columns-{name}")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text(f"{expected} actions will be added")
    expect(page.locator(".import-errors")).to_have_count(0)
    screenshot(f"import-preview-{name}")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text=f"Imported {name}")).to_contain_text(
        f"{expected} actions added, 0 updated, 0 unchanged"
    )
    assert Action.objects.filter(plan=plan).count() == expected

    _upload(page, plan, FILES / name)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("0 actions will be added")
    expect(page.locator(".import-counts")).to_contain_text(f"{expected} are already there and will be left alone")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text=f"Imported {name}")).to_be_visible()
    assert Action.objects.filter(plan=plan).count() == expected


def test_the_secretariat_changes_a_match_and_says_what_a_status_word_means(page, log_in, secretariat, tmp_path):
    plan = PlanFactory(name="Exampleshire plan", period="2026-27")
    path = tmp_path / "our-plan.csv"
    path.write_text(
        "Exampleshire e-safety plan\n\nObjective,Task,Notes,RAG\n"
        "1.1 Policies,Write the acceptable use policy,Ask the heads first,Partly\n"
        ",Adopt it in every school,,Gold\n",
        encoding="utf-8",
    )
    log_in(secretariat)
    _upload(page, plan, path)
    assert not axe_violations(page)
    notes = page.get_by_label("Notes", exact=True)
    expect(notes).to_have_value("update")
    notes.select_option(label="Success measure")
    page.get_by_label("Status “Partly” means").select_option("amber")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("2 actions will be added")
    assert not axe_violations(page)
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text="Imported our-plan.csv")).to_be_visible()
    written = Action.objects.get(action="Write the acceptable use policy")
    assert (written.status, written.success_measure, written.updates.count()) == ("amber", "Ask the heads first", 0)
    # Next time the same headings come with the same choices.
    _upload(page, plan, path)
    expect(page.get_by_label("Notes", exact=True)).to_have_value("success_measure")


def test_a_file_with_problems_shows_them_by_row_and_cannot_be_confirmed(page, log_in, secretariat, tmp_path):
    plan = PlanFactory()
    path = tmp_path / "plan.csv"
    path.write_text('Objective,Action,Status\n1.1 Policies,=HYPERLINK("http://x"),Red\n1.2 Training,,Red\n')
    log_in(secretariat)
    _upload(page, plan, path)
    page.get_by_role("button", name="Preview the import").click()
    errors = page.locator(".import-errors li")
    expect(errors).to_have_text(
        [
            "Row 2: the Action cell holds a spreadsheet formula; replace it with its value and try again.",
            "Row 3: the Action cell is empty.",
        ]
    )
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    assert not Action.objects.exists()


def test_hostile_files_are_refused_with_a_message_and_nothing_saved(page, log_in, secretariat, tmp_path):
    from tests.imports.test_hostile_files import HOSTILE

    plan = PlanFactory()
    log_in(secretariat)
    for case in ("a PDF", "a broken workbook", "50,000 CSV rows", "50,000 workbook rows", "mixed encodings"):
        name, data, message = HOSTILE[case]
        path = tmp_path / name
        path.write_bytes(data)
        _upload(page, plan, path)
        expect(page.locator(".invalid-feedback, .alert-danger").filter(has_text=message).first).to_be_visible()
    assert not PendingImport.objects.exists()
    assert not Action.objects.exists()


def test_a_plan_of_2000_rows_the_limit_previews_every_action_and_saves_nothing(page, log_in, secretariat, tmp_path):
    plan = PlanFactory()
    path = tmp_path / "big-plan.csv"
    path.write_bytes(plan_spreadsheet(2000))
    log_in(secretariat)
    _upload(page, plan, path)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("2,000 actions will be added")
    assert not Priority.objects.filter(plan=plan).exists()


def test_the_secretariat_imports_the_contacts_spreadsheet_changing_a_match(page, log_in, secretariat, agency_a):
    from agencies.models import Agency
    from champions.models import Nomination

    log_in(secretariat)
    page.goto("/agencies/")
    page.get_by_role("link", name="Import a contacts spreadsheet").click()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(FILES / "contacts.xlsx")
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_label("Row holding the headings")).to_have_value("3")
    # The phone numbers are switchboards, not the champions' own: ignore the column.
    page.get_by_label("Phone", exact=True).select_option(label="— ignore this column —")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("5 rows will be added")
    expect(
        page.get_by_role("cell", name="Stephanie Beard nominated as champion of Northfield Academy and invited")
    ).to_be_visible()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text="Imported contacts.xlsx")).to_be_visible()
    assert Agency.objects.count() == 4
    assert Nomination.objects.current().count() == 4
    assert not Nomination.objects.filter(user__phone="01952 380000").exists()


def test_a_champion_imports_their_cpoms_export_choosing_a_category_and_keeping_no_narrative(
    page, log_in, champion_a, agency_a
):
    from incidents.models import Incident

    log_in(champion_a)
    page.goto(agency_a.get_absolute_url())
    page.get_by_role("link", name="Import a CPOMS export").click()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(FILES / "cpoms-incidents.csv")
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_label("Categories", exact=True)).to_have_value("category")
    expect(page.get_by_label("Student", exact=True)).to_have_value("")  # pupils' names stay behind
    expect(page.get_by_label("Incident", exact=True)).to_have_value("")
    page.get_by_label("Category “Online Safety” means").select_option("inappropriate")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("5 incidents will be added")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text="Imported cpoms-incidents.csv")).to_be_visible()
    imported = Incident.objects.filter(agency=agency_a, imported_from="cpoms")
    assert imported.count() == 5
    assert not imported.exclude(description="").exists()


def test_a_safeguarding_lead_s_own_words_are_suggested_and_a_re_import_lists_what_each_row_matches(
    page, log_in, champion_a, agency_a
):
    from incidents.models import Incident

    log_in(champion_a)
    page.goto(agency_a.get_absolute_url())
    page.get_by_role("link", name="Import a CPOMS export").click()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(FILES / "cpoms-online-safety.csv")
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_label("Action Taken", exact=True)).to_have_value("outcome")
    grooming = page.get_by_label("Category “Online Safety - Grooming concern” means")
    expect(grooming).to_have_value("grooming")
    expect(grooming).to_have_accessible_description("Suggested from its words; change it if it means something else.")
    expect(page.get_by_label("Outcome “Police informed (CEOP)” means")).to_have_value("criminal")
    gaming = page.get_by_label("Category “Online Safety - Gaming” means")
    expect(gaming).to_have_value("")
    assert not axe_violations(page)
    gaming.select_option("other_conduct")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("7 incidents will be added")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status").filter(has_text="Imported cpoms-online-safety.csv")).to_be_visible()
    assert Incident.objects.filter(agency=agency_a, imported_from="cpoms").count() == 7

    # The same export again: the columns and meanings are remembered, and every row is listed
    # as already there beside the incident it matches.
    page.get_by_role("link", name="Import a CPOMS export").click()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(FILES / "cpoms-online-safety.csv")
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_label("Category “Online Safety - Gaming” means")).to_have_value("other_conduct")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts")).to_contain_text("0 incidents will be added")
    expect(page.locator(".import-counts")).to_contain_text("7 are already there")
    already = page.get_by_role("table", name="Already there, left alone")
    expect(already.get_by_role("row")).to_have_count(8)
    first = Incident.objects.filter(agency=agency_a).order_by("occurred_on").first()
    expect(already).to_contain_text(f"{first.reference}, imported")
    assert not axe_violations(page)
