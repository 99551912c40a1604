"""Gaps in a submitted return become actions in the action plan, linked back to the question."""

import pytest
from django.urls import reverse

from actionplan.models import Action
from audits import services
from audits.models import Answer, GapAction
from tests.audits.conftest import answer_all
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(db):
    return ObjectiveFactory()


@pytest.fixture
def submitted_with_gaps(return_a, champion_a):
    answer_all(return_a, champion_a, policy_in_place="no", training="no")
    return services.return_submit(audit_return=return_a, by=champion_a)


def _gap(r, key):
    return Answer.objects.get(audit_return=r, question__key=key)


@pytest.mark.parametrize("who", ["champion_a", "secretariat"])
def test_champion_or_secretariat_turn_chosen_gaps_into_linked_actions(
    who, submitted_with_gaps, objective, personas, client_for, agency_a
):
    r = submitted_with_gaps
    client = client_for(personas[who])
    url = reverse("audits:return_gaps", args=[r.pk])
    page = client.get(url).content.decode()
    assert "Choose the gaps to turn into actions" in page
    chosen = _gap(r, "training")
    response = client.post(url, {"answers": [chosen.pk], "objective": objective.pk, "due_on": "2027-03-31"})
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.objective == objective and action.lead_agency == agency_a and action.status == "red"
    assert action.source_url == f"{r.get_absolute_url()}#q-training"
    assert "Has there been e-safety training for staff?" in action.source_label
    assert GapAction.objects.get().answer == chosen
    # The gap now shows its action, and cannot be turned into a second one.
    again = client.post(url, {"answers": [chosen.pk], "objective": objective.pk})
    assert again.status_code == 200 and Action.objects.count() == 1


def test_choosing_nothing_is_explained(submitted_with_gaps, objective, champion_a, client_for):
    url = reverse("audits:return_gaps", args=[submitted_with_gaps.pk])
    page = client_for(champion_a).post(url, {"objective": objective.pk}).content.decode()
    assert "Tick at least one gap." in page and not Action.objects.exists()


def test_a_draft_return_only_lists_its_gaps(return_a, champion_a, objective, client_for):
    answer_all(return_a, champion_a, training="no")
    url = reverse("audits:return_gaps", args=[return_a.pk])
    page = client_for(champion_a).get(url).content.decode()
    assert "once the return has been submitted" in page and "Choose the gaps" not in page
    client_for(champion_a).post(url, {"answers": [_gap(return_a, "training").pk], "objective": objective.pk})
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("board_member", 403), ("safeguarding_lead", 403), ("champion_b", 404), ("anonymous", 302)],
)
def test_other_roles_cannot_make_actions_from_gaps(
    persona, status, submitted_with_gaps, objective, personas, client_for
):
    url = reverse("audits:return_gaps", args=[submitted_with_gaps.pk])
    response = client_for(personas[persona]).post(
        url, {"answers": [_gap(submitted_with_gaps, "training").pk], "objective": objective.pk}
    )
    assert response.status_code == status and not Action.objects.exists()


def test_the_gap_list_exports_as_csv(submitted_with_gaps, champion_a, client_for):
    response = client_for(champion_a).get(reverse("audits:return_gaps_csv", args=[submitted_with_gaps.pk]))
    rows = response.content.decode().strip().splitlines()
    assert rows[0].startswith("Agency,Year,Section") and len(rows) == 3
    assert "Is there an e-safety policy?" in rows[1] and "#q-policy_in_place" in rows[1]
