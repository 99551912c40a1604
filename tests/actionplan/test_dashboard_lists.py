"""The dashboard gives the whole plan in numbers and lists the first few overdue actions and recent
changes, each with its total and a link to the whole list."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan import services, views
from actionplan.models import ProgressUpdate, StatusChange
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

LIMIT = views.DASHBOARD_LIST_LIMIT


@pytest.fixture
def busy_plan(plan, objective):
    """More overdue actions, status changes and progress updates than the dashboard lists."""
    today = timezone.localdate()
    actions = [
        ActionFactory(objective=objective, ref=f"1.1.{i}", due_on=today - datetime.timedelta(days=100 - i))
        for i in range(1, LIMIT + 6)
    ]
    for action in actions:
        services.action_set_status(action=action, status="amber", reason=f"Started {action.ref}", by=None)
        services.progress_update_add(action=action, text=f"Note on {action.ref}", by=None)
    return plan


def test_dashboard_lists_the_longest_overdue_and_links_to_all_of_them(busy_plan, board_member, client_for):
    body = client_for(board_member).get(reverse("actionplan:plan_dashboard", args=[busy_plan.pk])).content.decode()
    total = LIMIT + 5
    assert f"Overdue actions ({total})" in body
    assert f"The {LIMIT} longest overdue of {total} are shown." in body
    assert f"See all {total} overdue actions" in body
    overdue = body[body.index('id="overdue-heading"') : body.index('id="changes-heading"')]
    assert ">1.1.1</a>" in overdue  # the longest overdue
    assert f">1.1.{total}</a>" not in overdue  # the least overdue is on the full list only


def test_dashboard_counts_every_change_since_the_date_and_links_to_the_full_lists(busy_plan, secretariat, client_for):
    since = timezone.localdate() - datetime.timedelta(days=1)
    url = reverse("actionplan:plan_dashboard", args=[busy_plan.pk])
    body = client_for(secretariat).get(url, {"since": since.isoformat()}).content.decode()
    total = LIMIT + 5
    assert f"Status changes ({total})" in body
    assert f"Progress updates ({total})" in body
    assert body.count(f"The newest {LIMIT} of {total} are shown.") == 2
    history = reverse("actionplan:status_history", args=[busy_plan.pk])
    updates = reverse("actionplan:progress_updates", args=[busy_plan.pk])
    assert f'href="{history}?since={since.isoformat()}"' in body
    assert f'href="{updates}?since={since.isoformat()}"' in body


def test_status_history_since_a_date_lists_the_changes_the_dashboard_counts(busy_plan, board_member, client_for):
    action = busy_plan.actions.first()
    old_change = StatusChange.objects.create(action=action, old="red", new="amber", reason="Long ago", by=None)
    StatusChange.objects.filter(pk=old_change.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    since = timezone.localdate() - datetime.timedelta(days=1)
    url = reverse("actionplan:status_history", args=[busy_plan.pk])
    client = client_for(board_member)
    body = client.get(url, {"since": since.isoformat()}).content.decode()
    assert f"{LIMIT + 5} status changes since" in body
    assert "Long ago" not in body
    assert "New action" not in body  # the dashboard counts changes of status, not new actions
    everything = client.get(url).content.decode()
    assert "Long ago" in everything
    assert "New action" in everything


def test_status_history_and_progress_updates_are_paginated(busy_plan, board_member, client_for, monkeypatch):
    monkeypatch.setattr(views, "HISTORY_PER_PAGE", 10)
    client = client_for(board_member)
    updates = client.get(reverse("actionplan:progress_updates", args=[busy_plan.pk])).content.decode()
    assert f"{ProgressUpdate.objects.count()} progress updates, newest first: page 1 of 3." in updates
    assert "Pages of progress updates" in updates
    history = client.get(reverse("actionplan:status_history", args=[busy_plan.pk]), {"page": 2}).content.decode()
    assert "page 2 of" in history


def test_progress_updates_since_a_date_leave_out_older_ones(plan, action_a, board_member, client_for):
    services.progress_update_add(action=action_a, text="Governors agreed the policy.", by=None)
    ProgressUpdate.objects.create(
        action=action_a, text="Policy first drafted.", date=timezone.localdate() - datetime.timedelta(days=200)
    )
    url = reverse("actionplan:progress_updates", args=[plan.pk])
    since = timezone.localdate() - datetime.timedelta(days=30)
    body = client_for(board_member).get(url, {"since": since.isoformat()}).content.decode()
    assert "Governors agreed the policy." in body
    assert "Policy first drafted." not in body
    assert "1 progress updates since" in body


def test_a_status_change_shows_on_the_dashboard_and_the_board_s_home_page_at_once(
    plan, action_a, secretariat, board_member, client_for
):
    """The dashboard's counts and the board's RAG counts are kept between views, and counted again as
    soon as someone changes an action's status."""
    board = client_for(board_member)
    dashboard = reverse("actionplan:plan_dashboard", args=[plan.pk])

    def counts(html, label):
        row = html[html.index(label) :]
        return re.findall(r'<td class="text-end">(\d+)</td>', row)[:4]  # red, amber, green, blue

    assert counts(board.get(dashboard).content.decode(), "All priorities") == ["1", "0", "0", "0"]
    assert "1 action —\n    1 " in board.get("/").content.decode()

    response = client_for(secretariat).post(
        reverse("actionplan:status_change", args=[action_a.pk]), {"status": "green", "reason": "Policy reviewed."}
    )
    assert response.status_code == 302

    body = board.get(dashboard).content.decode()
    assert counts(body, "All priorities") == ["0", "0", "1", "0"]
    assert "Overdue actions (0)" in body
    home = board.get("/").content.decode()
    assert "1 action —\n    0 " in home and "<strong>0 overdue</strong>" in home


def test_the_plan_table_is_kept_rendered_and_shows_a_status_change_on_the_next_view(
    plan, action_a, secretariat, board_member, client_for, django_assert_max_num_queries
):
    board = client_for(board_member)
    table = reverse("actionplan:plan_table", args=[plan.pk])
    amber = re.compile(r'<span class="badge rag rag-amber">Amber')
    assert not amber.search(board.get(table).content.decode())
    with django_assert_max_num_queries(5):  # asked again, unchanged: the rendered table from the cache
        board.get(table)

    response = client_for(secretariat).post(
        reverse("actionplan:status_change", args=[action_a.pk]), {"status": "amber", "reason": "Started."}
    )
    assert response.status_code == 302
    assert amber.search(board.get(table).content.decode())
