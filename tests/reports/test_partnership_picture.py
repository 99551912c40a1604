"""The partnership picture: did the actions close the audit gaps, self-assessment beside incidents, what moved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action
from audits import gap_actions
from audits import services as audit_services
from audits.models import Answer, AuditReturn, GapAction
from reports.pdf import report_html
from reports.picture import picture
from reports.sections import ReportPeriod, gather
from tests.factories import AgencyFactory, IncidentFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year

TEMPLATE = """
slug: three-questions
name: Three questions
kind: checklist
sections:
  - key: basics
    title: Basics
    questions:
      - {key: policy, text: "Do you have an e-safety policy?", kind: yes_no, required: true, gap_when: "no"}
      - {key: training, text: "Are all staff trained?", kind: yes_no, required: true, gap_when: "no"}
      - {key: filtering, text: "Is filtering reviewed yearly?", kind: yes_no, required: true, gap_when: "no"}
"""
# agency -> year offset (-2, -1, 0) -> answers to policy, training, filtering ("" = not submitted)
ANSWERS = {
    "Alder School": {-2: "no no no", -1: "no no yes", 0: "yes no yes"},
    "Birch Library": {-2: "no yes no", -1: "no yes no", 0: "no yes yes"},
    "Cedar Youth Club": {-2: "yes no no", -1: "yes no no", 0: "yes yes yes"},
    "Damson Home": {-2: "yes yes no", -1: "no yes yes", 0: ""},
}


def build(secretariat, *, extra_agencies: int = 0):
    version, _ = audit_services.template_import(text=TEMPLATE, fmt="yaml")
    agencies = {name: AgencyFactory(name=name) for name in ANSWERS}
    extra = AgencyFactory.create_batch(extra_agencies)
    questions = {q.key: q for q in version.questions.all()}
    cycles = {}
    for offset in (-2, -1, 0):
        year = YEAR + offset
        cycles[offset] = audit_services.cycle_open(
            template_version=version,
            year=year,
            opens_on=datetime.date(year, 1, 10),
            due_on=datetime.date(year, 3, 31),
            agencies=[*agencies.values(), *extra],
            by=secretariat,
        )
        for agency in [*agencies.values(), *extra]:
            audit_return = AuditReturn.objects.get(cycle=cycles[offset], agency=agency)
            values = ANSWERS.get(agency.name, {}).get(offset, "yes no yes")
            if not values:
                continue
            for key, value in zip(("policy", "training", "filtering"), values.split(), strict=True):
                Answer.objects.create(audit_return=audit_return, question=questions[key], value=value)
            AuditReturn.objects.filter(pk=audit_return.pk).update(status="accepted")
    # Alder and Birch turned last year's policy gap into actions; Alder's is done, Birch's still red.
    objective = ObjectiveFactory()
    for name, status in (("Alder School", "green"), ("Birch Library", "red")):
        audit_return = AuditReturn.objects.get(cycle=cycles[-1], agency=agencies[name])
        answer = audit_return.answers.get(question__key="policy")
        (action,) = gap_actions.gaps_to_actions(
            audit_return=audit_return, answers=[answer], objective=objective, by=secretariat
        )
        Action.objects.filter(pk=action.pk).update(status=status)
    when = datetime.datetime(YEAR, 1, 20, 12, tzinfo=timezone.get_current_timezone())
    IncidentFactory.create_batch(7, agency=agencies["Alder School"], reported_at=when)
    IncidentFactory.create_batch(2, agency=agencies["Birch Library"], reported_at=when)
    return version.template, agencies


def gap_count(year, key):
    return sum(
        a.question.is_gap(a.value)
        for a in Answer.objects.filter(
            audit_return__cycle__year=year, audit_return__status="accepted", question__key=key
        ).select_related("question")
    )


def test_each_gap_of_last_year_is_followed_to_this_years_answer(secretariat):
    template, _agencies = build(secretariat)
    result = picture(template=template, year=YEAR)
    rows = {row.key: row for row in result["follow_up"]}
    policy = rows["policy"]
    # Last year: Alder, Birch and Damson had no policy; Alder and Birch raised actions.
    assert policy.gaps == gap_count(YEAR - 1, "policy") == 3
    assert policy.with_action == GapAction.objects.count() == 2
    assert policy.actions == {"red": 1, "amber": 0, "green": 1, "blue": 0}
    # This year: Alder (action done) closed it, Birch (action red) still has it, Damson has not answered.
    assert (policy.answered_next, policy.closed_with_action, policy.still_gap_with_action) == (2, 1, 1)
    assert policy.closed_without_action == 0
    training = rows["training"]  # Alder and Cedar, no actions; Cedar closed it on its own
    assert (training.gaps, training.with_action, training.answered_next, training.closed_without_action) == (2, 0, 2, 1)
    assert rows["filtering"].gaps == gap_count(YEAR - 1, "filtering") == 2


def test_self_assessment_sits_beside_incidents_small_counts_protected(secretariat):
    template, agencies = build(secretariat)
    rows = {row["name"]: row for row in picture(template=template, year=YEAR)["agencies"]}
    assert set(rows) == {"Alder School", "Birch Library", "Cedar Youth Club"}  # Damson has not submitted
    alder = rows["Alder School"]
    assert (alder["answered"], alder["gaps"], alder["without_gap"]) == (3, 1, 67)
    assert alder["incidents"] == agencies["Alder School"].incidents.count() == 7
    # Birch's 2 is "<5", so Alder's 7 is published rounded; Cedar reported none.
    assert (rows["Birch Library"]["incidents_shown"], alder["incidents_shown"]) == ("<5", "about 5")
    assert rows["Cedar Youth Club"]["incidents_shown"] == "0"


def test_the_aspects_that_moved_most_and_least_over_three_years(secretariat):
    template, _agencies = build(secretariat)
    moved = picture(template=template, year=YEAR)["moved"]
    assert (moved["first"], moved["last"]) == (YEAR - 2, YEAR)

    def share(year, key):
        answered = Answer.objects.filter(audit_return__cycle__year=year, question__key=key).count()
        return round(100 * (answered - gap_count(year, key)) / answered)

    changes = {row["key"]: row["change"] for row in moved["most"]}
    for key in ("policy", "training", "filtering"):
        assert changes[key] == share(YEAR, key) - share(YEAR - 2, key)
    assert moved["most"][0]["key"] == "filtering"  # none of four had it two years ago, all three now


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b", "safeguarding_lead"])
def test_only_the_secretariat_and_the_board_see_the_picture(persona, personas, client_for):
    assert client_for(personas[persona]).get(reverse("reports:picture")).status_code == 403


def test_the_board_reads_the_picture_from_the_reports_page(board_member, secretariat, client_for):
    build(secretariat)
    client = client_for(board_member)
    assert reverse("reports:picture") in client.get(reverse("reports:list")).content.decode()
    body = client.get(reverse("reports:picture"), {"template": "three-questions", "year": YEAR}).content.decode()
    assert "Do you have an e-safety policy?" in body and "Alder School" in body and "&lt;5" in body


def test_a_year_without_a_cycle_is_refused_with_a_message(board_member, secretariat, client_for):
    build(secretariat)
    body = client_for(board_member).get(reverse("reports:picture"), {"template": "three-questions", "year": 1990})
    assert "Select a valid choice" in body.content.decode()


@pytest.mark.parametrize("extra", [0, 15])
def test_the_picture_uses_a_constant_number_of_queries(
    board_member, secretariat, client_for, extra, django_assert_max_num_queries
):
    build(secretariat, extra_agencies=extra)
    client = client_for(board_member)
    # session and user (2); the audits run and the chosen one's years (2); cycles, questions, answers, actions,
    # incidents, agency names (6); the session (3); 4 spare for the shared navigation.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("reports:picture"), {"template": "three-questions", "year": YEAR}).status_code == 200


def test_the_annual_report_has_the_picture(secretariat):
    build(secretariat)
    sections = {s["key"]: s for s in gather(ReportPeriod(YEAR))["sections"]}
    section = sections["picture"]
    assert section["headlines"][0]["value"] == "1 of 2"  # Alder closed its gap, Birch has not
    assert "Gaps of" in report_html(gather(ReportPeriod(YEAR)))


def test_a_first_year_says_there_was_no_audit_the_year_before_rather_than_no_gaps(
    board_member, secretariat, client_for
):
    build(secretariat)
    first = YEAR - 2
    body = client_for(board_member).get(reverse("reports:picture"), {"template": "three-questions", "year": first})
    html = body.content.decode()
    assert f"This audit was not run in {first - 1}, so there are no gaps of that year to follow." in html
    assert "No gap was found" not in html
    report = report_html(gather(ReportPeriod(first)))
    assert f"The Three questions was not run in {first - 1}, so there are no gaps of that year to follow." in report
    assert f"has returns in at least two of the years {first - 2} to {first}" in report
    # The year after, last year's four returns had gaps, followed in the table.
    assert "No gap was found" not in report_html(gather(ReportPeriod(first + 1)))


def test_incident_rates_per_thousand_where_the_size_is_known_and_never_from_a_suppressed_count(secretariat):
    template, agencies = build(secretariat)
    for name, people in (("Alder School", 1250), ("Birch Library", 400)):
        agencies[name].people_served = people
        agencies[name].save(update_fields=["people_served"])
    rows = {row["name"]: row for row in picture(template=template, year=YEAR)["agencies"]}
    # Alder's 7 is published as "about 5": its rate is worked out from the 5 shown, not the 7 held.
    assert rows["Alder School"]["per_thousand"] == f"{1000 * 5 / 1250:.1f}" == "4.0"
    assert rows["Birch Library"]["per_thousand"] == "—"  # "<5": no rate that would give the count away
    assert rows["Cedar Youth Club"]["per_thousand"] == "—"  # its size is not recorded


def test_the_secretariat_records_an_agency_s_size_on_its_page(secretariat, agency_a, client_for):
    form = client_for(secretariat).get(reverse("agencies:edit", args=[agency_a.pk])).content.decode()
    assert 'name="people_served"' in form
    assert "Children, young people and staff" in form
