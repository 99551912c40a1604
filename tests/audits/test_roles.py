"""Every view refuses every role that must not use it: 404 for another agency's return, 403 for the rest."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits import services
from audits.models import Answer, AuditReturn, Evidence
from tests.audits.conftest import answer_all, section_post

pytestmark = pytest.mark.django_db

EVERYONE = {"staff_a", "champion_a", "champion_b", "secretariat", "board_member", "safeguarding_lead", "admin"}
PARTNERSHIP = {"secretariat", "board_member", "safeguarding_lead", "admin"}
MANAGERS = {"secretariat", "admin"}
SEE_RETURN_A = PARTNERSHIP | {"staff_a", "champion_a"}
ANSWER_A = {"champion_a"}

# name, method, who may, whether the URL names agency A's return (then champion_b gets a 404)
VIEWS = [
    ("audits:index", "get", EVERYONE, False),
    ("audits:template_list", "get", PARTNERSHIP, False),
    ("audits:template_version", "get", EVERYONE, False),
    ("audits:template_import", "get", MANAGERS, False),
    ("audits:template_import", "post", MANAGERS, False),
    ("audits:cycle_create", "get", MANAGERS, False),
    ("audits:cycle_create", "post", MANAGERS, False),
    ("audits:cycle_detail", "get", PARTNERSHIP, False),
    ("audits:collation", "get", PARTNERSHIP, False),
    ("audits:collation_csv", "get", PARTNERSHIP, False),
    ("audits:collation_xlsx", "get", PARTNERSHIP, False),
    ("audits:cycle_gaps", "get", PARTNERSHIP, False),
    ("audits:cycle_gaps_csv", "get", PARTNERSHIP, False),
    ("audits:return_detail", "get", SEE_RETURN_A, True),
    ("audits:return_changes", "get", SEE_RETURN_A, True),
    ("audits:return_gaps", "get", SEE_RETURN_A, True),
    ("audits:return_gaps_csv", "get", SEE_RETURN_A, True),
    ("audits:return_section", "get", ANSWER_A, True),
    ("audits:return_section", "post", ANSWER_A, True),
    ("audits:return_submit", "get", ANSWER_A, True),
    ("audits:return_submit", "post", ANSWER_A, True),
    ("audits:evidence_upload", "post", ANSWER_A, True),
    ("audits:evidence_download", "get", SEE_RETURN_A, True),
    ("audits:evidence_archive", "post", ANSWER_A, True),
    ("audits:return_send_back", "post", MANAGERS, False),
    ("audits:return_accept", "post", MANAGERS, False),
    ("audits:return_moderate", "get", MANAGERS, False),
    ("audits:return_moderate", "post", MANAGERS, False),
]

CASES = [
    pytest.param(name, method, persona, agency_scoped, id=f"{name.split(':')[1]}-{method}-{persona}")
    for name, method, allowed, agency_scoped in VIEWS
    for persona in sorted(({"anonymous"} | EVERYONE) - allowed)
]


@pytest.fixture
def world(return_a, champion_a, client_for):
    answer_all(return_a, champion_a, training="no")
    services.evidence_add(
        audit_return=return_a,
        uploaded_file=SimpleUploadedFile("policy.pdf", b"%PDF-1.4 test"),
        by=champion_a,
    )
    return return_a


def _url(name, r):
    evidence = Evidence.objects.get(audit_return=r)
    args = {
        "audits:index": [],
        "audits:template_list": [],
        "audits:template_import": [],
        "audits:cycle_create": [],
        "audits:template_version": [r.cycle.template_version_id],
        "audits:evidence_download": [evidence.pk],
        "audits:evidence_archive": [evidence.pk],
        "audits:return_section": [r.pk, "policy"],
    }
    cycle_views = {"cycle_detail", "collation", "collation_csv", "collation_xlsx", "cycle_gaps", "cycle_gaps_csv"}
    if name.split(":")[1] in cycle_views:
        return reverse(name, args=[r.cycle_id])
    return reverse(name, args=args.get(name, [r.pk]))


@pytest.mark.parametrize(("name", "method", "persona", "agency_scoped"), CASES)
def test_role_is_refused(name, method, persona, agency_scoped, world, personas, client_for):
    user = personas[persona]
    client = client_for(user)
    url = _url(name, world)
    data = section_post(world, "policy", {"policy_in_place": "no"}) if method == "post" else None
    if name == "audits:return_send_back":
        data = {"reason": "Not good enough"}
    before = list(Answer.objects.order_by("pk").values_list("value", "board_value"))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if user is None:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif agency_scoped and persona == "champion_b":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    world_after = AuditReturn.objects.get(pk=world.pk)
    assert (world_after.status, world_after.version) == ("draft", world.version)  # nothing saved
    assert list(Answer.objects.order_by("pk").values_list("value", "board_value")) == before
    assert Evidence.objects.filter(archived_at__isnull=True).count() == 1


def test_staff_of_the_agency_read_the_return_but_cannot_change_it(world, staff_a, client_for):
    page = client_for(staff_a).get(world.get_absolute_url()).content.decode()
    assert "Has there been e-safety training for staff?" in page
    assert "Start answering" not in page and "Continue answering" not in page


ALLOWED_GETS = [
    pytest.param(name, persona, id=f"{name.split(':')[1]}-{persona}")
    for name, method, allowed, _ in VIEWS
    if method == "get"
    for persona in sorted(allowed)
]


@pytest.mark.parametrize(("name", "persona"), ALLOWED_GETS)
def test_role_that_may_use_a_page_can_open_it(name, persona, world, personas, client_for):
    response = client_for(personas[persona]).get(_url(name, world))
    assert response.status_code == 200
