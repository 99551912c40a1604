"""The demo plan step loads the YAML plan, links leads to agencies, and is safe to run twice."""

import datetime
import random

import pytest
from django.utils import timezone

from actionplan import demo
from actionplan.models import Action, Plan, StatusChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PLAN_YAML = """
name: E-safety strategy action plan
period: 2025-27
priorities:
  - number: 1
    title: Leadership and governance
    objectives:
      - number: "1.1"
        title: Every agency has an e-safety lead
        actions:
          - ref: "1.1.1"
            method: Nominations
            action: Each agency to identify an ESLO
            lead: All agencies
            success_measure: Every agency has an ESLO
            due_offset_days: -30
            status: red
            updates: []
          - ref: "1.1.2"
            method: Policy
            action: Review the acceptable use policy
            lead: Northfield Academy
            success_measure: Policy adopted
            ongoing: true
            review_offset_days: 60
            status: blue
            updates:
              - offset_days: -90
                text: Draft written.
              - offset_days: -20
                text: Adopted by governors; reviewed each year.
"""


class Ctx:
    def __init__(self, agencies, users):
        self.today = datetime.date(2026, 6, 1)
        self.rng = random.Random(1)
        self.agencies = agencies
        self.users = users
        self.log = []


def test_demo_plan_is_loaded_once_with_leads_and_history(tmp_path, monkeypatch, agency_a, secretariat, champion_a):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_YAML)
    monkeypatch.setattr(demo, "PLAN_FILE", path)
    ctx = Ctx({agency_a.name: agency_a}, {"secretariat": secretariat, "champion": champion_a, "admin": UserFactory()})
    demo.seed(ctx)
    demo.seed(ctx)
    plan = Plan.objects.get()
    assert plan.is_current
    assert Action.objects.count() == 2
    group = Action.objects.get(ref="1.1.1")
    assert (group.lead_text, group.due_on, group.status) == ("All agencies", datetime.date(2026, 5, 2), "red")
    led = Action.objects.get(ref="1.1.2")
    assert (led.lead_agency, led.ongoing, led.review_on, led.status) == (
        agency_a,
        True,
        datetime.date(2026, 7, 31),
        "blue",
    )
    assert [c.new for c in StatusChange.objects.filter(action=led).order_by("at", "pk")] == ["red", "amber", "blue"]
    assert led.updates.count() == 2


def test_the_shipped_demo_plan_loads_with_every_status_and_an_overdue_action(agency_a, secretariat, champion_a):
    import yaml

    data = yaml.safe_load(demo.PLAN_FILE.read_text(encoding="utf-8"))
    expected = {a["ref"] for p in data["priorities"] for o in p["objectives"] for a in o["actions"]}
    ctx = Ctx({agency_a.name: agency_a}, {"secretariat": secretariat, "champion": champion_a})
    ctx.today = timezone.localdate()  # offsets count from the day the demo is seeded
    demo.seed(ctx)
    actions = Action.objects.filter(plan__name=data["name"])
    assert set(actions.values_list("ref", flat=True)) == expected
    assert set(actions.values_list("status", flat=True)) == {"red", "amber", "green", "blue"}
    assert actions.filter(lead_agency=agency_a).exists()  # "Northfield Academy" became the lead agency
    assert Action.objects.overdue().exists()
