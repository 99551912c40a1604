"""The secretariat sets up a plan: its details, strategic priorities and objectives."""

import pytest
from django.urls import reverse

from actionplan.models import Objective, Plan, Priority

pytestmark = pytest.mark.django_db


def test_secretariat_creates_a_new_current_plan_and_the_old_one_steps_down(plan, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:plan_create"),
        {"name": "E-safety strategy action plan", "period": "2027-29", "is_current": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    new = Plan.objects.get(period="2027-29")
    assert response["Location"] == reverse("actionplan:plan_structure", args=[new.pk])
    plan.refresh_from_db()
    assert new.is_current and not plan.is_current


def test_a_plan_name_and_period_cannot_be_repeated(plan, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("actionplan:plan_create"), {"name": plan.name, "period": plan.period}
    )
    assert response.status_code == 400
    assert "There is already a plan with this name for this period." in response.content.decode()
    assert Plan.objects.count() == 1


def test_secretariat_adds_priorities_and_objectives(plan, secretariat, client_for):
    client = client_for(secretariat)
    client.post(reverse("actionplan:priority_create", args=[plan.pk]), {"number": 1, "title": "Leadership"})
    priority = Priority.objects.get(plan=plan)
    duplicate = client.post(reverse("actionplan:priority_create", args=[plan.pk]), {"number": 1, "title": "Again"})
    assert duplicate.status_code == 400
    assert "already has a priority with this number" in duplicate.content.decode()
    client.post(
        reverse("actionplan:objective_create", args=[plan.pk]),
        {"priority": priority.pk, "number": "1.1", "title": "Named champions"},
    )
    assert Objective.objects.get(priority=priority).title == "Named champions"
    page = client.get(reverse("actionplan:plan_structure", args=[plan.pk])).content.decode()
    assert "1.1 Named champions" in page


def test_an_objective_cannot_be_put_under_another_plans_priority(plan, secretariat, client_for):
    from tests.factories import PlanFactory, PriorityFactory

    other = PriorityFactory(plan=PlanFactory(name="Old plan", period="2020-22", is_current=False), number=1)
    response = client_for(secretariat).post(
        reverse("actionplan:objective_create", args=[plan.pk]), {"priority": other.pk, "number": "1.1", "title": "X"}
    )
    assert response.status_code == 400
    assert not Objective.objects.exists()


def test_an_empty_plan_has_a_dashboard_without_a_chart(plan, board_member, client_for):
    body = client_for(board_member).get(reverse("actionplan:dashboard")).content.decode()
    assert "rag-chart" not in body
    assert "This plan has no priorities yet." in body


def test_with_no_plan_the_dashboard_sends_people_to_the_list_of_plans(db, secretariat, client_for):
    response = client_for(secretariat).get(reverse("actionplan:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("actionplan:plan_list")
    assert "There is no action plan yet." in response.content.decode()
