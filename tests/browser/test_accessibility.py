"""Every main page, as each role that uses it, passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules."""

import pytest
from django.urls import reverse

from tests.factories import ConfirmationRoundFactory, ListConfirmationFactory

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


def foundation_pages(agency_a, confirmation):
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
        ],
        "champion_a": [
            reverse("home"),
            reverse("agencies:detail", args=[agency_a.pk]),
            confirmation.get_absolute_url(),
            reverse("reminders:preferences"),
            reverse("password_change"),
        ],
        "board_member": [reverse("home"), reverse("agencies:list"), reverse("reports:list")],
        "staff_a": [reverse("home")],
    }


def test_pages_pass_axe_for_each_role(page, log_in, personas, agency_a):
    confirmation = ListConfirmationFactory(agency=agency_a, round=ConfirmationRoundFactory())
    titles = {}
    for persona, urls in foundation_pages(agency_a, confirmation).items():
        log_in(personas[persona])
        for url in urls:
            title = check_page(page, url)
            assert titles.setdefault(title, url) == url, f"{url} and {titles[title]} share the title {title!r}"


def test_public_pages_pass_axe(page):
    for url in [reverse("login"), reverse("password_reset")]:
        check_page(page, url)
