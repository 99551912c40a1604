"""The secretariat runs the plan; leads update their actions; everyone sees the dashboard and table."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action, ProgressUpdate
from tests.factories import ActionFactory, ObjectiveFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def test_lead_posts_a_progress_note_and_moves_the_action_to_amber(action_a, champion_a, client_for):
    response = client_for(champion_a).post(
        reverse("actionplan:progress_update", args=[action_a.pk]),
        {"text": "Draft policy shared with governors.", "status": "amber", "reason": ""},
        follow=True,
    )
    assert "Status is now Amber — in progress" in response.content.decode()
    action_a.refresh_from_db()
    assert action_a.status == "amber"
    change = action_a.status_changes.first()
    assert (change.old, change.new, change.by, change.reason) == (
        "red",
        "amber",
        champion_a,
        "Draft policy shared with governors.",
    )
    assert ProgressUpdate.objects.get(action=action_a).by == champion_a


def test_an_empty_progress_note_is_refused_with_a_message(action_a, champion_a, client_for):
    response = client_for(champion_a).post(
        reverse("actionplan:progress_update", args=[action_a.pk]), {"text": "  ", "status": "green"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    action_a.refresh_from_db()
    assert action_a.status == "red"
    assert not ProgressUpdate.objects.exists()


def test_a_status_change_without_a_reason_is_refused(action_a, champion_a, client_for):
    response = client_for(champion_a).post(
        reverse("actionplan:status_change", args=[action_a.pk]), {"status": "green", "reason": ""}
    )
    assert response.status_code == 400
    assert Action.objects.get(pk=action_a.pk).status == "red"


def test_secretariat_adds_an_action_with_a_group_lead(plan, objective, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:action_create", args=[plan.pk]),
        {
            "objective": objective.pk,
            "action": "Publicise CEOP reporting to parents",
            "lead_text": "e-Safety Working Group",
            "due_on": "2026-09-30",
            "status": "amber",
        },
    )
    action = Action.objects.get(action="Publicise CEOP reporting to parents")
    assert response["Location"] == action.get_absolute_url()
    assert (action.ref, action.status, action.due_on) == ("1.1.1", "amber", datetime.date(2026, 9, 30))


def test_an_action_needs_a_lead_and_a_timescale(plan, objective, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:action_create", args=[plan.pk]),
        {"objective": objective.pk, "action": "Something", "ongoing": "on", "due_on": "2026-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Name a lead" in body
    assert "An ongoing action has a review date, not a due date." in body
    assert "Give the date the ongoing action will be reviewed." in body
    assert not Action.objects.exists()


def test_a_source_link_must_be_a_web_address(plan, objective, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:action_create", args=[plan.pk]),
        {
            "objective": objective.pk,
            "action": "Follow up the audit gap",
            "lead_text": "All agencies",
            "due_on": "2026-09-30",
            "status": "red",
            "source_label": "Audit gap",
            "source_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    assert "Give a link starting with / or https://." in response.content.decode()
    assert not Action.objects.exists()


def test_editing_an_action_keeps_its_status_and_history(action_a, secretariat, agency_b, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:action_edit", args=[action_a.pk]),
        {
            "objective": action_a.objective_id,
            "ref": "1.1.1",
            "action": "Review and republish the acceptable use policy",
            "lead_agency": agency_b.pk,
            "due_on": "2026-12-31",
            "version": action_a.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    action_a.refresh_from_db()
    assert (action_a.action, action_a.lead_agency, action_a.status) == (
        "Review and republish the acceptable use policy",
        agency_b,
        "red",
    )


def test_an_edit_over_someone_elses_newer_change_is_refused(action_a, secretariat, admin_user, client_for):
    from actionplan import services

    opened_at = action_a.updated_at.isoformat()
    services.action_update(action=action_a, by=admin_user, changes={"success_measure": "Policy on website"})
    response = client_for(secretariat).post(
        reverse("actionplan:action_edit", args=[action_a.pk]),
        {
            "objective": action_a.objective_id,
            "ref": "1.1.1",
            "action": "My older edit",
            "lead_text": "All agencies",
            "due_on": "2026-12-31",
            "version": opened_at,
        },
    )
    assert response.status_code == 400
    assert "Someone else changed this action" in response.content.decode()
    action_a.refresh_from_db()
    assert (action_a.action, action_a.success_measure) == ("Review the acceptable use policy", "Policy on website")


def test_archiving_an_action_takes_it_off_the_lists_but_keeps_it(action_a, secretariat, client_for, plan):
    client = client_for(secretariat)
    client.post(reverse("actionplan:action_archive", args=[action_a.pk]))
    assert Action.objects.get(pk=action_a.pk).archived_at is not None
    table = client.get(reverse("actionplan:plan_table", args=[plan.pk])).content.decode()
    assert "Review the acceptable use policy" not in table
    detail = client.get(action_a.get_absolute_url()).content.decode()
    assert "Archived" in detail


def test_the_action_list_filters_overdue_red_actions(plan, objective, action_a, action_b, secretariat, client_for):
    ActionFactory(
        objective=objective,
        ref="1.1.3",
        action="Late but in progress",
        status="amber",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    response = client_for(secretariat).get(reverse("actionplan:action_list"), {"status": "red", "overdue": "yes"})
    body = response.content.decode()
    assert "Review the acceptable use policy" in body
    assert "Train youth workers" not in body  # red but not overdue
    assert "Late but in progress" not in body  # overdue but amber
    not_overdue = client_for(secretariat).get(reverse("actionplan:action_list"), {"overdue": "no"}).content.decode()
    assert "Train youth workers" in not_overdue
    assert "Review the acceptable use policy" not in not_overdue


def test_the_action_list_sorts_by_timescale(plan, action_a, action_b, secretariat, client_for):
    body = client_for(secretariat).get(reverse("actionplan:action_list"), {"sort": "-timescale"}).content.decode()
    assert body.index("Train youth workers") < body.index("Review the acceptable use policy")


def test_the_dashboard_shows_rag_counts_as_a_chart_and_a_table(plan, action_a, action_b, board_member, client_for):
    body = client_for(board_member).get(reverse("actionplan:dashboard")).content.decode()
    assert 'class="chart rag-chart" role="img"' in body
    assert "1. Leadership and governance: 2 actions, 2 Red" in body
    assert "Overdue actions (1)" in body
    assert "Add an action" not in body  # read-only for the board


def test_changed_since_lists_status_changes_after_the_date(action_a, champion_a, secretariat, client_for, plan):
    from actionplan import services

    services.action_set_status(action=action_a, status="amber", reason="Policy drafted", by=champion_a)
    url = reverse("actionplan:plan_dashboard", args=[plan.pk])
    today = timezone.localdate()
    recent = client_for(secretariat).get(url, {"since": today.isoformat()}).content.decode()
    assert "Policy drafted" in recent
    future = client_for(secretariat).get(url, {"since": (today + datetime.timedelta(days=1)).isoformat()})
    assert "Policy drafted" not in future.content.decode()
    assert "No status has changed since" in future.content.decode()


def test_the_plan_table_shows_the_familiar_columns(plan, action_a, secretariat, client_for):
    from actionplan import services

    services.progress_update_add(action=action_a, text="Governors meet in May.", by=secretariat)
    body = client_for(secretariat).get(reverse("actionplan:plan_table", args=[plan.pk])).content.decode()
    for heading in ("Method", "Action", "Lead responsibility", "Timescale", "Success measure / milestones"):
        assert f'<th scope="col">{heading}</th>' in body
    assert "Priority 1. Leadership and governance" in body
    assert "Red — not achieved" in body
    assert "Overdue" in body
    assert "Governors meet in May." in body
    assert "plan-print.css" in body


def _grow_plan(plan, agency, n):
    for p in range(1, 4):
        priority = PriorityFactory(plan=plan, number=10 + p + n)
        objective = ObjectiveFactory(priority=priority)
        for i in range(n):
            action = ActionFactory(
                objective=objective,
                lead_agency=agency if i % 2 else None,
                status=["red", "amber", "green", "blue"][i % 4],
                due_on=timezone.localdate() - datetime.timedelta(days=i - 2),
            )
            from actionplan import services

            services.progress_update_add(action=action, text=f"Update {i}", by=None)


# Every page: session and user (2), and, on the first page after logging in, the session renewed (savepoint, update, release: 3).
# Dashboard: + plan, priorities, RAG counts per priority, overdue list, status changes since, updates since,
# and how many changes and updates there are in all (7).
DASHBOARD_QUERIES = 12
# Table: + plan, priorities, objectives, actions with their latest update as a subquery (4).
TABLE_QUERIES = 9
# Action list: + current plan, row count, the page of rows, priority and lead agency choices (5).
LIST_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_dashboard_table_and_list_use_a_fixed_number_of_queries(
    plan, agency_a, secretariat, client_for, django_assert_max_num_queries, size
):
    _grow_plan(plan, agency_a, size)
    client = client_for(secretariat)
    client.get(reverse("actionplan:dashboard"))  # warm the session
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(reverse("actionplan:plan_dashboard", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(TABLE_QUERIES):
        assert client.get(reverse("actionplan:plan_table", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(reverse("actionplan:action_list")).status_code == 200


def test_home_page_shows_champions_the_actions_their_agency_leads_overdue_first(
    plan, action_a, objective, agency_a, champion_a, client_for
):
    ActionFactory(objective=objective, ref="1.1.9", action="Later action", lead_agency=agency_a, lead_text="")
    body = client_for(champion_a).get(reverse("home")).content.decode()
    assert "Actions you lead in the action plan" in body
    assert body.index("Review the acceptable use policy") < body.index("Later action")


def test_home_page_gives_the_secretariat_the_overdue_count(plan, action_a, secretariat, client_for):
    body = client_for(secretariat).get(reverse("home")).content.decode()
    assert "1 action overdue" in body


def test_home_page_gives_the_board_the_rag_counts(plan, action_a, action_b, board_member, client_for):
    body = client_for(board_member).get(reverse("home")).content.decode()
    assert "2 actions" in body
    assert "1 overdue" in body


def test_agency_page_lists_the_actions_it_leads_with_status_words(action_a, action_b, agency_a, champion_a, client_for):
    body = client_for(champion_a).get(reverse("agencies:detail", args=[agency_a.pk])).content.decode()
    assert "Actions Northfield Academy leads in the action plan" in body
    assert "Review the acceptable use policy" in body
    assert "Red — not achieved" in body
    assert "Train youth workers" not in body


def test_the_nav_links_to_the_action_plan(staff_a, client_for):
    assert 'href="/action-plan/">Action plan</a>' in client_for(staff_a).get(reverse("home")).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_home_and_agency_sections_cost_the_same_whatever_the_number_of_actions(
    plan, objective, agency_a, champion_a, secretariat, board_member, client_for
):
    """The sections add a fixed handful of queries (other apps' sections share these pages, so
    compare the page with few and with many actions rather than pinning a total)."""
    urls = [reverse("home"), reverse("agencies:detail", args=[agency_a.pk])]
    clients = [client_for(champion_a), client_for(secretariat), client_for(board_member)]
    for client in clients:
        client.get(urls[0])  # warm the session
    ActionFactory(objective=objective, lead_agency=agency_a, lead_text="")
    few = [_queries(c, u) for c in clients for u in urls]
    for i in range(15):
        ActionFactory(
            objective=objective,
            lead_agency=agency_a,
            lead_text="",
            due_on=timezone.localdate() - datetime.timedelta(days=i),
            status="red" if i % 2 else "amber",
        )
    many = [_queries(c, u) for c in clients for u in urls]
    assert many == few


def test_a_long_plan_table_comes_a_page_at_a_time_with_its_headings_on_every_page(plan, objective, secretariat):
    from actionplan import selectors

    for n in range(1, 4):
        ActionFactory(objective=objective, ref=f"1.1.{n}")
    empty = ObjectiveFactory(priority=objective.priority, number="1.2", title="Nothing here yet")
    later = PriorityFactory(plan=plan, number=2, title="Education")
    ActionFactory(objective=ObjectiveFactory(priority=later, number="2.1"), ref="2.1.1")
    PriorityFactory(plan=plan, number=3, title="No objectives yet")

    def shown(page_number):
        table = selectors.plan_table(plan, page_number=page_number, per_page=2)
        return [
            (p.number, [(o.number, [a.ref for a in o.page_actions]) for o in p.page_objectives])
            for p in table.priorities
        ]

    assert shown(1) == [(1, [("1.1", ["1.1.1", "1.1.2"])])]
    # The empty objective shows where it falls; the last page carries what comes after the last action.
    assert shown(2) == [(1, [("1.1", ["1.1.3"]), (empty.number, [])]), (2, [("2.1", ["2.1.1"])]), (3, [])]
    assert shown(9) == shown(2)


def test_the_plan_table_links_its_pages(plan, objective, secretariat, client_for, monkeypatch):
    from actionplan import views

    monkeypatch.setattr(views, "PLAN_TABLE_PER_PAGE", 2)
    for n in range(1, 4):
        ActionFactory(objective=objective, ref=f"1.1.{n}")
    url = reverse("actionplan:plan_table", args=[plan.pk])
    body = client_for(secretariat).get(url, {"page": 2}).content.decode()
    assert "1.1.3" in body and ">1.1.1<" not in body
    assert "page 2 of 2" in body and 'href="?page=1"' in body


@pytest.mark.parametrize(
    ("persona", "linked"),
    [("champion_a", True), ("staff_a", True), ("secretariat", True), ("board_member", True), ("champion_b", False)],
)
def test_the_lead_agency_is_linked_only_for_those_who_may_open_its_page(
    action_a, personas, client_for, persona, linked
):
    page = client_for(personas[persona]).get(action_a.get_absolute_url()).content.decode()
    agency_page = action_a.lead_agency.get_absolute_url()
    assert "Northfield Academy" in page
    assert (f'href="{agency_page}"' in page) is linked
    if linked:
        assert client_for(personas[persona]).get(agency_page).status_code == 200
