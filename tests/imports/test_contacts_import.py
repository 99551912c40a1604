"""The secretariat builds the register from the partnership's contacts spreadsheet."""

import csv
import datetime
import pathlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activity.models import Action, ActivityEvent
from agencies.models import Agency
from champions import contacts_import
from champions.models import Nomination
from imports import flow
from tests.factories import NominationFactory, UserFactory

pytestmark = pytest.mark.django_db

FILES = pathlib.Path(__file__).parent / "files"


def _rows() -> list[dict]:
    with open(FILES / "contacts.csv", newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    return [dict(zip(rows[2], row, strict=True)) for row in rows[3:]]


def _import(name, user, **extra):
    return flow.import_file(
        contacts_import.IMPORTER, target=None, name=name, data=(FILES / name).read_bytes(), by=user, **extra
    )


@pytest.mark.parametrize("name", ["contacts.csv", "contacts.xlsx"])
def test_agencies_are_matched_or_added_and_champions_nominated_and_invited(
    secretariat, agency_a, name, django_capture_on_commit_callbacks
):
    rows = _rows()
    agencies = {r["Agency"] for r in rows if r["Agency"]}
    champions = [r for r in rows if r["E-mail"]]
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(name, secretariat)
    assert result.ok, result.problems
    assert set(Agency.objects.values_list("name", flat=True)) == agencies  # Northfield Academy matched
    assert Agency.objects.get(name="Telford Libraries").get_sector_display() == "Library"
    assert Agency.objects.get(name="Telford Libraries").membership_type == "partner"
    assert Agency.objects.get(name="Community Voluntary Service").sector == "voluntary"
    assert agency_a.nominations.count() == 2  # the blank agency cell continues Northfield Academy
    nominated = Nomination.objects.current().values_list("user__email", "esig_membership")
    assert sorted(nominated) == sorted(
        (r["E-mail"], "core" if r["Core/Associate"] == "Core" else "associate") for r in champions
    )
    beard = User.objects.get(email="s.beard@northfield.example.org")
    assert (beard.full_name, beard.phone, beard.job_title) == (
        "Stephanie Beard",
        "01952 380000",
        "ICT and e-safety lead",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r["E-mail"] for r in champions)


def test_importing_the_contacts_again_adds_nothing(secretariat):
    first = _import("contacts.csv", secretariat)
    counts = (Agency.objects.count(), User.objects.count(), Nomination.objects.count())
    again = _import("contacts.csv", secretariat)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert counts == (Agency.objects.count(), User.objects.count(), Nomination.objects.count())


def test_an_existing_champion_is_matched_on_their_e_mail_and_an_executive_lead_on_their_name(secretariat, agency_a):
    beard = UserFactory(email="s.beard@northfield.example.org", full_name="Stephanie Beard")
    NominationFactory(agency=agency_a, user=beard)
    ammonds = UserFactory(full_name="Chris Ammonds")
    result = _import("contacts.csv", secretariat)
    assert result.ok
    assert agency_a.nominations.filter(user=beard).count() == 1
    assert Agency.objects.get(name="West Mercia Police").executive_lead == ammonds


def test_row_problems_are_listed_and_nothing_is_saved(secretariat):
    data = (
        b"Agency,Sector,Champion,E-mail,Core/Associate\n"
        b"Northfield Academy,Schools,Stephanie Beard,not-an-address,Core\n"
        b",Planetary,Lyn Stepanian,,Associate\n"
        b"West Mercia Police,Police,,v.ridgewell@westmercia.example.org,Sometimes\n"
    )
    result = flow.import_file(contacts_import.IMPORTER, target=None, name="c.csv", data=data, by=secretariat)
    assert result.problems == [
        "Row 2: “not-an-address” is not an e-mail address.",
        "Row 3: the Sector “Planetary” is not one the portal knows; say what it means on the columns page.",
        "Row 3: the champion Lyn Stepanian has no e-mail address; champions are invited by e-mail.",
        "Row 4: the Core or associate “Sometimes” is not one the portal knows; say what it means on the columns page.",
        "Row 4: the champion's name is empty.",
    ]
    assert not Agency.objects.exists()
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("role", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_register_managers_may_import_contacts(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    before = Agency.objects.count()
    url = reverse("imports:upload", args=["contacts", 0])
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("contacts.csv", (FILES / "contacts.csv").read_bytes())
    assert client.post(url, {"file": upload}).status_code == 403
    assert Agency.objects.count() == before


def test_the_contacts_pages_suggest_every_column_and_import(secretariat, client_for):
    client = client_for(secretariat)
    upload = SimpleUploadedFile("contacts.csv", (FILES / "contacts.csv").read_bytes())
    columns_url = client.post(reverse("imports:upload", args=["contacts", 0]), {"file": upload})["Location"]
    page = client.get(columns_url)
    form = page.context["form"]
    data = {n: form[n].value() or "" for n in form.fields}
    assert [data[f"column_{i}"] for i in range(9)] == [
        "agency",
        "sector",
        "membership_type",
        "executive_lead",
        "champion",
        "email",
        "phone",
        "esig_membership",
        "job_title",
    ]
    preview_url = client.post(columns_url, data)["Location"]
    assert client.get(preview_url).context["result"].created == len(_rows())
    response = client.post(preview_url)
    assert response["Location"] == reverse("agencies:list")
    assert Agency.objects.count() == len({r["Agency"] for r in _rows() if r["Agency"]})


def test_a_joined_column_dates_new_agencies_and_an_unreadable_date_is_a_row_problem(secretariat, agency_a):
    data = (
        b"Partnership contacts\n\n"
        b"Agency,Sector,Member since\n"
        b"Telford Libraries,Library,1 April 2016\n"
        b"Community Voluntary Service,Voluntary,\n"
        b"Northfield Academy,Schools,01/09/2001\n"
    )
    result = flow.import_file(contacts_import.IMPORTER, target=None, name="c.csv", data=data, by=secretariat)
    assert result.ok, result.problems
    joined = dict(Agency.objects.values_list("name", "joined_on"))
    assert joined["Telford Libraries"] == datetime.date(2016, 4, 1)
    assert joined["Community Voluntary Service"] == timezone.localdate()
    assert joined["Northfield Academy"] == datetime.date(2001, 9, 1)  # already in the register: takes the file's date

    bad = b"Agency,Sector,Member since\nWest Mercia Police,Police,sometime in 2010s\n"
    refused = flow.import_file(contacts_import.IMPORTER, target=None, name="d.csv", data=bad, by=secretariat)
    assert refused.problems == [
        "Row 2: “sometime in 2010s” is not a date the portal can read; write it as 1 April 2016."
    ]
    assert not Agency.objects.filter(name="West Mercia Police").exists()


def test_the_secretariat_redates_agencies_already_in_the_register_from_joined_and_left_columns(
    secretariat, agency_a, agency_b, client_for
):
    """A partnership that typed its register in this year brings in when each agency really joined and left."""
    agency_b.joined_on = datetime.date(2019, 1, 1)
    agency_b.save()
    data = (
        "Agency,Sector,Joined,Left\n"
        f"{agency_a.name},Education,1 September 2014,\n"
        f"{agency_b.name},,,31 March 2024\n"
        "Telford Libraries,Library,1 April 2016,30 June 2020\n"
    ).encode()
    client = client_for(secretariat)
    upload = SimpleUploadedFile("register.csv", data, content_type="text/csv")
    columns_url = client.post(reverse("imports:upload", args=["contacts", 0]), {"file": upload})["Location"]
    form = client.get(columns_url).context["form"]
    columns = {n: form[n].value() or "" for n in form.fields}
    assert [columns[f"column_{i}"] for i in range(4)] == ["agency", "sector", "joined_on", "left_on"]
    page = client.get(client.post(columns_url, columns)["Location"]).content.decode()
    # The preview gives each date change as an update, with the date it replaces.
    assert "<strong>2</strong> will be updated" in page
    assert f"{agency_a.name}: joined the partnership on 1 September 2014 (was {agency_a.joined_on:%-d %B %Y})" in page
    assert f"{agency_b.name}: left the partnership on 31 March 2024 (was not set)" in page
    assert Agency.objects.get(pk=agency_a.pk).joined_on == agency_a.joined_on  # nothing changed by the preview

    result = flow.import_file(contacts_import.IMPORTER, target=None, name="register.csv", data=data, by=secretariat)
    assert result.ok, result.problems
    assert (result.created, result.updated) == (1, 2)
    dates = {a.name: (a.joined_on, a.left_on) for a in Agency.objects.all()}
    assert dates[agency_a.name] == (datetime.date(2014, 9, 1), None)
    assert dates[agency_b.name] == (datetime.date(2019, 1, 1), datetime.date(2024, 3, 31))
    assert dates["Telford Libraries"] == (datetime.date(2016, 4, 1), datetime.date(2020, 6, 30))
    # Each change is on the agency's history, saying where it came from.
    history = ActivityEvent.objects.filter(action=Action.MEMBERSHIP_DATES_CHANGED, agency=agency_b).get()
    assert history.actor == secretariat
    assert history.summary == "Left the partnership on 31 March 2024 (was not set): from a contacts spreadsheet."

    # The same file again changes nothing.
    again = flow.import_file(contacts_import.IMPORTER, target=None, name="register.csv", data=data, by=secretariat)
    assert (again.created, again.updated) == (0, 0)


def test_a_leaving_date_before_the_joining_date_is_a_row_problem_and_nothing_changes(secretariat, agency_a):
    agency_a.joined_on = datetime.date(2015, 1, 1)
    agency_a.save()
    data = f"Agency,Joined,Left\n{agency_a.name},,1 March 2010\nNew Youth Trust,1 May 2020,1 April 2020\n".encode()
    refused = flow.import_file(contacts_import.IMPORTER, target=None, name="r.csv", data=data, by=secretariat)
    assert refused.problems == [
        f"Row 2: {agency_a.name} would have left the partnership (1 March 2010) before it joined (1 January 2015); "
        "give the date it joined as well.",
        "Row 3: New Youth Trust would have left the partnership (1 April 2020) before it joined (1 May 2020).",
    ]
    agency_a.refresh_from_db()
    assert agency_a.left_on is None
    assert not Agency.objects.filter(name="New Youth Trust").exists()


def test_a_row_repeated_in_the_contacts_file_is_a_row_problem_not_silently_one(secretariat):
    data = (
        b"Agency,Sector,Champion,E-mail\n"
        b"Telford Libraries,Library,Ann Reid,ann.reid@example.org\n"
        b"Telford Libraries,Library,Ann Reid,ann.reid@example.org\n"
        b"Telford Libraries,Library,Ann M. Reid,ANN.REID@example.org\n"
        b"Community Voluntary Service,Voluntary,,\n"
        b"Community Voluntary Service,Voluntary,,\n"
    )
    result = flow.import_file(contacts_import.IMPORTER, target=None, name="c.csv", data=data, by=secretariat)
    assert result.problems == [
        "Row 3: the same as row 2; remove one of the two (each row is one champion, or one agency without a champion).",
        "Row 4: ann.reid@example.org is already the champion of Telford Libraries on row 2; keep one row for them.",
        "Row 6: the same as row 5; remove one of the two (each row is one champion, or one agency without a champion).",
    ]
    assert not Agency.objects.filter(name="Telford Libraries").exists()
