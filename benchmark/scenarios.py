"""What the simulated people submit: shared by ``manage.py bench``, the load test and the import tests."""

import csv
import datetime
import io

from django.utils import timezone

# An incident a member of staff logs, page by page of the guided form (dates filled in on the day).
INCIDENT_PAGES = [
    (
        "when",
        {
            "occurred_on": "{yesterday}",
            "discovered_on": "{today}",
            "location": "school",
            "technology": "phone",
            "platform": "Group chat",
        },
    ),
    ("what", {"category": "cyberbullying", "description": "Unkind messages in a class group chat."}),
    (
        "questions",
        dict.fromkeys(["illegal", "online_sexual_abuse", "csam_online", "staff_involved", "child_at_risk"], "no"),
    ),
    (
        "people",
        {
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0",
            "people-MAX_NUM_FORMS": "1000",
            "people-0-role": "child",
            "people-0-age_band": "13-15",
            "people-0-involvement": "affected",
            "people-0-note": "",
        },
    ),
    ("review", {}),
]


def incident_pages(today: datetime.date | None = None) -> list[tuple[str, dict]]:
    today = today or timezone.localdate()
    dates = {"today": today.isoformat(), "yesterday": (today - datetime.timedelta(days=1)).isoformat()}
    return [(page, {field: value.format(**dates) for field, value in data.items()}) for page, data in INCIDENT_PAGES]


def plan_spreadsheet(rows: int) -> bytes:
    """A plan spreadsheet of ``rows`` actions as a secretariat might bring one: four priorities,
    fifty actions an objective, Telford & Wrekin's status words, free-text timescales."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Priority", "Objective", "Action", "Lead", "Timescale", "Status", "Update"])
    for n in range(rows):
        writer.writerow(
            [
                f"{n // 500 + 1}. Priority",
                f"Objective {n // 50}",
                f"Action {n}",
                "All agencies",
                "By end of June 2027",
                "Gold",
                f"Note {n}",
            ]
        )
    return buffer.getvalue().encode()
