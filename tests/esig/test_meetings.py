"""The secretariat schedules ESIG meetings, records who came, the agenda, decisions and minutes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from esig.models import AgendaItem, Attendance, Meeting, MeetingAction, Rules
from tests.factories import ActionFactory, AgencyFactory, AttendanceFactory, MeetingFactory, NominationFactory

pytestmark = pytest.mark.django_db

READ_URLS = ["esig:meetings", "esig:meeting", "esig:minutes_download"]
WRITE_URLS = [
    "esig:meeting_create",
    "esig:meeting_edit",
    "esig:meeting_cancel",
    "esig:attendance",
    "esig:guest_add",
    "esig:agenda_add",
    "esig:minutes",
    "esig:meeting_actions",
    "esig:rules",
]


def _url(name, meeting):
    if name in ("esig:meetings", "esig:meeting_create", "esig:rules"):
        return reverse(name)
    return reverse(name, args=[meeting.pk])


@pytest.fixture
def esig_members(agency_a, agency_b):
    """Five core members on the meeting date, two of them co-chairs, and one associate."""
    started = timezone.localdate() - datetime.timedelta(days=400)
    core = [
        NominationFactory(
            agency=agency_a if i % 2 else agency_b, esig_membership="core", is_co_chair=i < 2, started_on=started
        )
        for i in range(5)
    ]
    associate = NominationFactory(agency=agency_a, esig_membership="associate", started_on=started)
    return core, associate


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b"])
@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_agency_people_who_are_not_core_members_are_refused(personas, client_for, persona, name):
    meeting = MeetingFactory()
    response = client_for(personas[persona]).get(_url(name, meeting))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["board_member", "safeguarding_lead"])
@pytest.mark.parametrize("name", WRITE_URLS)
def test_read_only_partnership_roles_cannot_change_meetings(personas, client_for, persona, name):
    meeting = MeetingFactory()
    client = client_for(personas[persona])
    assert client.get(_url(name, meeting)).status_code == 403
    assert client.post(_url(name, meeting), {"title": "Changed", "held_on": "2026-01-01"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "ESIG meeting" and Meeting.objects.count() == 1


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client_for, name):
    response = client_for(None).get(_url(name, MeetingFactory()))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["board_member", "safeguarding_lead", "secretariat", "admin"])
def test_partnership_roles_read_the_meetings(personas, client_for, persona):
    meeting = MeetingFactory()
    client = client_for(personas[persona])
    assert client.get(reverse("esig:meetings")).status_code == 200
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_a_core_member_reads_the_meetings_from_their_home_page(agency_a, client_for):
    member = NominationFactory(agency=agency_a, esig_membership="core").user
    client = client_for(member)
    body = client.get(reverse("home")).content.decode()
    assert "ESIG meetings" in body and 'href="/esig/"' in body
    assert client.get(reverse("esig:meetings")).status_code == 200
    assert client.get(reverse("esig:meeting_create")).status_code == 403


def test_secretariat_schedules_a_meeting(secretariat, client_for):
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = client_for(secretariat).post(
        reverse("esig:meeting_create"),
        {"title": "ESIG spring meeting", "held_on": day.isoformat(), "starts_at": "10:00", "venue": "Civic Centre"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.held_on == day and meeting.created_by == secretariat


def test_a_meeting_with_a_bad_date_saves_nothing(secretariat, client_for):
    response = client_for(secretariat).post(reverse("esig:meeting_create"), {"title": "X", "held_on": "31/02/2026"})
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    assert not Meeting.objects.exists()


def test_secretariat_records_attendance_and_the_meeting_is_quorate(secretariat, client_for, esig_members):
    core, associate = esig_members
    meeting = MeetingFactory()
    client = client_for(secretariat)
    form = client.get(reverse("esig:attendance", args=[meeting.pk])).content.decode()
    assert "Core member, co-chair" in form and associate.user.full_name in form
    data = {f"member_{n.user_id}": "present" for n in core[1:4]}  # one co-chair and two other core members
    data[f"member_{associate.user_id}"] = "present"
    data[f"member_{core[0].user_id}"] = "apologies"
    response = client.post(reverse("esig:attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    present = Attendance.objects.filter(meeting=meeting, status="present")
    assert present.count() == 4 and present.filter(is_co_chair=True).count() == 1
    assert Attendance.objects.get(user=associate.user).capacity == "associate"
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Quorate.</strong> 4 members present (4 needed), including a co-chair." in body


def test_agency_and_person_names_on_the_attendance_form_are_text_not_markup(secretariat, client_for):
    hostile = 'Eastgate "><b>Youth</b> Club'
    member = NominationFactory(
        agency=AgencyFactory(name=hostile),
        esig_membership="core",
        started_on=timezone.localdate() - datetime.timedelta(days=30),
        user__full_name='Ann "><i>Kemp</i>',
    )
    meeting = MeetingFactory()
    page = client_for(secretariat).get(reverse("esig:attendance", args=[meeting.pk])).content.decode()
    assert "<b>Youth</b>" not in page and "<i>Kemp</i>" not in page
    assert "Eastgate &quot;&gt;&lt;b&gt;Youth&lt;/b&gt; Club" in page
    assert "Ann &quot;&gt;&lt;i&gt;Kemp&lt;/i&gt;" in page
    # The agencies still describe the person's choice to a screen reader.
    field = f"member_{member.user_id}"
    assert f'aria-describedby="id_{field}_about"' in page and f'<div id="id_{field}_about"' in page


def test_attendance_without_a_co_chair_is_not_quorate(secretariat, client_for, esig_members):
    core, associate = esig_members
    meeting = MeetingFactory()
    data = {f"member_{n.user_id}": "present" for n in core[2:]}
    data[f"member_{associate.user_id}"] = "present"
    data.update({f"member_{n.user_id}": "apologies" for n in core[:2]})
    client_for(secretariat).post(reverse("esig:attendance", args=[meeting.pk]), data)
    body = client_for(secretariat).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Not quorate.</strong> No co-chair present." in body


def test_people_who_were_not_members_on_the_meeting_date_are_not_offered(secretariat, client_for, agency_a):
    meeting = MeetingFactory(held_on=timezone.localdate() - datetime.timedelta(days=30))
    later = NominationFactory(agency=agency_a, esig_membership="core", started_on=timezone.localdate())
    body = client_for(secretariat).get(reverse("esig:attendance", args=[meeting.pk])).content.decode()
    assert later.user.full_name not in body
    # a forged field for them is ignored
    client_for(secretariat).post(reverse("esig:attendance", args=[meeting.pk]), {f"member_{later.user_id}": "present"})
    assert not Attendance.objects.exists()


def test_a_bad_attendance_status_saves_nothing(secretariat, client_for, esig_members):
    core, _ = esig_members
    meeting = MeetingFactory()
    data = {f"member_{core[0].user_id}": "present", f"member_{core[1].user_id}": "asleep"}
    response = client_for(secretariat).post(reverse("esig:attendance", args=[meeting.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_recorded_attendance_can_be_changed_but_not_blanked(secretariat, client_for, esig_members):
    core, _ = esig_members
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, user=core[0].user, status="present", is_co_chair=True)
    response = client_for(secretariat).post(
        reverse("esig:attendance", args=[meeting.pk]), {f"member_{core[0].user_id}": ""}
    )
    assert response.status_code == 200
    assert Attendance.objects.get().status == "present"


def test_future_meetings_cannot_have_attendance_yet(secretariat, client_for, esig_members):
    core, _ = esig_members
    meeting = MeetingFactory(held_on=timezone.localdate() + datetime.timedelta(days=3))
    response = client_for(secretariat).post(
        reverse("esig:attendance", args=[meeting.pk]), {f"member_{core[0].user_id}": "present"}
    )
    assert "on or after the meeting date" in response.content.decode()
    assert not Attendance.objects.exists()


def test_invited_guests_are_listed_but_do_not_make_a_quorum(secretariat, client_for):
    meeting = MeetingFactory()
    client = client_for(secretariat)
    for i in range(4):
        client.post(
            reverse("esig:guest_add", args=[meeting.pk]),
            {"name": f"Guest {i}", "organisation": "SWGfL", "status": "present"},
        )
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Guest 3" in body and "Invited guest" in body
    assert "<strong>Not quorate.</strong> Only 0 members present (4 needed) and no co-chair present." in body


def test_agenda_items_and_decisions_are_recorded_in_order(secretariat, client_for):
    meeting = MeetingFactory()
    client = client_for(secretariat)
    client.post(
        reverse("esig:agenda_add", args=[meeting.pk]), {"title": "Minutes of the last meeting", "decision": "Agreed"}
    )
    client.post(
        reverse("esig:agenda_add", args=[meeting.pk]), {"title": "Action plan review", "decision": "Leads to update"}
    )
    assert list(AgendaItem.objects.values_list("position", "title")) == [
        (1, "Minutes of the last meeting"),
        (2, "Action plan review"),
    ]
    assert client.post(reverse("esig:agenda_add", args=[meeting.pk]), {"title": ""}).status_code == 200
    assert AgendaItem.objects.count() == 2


def test_minutes_as_text_and_as_a_document_served_only_to_readers(secretariat, board_member, staff_a, client_for):
    meeting = MeetingFactory()
    pdf = SimpleUploadedFile("minutes march.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client_for(secretariat).post(
        reverse("esig:minutes", args=[meeting.pk]), {"text": "The group agreed the plan.", "document": pdf}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "The group agreed the plan." and meeting.minutes_original_name == "minutes march.pdf"
    assert "minutes march" not in meeting.minutes_file.name  # the stored name never comes from the user
    download = client_for(board_member).get(reverse("esig:minutes_download", args=[meeting.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    assert client_for(staff_a).get(reverse("esig:minutes_download", args=[meeting.pk])).status_code == 403


def test_a_document_that_is_not_what_its_name_says_is_refused(secretariat, client_for):
    meeting = MeetingFactory()
    fake = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(secretariat).post(
        reverse("esig:minutes", args=[meeting.pk]), {"text": "Kept?", "document": fake}
    )
    assert response.status_code == 200 and "does not contain what its name says" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.minutes_file


def test_an_executable_is_refused_and_empty_minutes_ask_for_something(secretariat, client_for):
    meeting = MeetingFactory()
    client = client_for(secretariat)
    exe = SimpleUploadedFile("minutes.exe", b"MZ", content_type="application/octet-stream")
    assert (
        "is not a file type we accept"
        in client.post(reverse("esig:minutes", args=[meeting.pk]), {"document": exe}).content.decode()
    )
    assert (
        "Write the minutes or upload a document"
        in client.post(reverse("esig:minutes", args=[meeting.pk]), {"text": " "}).content.decode()
    )
    meeting.refresh_from_db()
    assert not meeting.minutes_file


def test_minutes_changed_in_another_tab_are_not_overwritten(secretariat, client_for):
    meeting = MeetingFactory()
    client = client_for(secretariat)
    seen = meeting.updated_at.isoformat()
    client.post(reverse("esig:minutes", args=[meeting.pk]), {"text": "First version", "seen_updated_at": seen})
    response = client.post(
        reverse("esig:minutes", args=[meeting.pk]), {"text": "Stale version", "seen_updated_at": seen}
    )
    assert "Someone else changed this meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "First version"


def test_cancelling_keeps_the_meeting_and_it_does_not_count(secretariat, client_for):
    meeting = MeetingFactory()
    response = client_for(secretariat).post(reverse("esig:meeting_cancel", args=[meeting.pk]), {"reason": "Snow"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Snow"
    assert (
        client_for(secretariat).post(reverse("esig:meeting_cancel", args=[meeting.pk]), {"reason": ""}).status_code
        == 200
    )


def test_secretariat_links_actions_the_meeting_created_and_reviewed(secretariat, client_for):
    meeting = MeetingFactory()
    created, reviewed = ActionFactory(), ActionFactory()
    client = client_for(secretariat)
    response = client.post(
        reverse("esig:meeting_actions", args=[meeting.pk]), {"created": [created.pk], "reviewed": [reviewed.pk]}
    )
    assert response.status_code == 302
    assert set(MeetingAction.objects.values_list("action_id", "kind")) == {
        (created.pk, "created"),
        (reviewed.pk, "reviewed"),
    }
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "created at this meeting" in body and "reviewed at this meeting" in body
    assert client.post(reverse("esig:meeting_actions", args=[meeting.pk]), {"created": ["999999"]}).status_code == 200
    assert MeetingAction.objects.count() == 2


def test_secretariat_changes_the_quorum_rule_and_bad_values_save_nothing(secretariat, client_for):
    client = client_for(secretariat)
    data = {"min_members_present": "3", "min_meetings_per_year": "6", "training_valid_months": "24"}
    assert client.post(reverse("esig:rules"), data).status_code == 302
    rules = Rules.current()
    assert (rules.min_members_present, rules.co_chair_required, rules.min_meetings_per_year) == (3, False, 6)
    response = client.post(reverse("esig:rules"), {**data, "min_members_present": "0", "co_chair_required": "on"})
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert Rules.current().min_members_present == 3 and not Rules.current().co_chair_required


def _meetings_with_attendance(count, year):
    for i in range(count):
        meeting = MeetingFactory(held_on=datetime.date(year, 1 + i % 12, 1 + i % 27))
        AttendanceFactory.create_batch(3, meeting=meeting)


def test_the_year_view_uses_a_constant_number_of_queries(secretariat, client_for, django_assert_max_num_queries):
    # 8: session, user, rules, the year's meetings with their attendance counts (one query feeds the list
    # and the summary), the distinct years, and the session update in its savepoint (3)
    year = timezone.localdate().year - 1
    client = client_for(secretariat)
    # The rules row exists in a running portal (a migration makes it); a transactional test earlier on the
    # same worker empties the tables, and creating it again would be counted here.
    Rules.current()
    _meetings_with_attendance(2, year)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("esig:year", args=[year])).status_code == 200
    _meetings_with_attendance(25, year)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("esig:year", args=[year])).content.decode()
    assert "Minimum met: 27 meetings held" in body


def test_the_meeting_page_uses_a_constant_number_of_queries(secretariat, client_for, django_assert_max_num_queries):
    # 10: session, user, the meeting with its attendance counts, rules, attendances, agenda items,
    # linked actions, and the session update in its savepoint (3)
    meeting = MeetingFactory()
    client = client_for(secretariat)
    Rules.current()  # as in the year view's test: the row a migration makes
    AttendanceFactory.create_batch(2, meeting=meeting)
    with django_assert_max_num_queries(10):
        client.get(meeting.get_absolute_url())
    AttendanceFactory.create_batch(30, meeting=meeting)
    for i in range(10):
        AgendaItem.objects.create(meeting=meeting, title=f"Item {i}", position=i)
    with django_assert_max_num_queries(10):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_secretariat_home_page_shows_next_meeting_last_quorum_and_the_year(secretariat, client_for, esig_members):
    today = timezone.localdate()
    core, _ = esig_members
    last = MeetingFactory(held_on=today - datetime.timedelta(days=1))
    for n in core[:3]:
        AttendanceFactory(meeting=last, user=n.user, is_co_chair=n.is_co_chair)
    upcoming = MeetingFactory(held_on=today + datetime.timedelta(days=30))
    body = client_for(secretariat).get(reverse("home")).content.decode()
    assert f"{upcoming.held_on.day} {upcoming.held_on:%B %Y}</a>" in body
    assert "Not quorate: only 3 members present (4 needed)." in body
    assert "meeting held" in body and "at least 4 a year" in body


def test_people_outside_the_esig_get_no_meetings_section_or_link(staff_a, client_for):
    body = client_for(staff_a).get(reverse("home")).content.decode()
    assert "ESIG meetings" not in body and 'href="/esig/">ESIG</a>' not in body


def test_core_members_find_the_esig_in_the_navigation_and_associate_members_do_not(client_for, esig_members):
    core, associate = esig_members
    link = 'href="/esig/">ESIG</a>'
    assert link in client_for(core[2].user).get(reverse("agencies:list")).content.decode()
    assert link not in client_for(associate.user).get(reverse("agencies:list")).content.decode()
