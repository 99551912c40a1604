"""The Department for Education's filtering and monitoring standards, as data.

"Filtering and monitoring standards for schools and colleges" (DfE digital and technology
standards, first published March 2023, updated October 2024) sets four standards. Each review of a
location answers each of them; the wording below follows the standards' headings and what each
says it takes to meet it, put for any setting where children use the internet (a library, a youth
club or a children's home as well as a school).

To change the standards, edit this list and ``VERSION``: a review keeps the answers it was given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

VERSION = "DfE filtering and monitoring standards, October 2024"
SOURCE = (
    "Department for Education, 'Filtering and monitoring standards for schools and colleges' (updated October 2024)"
)

# At least once a year (standard 2): the next review is due within this many days of the last.
REVIEW_INTERVAL_DAYS = 365
# A location in the register that has never been reviewed is given this long to have its first review.
FIRST_REVIEW_GRACE_DAYS = 30


class Answer(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


@dataclass(frozen=True)
class Standard:
    field: str  # the FilteringReview field holding the answer
    number: int
    title: str
    expects: str


STANDARDS = [
    Standard(
        "roles_answer",
        1,
        "Roles and responsibilities to manage filtering and monitoring are identified and assigned",
        "A senior leader and a governor, trustee or board member are responsible for making sure the standards are "
        "met; the roles of staff and of third parties such as the IT service provider are clear, and changes to "
        "the provision can be made promptly.",
    ),
    Standard(
        "review_answer",
        2,
        "Filtering and monitoring provision is reviewed at least once a year",
        "The review involves the senior leader responsible, the designated safeguarding lead and the IT service "
        "provider; it looks at the risks to the children who use the location (their ages, special educational "
        "needs, whether English is an additional language), what is blocked or allowed and why, and is repeated "
        "when a safeguarding risk is found, working practice changes or new technology comes in. Checks confirm "
        "the system works as expected.",
    ),
    Standard(
        "blocking_answer",
        3,
        "Filtering blocks harmful and inappropriate content without unreasonably impacting teaching and learning",
        "Illegal content (child sexual abuse material, terrorist content) is always blocked; the filtering is "
        "up to date, applies to every device and connection children use here, and does not block so much "
        "that learning or the service suffers. Decisions to block or allow are recorded.",
    ),
    Standard(
        "monitoring_answer",
        4,
        "Monitoring strategies are effective and meet the safeguarding needs",
        "Monitoring (supervision, technical monitoring or both) is suited to the risks; alerts and reports reach "
        "the designated safeguarding lead or the person who acts on them promptly, and staff know what to do "
        "when they see or are told of a concern.",
    ),
]

STANDARD_FIELDS = [s.field for s in STANDARDS]


class Check(models.TextChoices):
    """Checks made during a review, for the record of what was actually tried."""

    FILTER_TEST = "filter_test", "A filtering test (for example with a test site such as SWGfL's 'Test Filtering')"
    ILLEGAL_BLOCKED = "illegal_blocked", "Confirmed illegal content lists (IWF, counter-terrorism) are applied"
    ALL_DEVICES = "all_devices", "Checked every device and connection children use, including guest Wi-Fi"
    BLOCK_ALLOW = "block_allow", "Reviewed what is blocked or allowed, and why"
    OVER_BLOCKING = "over_blocking", "Asked staff whether filtering stops legitimate use"
    MONITORING_ALERT = "monitoring_alert", "Tested that a monitoring alert reaches the person who acts on it"
    STAFF_TRAINED = "staff_trained", "Checked that staff know their part and how to report a concern"
