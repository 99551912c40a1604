"""Keyboard only: log an incident and fill in an audit section without the mouse, seeing the focus all the way."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from audits import services
from audits.models import Answer, AuditReturn, Template
from incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow, what: e.outerHTML.slice(0, 80) + ' focus=' + e.matches(':focus') + ' ' + s.outlineStyle + s.outlineWidth + ' ' + s.boxShadow};
}"""


def assert_focus_visible(page):
    style = page.evaluate(FOCUS_STYLE)
    if style is None or " focus=false " in style["what"]:
        return  # focus is passing between the parts of a date picker
    visible = (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none"
    assert visible, f"no visible focus on {style['what']}"


FOCUSED = r"""([selector, text]) => {
  const e = document.activeElement;
  return !!e && e.matches(selector) && (!text || e.textContent.replace(/\s+/g, ' ').trim() === text);
}"""


def tab_to(page, selector, text=None, presses=150):
    """Press Tab until the focus is on ``selector`` (with ``text``), checking the focus can be seen at every stop."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate(FOCUSED, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text or ''}")


def choose(page, name, value):
    """Pick a radio button the keyboard way: Tab into the group, arrows to the option (which selects it)."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value} for {name}")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def date_order(page) -> str:
    """The order in which this browser's date picker takes day and month (it follows the browser's language)."""
    probe = page.context.new_page()
    probe.set_content("<input type=date id=probe>")
    probe.focus("#probe")
    probe.keyboard.type("11122026")
    value = probe.evaluate("document.getElementById('probe').value")
    probe.close()
    return "%d%m%Y" if value == "2026-12-11" else "%m%d%Y"


def type_date(page, selector, day: datetime.date):
    tab_to(page, selector)
    page.keyboard.type(day.strftime(date_order(page)))


def test_a_member_of_staff_logs_an_incident_with_the_keyboard_alone(page, log_in, screenshot, staff_a, champion_a):
    today = timezone.localdate()
    log_in(staff_a)
    tab_to(page, "a", "Log an incident")
    press_enter_and_wait(page)
    tab_to(page, "button", "Start the report")
    press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("When and where")
    type_date(page, "#id_occurred_on", today - datetime.timedelta(days=2))
    type_date(page, "#id_discovered_on", today - datetime.timedelta(days=1))
    tab_to(page, "#id_location")
    page.keyboard.type("Home")
    tab_to(page, "#id_technology")
    page.keyboard.type("Mobile")
    tab_to(page, "#id_platform")
    page.keyboard.type("A group chat")
    screenshot("keyboard-incident-when")
    tab_to(page, "button", "Save and continue")
    press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("What happened")
    choose(page, "category", "cyberbullying")
    tab_to(page, "#id_description")
    page.keyboard.type("Unkind messages about a pupil shared in a class group chat.")
    tab_to(page, "button", "Save and continue")
    press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("The flow chart questions")
    for name in ("illegal", "online_sexual_abuse", "csam_online", "staff_involved", "child_at_risk"):
        choose(page, name, "no")
    tab_to(page, "button", "Save and continue")
    press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("People involved")
    tab_to(page, "select[name$='-role']")
    page.keyboard.type("Child")
    tab_to(page, "select[name$='-age_band']")
    page.keyboard.type("13")
    tab_to(page, "select[name$='-involvement']")
    page.keyboard.type("Affected")
    screenshot("keyboard-incident-people")
    tab_to(page, "button", "Save and continue")
    press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check and submit")
    tab_to(page, "button", "Submit the report")
    press_enter_and_wait(page)
    incident = Incident.objects.get()
    expect(page.get_by_text(f"{incident.reference} has been reported")).to_be_visible()
    assert incident.status == "reported" and incident.category == "cyberbullying" and incident.location == "home"
    assert incident.people.get().role == "child"


def test_a_champion_fills_in_an_audit_section_with_the_keyboard_alone(
    page, log_in, screenshot, champion_a, secretariat, agency_a
):
    call_command("load_audit_templates", verbosity=0)
    version = Template.objects.get(slug="bromley-annex-6").versions.get()
    today = timezone.localdate()
    services.cycle_open(
        template_version=version,
        year=today.year,
        opens_on=today,
        due_on=today + datetime.timedelta(days=28),
        agencies=[agency_a],
        by=secretariat,
    )
    audit_return = AuditReturn.objects.get(agency=agency_a)
    section = version.sections.order_by("order").first()
    log_in(champion_a)
    page.goto(audit_return.get_absolute_url())
    tab_to(page, "a", "Start answering")
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
    for question in section.questions.order_by("order"):
        if question.kind == "yes_no":
            choose(page, f"q_{question.pk}", "yes")
        elif question.kind == "date":
            type_date(page, f"#id_q_{question.pk}", today - datetime.timedelta(days=30))
        else:
            tab_to(page, f"#id_q_{question.pk}")
            page.keyboard.type("Rachel Owen, Headteacher")
    screenshot("keyboard-audit-section")
    tab_to(page, "button", "Save draft")
    press_enter_and_wait(page)
    screenshot("keyboard-audit-saved")
    expect(page.get_by_text(f"Your answers to '{section.title}' have been saved as a draft.")).to_be_visible()
    saved = Answer.objects.filter(audit_return=audit_return, question__section=section).exclude(value="")
    assert saved.count() == section.questions.count()


def test_matching_columns_previewing_and_confirming_an_import_by_keyboard(page, log_in, secretariat, tmp_path):
    """The file is chosen with the browser's own file picker; everything after it by keyboard."""
    from actionplan.models import Action
    from tests.factories import PlanFactory

    plan = PlanFactory()
    path = tmp_path / "plan.csv"
    path.write_text("Objective,Task,Notes\n1.1 Policies,Write the policy,Ask the heads\n", encoding="utf-8")
    log_in(secretariat)
    page.goto(f"/action-plan/plans/{plan.pk}/import/")
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(path)
    page.get_by_label("CSV or Excel (.xlsx) file").focus()
    tab_to(page, "button", "Upload and map the columns")
    page.keyboard.press("Enter")
    page.wait_for_url("**/columns/")
    tab_to(page, "select[name=column_2]")
    # "Notes" was matched to progress updates; make them the success measure instead.
    for _ in range(20):
        if page.eval_on_selector("select[name=column_2]", "s => s.value") == "success_measure":
            break
        page.keyboard.press("ArrowUp")
    tab_to(page, "button", "Preview the import")
    page.keyboard.press("Enter")
    expect(page.locator(".import-counts")).to_contain_text("1 action will be added")
    tab_to(page, "button", "Confirm and import")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Imported plan.csv")).to_be_visible()
    assert Action.objects.get().success_measure == "Ask the heads"
