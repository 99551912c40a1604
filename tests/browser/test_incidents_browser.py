"""In a real browser: staff log an illegal-content incident; the champion refers it to the police and closes it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, question_id, value):
    page.locator(f"#div_id_{question_id}").get_by_label(value, exact=True).check()


def test_staff_log_an_illegal_incident_and_the_champion_refers_and_closes_it(
    page, log_in, screenshot, staff_a, champion_a, agency_a
):
    today = timezone.localdate()
    # The member of staff starts from their home page.
    log_in(staff_a)
    page.get_by_role("link", name="Log an incident").click()
    page.get_by_role("button", name="Start the report").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("When and where")
    page.get_by_label("When did it happen?").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("When was it found or disclosed?").fill(today.isoformat())
    page.get_by_label("Where did it happen?").select_option(label="School or college")
    page.get_by_label("Which technology was used?").select_option(label="Computer or laptop")
    page.get_by_label("App, website or platform").fill("A file-sharing website")
    screenshot("incident-1-when")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("What happened")
    page.get_by_label("Illegal content").check()
    page.get_by_label("What happened?").fill(
        "Indecent images of children found in the browser history of a library PC."
    )
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("The flow chart questions")
    answer(page, "illegal", "Yes")
    answer(page, "online_sexual_abuse", "No")
    answer(page, "csam_online", "Yes")
    answer(page, "staff_involved", "No")
    answer(page, "child_at_risk", "No")
    screenshot("incident-2-questions")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("People involved")
    person = page.locator("fieldset").first
    person.get_by_label("Role").select_option(label="Child or young person")
    person.get_by_label("Age band").select_option(label="13 to 15")
    person.get_by_label("Involvement").select_option(label="Witness or reported it")
    person.get_by_label("Note (no names)").fill("Year 10 pupil who told staff")
    screenshot("incident-3-people")
    page.get_by_role("button", name="Save and continue").click()

    # The review shows what the flow chart asks for before anything is submitted.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check and submit")
    expect(page.get_by_text("Do not view the material further")).to_be_visible()
    expect(page.get_by_text("Report child sexual abuse images online to the IWF")).to_be_visible()
    expect(page.locator("p", has_text="Referrals the record requires:")).to_contain_text(
        "Police, IWF (Internet Watch Foundation)"
    )
    screenshot("incident-4-review")
    page.get_by_role("button", name="Submit the report").click()

    incident = Incident.objects.get()
    expect(page.get_by_text(f"{incident.reference} has been reported")).to_be_visible()
    assert incident.status == "reported" and incident.urgent
    assert sorted(incident.referrals.values_list("agency_type", flat=True)) == ["iwf", "police"]

    # The champion finds it on their home page, triages it and records the referrals.
    log_in(champion_a)
    page.get_by_role("link", name=incident.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    expect(page.get_by_text("Required referrals without a date and outcome")).to_be_visible()
    # The triage form is open until the incident is triaged.
    page.get_by_label("High").check()
    page.get_by_label("Why this level?").fill("Illegal images; device secured.")
    page.get_by_role("button", name="Save the triage").click()
    expect(page.get_by_role("region", name="Triage")).to_contain_text("High concern — Illegal images")

    # Closing too early is refused, saying why.
    page.locator("summary", has_text="Close the incident").click()
    page.get_by_label("Outcome of the incident").select_option(label="Criminal investigation")
    page.get_by_label("Outcome in more detail").fill("Police investigating.")
    page.get_by_label("Lessons learned").fill("Check filtering on library PCs.")
    page.get_by_role("button", name="Close the incident").click()
    expect(page.get_by_text("The required referral to Police has no date and outcome yet.")).to_be_visible()
    screenshot("incident-5-close-refused")

    for referred_to, reference, outcome in (
        ("Police", "CRN 4455", "Crime recorded; the device was collected by the police."),
        ("IWF", "IWF-2231", "Web address reported and taken down."),
    ):
        page.get_by_role("link", name=f"Record the referral to {referred_to}").click()
        page.get_by_label("Date of referral").fill(today.isoformat())
        page.get_by_label("Their reference").fill(reference)
        page.get_by_label("Outcome").fill(outcome)
        page.get_by_role("button", name="Save the referral").click()
        expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Recorded")

    page.locator("summary", has_text="Add an action to the chronology").click()
    page.get_by_label("What was done").fill("Library PC taken out of use and locked away.")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Library PC taken out of use and locked away.")).to_be_visible()

    page.locator("summary", has_text="Close the incident").click()
    page.get_by_label("Outcome of the incident").select_option(label="Criminal investigation")
    page.get_by_label("Outcome in more detail").fill("Police investigating.")
    page.get_by_label("Lessons learned").fill("Check filtering on library PCs.")
    page.get_by_role("button", name="Close the incident").click()
    expect(page.get_by_text(f"{incident.reference} is closed.")).to_be_visible()
    screenshot("incident-6-closed")
    incident.refresh_from_db()
    assert incident.is_closed and incident.closed_by == champion_a

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("cell", name="Closed", exact=True)).to_be_visible()
    screenshot("incident-7-history")
