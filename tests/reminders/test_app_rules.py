"""Reminders about audits, actions and incidents: who is told, when, and only once."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from audits import services as audit_services
from champions.models import Nomination
from reminders import services
from reminders.models import Reminder
from tests.factories import ActionFactory, IncidentFactory, NominationFactory, ReferralFactory
from tests.support.data import TINY_AUDIT_TEMPLATE

pytestmark = pytest.mark.django_db
D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


def sweep(today, code):
    ids = services.reminders_sweep(today=today, codes=[code])
    for pk in ids:
        services.reminder_deliver(reminder_id=pk)
    return ids


@pytest.fixture
def cycle(agency_a, agency_b, champion_a, champion_b, secretariat):
    version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
    return audit_services.cycle_open(
        template_version=version,
        year=2026,
        opens_on=D(2026, 10, 1),
        due_on=D(2026, 12, 1),
        agencies=[agency_a, agency_b],
        by=secretariat,
    )


def test_champions_are_told_once_when_a_cycle_opens(cycle, champion_a, champion_b, mailoutbox):
    sweep(D(2026, 9, 30), "audit-cycle-open")
    assert mailoutbox == []  # not open yet
    sweep(D(2026, 10, 1), "audit-cycle-open")
    sweep(D(2026, 10, 2), "audit-cycle-open")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([champion_a.email, champion_b.email])
    assert "due 1 December 2026" in mailoutbox[0].subject


def test_returns_not_submitted_are_reminded_before_and_chased_after_with_the_secretariat_copied(
    cycle, agency_b, champion_a, secretariat, mailoutbox
):
    cycle.returns.filter(agency=agency_b).update(status="submitted")
    for day in (D(2026, 11, 1), D(2026, 11, 17), D(2026, 11, 24), D(2026, 11, 30), D(2026, 12, 1)):
        sweep(day, "audit-return-due")
    assert [m.to for m in mailoutbox] == [[champion_a.email]] * 4  # 30, 14, 7 and 1 days before; nothing for B
    sweep(D(2026, 12, 2), "audit-return-due")
    chaser = mailoutbox[-1]
    assert chaser.subject.startswith("Overdue") and chaser.cc == [secretariat.email]


def test_chasers_stop_once_the_next_years_cycle_opens(cycle, agency_a, agency_b, secretariat, mailoutbox):
    cycle.returns.filter(agency=agency_b).update(status="submitted")
    sweep(D(2026, 12, 2), "audit-return-due")
    assert len(mailoutbox) == 1  # last year's return of A is chased
    audit_services.cycle_open(
        template_version=cycle.template_version,
        year=2027,
        opens_on=D(2027, 10, 1),
        due_on=D(2027, 12, 1),
        agencies=[agency_a, agency_b],
        by=secretariat,
    )
    sweep(D(2027, 9, 30), "audit-return-due")
    assert len(mailoutbox) == 2  # still chased until the new cycle opens
    sweep(D(2027, 10, 7), "audit-return-due")
    assert len(mailoutbox) == 2  # then only the new year's return matters


def test_an_action_lead_is_reminded_fourteen_days_before_and_weekly_when_overdue(agency_a, champion_a, mailoutbox):
    action = ActionFactory(lead_agency=agency_a, lead_text="", due_on=D(2026, 12, 14), status="amber")
    ActionFactory(lead_agency=agency_a, lead_text="", due_on=D(2026, 12, 14), status="green")  # done: never
    for offset in range(-20, 15):
        sweep(D(2026, 12, 14) + datetime.timedelta(days=offset), "action-due")
    subjects = [m.subject for m in mailoutbox]
    assert [m.to for m in mailoutbox] == [[champion_a.email]] * 3
    assert subjects[0].startswith("Coming up") and "due 14 December 2026" in subjects[0]
    assert subjects[1].startswith("Overdue") and subjects[2].startswith(
        "Overdue"
    )  # 15 and 22 December (the next would be the 29th)
    assert action.ref in subjects[0] or str(action.pk) in subjects[0]


def test_a_named_lead_person_is_reminded_rather_than_the_agency(agency_a, champion_a, secretariat, mailoutbox):
    ActionFactory(lead_person=secretariat, lead_text="", due_on=D(2026, 12, 14))
    sweep(D(2026, 11, 30), "action-due")
    assert [m.to for m in mailoutbox] == [[secretariat.email]]


@pytest.mark.parametrize(
    ("logged", "first_alert"),
    [
        (datetime.datetime(2026, 11, 19, 15, 0, tzinfo=LONDON), D(2026, 11, 20)),  # Thursday -> Friday
        (datetime.datetime(2026, 11, 20, 16, 0, tzinfo=LONDON), D(2026, 11, 23)),  # Friday -> Monday
        (
            datetime.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON),
            D(2026, 12, 29),
        ),  # Christmas Eve -> after the bank holidays
        (
            datetime.datetime(2026, 3, 28, 23, 30, tzinfo=LONDON),
            D(2026, 3, 30),
        ),  # Saturday night, before the clocks change
        (
            datetime.datetime(2026, 10, 24, 23, 30, tzinfo=LONDON),
            D(2026, 10, 26),
        ),  # Saturday night, as the clocks go back
    ],
)
def test_eslos_are_alerted_one_working_day_after_a_required_referral_was_not_recorded(
    agency_a, champion_a, mailoutbox, logged, first_alert
):
    Nomination.objects.filter(user=champion_a).update(started_on=D(2020, 1, 1))
    incident = IncidentFactory(agency=agency_a, reported_at=logged, status="reported")
    ReferralFactory(incident=incident, agency_type="lado", required=True)
    ReferralFactory(incident=incident, agency_type="police", required=True, referred_on=D(2026, 1, 1))  # recorded
    sweep(first_alert - datetime.timedelta(days=1), "incident-referral-missing")
    assert mailoutbox == []
    sweep(first_alert, "incident-referral-missing")
    sweep(first_alert + datetime.timedelta(days=1), "incident-referral-missing")
    assert [m.to for m in mailoutbox] == [[champion_a.email]]
    body = mailoutbox[0].body
    assert "LADO" in body and incident.get_absolute_url() in body
    assert incident.description not in body and incident.platform not in body  # no details in e-mail


def test_referral_alerts_ignore_the_weekly_digest(agency_a, champion_a, mailoutbox):
    from reminders.models import ReminderPreference

    ReminderPreference.objects.create(user=champion_a, weekly_digest=True)
    incident = IncidentFactory(agency=agency_a, reported_at=timezone.now() - datetime.timedelta(days=5))
    ReferralFactory(incident=incident, agency_type="social_care")
    sweep(timezone.localdate(), "incident-referral-missing")
    assert [m.to for m in mailoutbox] == [[champion_a.email]]


def test_every_rule_together_uses_a_bounded_number_of_queries(cycle, agency_a, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            ActionFactory(lead_agency=agency_a, lead_text="", due_on=D(2026, 11, 20), status="red")
            incident = IncidentFactory(agency=agency_a, reported_at=timezone.now() - datetime.timedelta(days=9))
            ReferralFactory(incident=incident, agency_type="police")
            NominationFactory(agency=agency_a)

    services.rules_ensure()
    add(2)
    today = D(2026, 11, 25)
    with django_assert_max_num_queries(25):
        services.reminders_sweep(today=today)
    add(20)
    with django_assert_max_num_queries(25):
        services.reminders_sweep(today=today)
    assert Reminder.objects.filter(rule__code="action-due").count() > 20


def test_opening_a_cycle_today_tells_the_champions_at_once(
    agency_a, champion_a, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.cycle_open(
            template_version=version,
            year=today.year,
            opens_on=today,
            due_on=today + datetime.timedelta(days=30),
            agencies=[agency_a],
            by=secretariat,
        )
    assert [m.to for m in mailoutbox] == [[champion_a.email]]
    assert "is open" in mailoutbox[0].subject
