"""The sweep records each due reminder once and delivers it once; the secretariat reads the log."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audits import services as audit_services
from reminders import services
from reminders.models import Reminder, ReminderPreference, ReminderRule
from tests.factories import AgencyFactory, ConfirmationRoundFactory, ListConfirmationFactory, NominationFactory
from tests.support.data import TINY_AUDIT_TEMPLATE

pytestmark = pytest.mark.django_db


def deliver_all(ids):
    return sum(services.reminder_deliver(reminder_id=pk) for pk in ids)


@pytest.fixture
def open_round(agency_a, agency_b, champion_a, champion_b):
    confirmation_round = ConfirmationRoundFactory(due_on=timezone.localdate() + datetime.timedelta(days=20))
    ListConfirmationFactory(round=confirmation_round, agency=agency_a)
    ListConfirmationFactory(round=confirmation_round, agency=agency_b)
    return confirmation_round


def test_requests_are_sent_once_however_often_the_sweep_runs(open_round, champion_a, agency_a, mailoutbox):
    first = services.reminders_sweep(codes=["champions-confirmation-request"])
    again = services.reminders_sweep(codes=["champions-confirmation-request"])
    assert first == again and len(first) == 4  # two champions and two executive leads
    assert deliver_all(first) == 4
    assert deliver_all(services.reminders_sweep()) == 0
    assert len(mailoutbox) == 4
    to_champion = next(m for m in mailoutbox if m.to == [champion_a.email])
    assert "Please confirm the e-safety champions of Northfield Academy" in to_champion.subject
    assert "http://" in to_champion.body and "/champions/confirm/" in to_champion.body
    assert to_champion.alternatives[0][1] == "text/html"
    assert Reminder.objects.filter(status="sent").count() == 4


def test_plain_text_reads_as_written_and_html_is_escaped(open_round, agency_a, mailoutbox):
    agency_a.name = "St Mary's <Children> & Families"
    agency_a.save()
    deliver_all(services.reminders_sweep(codes=["champions-confirmation-request"]))
    message = next(m for m in mailoutbox if agency_a.name in m.subject)
    assert agency_a.name in message.body and "&#x27;" not in message.body
    assert "St Mary&#x27;s &lt;Children&gt; &amp; Families" in message.alternatives[0][0]


def test_reminders_stop_once_the_list_is_confirmed(open_round, agency_a, agency_b, mailoutbox):
    open_round.confirmations.filter(agency=agency_a).update(status="confirmed")
    today = open_round.due_on - datetime.timedelta(days=7)
    ids = services.reminders_sweep(today=today, codes=["champions-confirmation-reminder"])
    deliver_all(ids)
    agencies = {m.subject.split("champions of ")[1].split(" by")[0] for m in mailoutbox}
    assert agencies == {agency_b.name}


def test_overdue_lists_get_a_weekly_chaser(open_round, agency_b, champion_b, mailoutbox):
    due = open_round.due_on
    for offset in range(1, 16):  # fifteen days of daily sweeps after the reply-by date
        deliver_all(services.reminders_sweep(today=due + datetime.timedelta(days=offset)))
    to_champion_b = [m for m in mailoutbox if m.to == [champion_b.email]]
    assert [m.subject.startswith("Overdue") for m in to_champion_b].count(True) == 3  # days 1, 8 and 15


def test_a_failed_send_is_kept_and_retried_by_the_next_sweep(open_round, settings, mailoutbox):
    ids = services.reminders_sweep(codes=["champions-confirmation-request"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    from reminders.tasks import deliver_reminder

    assert deliver_reminder.delay(ids[0]).get() is False
    failed = Reminder.objects.get(pk=ids[0])
    assert failed.status == "failed" and failed.attempts == 1 and failed.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert ids[0] in services.reminders_sweep()
    assert services.reminder_deliver(reminder_id=ids[0]) is True
    assert len(mailoutbox) == 1


def test_people_who_chose_a_digest_get_one_weekly_email(open_round, champion_a, mailoutbox):
    ReminderPreference.objects.create(user=champion_a, weekly_digest=True)
    deliver_all(services.reminders_sweep(codes=["champions-confirmation-request"]))
    assert champion_a.email not in [a for m in mailoutbox for a in m.to]
    assert services.digests_send() == 1
    digest = mailoutbox[-1]
    assert digest.to == [champion_a.email] and "weekly" in digest.subject
    assert services.digests_send() == 0


def test_a_disabled_rule_sends_nothing(open_round, mailoutbox):
    services.rules_ensure()
    ReminderRule.objects.filter(code="champions-confirmation-request").update(enabled=False)
    assert deliver_all(services.reminders_sweep(codes=["champions-confirmation-request"])) == 0
    assert mailoutbox == []


def test_the_sweep_uses_a_bounded_number_of_queries(secretariat, django_assert_max_num_queries):
    """A confirmation round and an audit cycle, due in a week, for 2 and then 40 more agencies."""
    today = timezone.localdate()
    version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")

    def make_round(n):
        confirmation_round = ConfirmationRoundFactory(year=2000 + n, due_on=today + datetime.timedelta(days=5))
        agencies = AgencyFactory.create_batch(n)
        for agency in agencies:
            NominationFactory(agency=agency)
            ListConfirmationFactory(round=confirmation_round, agency=agency)
        audit_services.cycle_open(
            template_version=version,
            year=2000 + n,
            opens_on=today - datetime.timedelta(days=1),
            due_on=today + datetime.timedelta(days=7),
            agencies=agencies,
            by=secretariat,
        )

    make_round(2)
    # rules (made on the first sweep), digest preferences, two queries per rule (its objects, then their
    # champions), the keys already recorded, the insert and the pending ids: within 25 whatever the number
    # of agencies
    with django_assert_max_num_queries(25):
        services.reminders_sweep()
    make_round(40)
    with django_assert_max_num_queries(25):
        services.reminders_sweep()
    assert Reminder.objects.filter(rule__code="audit-cycle-open").count() == 42
    assert Reminder.objects.filter(rule__code="audit-return-due").count() == 42
    assert Reminder.objects.filter(rule__code="champions-confirmation-request").count() == 2 * 2 + 40 * 2


# --- the secretariat's pages ---------------------------------------------------------

PAGES = ["reminders:log", "reminders:rules", "reminders:schedule"]


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
@pytest.mark.parametrize("page", PAGES)
def test_only_the_secretariat_sees_the_reminder_pages(personas, client_for, persona, page):
    assert client_for(personas[persona]).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", [*PAGES, "reminders:preferences"])
def test_anonymous_visitors_are_sent_to_log_in(client, page):
    assert client.get(reverse(page)).status_code == 302


def test_secretariat_reads_the_log(secretariat, open_round, client_for, django_assert_max_num_queries):
    services.reminders_sweep()
    client = client_for(secretariat)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("reminders:log") + "?status=pending").content.decode()
    assert "Champions list: request to confirm" in body and "Waiting to be sent" in body


def test_secretariat_changes_a_rules_days(secretariat, client_for):
    rule = services.rules_ensure()["champions-confirmation-reminder"]
    client = client_for(secretariat)
    response = client.post(
        reverse("reminders:rule_edit", args=[rule.pk]),
        {"enabled": "on", "days_before": "3, 10,10", "repeat_after_days": "14"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days_before == "10, 3" and rule.repeat_after_days == 14


@pytest.mark.parametrize("bad", [{"days_before": "7, soon"}, {"days_before": "400"}, {"repeat_after_days": "0"}])
def test_bad_rule_days_are_refused_and_nothing_changes(secretariat, client_for, bad):
    rule = services.rules_ensure()["champions-confirmation-reminder"]
    data = {"enabled": "on", "days_before": "7, 1", "repeat_after_days": "7", **bad}
    response = client_for(secretariat).post(reverse("reminders:rule_edit", args=[rule.pk]), data)
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    rule.refresh_from_db()
    assert rule.days_before == "7, 1" and rule.repeat_after_days == 7


@pytest.mark.parametrize("persona", ["champion_a", "board_member"])
def test_nobody_but_the_secretariat_changes_rules(personas, client_for, persona):
    rule = services.rules_ensure()["champions-confirmation-reminder"]
    response = client_for(personas[persona]).post(reverse("reminders:rule_edit", args=[rule.pk]), {"days_before": "2"})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.days_before == "7, 1"


def test_secretariat_moves_the_daily_sweep_in_uk_time(secretariat, client_for):
    from django_celery_beat.models import PeriodicTask

    client = client_for(secretariat)
    client.get(reverse("reminders:schedule"))  # the page sets up the jobs if they are missing
    tasks = {t.task: t for t in PeriodicTask.objects.all()}
    sweep, digest = tasks["reminders.tasks.run_sweep"], tasks["reminders.tasks.send_digests"]
    data = {
        f"task{sweep.pk}-enabled": "on",
        f"task{sweep.pk}-hour": "6",
        f"task{sweep.pk}-minute": "30",
        f"task{sweep.pk}-day_of_week": "1-5",
        f"task{digest.pk}-enabled": "on",
        f"task{digest.pk}-hour": "8",
        f"task{digest.pk}-minute": "0",
        f"task{digest.pk}-day_of_week": "1",
    }
    assert client.post(reverse("reminders:schedule"), data).status_code == 302
    sweep.refresh_from_db()
    assert (sweep.crontab.hour, sweep.crontab.minute, sweep.crontab.day_of_week) == ("6", "30", "1-5")
    assert str(sweep.crontab.timezone) == "Europe/London"
    data[f"task{sweep.pk}-hour"] = "25"
    response = client.post(reverse("reminders:schedule"), data)
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    sweep.refresh_from_db()
    assert sweep.crontab.hour == "6"


def test_everyone_chooses_a_weekly_digest(staff_a, client_for):
    client = client_for(staff_a)
    assert client.post(reverse("reminders:preferences"), {"weekly_digest": "on"}).status_code == 302
    assert ReminderPreference.objects.get(user=staff_a).weekly_digest is True
    assert mail.outbox == []


def test_the_schedule_page_sets_up_missing_jobs_at_their_default_times_and_keeps_set_ones(secretariat, client_for):
    from django_celery_beat.models import PeriodicTask

    PeriodicTask.objects.all().delete()
    body = client_for(secretariat).get(reverse("reminders:schedule")).content.decode()
    assert "Daily reminder sweep" in body and "Weekly reminder digest" in body
    sweep = PeriodicTask.objects.select_related("crontab").get(task="reminders.tasks.run_sweep")
    assert (sweep.crontab.hour, sweep.crontab.minute, str(sweep.crontab.timezone)) == ("7", "0", "Europe/London")
    assert PeriodicTask.objects.filter(task="reminders.tasks.flush_queued_tasks", interval__every=1).exists()

    sweep.crontab = sweep.crontab.__class__.objects.create(hour="6", minute="30", timezone="Europe/London")
    sweep.save()
    client_for(secretariat).get(reverse("reminders:schedule"))
    assert PeriodicTask.objects.select_related("crontab").get(pk=sweep.pk).crontab.hour == "6"
    assert PeriodicTask.objects.count() == 3
