"""In a real browser: the secretariat finds the overdue red actions; a lead moves one to Amber."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplan.models import Action
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PriorityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_filters_overdue_red_and_lead_moves_one_to_amber(
    page, log_in, screenshot, secretariat, champion_a, agency_a, agency_b
):
    today = timezone.localdate()
    plan = PlanFactory(name="E-safety strategy action plan", period="2025-27")
    leadership = PriorityFactory(plan=plan, number=1, title="Leadership and governance")
    education = PriorityFactory(plan=plan, number=2, title="Education and training")
    policies = ObjectiveFactory(priority=leadership, number="1.1", title="Every agency has an e-safety policy")
    training = ObjectiveFactory(priority=education, number="2.1", title="Staff are trained")
    ActionFactory(
        objective=policies,
        ref="1.1.1",
        action="Review the acceptable use policy with governors",
        lead_agency=agency_a,
        lead_text="",
        due_on=today - datetime.timedelta(days=20),
    )
    ActionFactory(
        objective=policies,
        ref="1.1.2",
        action="Publish the policy on every agency website",
        lead_text="All agencies",
        due_on=today + datetime.timedelta(days=40),
    )
    ActionFactory(
        objective=training,
        ref="2.1.1",
        action="Deliver ESLO training twice a year",
        lead_agency=agency_b,
        lead_text="",
        status="amber",
        due_on=today - datetime.timedelta(days=5),
    )
    ActionFactory(
        objective=training,
        ref="2.1.2",
        action="Run Safer Internet Day in youth clubs",
        lead_agency=agency_b,
        lead_text="",
        status="green",
        due_on=today - datetime.timedelta(days=60),
    )

    # The secretariat opens the plan and narrows the list to overdue red actions.
    log_in(secretariat)
    page.get_by_role("link", name="Action plan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("E-safety strategy action plan")
    expect(page.get_by_role("heading", name="Overdue actions (2)")).to_be_visible()
    screenshot("actionplan-dashboard")
    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_label("Red — not achieved").check()
    page.get_by_label("Overdue", exact=True).select_option(label="Overdue only")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Review the acceptable use policy with governors")
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.first).to_contain_text("Red — not achieved")
    screenshot("actionplan-overdue-red")

    # The lead — the champion of Northfield Academy — finds the action on the home page and moves it to Amber.
    log_in(champion_a)
    expect(page.get_by_role("heading", name="Actions you lead in the action plan")).to_be_visible()
    page.get_by_role("link", name="1.1.1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 1.1.1")
    page.get_by_label("Progress note").fill("Governors reviewed the draft on Tuesday; final version due next month.")
    page.get_by_label("Change the status to").select_option(label="Amber — in progress")
    screenshot("actionplan-lead-update")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("Status is now Amber — in progress")).to_be_visible()
    history = page.get_by_role("region", name="Status history")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Red")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Amber")
    expect(history.get_by_role("row").nth(1)).to_contain_text(champion_a.full_name)
    expect(page.get_by_role("region", name="Progress updates")).to_contain_text("Governors reviewed the draft")
    screenshot("actionplan-lead-amber")
    assert Action.objects.get(ref="1.1.1").status == "amber"

    # Back on the secretariat's filter, the action has left the overdue red list.
    log_in(secretariat)
    page.goto("/action-plan/actions/?status=red&overdue=yes")
    expect(page.get_by_text("No actions match these filters.")).to_be_visible()
    page.goto("/action-plan/")
    expect(page.get_by_role("heading", name="Status changes (1)")).to_be_visible()
    screenshot("actionplan-dashboard-after")

    # The plan as the seeds' familiar table, on screen and as it prints.
    page.get_by_role("link", name="The plan as a table").click()
    expect(page.get_by_role("row").filter(has_text="1.1.1")).to_contain_text("Amber — in progress")
    expect(page.get_by_text("Priority 2. Education and training")).to_be_visible()
    screenshot("actionplan-table")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    screenshot("actionplan-table-print")


def test_secretariat_archives_last_periods_plan_and_brings_it_back(page, log_in, screenshot, secretariat, board_member):
    PlanFactory(name="E-safety strategy action plan", period="2025-27")
    PlanFactory(name="E-safety strategy action plan", period="2022-24", is_current=False)

    log_in(secretariat)
    page.goto("/action-plan/plans/")
    # The current plan has no archive button; last period's has one, named for the plan.
    expect(page.get_by_role("button", name="Archive E-safety strategy action plan (2025-27)")).to_have_count(0)
    page.get_by_role("button", name="Archive E-safety strategy action plan (2022-24)").click()
    expect(page.get_by_text("E-safety strategy action plan (2022-24) has been archived.")).to_be_visible()
    expect(page.get_by_role("link", name="E-safety strategy action plan (2022-24)", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Archived plans")).to_be_visible()
    screenshot("actionplan-plan-archived")

    # A board member sees only the plans in use, and nothing to archive or restore.
    log_in(board_member)
    page.goto("/action-plan/plans/")
    expect(page.get_by_role("link", name="E-safety strategy action plan (2025-27)", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Archived plans")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^(Archive|Restore)"))).to_have_count(0)

    log_in(secretariat)
    page.goto("/action-plan/plans/")
    page.get_by_role("button", name="Restore E-safety strategy action plan (2022-24)").click()
    expect(page.get_by_text("E-safety strategy action plan (2022-24) is back among the action plans.")).to_be_visible()
    page.get_by_role("link", name="E-safety strategy action plan (2022-24)", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2022-24")
