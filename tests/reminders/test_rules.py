"""Which reminder is due on which day: thresholds, the due day, chasers, working days, clock changes."""

import datetime
import zoneinfo

import pytest

from reminders.models import ReminderRule
from reminders.rules import occasion_for
from reminders.workdays import add_working_days, is_working_day

D = datetime.date


def rule(days_before="30, 14, 7, 1", repeat=7):
    return ReminderRule(code="r", name="r", days_before=days_before, repeat_after_days=repeat)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 1), None),  # 38 days before: nothing yet
        (D(2026, 11, 9), "before-30"),  # exactly 30 days before
        (D(2026, 11, 20), "before-30"),  # between thresholds: still the 30-day one (sent once by key)
        (D(2026, 11, 25), "before-14"),
        (D(2026, 12, 2), "before-7"),
        (D(2026, 12, 8), "before-1"),
        (D(2026, 12, 9), "before-1"),  # on the due day itself the last reminder stands
        (D(2026, 12, 10), "overdue-0"),  # the day after: first weekly chaser
        (D(2026, 12, 16), "overdue-0"),
        (D(2026, 12, 17), "overdue-1"),  # a week later: the next
    ],
)
def test_reminder_occasions_around_a_due_date(today, expected):
    assert occasion_for(rule(), D(2026, 12, 9), today) == expected


def test_a_sweep_missed_for_days_catches_up_with_one_reminder_not_a_flood():
    # Due in 5 days, the sweep last ran 40 days before: only the 7-day reminder is due now.
    assert occasion_for(rule(), D(2026, 12, 9), D(2026, 12, 4)) == "before-7"


def test_no_chasers_when_the_rule_has_none():
    assert occasion_for(rule(repeat=None), D(2026, 12, 9), D(2026, 12, 20)) is None


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 19), 1, D(2026, 11, 20)),  # Thursday -> Friday
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday -> Monday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Thursday before Good Friday -> Tuesday after Easter Monday
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas Day, Boxing Day (observed Monday 28th)
        (D(2026, 8, 28), 1, D(2026, 9, 1)),  # Friday before the late summer bank holiday
    ],
)
def test_working_days_skip_weekends_and_england_and_wales_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected
    assert is_working_day(expected)


LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("last_run", "not_yet", "due"),
    [
        # Winter (GMT).
        (
            datetime.datetime(2026, 3, 27, 7, 0, tzinfo=LONDON),
            datetime.datetime(2026, 3, 28, 6, 55, tzinfo=LONDON),
            datetime.datetime(2026, 3, 28, 7, 1, tzinfo=LONDON),
        ),
        # The morning the clocks go forward (29 March 2026): still 07:00 UK time.
        (
            datetime.datetime(2026, 3, 28, 7, 0, tzinfo=LONDON),
            datetime.datetime(2026, 3, 29, 6, 55, tzinfo=LONDON),
            datetime.datetime(2026, 3, 29, 7, 1, tzinfo=LONDON),
        ),
        # The morning the clocks go back (25 October 2026).
        (
            datetime.datetime(2026, 10, 24, 7, 0, tzinfo=LONDON),
            datetime.datetime(2026, 10, 25, 6, 55, tzinfo=LONDON),
            datetime.datetime(2026, 10, 25, 7, 1, tzinfo=LONDON),
        ),
    ],
)
@pytest.mark.django_db
def test_the_daily_sweep_runs_at_seven_uk_time_through_the_clock_changes(last_run, not_yet, due):
    from reminders.services import schedule_ensure

    task = {job.task: job for job in schedule_ensure()}["reminders.tasks.run_sweep"]
    schedule = task.crontab.schedule
    schedule.nowfun = lambda: not_yet
    assert schedule.is_due(last_run).is_due is False
    schedule.nowfun = lambda: due
    assert schedule.is_due(last_run).is_due is True
