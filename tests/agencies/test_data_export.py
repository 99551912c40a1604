"""An administrator exports everything held about an agency for a subject access request."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from agencies.data_export import agency_models
from tests.factories import ActionFactory, IncidentFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_kind_of_record_of_the_agency_and_nothing_of_another(
    admin_user, client_for, agency_a, agency_b, champion_a, staff_a
):
    incident = IncidentFactory(agency=agency_a, reporter=staff_a, description="Messages in a group chat")
    ReferralFactory(incident=incident)
    ActionFactory(lead_agency=agency_a, lead_text="")
    IncidentFactory(agency=agency_b, description="Agency B's incident")
    response = client_for(admin_user).get(reverse("agencies:data_export", args=[agency_a.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "agencies.Agency.json",
        "incidents.Incident.json",
        "incidents.Referral.json",
        "champions.Nomination.json",
        "agencies.Membership.json",
        "actionplan.Action.json",
        "people.json",
        "README.txt",
    } <= names
    incidents = json.loads(archive.read("incidents.Incident.json"))
    assert [row["fields"]["description"] for row in incidents] == ["Messages in a group chat"]
    people = json.loads(archive.read("people.json"))
    assert {champion_a.email, staff_a.email} <= {p["email"] for p in people}
    assert "password" not in archive.read("people.json").decode()


def test_every_model_that_belongs_to_an_agency_is_found():
    labels = {model._meta.label for model, _path in agency_models()}
    assert {
        "incidents.Incident",
        "incidents.ChronologyEntry",
        "audits.Answer",
        "audits.Evidence",
        "actionplan.ProgressUpdate",
        "champions.Nomination",
    } <= labels


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "secretariat", "board_member", "safeguarding_lead"])
def test_only_administrators_export_an_agencys_data(personas, agency_a, client_for, persona):
    response = client_for(personas[persona]).get(reverse("agencies:data_export", args=[agency_a.pk]))
    assert response.status_code in (403, 404)
