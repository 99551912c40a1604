"""Agencies bring their CPOMS, MyConcern or spreadsheet incident logs into the monitoring figures."""

import datetime
import pathlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import flow
from imports.models import PendingImport
from incidents import log_import, selectors
from incidents.models import Incident

pytestmark = pytest.mark.django_db

FILES = pathlib.Path(__file__).parent / "files"
SAMPLES = [
    ("cpoms", "cpoms-incidents.csv"),
    ("myconcern", "myconcern-concerns.xlsx"),
    ("spreadsheet", "incident-log.csv"),
]
# The one word in the CPOMS sample that is not a portal category: the champion says what it is.
CHOSEN = {"category": {"online safety": "inappropriate"}}


def _rows(name) -> int:
    from imports import tabular

    sheet = tabular.read_sheet(name, (FILES / name).read_bytes())
    index = sheet.heading_row(flow.known_headings(log_import.IMPORTERS["cpoms"]))
    return len([r for r in sheet.rows[index + 1 :] if any(r)])


def _import(source, name, agency, user):
    return flow.import_file(
        log_import.IMPORTERS[source],
        target=agency,
        name=name,
        data=(FILES / name).read_bytes(),
        by=user,
        values=CHOSEN,
    )


@pytest.mark.parametrize(("source", "name"), SAMPLES)
def test_a_champion_imports_their_agencys_log_as_closed_incidents_marked_with_their_source(
    source, name, agency_a, champion_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(source, name, agency_a, champion_a)
    assert result.ok, result.problems
    imported = Incident.objects.filter(agency=agency_a)
    assert result.created == imported.count() == _rows(name)
    assert set(imported.values_list("imported_from", "status")) == {(source, "closed")}
    assert not imported.exclude(description="").exists()  # the narrative was not chosen
    assert not imported.filter(category="").exists()
    assert mail.outbox == []  # nobody is notified


def test_cpoms_categories_and_myconcern_outcomes_are_read_in_their_own_words(agency_a, champion_a):
    _import("cpoms", "cpoms-incidents.csv", agency_a, champion_a)
    _import("myconcern", "myconcern-concerns.xlsx", agency_a, champion_a)
    cpoms = dict(Incident.objects.filter(imported_from="cpoms").values_list("source_reference", "category"))
    assert cpoms == {
        "10231": "cyberbullying",
        "10245": "nudes",
        "10262": "inappropriate",
        "10290": "grooming",
        "10301": "inappropriate",
    }
    myconcern = Incident.objects.filter(imported_from="myconcern")
    assert dict(myconcern.values_list("source_reference", "outcome")) == {
        "MC-0192": "resolved",
        "MC-0201": "child_protection",
        "MC-0217": "support",
        "MC-0230": "criminal",
    }
    assert myconcern.get(source_reference="MC-0217").category == "radicalisation"
    assert myconcern.get(source_reference="MC-0192").occurred_on == datetime.date(2025, 1, 14)


def test_an_unknown_category_is_a_row_problem_until_the_champion_says_what_it_is(agency_a, champion_a):
    result = flow.import_file(
        log_import.IMPORTERS["cpoms"],
        target=agency_a,
        name="cpoms-incidents.csv",
        data=(FILES / "cpoms-incidents.csv").read_bytes(),
        by=champion_a,
    )
    assert result.problems == [
        "Row 7: the category “Online Safety” is not one the portal knows; say which it is on the columns page."
    ]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("source", "name"), SAMPLES)
def test_importing_the_same_log_again_adds_nothing(source, name, agency_a, champion_a):
    first = _import(source, name, agency_a, champion_a)
    again = _import(source, name, agency_a, champion_a)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert Incident.objects.count() == first.created


def test_imported_incidents_count_in_the_monitoring_figures(agency_a, champion_a):
    _import("spreadsheet", "incident-log.csv", agency_a, champion_a)
    _import("cpoms", "cpoms-incidents.csv", agency_a, champion_a)
    figures = selectors.monitoring_figures(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    assert figures["total"].count == Incident.objects.filter(agency=agency_a).count()
    category = next(b for b in figures["breakdowns"] if b.key == "category")
    counts = dict(category.rows)
    # Small numbers are suppressed as for incidents reported in the portal.
    assert all(cell.shown == selectors.SMALL for cell in counts.values() if 0 < cell.count < selectors.THRESHOLD)
    assert sum(cell.count for cell in counts.values()) == figures["total"].count
    # The annual report's nature-and-range table counts them in the year they happened.
    in_2025 = Incident.objects.filter(agency=agency_a, occurred_on__year=2025).count()
    assert selectors.nature_and_range(2025)["grand_total"].count == in_2025


def test_the_narrative_is_kept_when_the_agency_chooses_its_column(agency_a, champion_a, client_for):
    client = client_for(champion_a)
    upload = SimpleUploadedFile("incident-log.csv", (FILES / "incident-log.csv").read_bytes())
    columns_url = client.post(reverse("imports:upload", args=["incidents-spreadsheet", agency_a.pk]), {"file": upload})[
        "Location"
    ]
    form = client.get(columns_url).context["form"]
    data = {n: form[n].value() or "" for n in form.fields}
    assert data["column_3"] == ""  # "What happened" is never matched for you
    data["column_3"] = "narrative"
    preview_url = client.post(columns_url, data)["Location"]
    assert client.get(preview_url).context["result"].created == 3
    client.post(preview_url)
    assert Incident.objects.get(occurred_on=datetime.date(2024, 10, 30)).description.startswith("Adult made contact")


def test_the_secretariat_imports_any_agencys_log(agency_b, secretariat):
    result = _import("spreadsheet", "incident-log.csv", agency_b, secretariat)
    assert result.ok
    assert Incident.objects.filter(agency=agency_b).count() == 3


@pytest.mark.parametrize(
    ("role", "status"), [("champion_b", 404), ("staff_a", 403), ("board_member", 403), ("safeguarding_lead", 403)]
)
def test_others_may_not_import_an_agencys_log(role, status, agency_a, request, client_for):
    client = client_for(request.getfixturevalue(role))
    url = reverse("imports:upload", args=["incidents-cpoms", agency_a.pk])
    assert client.get(url).status_code == status
    upload = SimpleUploadedFile("cpoms.csv", (FILES / "cpoms-incidents.csv").read_bytes())
    assert client.post(url, {"file": upload}).status_code == status
    assert not PendingImport.objects.exists()
    assert not Incident.objects.exists()


def test_the_agency_page_offers_the_log_imports_to_its_champion_only(agency_a, agency_b, champion_a, client_for):
    client = client_for(champion_a)
    assert "Import a CPOMS export" in client.get(agency_a.get_absolute_url()).content.decode()
    page = client.get(agency_b.get_absolute_url())
    assert page.status_code != 200 or "Import a CPOMS export" not in page.content.decode()


def test_the_columns_page_asks_only_about_the_words_it_cannot_read(agency_a, champion_a, client_for):
    client = client_for(champion_a)
    upload = SimpleUploadedFile("cpoms.csv", (FILES / "cpoms-incidents.csv").read_bytes())
    columns_url = client.post(reverse("imports:upload", args=["incidents-cpoms", agency_a.pk]), {"file": upload})[
        "Location"
    ]
    form = client.get(columns_url).context["form"]
    # Every category the export names in the portal's words is read; its actions taken are the
    # outcome, each with its meaning suggested; only the bare "Online Safety" tag is left to choose.
    assert [form.fields[name].word for name in form.word_names if not form[name].value()] == ["Online Safety"]
    assert {form.fields[n].word: form[n].value() for n in form.word_names if form[n].value()} == {
        "Parents contacted; restorative meeting": "resolved",
        "Referred to MASH": "child_protection",
        "Filtering checked; talk with pupil": "resolved",
        "Police informed": "criminal",
    }


# --- every row is its own incident --------------------------------------------------------------

THREE_ALIKE = (
    b"Date,Category,Outcome\n"
    b"12/03/2025,Cyberbullying,Resolved\n"
    b"12/03/2025,Cyberbullying,Resolved\n"
    b"12/03/2025,Cyberbullying,Resolved\n"
    b"14/03/2025,Grooming,Police\n"
)


def _through_the_pages(client, agency, name, data, choices=None):
    """Upload, keep the suggested columns and meanings (changing ``choices``), preview: the preview page."""
    upload = SimpleUploadedFile(name, data)
    response = client.post(reverse("imports:upload", args=["incidents-spreadsheet", agency.pk]), {"file": upload})
    columns_url = response["Location"]
    form = client.get(columns_url).context["form"]
    posted = {n: form[n].value() or "" for n in form.fields}
    for word, value in (choices or {}).items():
        posted[next(n for n in form.word_names if form.fields[n].word == word)] = value
    preview_url = client.post(columns_url, posted)["Location"]
    return preview_url, client.get(preview_url)


def test_three_identical_rows_are_three_incidents_and_importing_them_again_adds_none(agency_a, champion_a, client_for):
    client = client_for(champion_a)
    preview_url, page = _through_the_pages(client, agency_a, "northfield.csv", THREE_ALIKE)
    result = page.context["result"]
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert "<strong>4</strong> incidents will be added" in page.content.decode()
    client.post(preview_url)
    same_day = Incident.objects.filter(agency=agency_a, occurred_on=datetime.date(2025, 3, 12))
    assert same_day.count() == 3
    assert len(set(same_day.values_list("source_reference", flat=True))) == 3

    _preview_url, again = _through_the_pages(client, agency_a, "northfield.csv", THREE_ALIKE)
    result = again.context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    # Each row left alone is listed with the incident it matches, each a different one.
    matched = [c.matches.split(",")[0] for c in result.already_there]
    assert len(set(matched)) == 4
    assert set(matched) == {i.reference for i in Incident.objects.filter(agency=agency_a)}
    assert "Already there, left alone" in again.content.decode()
    assert Incident.objects.filter(agency=agency_a).count() == 4


def test_a_fourth_identical_row_in_a_later_export_is_the_one_incident_added(agency_a, champion_a):
    _import_bytes(agency_a, champion_a, THREE_ALIKE)
    later = THREE_ALIKE + b"12/03/2025,Cyberbullying,Resolved\n"
    result = _import_bytes(agency_a, champion_a, later)
    assert (result.created, result.unchanged) == (1, 4)
    assert Incident.objects.filter(agency=agency_a, occurred_on=datetime.date(2025, 3, 12)).count() == 4


def test_incidents_imported_before_rows_had_a_place_are_still_found(agency_a, champion_a):
    # An installation's incidents imported before: a row without a reference was known by its
    # content alone. The first of identical rows keeps that reference, so they are matched.
    import hashlib

    from incidents import services

    old = "row:" + hashlib.sha256(b"2025-03-12|cyberbullying|resolved|").hexdigest()[:24]
    services.incident_import(
        agency=agency_a,
        source="spreadsheet",
        reference=old,
        occurred_on=datetime.date(2025, 3, 12),
        category="cyberbullying",
        outcome="resolved",
        by=champion_a,
    )
    single = b"Date,Category,Outcome\n12/03/2025,Cyberbullying,Resolved\n"
    assert (_import_bytes(agency_a, champion_a, single).created, Incident.objects.count()) == (0, 1)
    # The two identical rows the old import merged into that one come in now.
    assert _import_bytes(agency_a, champion_a, THREE_ALIKE).created == 3
    assert Incident.objects.filter(occurred_on=datetime.date(2025, 3, 12)).count() == 3


def test_a_reference_on_two_rows_is_a_row_problem_not_one_incident(agency_a, champion_a):
    data = b"Incident ID,Date,Category\n10231,03/02/2025,Cyberbullying\n10231,03/02/2025,Cyberbullying\n"
    result = _import_bytes(agency_a, champion_a, data)
    assert result.problems == [
        "Row 3: the reference 10231 is also on row 2; each incident is one row (remove the repeated row, "
        "or choose another column as the reference)."
    ]
    assert not Incident.objects.exists()


def _import_bytes(agency, user, data, name="log.csv"):
    return flow.import_file(log_import.IMPORTERS["spreadsheet"], target=agency, name=name, data=data, by=user)


# --- a safeguarding system's own words --------------------------------------------------------------


def test_a_cpoms_export_by_category_needs_one_choice_for_the_one_word_with_no_match(agency_a, champion_a, client_for):
    client = client_for(champion_a)
    upload = SimpleUploadedFile("cpoms.csv", (FILES / "cpoms-online-safety.csv").read_bytes())
    columns_url = client.post(reverse("imports:upload", args=["incidents-cpoms", agency_a.pk]), {"file": upload})[
        "Location"
    ]
    form = client.get(columns_url).context["form"]
    assert form["column_4"].value() == "outcome"  # "Action Taken"
    suggested = {(form.fields[n].value_field, form.fields[n].word): form[n].value() for n in form.word_names}
    assert suggested == {
        ("category", "Online Safety - Grooming concern"): "grooming",
        ("category", "Online Safety - Sharing nudes"): "nudes",
        ("category", "Online Safety, Bullying"): "cyberbullying",
        ("category", "Online Safety, Self-harm"): "harmful_content",
        ("category", "Online Safety, Mobile phone misuse"): "other_conduct",
        ("category", "Online Safety - Gaming"): "",  # no plausible match: the champion chooses
        ("outcome", "Police informed (CEOP)"): "criminal",
        ("outcome", "Referred to Children's Social Care"): "child_protection",
        ("outcome", "Parents contacted"): "resolved",
    }
    page = client.get(columns_url).content.decode()
    assert page.count("Suggested from its words") == 8
    # "Online Safety, Bullying, Sextortion" names a category in the portal's words: not asked about.

    posted = {n: form[n].value() or "" for n in form.fields}
    gaming = next(n for n in form.word_names if form.fields[n].word == "Online Safety - Gaming")
    posted[gaming] = "other_conduct"  # the one choice
    preview_url = client.post(columns_url, posted)["Location"]
    preview = client.get(preview_url)
    assert preview.context["result"].ok, preview.context["result"].problems
    assert preview.context["result"].created == 7
    client.post(preview_url)
    imported = Incident.objects.filter(agency=agency_a, imported_from="cpoms").order_by("occurred_on")
    assert [(i.category, i.outcome) for i in imported] == [
        ("grooming", "criminal"),
        ("nudes", "child_protection"),
        ("cyberbullying", "resolved"),
        ("harmful_content", "child_protection"),
        ("other_conduct", "resolved"),
        ("other_conduct", "resolved"),
        ("sextortion", "criminal"),
    ]


def test_a_cell_naming_several_categories_counts_once_under_the_most_specific_and_the_preview_says_so(
    agency_a, champion_a, client_for
):
    data = (
        b"Date,Categories,Outcome\n"
        b'03/02/2025,"Online Safety, Cyberbullying, Sextortion",Resolved\n'
        b"04/02/2025,Online Safety > Cyberbullying,Resolved\n"
    )
    _url, page = _through_the_pages(client_for(champion_a), agency_a, "log.csv", data)
    summaries = [c.summary for c in page.context["result"].changes]
    assert summaries == [
        "3 February 2025: Sextortion or blackmail (the cell names Cyberbullying (including racist and homophobic) "
        "and Sextortion or blackmail: counted once, as the most specific) — Resolved within the agency",
        "4 February 2025: Cyberbullying (including racist and homophobic) — Resolved within the agency",
    ]
    assert "counted once, as the most specific" in page.content.decode()


@pytest.mark.parametrize("heading", ["Action Taken", "Action", "Outcome of concern", "Actions taken"])
def test_an_action_taken_column_is_suggested_as_the_outcome(heading):
    headings = ["Date", "Category", heading, "Status"]
    assert flow.suggest(log_import.IMPORTERS["cpoms"], headings)["2"] == "outcome"


def test_a_word_already_chosen_keeps_its_choice_over_the_suggestion(agency_a, champion_a, client_for):
    client = client_for(champion_a)
    data = b'Date,Category\n03/02/2025,"Online Safety, Bullying"\n'
    _url, _page = _through_the_pages(client, agency_a, "log.csv", data, {"Online Safety, Bullying": "peer_pressure"})
    upload = SimpleUploadedFile("log.csv", data)
    columns_url = client.post(reverse("imports:upload", args=["incidents-spreadsheet", agency_a.pk]), {"file": upload})[
        "Location"
    ]
    form = client.get(columns_url).context["form"]
    assert [form[n].value() for n in form.word_names] == ["peer_pressure"]


def test_a_second_person_confirming_later_is_told_who_imported_the_rows_a_moment_ago(
    agency_a, champion_a, secretariat, client_for
):
    champion, staff = client_for(champion_a), client_for(secretariat)
    first_url, _page = _through_the_pages(champion, agency_a, "northfield.csv", THREE_ALIKE)
    second_url, _page = _through_the_pages(staff, agency_a, "northfield.csv", THREE_ALIKE)
    longer = THREE_ALIKE + b"20/03/2025,Sextortion,Police\n"
    third_url, _page = _through_the_pages(staff, agency_a, "northfield-march.csv", longer)
    champion.post(first_url)

    second = staff.post(second_url, follow=True)
    [said] = [str(m) for m in second.context["messages"]]
    assert said.startswith(f"These rows were imported a moment ago by {champion_a} (at ")
    assert said.endswith("from northfield.csv); nothing more was added from northfield.csv.")
    third = staff.post(third_url, follow=True)
    [said] = [str(m) for m in third.context["messages"]]
    assert said.startswith(
        f"Imported northfield-march.csv: 1 incident added, 0 updated, 4 unchanged. {champion_a} also imported "
        "northfield.csv here since this file was uploaded (at "
    )
    assert Incident.objects.filter(agency=agency_a).count() == 5
