"""The secretariat keeps the register of agencies; nobody else changes it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Membership
from tests.factories import AgencyFactory, NominationFactory

pytestmark = pytest.mark.django_db

# Who gets what on each register page (GET). 403: logged in but not allowed; 404: not their agency.
REGISTER_MATRIX = [
    # url name, uses agency_b's id, expected per persona
    (
        "agencies:list",
        False,
        {
            "anonymous": 302,
            "staff_a": 200,
            "champion_a": 200,
            "champion_b": 200,
            "secretariat": 200,
            "board_member": 200,
            "safeguarding_lead": 200,
            "admin": 200,
        },
    ),
    (
        "agencies:create",
        False,
        {
            "anonymous": 302,
            "staff_a": 403,
            "champion_a": 403,
            "champion_b": 403,
            "secretariat": 200,
            "board_member": 403,
            "safeguarding_lead": 403,
            "admin": 200,
        },
    ),
    (
        "agencies:detail",
        True,
        {
            "anonymous": 302,
            "staff_a": 404,
            "champion_a": 404,
            "champion_b": 200,
            "secretariat": 200,
            "board_member": 200,
            "safeguarding_lead": 200,
            "admin": 200,
        },
    ),
    (
        "agencies:edit",
        True,
        {
            "anonymous": 302,
            "staff_a": 404,
            "champion_a": 404,
            "champion_b": 403,
            "secretariat": 200,
            "board_member": 403,
            "safeguarding_lead": 403,
            "admin": 200,
        },
    ),
]


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "staff_a", "champion_a", "champion_b", "secretariat", "board_member", "safeguarding_lead", "admin"],
)
@pytest.mark.parametrize(("url_name", "with_pk", "expected"), REGISTER_MATRIX, ids=[r[0] for r in REGISTER_MATRIX])
def test_register_pages_answer_each_role(personas, agency_b, client_for, persona, url_name, with_pk, expected):
    url = reverse(url_name, args=[agency_b.pk] if with_pk else [])
    response = client_for(personas[persona]).get(url)
    assert response.status_code == expected[persona]


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b", "board_member", "safeguarding_lead"])
def test_only_the_secretariat_can_archive_an_agency(personas, agency_b, client_for, persona):
    response = client_for(personas[persona]).post(reverse("agencies:archive", args=[agency_b.pk]))
    assert response.status_code in (403, 404)
    agency_b.refresh_from_db()
    assert agency_b.archived_at is None


def test_secretariat_adds_an_agency_to_the_register(secretariat, client_for):
    lead = NominationFactory().user  # any person may be an executive lead
    response = client_for(secretariat).post(
        reverse("agencies:create"),
        {
            "name": "  Southfield   Library ",
            "sector": "library",
            "membership_type": "partner",
            "executive_lead": lead.pk,
        },
    )
    agency = Agency.objects.get(name="Southfield Library")
    assert response.status_code == 302 and response.url == agency.get_absolute_url()
    assert agency.sector == "library" and agency.membership_type == "partner" and agency.executive_lead == lead


def test_bad_agency_form_shows_messages_and_saves_nothing(secretariat, agency_a, client_for):
    before = Agency.objects.count()
    response = client_for(secretariat).post(
        reverse("agencies:create"),
        {"name": "northfield academy", "sector": "not-a-sector", "membership_type": "member"},
    )
    assert response.status_code == 200
    assert Agency.objects.count() == before
    body = response.content.decode()
    assert "already in the register" in body
    assert "Select a valid choice" in body


def test_secretariat_edits_an_agency(secretariat, agency_a, client_for):
    response = client_for(secretariat).post(
        reverse("agencies:edit", args=[agency_a.pk]),
        {"name": "Northfield Academy Trust", "sector": "education", "membership_type": "member", "notes": "Merged"},
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.name == "Northfield Academy Trust" and agency_a.notes == "Merged"


def test_archiving_keeps_the_agency_and_hides_it_from_the_active_register(secretariat, agency_a, client_for):
    client = client_for(secretariat)
    client.post(reverse("agencies:archive", args=[agency_a.pk]))
    agency_a.refresh_from_db()
    assert agency_a.is_archived
    link = f'href="{agency_a.get_absolute_url()}"'
    assert link not in client.get(reverse("agencies:list")).content.decode()
    assert link in client.get(reverse("agencies:list") + "?status=archived").content.decode()
    client.post(reverse("agencies:archive", args=[agency_a.pk]), {"action": "restore"})
    agency_a.refresh_from_db()
    assert not agency_a.is_archived


def test_register_shows_agencies_without_a_current_champion(secretariat, agency_a, agency_b, champion_a, client_for):
    response = client_for(secretariat).get(reverse("agencies:list") + "?champion=without")
    body = response.content.decode()
    assert agency_b.name in body and agency_a.name not in body


def test_a_champion_sees_only_their_own_agencies_in_the_list(champion_a, agency_a, agency_b, client_for):
    body = client_for(champion_a).get(reverse("agencies:list")).content.decode()
    assert agency_a.name in body and agency_b.name not in body


def test_register_list_uses_a_constant_number_of_queries(secretariat, client_for, django_assert_max_num_queries):
    client = client_for(secretariat)
    AgencyFactory.create_batch(3)
    # session, user, count, page of agencies with their lead and champion flag
    with django_assert_max_num_queries(8):
        client.get(reverse("agencies:list"))
    for agency in AgencyFactory.create_batch(40):
        NominationFactory(agency=agency)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("agencies:list")).status_code == 200


def test_champion_adds_and_removes_staff_of_their_agency(
    champion_a, agency_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(champion_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agencies:membership_add", args=[agency_a.pk]),
            {"full_name": "Nadia Brown", "email": "Nadia.Brown@example.org", "job_title": "Teacher"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(agency=agency_a, user__email="nadia.brown@example.org")
    assert [m.to for m in mailoutbox] == [["nadia.brown@example.org"]]
    assert "Choose your password" in mailoutbox[0].body
    client.post(reverse("agencies:membership_end", args=[agency_a.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.ended_at is not None


def test_staff_and_other_agencies_cannot_add_staff(staff_a, champion_b, agency_a, client_for):
    data = {"full_name": "Eve", "email": "eve@example.org"}
    assert client_for(staff_a).post(reverse("agencies:membership_add", args=[agency_a.pk]), data).status_code == 403
    assert client_for(champion_b).post(reverse("agencies:membership_add", args=[agency_a.pk]), data).status_code == 404
    assert not Membership.objects.filter(user__email="eve@example.org").exists()


def test_bad_staff_form_saves_nothing(champion_a, agency_a, client_for):
    response = client_for(champion_a).post(
        reverse("agencies:membership_add", args=[agency_a.pk]), {"full_name": "", "email": "not-an-email"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert Membership.objects.filter(agency=agency_a).count() == 0


def test_the_register_comes_in_pages_that_keep_the_filter_and_count_agencies_without_a_champion(
    secretariat, client_for, monkeypatch
):
    from agencies import views

    monkeypatch.setattr(views, "AGENCIES_PER_PAGE", 2)
    for n in range(3):
        NominationFactory(agency__name=f"Youth Club {n}", agency__sector="youth")
    for n in range(2):
        AgencyFactory(name=f"Youth Centre {n}", sector="youth")
    AgencyFactory(name="Northfield Academy", sector="education")
    client = client_for(secretariat)

    body = client.get(reverse("agencies:list"), {"sector": "youth", "page": 2}).content.decode()
    assert "Showing 3–4 of <strong>5</strong> agencies" in body
    assert "<strong>2</strong> of these have no current champion" in body
    assert 'href="?sector=youth&amp;champion=without"' in body  # list only those, from the first page
    assert "?sector=youth&amp;page=3" in body and "Northfield Academy" not in body

    body = client.get(reverse("agencies:list"), {"sector": "youth", "champion": "without"}).content.decode()
    assert "Youth Centre 0" in body and "Youth Centre 1" in body and "Youth Club" not in body
    assert "list only" not in body

    # Agencies without a champion first, whatever the page.
    body = client.get(reverse("agencies:list"), {"sector": "youth", "sort": "has_champion"}).content.decode()
    assert "Youth Centre 0" in body and "Youth Centre 1" in body and "Youth Club" not in body
    assert 'href="?sector=youth&amp;sort=-has_champion"' in body


def test_the_register_shows_a_new_agency_and_a_champion_s_list_their_new_agency_on_the_next_view(
    secretariat, champion_a, agency_a, client_for
):
    """The register is kept rendered between views (the whole of it shared by the partnership, an
    agency's people each their own); adding an agency or a nomination reaches it at once."""
    client = client_for(secretariat)
    champion = client_for(champion_a)
    assert "Lakeside Nursery" not in client.get(reverse("agencies:list")).content.decode()
    assert "Hilltop Library" not in champion.get(reverse("agencies:list")).content.decode()

    response = client.post(
        reverse("agencies:create"),
        {"name": "Lakeside Nursery", "sector": "education", "membership_type": "member", "joined_on": "2026-01-05"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert "Lakeside Nursery" in client.get(reverse("agencies:list")).content.decode()

    hilltop = AgencyFactory(name="Hilltop Library")
    response = client.post(
        reverse("champions:nominate", args=[hilltop.pk]),
        {
            "full_name": champion_a.full_name,
            "email": champion_a.email,
            "title": "E-safety champion",
            "esig_membership": "associate",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert "Hilltop Library" in champion.get(reverse("agencies:list")).content.decode()
