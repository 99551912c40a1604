"""The figures in the PDF are those in the database, for a known data set; small numbers stay hidden."""

import datetime
import re
import subprocess
import zoneinfo

import pytest
from django.utils import timezone

from actionplan.models import Action
from audits import services as audit_services
from audits.models import AuditReturn
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    IncidentFactory,
    NominationFactory,
    ObjectiveFactory,
    PlanFactory,
    PriorityFactory,
)
from tests.support.data import TINY_AUDIT_TEMPLATE

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
LONDON = zoneinfo.ZoneInfo("Europe/London")


def pdf_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode().splitlines() if line.strip()]


def line_starting(lines, start):
    return next(line for line in lines if line.startswith(start))


def build_partnership(secretariat, agencies=5, actions_per_status=1, incidents_q1=7):
    agency_list = AgencyFactory.create_batch(agencies)
    for agency in agency_list[:4]:
        NominationFactory(agency=agency)
    version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
    cycle = audit_services.cycle_open(
        template_version=version,
        year=YEAR,
        opens_on=datetime.date(YEAR, 1, 10),
        due_on=datetime.date(YEAR, 3, 31),
        agencies=agency_list,
        by=secretariat,
    )
    returns = list(AuditReturn.objects.filter(cycle=cycle).order_by("agency__name"))
    AuditReturn.objects.filter(pk__in=[r.pk for r in returns[:2]]).update(status="accepted")
    AuditReturn.objects.filter(pk=returns[2].pk).update(status="submitted")

    plan = PlanFactory()
    first, second = (
        PriorityFactory(plan=plan, number=1, title="Policy and leadership"),
        PriorityFactory(plan=plan, number=2, title="Education"),
    )
    today = timezone.localdate()
    for _ in range(actions_per_status):
        ActionFactory(
            objective=ObjectiveFactory(priority=first), status="red", due_on=today - datetime.timedelta(days=10)
        )
        ActionFactory(
            objective=ObjectiveFactory(priority=first), status="red", due_on=today + datetime.timedelta(days=40)
        )
        ActionFactory(objective=ObjectiveFactory(priority=first), status="green")
        ActionFactory(objective=ObjectiveFactory(priority=second), status="amber")
        ActionFactory(objective=ObjectiveFactory(priority=second), status="blue")

    def reported(month):
        return datetime.datetime(YEAR, month, 15, 10, 0, tzinfo=LONDON)

    for _ in range(incidents_q1):
        IncidentFactory(agency=agency_list[0], category="cyberbullying", reported_at=reported(2))
    for _ in range(3):
        IncidentFactory(agency=agency_list[1], category="grooming", reported_at=reported(5))
    for _ in range(6):
        IncidentFactory(agency=agency_list[2], category="illegal", reported_at=reported(8))
    return plan, cycle


def test_the_pdf_gives_the_databases_figures(secretariat):
    plan, _cycle = build_partnership(secretariat)
    pdf, _pages = html_to_pdf(report_html(gather(ReportPeriod(YEAR))))
    lines = pdf_lines(pdf)

    assert line_starting(lines, "Agencies in the partnership") == "Agencies in the partnership 5"
    assert line_starting(lines, "Tiny audit: return rate") == "Tiny audit: return rate 3 of 5 (60%)"
    red = Action.objects.filter(plan=plan, status="red").count()
    rag = line_starting(lines, "Actions Red / Amber / Green / Blue").replace(" ", "")
    assert rag == f"ActionsRed/Amber/Green/Blue{red}/1/1/1"
    assert line_starting(lines, "Actions overdue") == "Actions overdue 1"
    # RAG counts per priority: Red, Amber, Green, Blue, Overdue, Total.
    assert line_starting(lines, "1. Policy and leadership 2 0") == "1. Policy and leadership 2 0 1 0 1 3"
    assert line_starting(lines, "2. Education 0") == "2. Education 0 1 0 1 0 2"
    # Incidents per quarter: 7, then 3 (shown as <5), 6 and none. Since something is hidden, the other
    # counts on the page are rounded to 5, so no table gives away the 3 by subtraction.
    assert line_starting(lines, "All categories").startswith("All categories about 5 <5 about 5 0 about")
    assert line_starting(lines, "Education about") == "Education about 15"  # all 16 were in schools
    assert line_starting(lines, "E-safety incidents reported") == "E-safety incidents reported about 15"
    assert line_starting(lines, "Grooming") == "Grooming 0 <5 0 0 <5"
    chapter = lines[lines.index("E-safety incidents") : lines.index("Appendix: agencies of the partnership")]
    # The figures, without the page furniture and the age-band labels ("16 to 17").
    figures = [re.sub(r"^\d+ to \d+ ", "", line) for line in chapter if "Page " not in line and str(YEAR) not in line]
    assert not [line for line in figures if re.search(r"(?<![\w.])(16|7|6|3)(?![\w.])", line)]


def test_gathering_the_whole_report_is_a_bounded_number_of_queries(secretariat, django_assert_max_num_queries):
    plan, cycle = build_partnership(secretariat, agencies=3, actions_per_status=1, incidents_q1=5)
    # membership 7 (one more for the year's joiners and leavers), audits: the year's cycles and their
    # collation (8 each: its figures are counted in the database), action plan 4, incidents 7, the areas of
    # risk 7 (the same figures, protected together), the filtering and monitoring reviews 2, the partnership
    # picture 8, appendix 1. The executive summary 7: last year's coverage, audit return rates and Red
    # actions, the audits not yet returned, last year's incidents, the ESIG rules and last year's meetings.
    with django_assert_max_num_queries(58) as small:
        gather(ReportPeriod(YEAR))
    objective = ObjectiveFactory(priority=plan.priorities.first())
    for agency in AgencyFactory.create_batch(40):
        NominationFactory(agency=agency)
        AuditReturn.objects.create(cycle=cycle, agency=agency, status="accepted")
        ActionFactory(objective=objective, lead_agency=agency, lead_text="", status="amber")
        IncidentFactory(agency=agency, reported_at=timezone.now())
    with django_assert_max_num_queries(len(small.captured_queries)):
        context = gather(ReportPeriod(YEAR))
    assert context["appendix"] and len(context["appendix"]) == 43
