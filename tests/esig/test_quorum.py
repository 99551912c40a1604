"""The quorum rule and the yearly minimum: "Must be 4 members present including one of co-chairs";
"The group will not meet less than 4 times a year" (Bournemouth-Poole terms of reference)."""

import datetime

import pytest
from django.utils import timezone

from esig.models import Rules
from esig.quorum import judge
from esig.selectors import meetings_of_year, meetings_summary, year_verdict
from tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return Rules.current()


def test_the_default_rule_is_the_terms_of_reference(rules):
    assert (rules.min_members_present, rules.co_chair_required, rules.min_meetings_per_year) == (4, True, 4)
    assert rules.describe_quorum() == "at least 4 members present, including one of the co-chairs"


def test_four_members_with_a_co_chair_are_quorate(rules):
    result = judge(members_present=4, co_chairs_present=1, rules=rules)
    assert result.quorate is True
    assert result.reason == "Quorate: 4 members present (4 needed), including a co-chair."


def test_three_members_with_a_co_chair_are_one_short(rules):
    result = judge(members_present=3, co_chairs_present=1, rules=rules)
    assert result.quorate is False
    assert result.reason == "Not quorate: only 3 members present (4 needed)."


def test_many_members_without_a_co_chair_are_not_quorate(rules):
    result = judge(members_present=9, co_chairs_present=0, rules=rules)
    assert result.quorate is False and result.reason == "Not quorate: no co-chair present."


def test_too_few_and_no_co_chair_gives_both_reasons(rules):
    result = judge(members_present=2, co_chairs_present=0, rules=rules)
    assert result.reason == "Not quorate: only 2 members present (4 needed) and no co-chair present."


def test_a_custom_rule_without_a_co_chair_and_a_lower_threshold(rules):
    rules.min_members_present = 3
    rules.co_chair_required = False
    assert judge(members_present=3, co_chairs_present=0, rules=rules).quorate is True
    assert judge(members_present=2, co_chairs_present=0, rules=rules).quorate is False


def _meeting_with(present_core=0, present_associates=0, co_chairs=0, apologies=0, guests=0, **kwargs):
    meeting = MeetingFactory(**kwargs)
    for i in range(present_core):
        AttendanceFactory(meeting=meeting, capacity="core", is_co_chair=i < co_chairs)
    for _ in range(present_associates):
        AttendanceFactory(meeting=meeting, capacity="associate")
    for _ in range(apologies):
        AttendanceFactory(meeting=meeting, capacity="core", is_co_chair=True, status="apologies")
    for i in range(guests):
        AttendanceFactory(meeting=meeting, user=None, guest_name=f"Guest {i}", capacity="guest")
    return meeting


def test_guests_and_apologies_do_not_count_towards_the_quorum():
    today = timezone.localdate()
    _meeting_with(present_core=2, present_associates=1, co_chairs=1, apologies=2, guests=3, held_on=today)
    [meeting] = meetings_of_year(today.year)
    assert meeting.members_present == 3 and meeting.quorum.quorate is False


def test_associate_members_count_and_a_co_chair_who_sent_apologies_does_not():
    today = timezone.localdate()
    _meeting_with(present_core=1, present_associates=3, co_chairs=0, apologies=1, held_on=today)
    [meeting] = meetings_of_year(today.year)
    assert meeting.members_present == 4
    assert meeting.quorum.reason == "Not quorate: no co-chair present."


def test_future_cancelled_and_unrecorded_meetings_are_not_judged():
    today = timezone.localdate()
    MeetingFactory(held_on=today + datetime.timedelta(days=1))
    MeetingFactory(held_on=today, cancelled_at=timezone.now(), cancel_reason="Snow")
    MeetingFactory(held_on=today)
    reasons = sorted(m.quorum.reason for m in meetings_of_year(today.year) if m.quorum.quorate is None)
    assert reasons == ["Attendance not recorded yet.", "Cancelled.", "Not held yet."]


@pytest.fixture
def last_year():
    return timezone.localdate().year - 1


def test_a_year_with_four_meetings_meets_the_minimum(last_year):
    for month in (2, 5, 8):
        _meeting_with(present_core=4, co_chairs=1, held_on=datetime.date(last_year, month, 10))
    _meeting_with(present_core=3, co_chairs=1, held_on=datetime.date(last_year, 11, 10))
    summary = meetings_summary(last_year)
    assert (summary["held"], summary["quorate"], summary["met_minimum"]) == (4, 3, True)
    assert year_verdict(summary) == "Minimum met: 4 meetings held (at least 4 a year)."


def test_three_meetings_and_a_cancelled_one_fall_short_of_the_minimum(last_year):
    for month in (2, 5, 8):
        _meeting_with(present_core=4, co_chairs=1, held_on=datetime.date(last_year, month, 10))
    MeetingFactory(held_on=datetime.date(last_year, 11, 10), cancelled_at=timezone.now())
    summary = meetings_summary(last_year)
    assert (summary["held"], summary["cancelled"], summary["met_minimum"]) == (3, 1, False)
    assert year_verdict(summary) == "Minimum not met: 3 meetings held; at least 4 a year."


def test_the_minimum_can_be_changed(last_year):
    for month in (2, 8):
        _meeting_with(present_core=4, co_chairs=1, held_on=datetime.date(last_year, month, 10))
    rules = Rules.current()
    rules.min_meetings_per_year = 2
    rules.save()
    assert meetings_summary(last_year)["met_minimum"] is True


def test_the_summary_for_the_annual_report_has_the_agreed_keys(last_year):
    summary = meetings_summary(last_year)
    assert {"held", "quorate", "met_minimum", "minimum", "year"} <= set(summary)
    assert summary["held"] == 0 and summary["met_minimum"] is False
