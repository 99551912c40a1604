"""Audit templates are data: the shipped ones load, edits make versions, bad files import nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audits import services
from audits.models import Answer, AuditReturn, Question, QuestionKind, Section, Template, TemplateVersion
from audits.template_io import TemplateFileError
from tests.audits.conftest import CHECKLIST_YAML, answer_all

pytestmark = pytest.mark.django_db


def test_the_shipped_templates_load_with_the_command_and_a_second_run_changes_nothing():
    call_command("load_audit_templates", verbosity=0)
    bromley = Template.objects.get(slug="bromley-annex-6")
    maturity = Template.objects.get(slug="maturity-review")
    assert bromley.kind == "checklist" and maturity.kind == "maturity"
    bromley_questions = Question.objects.filter(version__template=bromley)
    # Every question of annex 6 (the organisation name is known already): Y/N, a date, named people.
    assert bromley_questions.count() == 24
    assert set(bromley_questions.values_list("kind", flat=True)) == {"yes_no", "date", "person"}
    assert bromley_questions.filter(kind="yes_no").exclude(gap_when="no").count() == 0
    aspects = Question.objects.filter(version__template=maturity)
    assert set(aspects.values_list("kind", flat=True)) == {"level"}
    assert all(len(q.level_statements) == 5 and q.benchmark for q in aspects)
    elements = set(Section.objects.filter(version__template=maturity).values_list("element", flat=True))
    assert elements == {"Policy and leadership", "Infrastructure", "Education", "Standards and inspection"}

    call_command("load_audit_templates", verbosity=0)
    assert TemplateVersion.objects.count() == 2


def test_every_question_kind_is_stored_with_its_rules(checklist_version, maturity_version):
    kinds = {q.key: q for q in Question.objects.all()}
    assert {q.kind for q in kinds.values()} == {k.value for k in QuestionKind}
    assert kinds["policy_in_place"].is_gap("no") and not kinds["policy_in_place"].is_gap("yes")
    assert not kinds["policy_updated"].required
    assert kinds["lead"].statement(3) == "L3 lead"
    # A level weaker (a higher number) than the benchmark is a gap.
    assert kinds["lead"].is_gap("3") and not kinds["lead"].is_gap("2") and not kinds["lead"].is_gap("1")


def test_editing_a_template_that_a_return_answered_makes_a_new_version_and_old_returns_keep_their_questions(
    return_a, champion_a
):
    answer_all(return_a, champion_a)
    services.return_submit(audit_return=return_a, by=champion_a)
    edited = CHECKLIST_YAML.replace("Is there an e-safety policy?", "Is there a current online safety policy?")
    version2, changed = services.template_import(text=edited, fmt="yaml")
    assert changed and version2.number == 2
    assert return_a.cycle.template_version.number == 1
    old_texts = list(
        Answer.objects.filter(audit_return=return_a).values_list("question__text", flat=True).order_by("question__pk")
    )
    assert "Is there an e-safety policy?" in old_texts
    assert version2.questions.filter(text="Is there a current online safety policy?").exists()


def test_an_unanswered_version_is_corrected_in_place(checklist_version):
    edited = CHECKLIST_YAML.replace("Responsible manager", "Responsible senior manager")
    version, changed = services.template_import(text=edited, fmt="yaml")
    assert changed and version.pk == checklist_version.pk and version.number == 1
    assert version.questions.filter(text="Responsible senior manager").exists()


def test_a_bad_yaml_file_reports_every_error_with_its_line_and_imports_nothing():
    text = """\
slug: Bad Slug
name: Broken
kind: checklist
sections:
  - key: one
    title: One
    questions:
      - key: q1
        text: First
        kind: yes_no
        gap_when: maybe
      - key: q1
        text: ""
        kind: colour
"""
    with pytest.raises(TemplateFileError) as caught:
        services.template_import(text=text, fmt="yaml")
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("Line 1:") and "slug" in messages[0]
    assert any(m.startswith("Line 11:") and "gap_when must be yes or no" in m for m in messages)
    assert any(m.startswith("Line 12:") and "used twice" in m for m in messages)
    assert any(m.startswith("Line 13:") and "has no text" in m for m in messages)
    assert any(m.startswith("Line 14:") and "kind must be one of" in m for m in messages)
    assert Template.objects.count() == 0 and Question.objects.count() == 0


def test_yaml_that_does_not_parse_names_its_line():
    with pytest.raises(TemplateFileError) as caught:
        services.template_import(text="slug: x\nname: [unclosed\nkind: checklist\n", fmt="yaml")
    assert caught.value.errors[0].line == 3
    assert "not valid YAML" in caught.value.errors[0].message


CSV_GOOD = """\
template_slug,template_name,template_kind,section_key,section_title,question_key,question_text,question_kind,required,gap_when
csv-audit,CSV audit,checklist,policy,Policy,has_policy,Is there a policy?,yes_no,yes,no
csv-audit,CSV audit,checklist,policy,Policy,reviewed_on,When was it reviewed?,date,no,
csv-audit,CSV audit,checklist,people,People,lead,Who leads?,person,yes,
"""


def test_a_csv_template_imports_section_by_section():
    version, changed = services.template_import(text=CSV_GOOD, fmt="csv")
    assert changed
    assert [s.key for s in version.sections.order_by("order")] == ["policy", "people"]
    assert list(version.questions.order_by("section__order", "order").values_list("key", "kind", "required")) == [
        ("has_policy", "yes_no", True),
        ("reviewed_on", "date", False),
        ("lead", "person", True),
    ]


def test_a_bad_csv_names_each_line_and_imports_nothing():
    bad = CSV_GOOD.replace("reviewed_on,When was it reviewed?,date,no,", "reviewed_on,,when,perhaps,")
    bad += "other-slug,CSV audit,checklist,people,People,lead2,Who else?,person,yes,\n"
    with pytest.raises(TemplateFileError) as caught:
        services.template_import(text=bad, fmt="csv")
    errors = {(e.line, e.message) for e in caught.value.errors}
    assert (3, "Question 'reviewed_on' has no text.") in errors
    assert (3, "Question 'reviewed_on': required must be yes or no.") in errors
    assert any(line == 3 and "kind must be one of" in message for line, message in errors)
    assert any(line == 5 and "template_slug must be the same" in message for line, message in errors)
    assert Template.objects.count() == 0


def test_csv_with_a_missing_column_is_refused_on_line_one():
    with pytest.raises(TemplateFileError) as caught:
        services.template_import(text="template_slug,question_text\nx,y\n", fmt="csv")
    assert caught.value.errors[0].line == 1 and "Missing column" in caught.value.errors[0].message


def test_secretariat_imports_a_file_and_sees_every_error_of_a_bad_one(secretariat, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(secretariat)
    bad = SimpleUploadedFile("audit.yaml", b"slug: ok\nname: ''\nkind: checklist\nsections: []\n")
    page = client.post(reverse("audits:template_import"), {"file": bad}).content.decode()
    assert "Nothing was imported" in page and "Line 2:" in page and "Line 4:" in page
    assert Template.objects.count() == 0
    good = SimpleUploadedFile("audit.csv", CSV_GOOD.encode())
    response = client.post(reverse("audits:template_import"), {"file": good})
    version = TemplateVersion.objects.get()
    assert response.status_code == 302 and response.url == version.get_absolute_url()
    assert "Is there a policy?" in client.get(response.url).content.decode()


def test_a_version_keeps_its_returns_when_the_template_changes_twice(return_a, champion_a):
    answer_all(return_a, champion_a)
    services.template_import(text=CHECKLIST_YAML.replace("Practice", "Practice and training"), fmt="yaml")
    services.template_import(text=CHECKLIST_YAML.replace("Practice", "Everyday practice"), fmt="yaml")
    numbers = sorted(TemplateVersion.objects.values_list("number", flat=True))
    assert numbers == [1, 2]  # version 2 had no returns, so it was corrected in place
    assert AuditReturn.objects.get(pk=return_a.pk).cycle.template_version.number == 1


def test_the_command_reports_a_bad_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: bad\nkind: survey\n")
    with pytest.raises(CommandError) as caught:
        call_command("load_audit_templates", str(path), verbosity=0)
    assert "Line 2:" in str(caught.value) and "nothing imported" in str(caught.value)


def test_a_date_that_does_not_exist_is_reported_by_line_not_a_crash():
    with pytest.raises(TemplateFileError) as caught:
        services.template_import(
            text="slug: x\nname: X\nkind: checklist\ndescription: 2026-02-30\nsections: []\n", fmt="yaml"
        )
    assert "Line 4" in str(caught.value) and "2026-02-30" in str(caught.value)
