"""Every main page, as each role that uses it, passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules."""

import pytest
from django.urls import reverse

from tests.security.test_authorisation_matrix import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def check_page(page, url):
    response = page.goto(url)
    assert response.status < 400, f"{url} answered {response.status}"
    assert page.locator("h1").count() == 1, f"{url} should have exactly one h1"
    assert page.get_attribute("html", "lang") == "en-GB"
    problems = axe_violations(page)
    assert not problems, f"{url}:\n" + "\n".join(problems)
    return page.title()


def main_pages(world):
    """Every main page, as each role that uses it (the objects belong to agency A)."""
    agency_a, confirmation = world.agency, world.confirmation
    incident, plan, action, cycle, audit_return = (
        world.incident,
        world.plan,
        world.action,
        world.cycle,
        world.audit_return,
    )
    return {
        "secretariat": [
            reverse("home"),
            reverse("agencies:list"),
            reverse("agencies:detail", args=[agency_a.pk]),
            reverse("agencies:create"),
            reverse("agencies:edit", args=[agency_a.pk]),
            reverse("champions:list"),
            reverse("champions:nominate", args=[agency_a.pk]),
            reverse("champions:round_list"),
            reverse("champions:round_create"),
            reverse("champions:round_detail", args=[confirmation.round.pk]),
            reverse("reminders:log"),
            reverse("reminders:rules"),
            reverse("reminders:schedule"),
            reverse("reports:list"),
            reverse("reports:detail", args=[world.report.pk]),
            reverse("activity:log"),
            reverse("account_support"),
            reverse("audits:index"),
            reverse("audits:template_list"),
            reverse("audits:cycle_create"),
            cycle.get_absolute_url(),
            reverse("audits:collation", args=[cycle.pk]),
            reverse("audits:cycle_gaps", args=[cycle.pk]),
            reverse("audits:template_import"),
            reverse("incidents:monitoring"),
            reverse("actionplan:dashboard"),
            reverse("actionplan:plan_table", args=[plan.pk]),
            reverse("actionplan:action_list"),
            reverse("actionplan:plan_import", args=[plan.pk]),
            reverse("imports:columns", args=[world.pending_import.pk]),
            reverse("imports:preview", args=[world.pending_import.pk]),
            reverse("actionplan:action_edit", args=[action.pk]),
            reverse("actionplan:plan_structure", args=[plan.pk]),
            reverse("esig:meetings"),
            reverse("esig:meeting", args=[world.meeting.pk]),
            reverse("esig:attendance", args=[world.meeting.pk]),
            reverse("esig:training"),
            reverse("esig:training_event", args=[world.training_event.pk]),
            reverse("esig:champion_training"),
            reverse("esig:rules"),
            reverse("locations:list"),
            reverse("locations:reviews_overdue"),
            reverse("open_data:switch"),
            reverse("open_data:about"),
        ],
        "champion_a": [
            reverse("home"),
            reverse("agencies:detail", args=[agency_a.pk]),
            confirmation.get_absolute_url(),
            reverse("reminders:preferences"),
            reverse("password_change"),
            reverse("two_factor_settings"),
            audit_return.get_absolute_url(),
            reverse("audits:return_section", args=[audit_return.pk, "policy"]),
            reverse("audits:return_submit", args=[audit_return.pk]),
            reverse("incidents:list"),
            incident.get_absolute_url(),
            reverse("incidents:history", args=[incident.pk]),
            action.get_absolute_url(),
            reverse("actionplan:progress_update", args=[action.pk]),
            reverse("locations:agency", args=[agency_a.pk]),
            reverse("locations:edit", args=[world.location.pk]),
            reverse("locations:reviews", args=[world.location.pk]),
            reverse("locations:review_create", args=[world.location.pk]),
        ],
        "board_member": [
            reverse("home"),
            reverse("agencies:list"),
            reverse("reports:list"),
            reverse("locations:reviews_overdue"),
            reverse("reports:picture"),
        ],
        "staff_a": [
            reverse("home"),
            reverse("incidents:start"),
            reverse("incidents:page", args=[world.draft.pk, "when"]),
            reverse("incidents:page", args=[world.draft.pk, "questions"]),
        ],
        "safeguarding_lead": [reverse("home"), reverse("incidents:list")],
    }


def test_pages_pass_axe_for_each_role(page, log_in, personas, agency_a, agency_b, settings, tmp_path):
    world = World({**personas, "agency_a": agency_a, "agency_b": agency_b}, settings, tmp_path)
    titles = {}
    for persona, urls in main_pages(world).items():
        log_in(personas[persona])
        for url in urls:
            title = check_page(page, url)
            assert titles.setdefault(title, url) == url, f"{url} and {titles[title]} share the title {title!r}"


def test_public_pages_pass_axe(page):
    for url in [reverse("login"), reverse("password_reset")]:
        check_page(page, url)


WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.table-responsive'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30))"""


def test_pages_work_on_a_phone_375_pixels_wide(browser, live_server, personas, agency_a, agency_b, settings, tmp_path):
    """No page scrolls sideways on a phone (wide tables scroll inside their own box); screenshots kept."""
    from tests.browser.conftest import authenticator_for, current_code
    from tests.factories import PASSWORD

    world = World({**personas, "agency_a": agency_a, "agency_b": agency_b}, settings, tmp_path)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB")
    phone = context.new_page()
    for persona, urls in main_pages(world).items():
        user = personas[persona]
        device = authenticator_for(user)
        context.clear_cookies()
        phone.goto("/login/")
        phone.get_by_label("E-mail address").fill(user.email)
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Log in").click()
        if device is not None:
            phone.get_by_label("Code").fill(current_code(device))
            phone.get_by_role("button", name="Continue").click()
        phone.wait_for_url("**/")
        for url in urls:
            phone.goto(url)
            overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            name = f"mobile-{persona}-{url.strip('/').replace('/', '-') or 'home'}"
            phone.screenshot(path=f"test-artifacts/{name}.png", full_page=True)
            wide = phone.evaluate(WIDE_ELEMENTS) if overflow > 1 else []
            assert overflow <= 1, f"{url} scrolls sideways by {overflow}px on a phone ({persona}): {wide}"
    context.close()
