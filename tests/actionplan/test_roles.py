"""Who may do what in the action plan, for every view and every persona.

Everyone who logs in reads the plan (it is not restricted data). The secretariat and
administrators edit it. An action's lead — a champion of its lead agency — posts updates and
changes its status. Board members, safeguarding leads, staff and other agencies' champions
get 403 on every write.
"""

import pytest
from django.urls import reverse

from actionplan.models import Action, ProgressUpdate, StatusChange

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "staff_a",
    "champion_a",
    "champion_b",
    "secretariat",
    "board_member",
    "safeguarding_lead",
    "admin",
]

READ = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
EDITORS_ONLY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "secretariat": 200, "admin": 200}
# action_a is led by agency A: its champion is its lead.
LEAD_OR_EDITORS = EDITORS_ONLY | {"champion_a": 200}


def _urls(plan, action):
    priority = plan.priorities.first()
    objective = action.objective
    return {
        "dashboard": (reverse("actionplan:dashboard"), READ),
        "plan_list": (reverse("actionplan:plan_list"), READ),
        "plan_dashboard": (reverse("actionplan:plan_dashboard", args=[plan.pk]), READ),
        "plan_table": (reverse("actionplan:plan_table", args=[plan.pk]), READ),
        "status_history": (reverse("actionplan:status_history", args=[plan.pk]), READ),
        "progress_updates": (reverse("actionplan:progress_updates", args=[plan.pk]), READ),
        "export_csv": (reverse("actionplan:plan_export", args=[plan.pk, "csv"]), READ),
        "export_xlsx": (reverse("actionplan:plan_export", args=[plan.pk, "xlsx"]), READ),
        "action_list": (reverse("actionplan:action_list"), READ),
        "action_detail": (reverse("actionplan:action_detail", args=[action.pk]), READ),
        "plan_create": (reverse("actionplan:plan_create"), EDITORS_ONLY),
        "plan_edit": (reverse("actionplan:plan_edit", args=[plan.pk]), EDITORS_ONLY),
        "plan_structure": (reverse("actionplan:plan_structure", args=[plan.pk]), EDITORS_ONLY),
        "priority_create": (reverse("actionplan:priority_create", args=[plan.pk]), EDITORS_ONLY),
        "priority_edit": (reverse("actionplan:priority_edit", args=[plan.pk, priority.pk]), EDITORS_ONLY),
        "objective_create": (reverse("actionplan:objective_create", args=[plan.pk]), EDITORS_ONLY),
        "objective_edit": (reverse("actionplan:objective_edit", args=[plan.pk, objective.pk]), EDITORS_ONLY),
        "action_create": (reverse("actionplan:action_create", args=[plan.pk]), EDITORS_ONLY),
        "action_edit": (reverse("actionplan:action_edit", args=[action.pk]), EDITORS_ONLY),
        "plan_import": (reverse("actionplan:plan_import", args=[plan.pk]), EDITORS_ONLY),
        "progress_update": (reverse("actionplan:progress_update", args=[action.pk]), LEAD_OR_EDITORS),
        "status_change": (reverse("actionplan:status_change", args=[action.pk]), LEAD_OR_EDITORS),
    }


VIEW_NAMES = [
    "dashboard",
    "plan_list",
    "plan_dashboard",
    "plan_table",
    "status_history",
    "progress_updates",
    "export_csv",
    "export_xlsx",
    "action_list",
    "action_detail",
    "plan_create",
    "plan_edit",
    "plan_structure",
    "priority_create",
    "priority_edit",
    "objective_create",
    "objective_edit",
    "action_create",
    "action_edit",
    "plan_import",
    "progress_update",
    "status_change",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_each_action_plan_page_answers_each_role(personas, plan, action_a, client_for, persona, view):
    url, expected = _urls(plan, action_a)[view]
    response = client_for(personas[persona]).get(url)
    assert response.status_code == expected[persona], f"{persona} on {view}"
    if expected[persona] == 302:
        assert response["Location"].startswith(reverse("login"))


REFUSED_WRITERS = ["staff_a", "champion_b", "board_member", "safeguarding_lead"]


@pytest.mark.parametrize("persona", REFUSED_WRITERS)
def test_read_only_roles_cannot_post_an_update_or_change_the_status(personas, action_a, client_for, persona):
    client = client_for(personas[persona])
    update = client.post(
        reverse("actionplan:progress_update", args=[action_a.pk]), {"text": "Sneaky", "status": "green"}
    )
    status = client.post(
        reverse("actionplan:status_change", args=[action_a.pk]), {"status": "green", "reason": "Sneaky"}
    )
    assert (update.status_code, status.status_code) == (403, 403)
    assert not ProgressUpdate.objects.exists()
    assert StatusChange.objects.filter(action=action_a).count() == 1


@pytest.mark.parametrize("persona", [*REFUSED_WRITERS, "champion_a"])
def test_only_the_secretariat_edits_archives_or_imports(personas, plan, action_a, client_for, persona):
    client = client_for(personas[persona])
    responses = [
        client.post(reverse("actionplan:action_archive", args=[action_a.pk])),
        client.post(reverse("actionplan:action_edit", args=[action_a.pk]), {"action": "Changed"}),
        client.post(reverse("actionplan:plan_create"), {"name": "Rogue plan", "period": "2030"}),
        client.post(reverse("actionplan:priority_create", args=[plan.pk]), {"number": 9, "title": "Rogue"}),
        client.post(reverse("actionplan:plan_import", args=[plan.pk]), {}),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    action_a.refresh_from_db()
    assert action_a.archived_at is None
    assert action_a.action == "Review the acceptable use policy"
    assert plan.priorities.count() == 1


def test_champion_cannot_change_an_action_another_agency_leads(champion_a, action_b, client_for):
    client = client_for(champion_a)
    assert client.get(reverse("actionplan:action_detail", args=[action_b.pk])).status_code == 200
    response = client.post(
        reverse("actionplan:status_change", args=[action_b.pk]), {"status": "amber", "reason": "Not mine"}
    )
    assert response.status_code == 403
    assert Action.objects.get(pk=action_b.pk).status == "red"
    detail = client.get(reverse("actionplan:action_detail", args=[action_b.pk]))
    assert b"Post a progress update" not in detail.content
    assert b"Change the status" not in detail.content


def test_the_named_lead_person_may_update_their_action(objective, staff_a, client_for):
    from tests.factories import ActionFactory

    action = ActionFactory(objective=objective, lead_person=staff_a, lead_text="")
    response = client_for(staff_a).post(
        reverse("actionplan:status_change", args=[action.pk]), {"status": "amber", "reason": "Started"}
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == "amber"


def test_an_archived_action_takes_no_more_updates(action_a, champion_a, secretariat, client_for):
    from actionplan.services import action_archive

    action_archive(action=action_a, by=secretariat)
    response = client_for(champion_a).get(reverse("actionplan:progress_update", args=[action_a.pk]))
    assert response.status_code == 404


def test_an_unknown_action_is_404(client_for, secretariat):
    assert client_for(secretariat).get(reverse("actionplan:action_detail", args=[999999])).status_code == 404
