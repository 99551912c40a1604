"""In a real browser: a champion fills in and submits a Bromley annex 6 return; the secretariat
returns it for amendment, the champion amends it, and the secretariat accepts it."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from audits import services
from audits.models import AuditReturn, Template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer_section(page, section, *, gap_key=None):
    for q in section.questions.order_by("order"):
        card = page.locator(f"#q-{q.key}")
        if q.kind == "yes_no":
            card.get_by_label("No" if q.key == gap_key else "Yes", exact=True).check()
        elif q.kind == "date":
            card.locator(f"#id_q_{q.pk}").fill("2026-09-01")
        elif q.kind == "person":
            card.locator(f"#id_q_{q.pk}").fill("Rachel Owen, Headteacher")


def test_champion_submits_a_bromley_return_and_the_secretariat_sends_it_back_then_accepts(
    page, log_in, screenshot, champion_a, secretariat, agency_a, agency_b
):
    call_command("load_audit_templates", verbosity=0)
    version = Template.objects.get(slug="bromley-annex-6").versions.get()
    today = timezone.localdate()
    cycle = services.cycle_open(
        template_version=version,
        year=today.year,
        opens_on=today,
        due_on=today + datetime.timedelta(days=28),
        agencies=[agency_a, agency_b],
        by=secretariat,
    )
    sections = list(version.sections.order_by("order"))

    # The champion finds the return on their home page and starts on the first section.
    log_in(champion_a)
    page.get_by_role(
        "link", name=f"Bromley annex 6 E-Safety Audit Template {cycle.year} for Northfield Academy"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northfield Academy")
    page.get_by_role("link", name="Start answering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sections[0].title)
    _answer_section(page, sections[0])
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Your answers to '{sections[0].title}' have been saved as a draft.")).to_be_visible()
    screenshot("audits-section-saved")

    # Trying to submit early lists what is still missing.
    page.goto(f"/audits/returns/{AuditReturn.objects.get(agency=agency_a).pk}/submit/")
    expect(page.locator("#missing")).to_contain_text(sections[1].questions.filter(required=True).first().text)
    screenshot("audits-missing-answers")

    # The champion works through the remaining sections, one with a gap.
    page.get_by_role("link", name=f"{sections[1].title}:").first.click()
    for index, section in enumerate(sections[1:], start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        _answer_section(page, section, gap_key="staff_training")
        if index + 1 < len(sections):
            page.get_by_role("button", name=f"Save and go to {sections[index + 1].title}").click()
        else:
            page.get_by_role("button", name="Save and check before submitting").click()
    expect(page.get_by_text("Every required question has an answer.")).to_be_visible()
    page.get_by_role("button", name="Submit the return to the board secretariat").click()
    expect(page.get_by_text("Your return has been submitted")).to_be_visible()
    expect(page.locator(".badge", has_text="Submitted").first).to_be_visible()
    screenshot("audits-return-submitted")

    # The secretariat reviews it from the cycle page and returns it for amendment.
    log_in(secretariat)
    page.get_by_role("link", name="Audits", exact=True).click()
    page.get_by_role("link", name=str(cycle.year), exact=True).click()
    expect(page.locator("#return-rate")).to_contain_text("1 of 2")
    page.get_by_role("link", name="Northfield Academy").click()
    page.get_by_label("What needs amending").fill("Please give the date your policy was last reviewed.")
    screenshot("audits-secretariat-review")
    page.get_by_role("button", name="Return for amendment").click()
    expect(page.locator("#returned-reason")).to_contain_text("Please give the date your policy was last reviewed.")

    # The champion sees why, amends the answer and submits again.
    log_in(champion_a)
    page.get_by_role(
        "link", name=f"Bromley annex 6 E-Safety Audit Template {cycle.year} for Northfield Academy"
    ).click()
    expect(page.locator("#returned-reason")).to_contain_text("last reviewed")
    page.get_by_role("link", name="Continue answering").click()
    page.locator(f"#id_q_{sections[0].questions.get(kind='date').pk}").fill("2026-10-15")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Back to the whole return").click()
    expect(page.get_by_text("15 October 2026")).to_be_visible()
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_role("button", name="Submit the return to the board secretariat").click()

    # The secretariat accepts it; the history records every step.
    log_in(secretariat)
    page.goto(AuditReturn.objects.get(agency=agency_a).get_absolute_url())
    page.get_by_role("button", name="Accept the return").click()
    expect(page.get_by_text("has been accepted")).to_be_visible()
    history = page.locator("#history")
    for status in ("Draft", "Submitted", "Returned for amendment", "Accepted"):
        expect(history).to_contain_text(status)
    screenshot("audits-return-accepted")
    assert AuditReturn.objects.get(agency=agency_a).status == "accepted"

    # The gap the champion reported shows in the collation.
    page.goto(f"/audits/cycles/{cycle.pk}/collation/")
    expect(page.locator("#heat")).to_contain_text("Northfield Academy")
    screenshot("audits-collation")
