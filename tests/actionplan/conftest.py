import datetime

import pytest
from django.utils import timezone

from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PriorityFactory


@pytest.fixture
def plan(db):
    return PlanFactory(name="E-safety strategy action plan", period="2025-27")


@pytest.fixture
def objective(plan):
    priority = PriorityFactory(plan=plan, number=1, title="Leadership and governance")
    return ObjectiveFactory(priority=priority, number="1.1", title="Every agency has a named e-safety champion")


@pytest.fixture
def action_a(objective, agency_a):
    """An action Northfield Academy (agency A) leads, overdue and Red."""
    return ActionFactory(
        objective=objective,
        ref="1.1.1",
        action="Review the acceptable use policy",
        lead_agency=agency_a,
        lead_text="",
        due_on=timezone.localdate() - datetime.timedelta(days=10),
    )


@pytest.fixture
def action_b(objective, agency_b):
    """An action the youth service (agency B) leads."""
    return ActionFactory(
        objective=objective, ref="1.1.2", action="Train youth workers", lead_agency=agency_b, lead_text=""
    )
