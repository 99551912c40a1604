"""A champion fills in a return section by section, saves drafts, submits; the secretariat reviews it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Answer, AuditReturn, StatusChange
from tests.audits.conftest import CHECKLIST_YAML, answer_all, questions_by_key, section_post

pytestmark = pytest.mark.django_db


def _section_url(r, key):
    return reverse("audits:return_section", args=[r.pk, key])


def test_champion_saves_a_draft_of_every_checklist_question_kind_and_comes_back_to_it(return_a, champion_a, client_for):
    client = client_for(champion_a)
    data = section_post(
        return_a,
        "policy",
        {"policy_in_place": ("yes", "Policy PDF attached"), "policy_updated": "2026-03-01", "manager": "Ann Lee, Head"},
    )
    response = client.post(_section_url(return_a, "policy"), data)
    assert response.status_code == 302 and response.url == _section_url(return_a, "policy")
    answers = {a.question.key: a for a in Answer.objects.filter(audit_return=return_a).select_related("question")}
    assert answers["policy_in_place"].value == "yes" and answers["policy_in_place"].comment == "Policy PDF attached"
    assert answers["policy_updated"].value == "2026-03-01"
    assert answers["manager"].value == "Ann Lee, Head"
    page = client.get(_section_url(return_a, "policy")).content.decode()
    assert 'value="2026-03-01"' in page and "Ann Lee, Head" in page
    overview = client.get(return_a.get_absolute_url()).content.decode()
    assert "1 March 2026" in overview and "3 of 5 questions answered" in overview

    data = section_post(return_a, "practice", {"training": "no", "notes": "A free-text note"}, version=2, go="next")
    response = client.post(_section_url(return_a, "practice"), data)
    assert response.url == reverse("audits:return_section", args=[return_a.pk, "practice"])
    assert Answer.objects.get(audit_return=return_a, question__key="notes").value == "A free-text note"


def test_a_maturity_level_is_chosen_from_the_statements(
    maturity_version, agency_a, champion_a, secretariat, client_for
):
    today = timezone.localdate()
    cycle = services.cycle_open(
        template_version=maturity_version,
        year=today.year,
        opens_on=today,
        due_on=today,
        agencies=[agency_a],
        by=secretariat,
    )
    r = cycle.returns.get()
    client = client_for(champion_a)
    page = client.get(_section_url(r, "leadership")).content.decode()
    assert "Level 2 — Established: L2 lead" in page and "benchmark for this aspect is level 2" in page
    client.post(_section_url(r, "leadership"), section_post(r, "leadership", {"lead": "4", "board_oversight": "9"}))
    assert not Answer.objects.filter(audit_return=r).exists()  # level 9 does not exist: nothing saved
    client.post(_section_url(r, "leadership"), section_post(r, "leadership", {"lead": "4", "board_oversight": "1"}))
    lead = Answer.objects.get(audit_return=r, question__key="lead")
    assert lead.value == "4" and lead.is_gap


def test_a_bad_date_is_explained_and_nothing_is_saved(return_a, champion_a, client_for):
    response = client_for(champion_a).post(
        _section_url(return_a, "policy"), section_post(return_a, "policy", {"policy_updated": "31/02/2026"})
    )
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    assert not Answer.objects.filter(audit_return=return_a).exists()


@pytest.mark.parametrize("extra_sections", [0, 6])
def test_saving_a_page_is_a_fixed_number_of_queries_whatever_the_number_of_questions(
    extra_sections, agency_a, champion_a, secretariat, client_for, django_assert_max_num_queries
):
    """Big and small sections save in the same queries: bulk insert and bulk update."""
    questions = "".join(
        f"      - {{key: q{i}, text: Question {i}, kind: yes_no, gap_when: 'no'}}\n"
        for i in range(2 + extra_sections * 8)
    )
    text = (
        f"slug: big\nname: Big\nkind: checklist\nsections:\n  - key: all\n    title: All\n    questions:\n{questions}"
    )
    version, _ = services.template_import(text=text, fmt="yaml")
    today = timezone.localdate()
    cycle = services.cycle_open(
        template_version=version, year=2030, opens_on=today, due_on=today, agencies=[agency_a], by=secretariat
    )
    r = cycle.returns.get()
    client = client_for(champion_a)
    keys = [q.key for q in version.questions.all()]
    client.post(_section_url(r, "all"), section_post(r, "all", dict.fromkeys(keys[: len(keys) // 2], "no")))
    r.refresh_from_db()
    data = section_post(r, "all", dict.fromkeys(keys, "yes"))
    # session, user, agency roles (3), the return, sections, questions, answers, evidence, history;
    # savepoint, claim the version (UPDATE), existing answers, bulk INSERT, bulk UPDATE, release;
    # savepoint, session (the message), release.
    with django_assert_max_num_queries(20):
        response = client.post(_section_url(r, "all"), data)
    assert response.status_code == 302
    assert Answer.objects.filter(audit_return=r, value="yes").count() == len(keys)
    # Reading the section and the whole return: session, user, session saved (3), agency roles (3),
    # the return, sections, questions, answers, evidence, history (+ the evidence form's questions).
    with django_assert_max_num_queries(16):
        assert client.get(_section_url(r, "all")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(r.get_absolute_url()).status_code == 200


def test_a_second_champion_saving_an_older_page_is_refused_and_shown_the_newer_answers(
    return_a, champion_a, agency_a, client_for
):
    from tests.factories import NominationFactory

    colleague = NominationFactory(agency=agency_a).user
    first, second = client_for(champion_a), client_for(colleague)
    loaded_version = return_a.version  # both open the page now
    first.post(_section_url(return_a, "policy"), section_post(return_a, "policy", {"policy_in_place": "yes"}))
    response = second.post(
        _section_url(return_a, "policy"),
        section_post(return_a, "policy", {"policy_in_place": ("no", "We are rewriting it")}, version=loaded_version),
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{champion_a.full_name} saved this return" in page and "your answers were not saved" in page
    assert "Your unsaved answer:</strong> No" in page and "We are rewriting it" in page
    answer = Answer.objects.get(audit_return=return_a, question__key="policy_in_place")
    assert answer.value == "yes" and answer.comment == ""  # nothing silently overwritten
    return_a.refresh_from_db()
    assert f'name="version" value="{return_a.version}"' in page  # saving again now works


def test_stale_save_is_refused_by_the_service_too(return_a, champion_a):
    q = questions_by_key(return_a.cycle.template_version)["policy_in_place"]
    services.return_save_answers(
        audit_return=return_a, expected_version=1, answers={q: services.AnswerInput("yes")}, by=champion_a
    )
    with pytest.raises(services.StaleReturnError):
        services.return_save_answers(
            audit_return=return_a, expected_version=1, answers={q: services.AnswerInput("no")}, by=champion_a
        )


def test_submit_lists_the_missing_required_answers(return_a, champion_a, client_for):
    client = client_for(champion_a)
    client.post(_section_url(return_a, "policy"), section_post(return_a, "policy", {"policy_in_place": "yes"}))
    response = client.post(reverse("audits:return_submit", args=[return_a.pk]))
    page = response.content.decode()
    assert "Not submitted: 2 required question(s)" in page
    assert "Policy: Responsible manager" in page and "Practice: Has there been e-safety training" in page
    assert "Date of the latest update" not in page  # optional
    return_a.refresh_from_db()
    assert return_a.status == "draft"


def test_the_whole_state_machine_with_every_change_recorded(return_a, champion_a, secretariat, client_for):
    answer_all(return_a, champion_a)
    champion, office = client_for(champion_a), client_for(secretariat)
    champion.post(reverse("audits:return_submit", args=[return_a.pk]))
    return_a.refresh_from_db()
    assert return_a.status == "submitted" and return_a.submitted_by == champion_a
    # Submitted returns are read-only for the champion.
    response = champion.post(_section_url(return_a, "policy"), section_post(return_a, "policy", {}), follow=True)
    assert "cannot be changed now" in response.content.decode()

    # Returning for amendment needs a reason.
    office.post(reverse("audits:return_send_back", args=[return_a.pk]), {"reason": ""})
    return_a.refresh_from_db()
    assert return_a.status == "submitted"
    office.post(reverse("audits:return_send_back", args=[return_a.pk]), {"reason": "Add the policy date."})
    return_a.refresh_from_db()
    assert return_a.status == "returned"
    assert "Add the policy date." in champion.get(return_a.get_absolute_url()).content.decode()
    # A returned return cannot be accepted until it is submitted again.
    office.post(reverse("audits:return_accept", args=[return_a.pk]))
    return_a.refresh_from_db()
    assert return_a.status == "returned"

    champion.post(
        _section_url(return_a, "policy"),
        section_post(return_a, "policy", {"policy_in_place": "yes", "policy_updated": "2026-02-02", "manager": "A B"}),
    )
    champion.post(reverse("audits:return_submit", args=[return_a.pk]))
    office.post(reverse("audits:return_accept", args=[return_a.pk]), {"note": "Thank you"})
    return_a.refresh_from_db()
    assert return_a.status == "accepted"
    history = list(StatusChange.objects.filter(audit_return=return_a).values_list("from_status", "to_status", "by"))
    assert history == [
        ("", "draft", secretariat.pk),
        ("draft", "submitted", champion_a.pk),
        ("submitted", "returned", secretariat.pk),
        ("returned", "submitted", champion_a.pk),
        ("submitted", "accepted", secretariat.pk),
    ]
    assert StatusChange.objects.get(audit_return=return_a, to_status="returned").reason == "Add the policy date."
    with pytest.raises(ValidationError):
        services.return_send_back(audit_return=return_a, reason="again", by=secretariat)


def test_a_new_cycle_starts_from_last_years_answers_marked_for_review(
    return_a, champion_a, secretariat, agency_a, client_for
):
    answer_all(return_a, champion_a, training="no")
    services.return_submit(audit_return=return_a, by=champion_a)
    services.return_accept(audit_return=return_a, by=secretariat)
    today = timezone.localdate()
    new_cycle = services.cycle_open(
        template_version=return_a.cycle.template_version,
        year=today.year + 1,
        opens_on=today,
        due_on=today + datetime.timedelta(days=30),
        agencies=[agency_a],
        by=secretariat,
        prefill=True,
    )
    new_return = new_cycle.returns.get()
    copied = Answer.objects.filter(audit_return=new_return)
    assert copied.count() == 4 and all(a.needs_review for a in copied)
    client = client_for(champion_a)
    page = client.get(_section_url(new_return, "practice")).content.decode()
    assert "Copied from last year" in page
    training = questions_by_key(new_cycle.template_version)["training"]
    data = section_post(new_return, "practice", {"training": "yes"})
    client.post(_section_url(new_return, "practice"), data)
    assert not Answer.objects.get(audit_return=new_return, question=training).needs_review
    assert Answer.objects.get(audit_return=new_return, question__key="policy_in_place").needs_review
    # Ticking "checked" clears the flag without changing the answer.
    policy = questions_by_key(new_cycle.template_version)["policy_in_place"]
    new_return.refresh_from_db()  # the page is loaded again after the first save
    unchanged = {"policy_in_place": "yes", "policy_updated": "2026-01-15", "manager": "Ann Example, Head of IT"}
    data = section_post(new_return, "policy", unchanged)
    data[f"r_{policy.pk}"] = "on"
    client.post(_section_url(new_return, "policy"), data)
    assert not Answer.objects.get(audit_return=new_return, question=policy).needs_review
    # What changed since last year is shown to the agency.
    changes = client.get(reverse("audits:return_changes", args=[new_return.pk])).content.decode()
    assert "Improved" in changes


def test_a_cycle_that_locks_at_the_due_date_refuses_late_changes(checklist_version, agency_a, champion_a, secretariat):
    today = timezone.localdate()
    cycle = services.cycle_open(
        template_version=checklist_version,
        year=2020,
        opens_on=today - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=1),
        agencies=[agency_a],
        by=secretariat,
        lock_at_due=True,
    )
    r = cycle.returns.select_related("cycle").get()
    assert r.is_overdue and r.is_locked
    q = questions_by_key(checklist_version)["policy_in_place"]
    with pytest.raises(ValidationError):
        services.return_save_answers(
            audit_return=r, expected_version=r.version, answers={q: services.AnswerInput("yes")}, by=champion_a
        )
    with pytest.raises(ValidationError):
        services.return_submit(audit_return=r, by=champion_a)
    # The secretariat can reopen it, with a reason; the champion can then finish it.
    services.return_send_back(audit_return=r, reason="Late, agreed with the chair", by=secretariat)
    r = AuditReturn.objects.select_related("cycle").get(pk=r.pk)
    assert r.status == "returned" and r.is_open_for_answers
    services.return_save_answers(
        audit_return=r, expected_version=r.version, answers={q: services.AnswerInput("yes")}, by=champion_a
    )


def test_secretariat_opens_a_cycle_for_chosen_agencies(checklist_version, agency_a, agency_b, secretariat, client_for):
    today = timezone.localdate()
    data = {
        "template_version": checklist_version.pk,
        "year": today.year,
        "opens_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=30)).isoformat(),
        "agencies": [agency_a.pk],
        "lock_at_due": "on",
    }
    response = client_for(secretariat).post(reverse("audits:cycle_create"), data)
    r = AuditReturn.objects.get()
    assert response.status_code == 302 and r.agency == agency_a and r.cycle.lock_at_due
    again = client_for(secretariat).post(reverse("audits:cycle_create"), data)
    assert "already been opened" in again.content.decode() and AuditReturn.objects.count() == 1
    bad = client_for(secretariat).post(
        reverse("audits:cycle_create"), {**data, "year": today.year + 1, "due_on": "2000-01-01"}
    )
    assert "on or after the opening date" in bad.content.decode() and AuditReturn.objects.count() == 1


def test_the_board_rating_is_recorded_beside_the_self_rating(return_a, champion_a, secretariat, client_for):
    answer_all(return_a, champion_a)
    services.return_submit(audit_return=return_a, by=champion_a)
    q = questions_by_key(return_a.cycle.template_version)["training"]
    data = {f"b_{q.pk}": "no", f"n_{q.pk}": "No training records seen"}
    response = client_for(secretariat).post(reverse("audits:return_moderate", args=[return_a.pk]), data)
    assert response.status_code == 302
    answer = Answer.objects.get(audit_return=return_a, question=q)
    assert (answer.value, answer.board_value, answer.moderated_by) == ("yes", "no", secretariat)
    page = client_for(champion_a).get(return_a.get_absolute_url()).content.decode()
    assert "Board's rating: <strong>No</strong> (differs from the self-rating)" in page


def test_template_edit_after_submission_leaves_the_submitted_return_readable(return_a, champion_a, client_for):
    answer_all(return_a, champion_a)
    services.return_submit(audit_return=return_a, by=champion_a)
    services.template_import(text=CHECKLIST_YAML.replace("Responsible manager", "Accountable manager"), fmt="yaml")
    page = client_for(champion_a).get(return_a.get_absolute_url()).content.decode()
    assert "Responsible manager" in page and "Accountable manager" not in page
