"""Small audit templates and cycles for the audits tests, made through the real services."""

import datetime

import pytest
from django.utils import timezone

from audits import services
from audits.models import AuditReturn

CHECKLIST_YAML = """\
slug: test-checklist
name: Test checklist
kind: checklist
description: A short checklist with every kind of checklist question.
sections:
  - key: policy
    title: Policy
    questions:
      - key: policy_in_place
        text: Is there an e-safety policy?
        kind: yes_no
        gap_when: "no"
      - key: policy_updated
        text: Date of the latest update
        kind: date
        required: false
      - key: manager
        text: Responsible manager
        kind: person
  - key: practice
    title: Practice
    questions:
      - key: training
        text: Has there been e-safety training for staff?
        kind: yes_no
        gap_when: "no"
      - key: notes
        text: Anything else the board should know
        kind: text
        required: false
"""

MATURITY_YAML = """\
slug: test-maturity
name: Test maturity review
kind: maturity
levels: {1: Leading, 2: Established, 3: Developing, 4: Emerging, 5: Not in place}
sections:
  - key: leadership
    title: Leadership
    element: Policy and leadership
    questions:
      - key: lead
        text: E-safety lead
        kind: level
        benchmark: 2
        level_statements: {1: L1 lead, 2: L2 lead, 3: L3 lead, 4: L4 lead, 5: L5 lead}
      - key: board_oversight
        text: Board oversight
        kind: level
        benchmark: 3
        level_statements: {1: L1 board, 2: L2 board, 3: L3 board, 4: L4 board, 5: L5 board}
  - key: filtering
    title: Filtering
    element: Infrastructure
    questions:
      - key: filtering
        text: Filtering and monitoring
        kind: level
        benchmark: 2
        level_statements: {1: L1 filter, 2: L2 filter, 3: L3 filter, 4: L4 filter, 5: L5 filter}
  - key: training
    title: Workforce training
    element: Education
    questions:
      - key: workforce
        text: Workforce training
        kind: level
        benchmark: 2
        level_statements: {1: L1 train, 2: L2 train, 3: L3 train, 4: L4 train, 5: L5 train}
"""


@pytest.fixture
def checklist_version(db):
    version, _ = services.template_import(text=CHECKLIST_YAML, fmt="yaml")
    return version


@pytest.fixture
def maturity_version(db):
    version, _ = services.template_import(text=MATURITY_YAML, fmt="yaml")
    return version


@pytest.fixture
def open_cycle(checklist_version, agency_a, agency_b, secretariat):
    today = timezone.localdate()
    return services.cycle_open(
        template_version=checklist_version,
        year=today.year,
        opens_on=today - datetime.timedelta(days=7),
        due_on=today + datetime.timedelta(days=21),
        agencies=[agency_a, agency_b],
        by=secretariat,
    )


@pytest.fixture
def return_a(open_cycle, agency_a):
    return AuditReturn.objects.get(cycle=open_cycle, agency=agency_a)


@pytest.fixture
def return_b(open_cycle, agency_b):
    return AuditReturn.objects.get(cycle=open_cycle, agency=agency_b)


def questions_by_key(version):
    return {q.key: q for q in version.questions.select_related("version", "section")}


def answer_all(audit_return, by, **values):
    """Answer questions by key through the service (values default to a complete, gap-free return)."""
    version = audit_return.cycle.template_version
    questions = questions_by_key(version)
    defaults = {
        "policy_in_place": "yes",
        "policy_updated": "2026-01-15",
        "manager": "Ann Example, Head of IT",
        "training": "yes",
        "notes": "",
        "lead": "2",
        "board_oversight": "3",
        "filtering": "2",
        "workforce": "2",
    }
    defaults.update(values)
    answers = {q: services.AnswerInput(value=defaults.get(key, "")) for key, q in questions.items()}
    audit_return.refresh_from_db()
    return services.return_save_answers(
        audit_return=audit_return, expected_version=audit_return.version, answers=answers, by=by
    )


def section_post(audit_return, section_key, values: dict, *, version=None, go="stay"):
    """The POST a browser sends from a section page: q_<id>, c_<id>, the version it loaded."""
    questions = questions_by_key(audit_return.cycle.template_version)
    data = {"version": version if version is not None else audit_return.version, "go": go}
    for key, q in questions.items():
        if q.section.key != section_key:
            continue
        value = values.get(key, "")
        if isinstance(value, tuple):
            data[f"q_{q.pk}"], data[f"c_{q.pk}"] = value
        else:
            data[f"q_{q.pk}"], data[f"c_{q.pk}"] = value, ""
    return data
