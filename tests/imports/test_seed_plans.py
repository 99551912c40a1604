"""The two seed plans, pasted from their documents into spreadsheets, import as a secretariat expects."""

import csv
import datetime
import pathlib

import pytest

from actionplan import plan_io
from actionplan.models import Action, Objective, Priority, ProgressUpdate, Status
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

FILES = pathlib.Path(__file__).parent / "files"


def _rows(name: str, heading_starts: str) -> list[dict]:
    with open(FILES / name, newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    start = next(i for i, row in enumerate(rows) if row and row[0] == heading_starts)
    return [dict(zip(rows[start], row, strict=False)) for row in rows[start + 1 :]]


def _import(plan, name, user):
    return plan_io.flow.import_file(plan_io.IMPORTER, target=plan, name=name, data=(FILES / name).read_bytes(), by=user)


@pytest.fixture
def plan():
    return PlanFactory(name="E safety sub group strategic plan", period="2009-10")


@pytest.mark.parametrize("name", ["telford-wrekin-2009.csv", "telford-wrekin-2009.xlsx"])
def test_telford_and_wrekin_imports_its_activities_under_its_four_priorities(plan, secretariat, name):
    rows = _rows("telford-wrekin-2009.csv", "Priority")
    activities = [r for r in rows if r["Activity"]]
    result = _import(plan, name, secretariat)
    assert result.ok, result.problems
    assert result.created == len(activities) == Action.objects.filter(plan=plan).count()
    assert list(Priority.objects.filter(plan=plan).order_by("number").values_list("number", "title")) == [
        (number, r["Priority"]) for number, r in enumerate((r for r in rows if r["Priority"]), start=1)
    ]
    # The seed's key: IN PROGRESS=GOLD (Amber), COMPLETED=GREEN, ...
    key = {"NOT ACHIEVED": Status.RED, "IN PROGRESS": Status.AMBER, "COMPLETED": Status.GREEN}
    key["ACHIEVED BUT CONTINUOUSLY EVOLVING"] = Status.BLUE
    assert sorted(Action.objects.values_list("status", flat=True)) == sorted(key[r["Status"]] for r in activities)
    # The Activity is the action; "Action identified…" is its progress note; a row without an
    # activity continues the action above (another lead and note).
    training = Action.objects.get(action__startswith="Establish an interagency training programme")
    assert training.objective.title.startswith("Increase awareness of new technology")
    assert training.lead_text == "Claire Hughes; R Lawson M Turner; C Hughes"
    assert training.updates.count() == 3
    inform = Action.objects.get(action__startswith="Inform parents, children and professionals")
    assert inform.objective == training.objective
    assert [u.text[:13] for u in inform.updates.order_by("pk")] == ["There are alr", "training team"]


@pytest.mark.parametrize("name", ["wandsworth-action-plan.csv", "wandsworth-action-plan.xlsx"])
def test_wandsworth_imports_objectives_written_once_and_its_timescales_in_words(plan, secretariat, name):
    rows = _rows("wandsworth-action-plan.csv", "Strategic priority")
    result = _import(plan, name, secretariat)
    assert result.ok, result.problems
    assert result.created == len([r for r in rows if r["WSCB Action"]])
    assert Priority.objects.filter(plan=plan).count() == len([r for r in rows if r["Strategic priority"]])
    # The objective is written only on the first row of its group.
    core = Action.objects.get(action__startswith="Identify a core package of teaching resources")
    assert core.objective.number == "1.1"
    assert core.objective.title.startswith("Enable all educational settings")
    assert core.method.startswith("Equip educational settings")
    audit = Action.objects.get(action__startswith="Conduct an annual audit")
    assert (audit.due_on, audit.ongoing, audit.timescale_text) == (
        datetime.date(2010, 6, 30),
        False,
        "By end of June 2010",
    )
    comms = Action.objects.get(action__startswith="Develop communications strategy")
    assert (comms.ongoing, comms.review_on, comms.timescale_text) == (
        True,
        datetime.date(2009, 12, 31),
        "By end of December 2009 & Ongoing",
    )
    esl = Action.objects.get(action__startswith="Each educational setting and other agency to identify")
    assert (esl.ongoing, esl.review_on, esl.timescale_text) == (True, None, "")
    assert esl.updates.get().text == "The list will be updated as/when required."
    assert ProgressUpdate.objects.filter(action__plan=plan).count() == len([r for r in rows if r["Update"]])


@pytest.mark.parametrize("name", ["telford-wrekin-2009.xlsx", "wandsworth-action-plan.csv"])
def test_importing_a_seed_plan_again_adds_nothing(plan, secretariat, name):
    first = _import(plan, name, secretariat)
    counts = (
        Priority.objects.count(),
        Objective.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    )
    again = _import(plan, name, secretariat)
    assert again.ok, again.problems
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert counts == (
        Priority.objects.count(),
        Objective.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    )


@pytest.mark.parametrize(
    "name", ["telford-wrekin-2009-as-in-the-document.csv", "telford-wrekin-2009-as-in-the-document.xlsx"]
)
def test_telford_pasted_as_in_the_document_imports_the_same_plan(plan, secretariat, name):
    """Each priority a row of its own with the headings repeated under it, no Priority column."""
    other = PlanFactory(name="The same plan with a Priority column", period="2009-10", is_current=False)
    assert _import(other, "telford-wrekin-2009.csv", secretariat).ok
    result = _import(plan, name, secretariat)
    assert result.ok, result.problems

    def shape(p):
        return sorted(
            Action.objects.filter(plan=p).values_list(
                "objective__priority__number", "objective__priority__title", "objective__title", "action", "status"
            )
        )

    assert shape(plan) == shape(other)
