"""Text from people and files is data, on every page, in every e-mail and every export.

The demo partnership is built, then every free-text field of every model of the portal (found by
introspection: character and text fields without fixed choices) gets a marked payload that closes an
attribute and opens a tag. Every demo role then walks every page reachable from the navigation and
the pages they link to (one of each kind); the payload must never appear as markup, and no page may
fail. The reminder sweep then sends its e-mails, whose HTML bodies are checked the same way.

A second payload starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``): every CSV and XLSX
export the walk found is downloaded again and no cell may be one a spreadsheet would run.
"""

import csv
import io
import itertools
import re
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import models

from accounts.models import User
from audits.models import Answer, QuestionKind
from esafety import figures
from tests.conftest import logged_in_client
from tests.support.walk import Page, walk

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MARKUP = "\"'><x-payload>"
RAW = re.compile(r"<x-payload", re.I)

# Character fields the portal itself writes and reads back as identifiers, not text people type:
# password hashes, content hashes and types, stored file names, idempotency keys, parsed rule values,
# and the stored HTML of sent e-mails (checked in the e-mail test below, where it is made).
MACHINE_FIELDS = {
    "accounts.User.password",
    "audits.TemplateVersion.content_hash",
    "audits.Question.gap_when",
    "audits.Answer.board_value",
    "audits.Evidence.content_type",
    "esig.Meeting.minutes_content_type",
    "incidents.Incident.step_reached",
    "reports.AnnualReport.file_name",
    "reports.AnnualReport.checksum",
    "reminders.ReminderRule.days_before",
    "reminders.Reminder.key",
    "reminders.Reminder.action_url",
    "reminders.Reminder.body_html",
    "reminders.QueuedTask.task_name",
    "imports.PendingImport.kind",
    "imports.RememberedMapping.kind",
    "imports.RememberedMapping.headings_key",
    "esafety.FigureVersion.area",
}
# The audit trail is append-only (the database refuses updates); its summaries are written from the
# objects' names, so the events the walk itself records carry the payload.
APPEND_ONLY = {"activity"}
ANSWERS_TYPED_BY_PEOPLE = [QuestionKind.TEXT, QuestionKind.PERSON]


def project_apps() -> set[str]:
    """The portal's own apps (those in the project's folder), so a new app's fields are covered too."""
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts
    } - APPEND_ONLY


def free_text_fields():
    """(model, [field names]) for every model of the portal with fields people write."""
    ours = project_apps()
    for model in apps.get_models():
        if model._meta.app_label not in ours or model._meta.proxy:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.EmailField | models.SlugField | models.URLField)
            and not field.choices
            and f"{model._meta.label}.{field.name}" not in MACHINE_FIELDS
        ]
        if names:
            yield model, names


def write_into_every_field(payload) -> int:
    """Put ``payload(original, max_length)`` into every free-text field of every row; how many values."""
    written = 0
    for model, names in free_text_fields():
        rows = model.objects.all()
        if model is Answer:
            rows = rows.filter(question__kind__in=ANSWERS_TYPED_BY_PEOPLE)
        rows = list(rows)
        for row in rows:
            for name in names:
                limit = model._meta.get_field(name).max_length
                setattr(row, name, payload(getattr(row, name) or "", limit))
                written += 1
        model.objects.bulk_update(rows, names, batch_size=500)
    figures.bump(*figures.AREAS)  # written in bulk, as an import would: every cached figure counts again
    return written


def with_markup(original: str, limit: int | None) -> str:
    keep = original[: limit - len(MARKUP)] if limit else original
    return keep + MARKUP


FORMULAS = itertools.cycle(['=HYPERLINK("http://evil.invalid","x")', "+1+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)"])


def as_formula(original: str, limit: int | None) -> str:
    formula = next(FORMULAS)
    if limit and len(formula) + 1 + len(original) > limit:
        # Short fields keep all they had (some are unique) behind as much of the formula as fits.
        formula = formula[: max(limit - len(original) - 1, 1)]
        return f"{formula} {original}"[:limit]
    return f"{formula} {original}"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return {
        "Champion": User.objects.get(email="champion@example.org"),
        "Staff": User.objects.get(email="staff@example.org"),
        "Board secretariat": User.objects.get(email="secretariat@example.org"),
        "Board member": User.objects.get(email="board@example.org"),
        "Partnership safeguarding lead": User.objects.get(email="safeguarding.lead@example.org"),
        "Administrator": User.objects.get(email="admin@example.org"),
    }


def fetcher(client):
    def fetch(path: str) -> Page:
        response = client.get(path, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return Page(path, response.status_code, response.get("Content-Type", ""), body, final)

    return fetch


def is_export(page: Page) -> bool:
    return page.status == 200 and any(kind in page.content_type for kind in ("csv", "spreadsheetml"))


def unescaped(text: str) -> list[str]:
    return [text[max(m.start() - 80, 0) : m.end() + 20] for m in RAW.finditer(text)]


def test_no_free_text_becomes_markup_on_any_page_or_e_mail_for_any_role(demo):
    assert write_into_every_field(with_markup) > 1000

    problems, pages_per_role = [], {}
    for role, user in demo.items():
        visited = walk(fetcher(logged_in_client(user)))
        pages_per_role[role] = len(visited.pages)
        for page in visited.pages:
            if page.status >= 500:
                problems.append(f"{role} {page.path}: {page.status}")
            elif page.is_html:
                problems.extend(f"{role} {page.path}: …{s!r}…" for s in unescaped(page.text))
    print(pages_per_role)
    assert not problems, "\n".join(problems)
    assert all(count > 20 for count in pages_per_role.values()), pages_per_role

    mail.outbox.clear()
    call_command("send_reminders", verbosity=0)
    assert mail.outbox, "the sweep sent nothing, so no e-mail body was checked"
    for message in mail.outbox:
        for body, kind in message.alternatives:
            if kind == "text/html":
                assert not unescaped(body), f"{message.subject}: {unescaped(body)}"


def runnable_cells(rows) -> list[str]:
    """CSV cells a spreadsheet would evaluate: starting with = + - @ (or a tab or return), and not a number.

    In a workbook only formula cells run; text cells never do, whatever they start with."""
    found = []
    for value in itertools.chain.from_iterable(rows):
        text = str(value or "")
        if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
            try:
                float(text)
            except ValueError:
                found.append(text[:60])
    return found


def test_no_export_holds_a_cell_a_spreadsheet_would_run(demo):
    exports = {}
    for user in demo.values():
        fetch = fetcher(logged_in_client(user))
        for page in walk(fetch).pages:
            if is_export(page):
                exports.setdefault(page.path, fetch)
    assert len(exports) >= 4, sorted(exports)

    write_into_every_field(as_formula)
    problems = []
    for path, fetch in exports.items():
        page = fetch(path)
        assert page.status == 200, path
        if "csv" in page.content_type:
            rows = list(csv.reader(io.StringIO(page.body.decode("utf-8-sig"))))
            problems.extend(f"{path}: {cell!r}" for cell in runnable_cells(rows))
        else:
            workbook = openpyxl.load_workbook(io.BytesIO(page.body))
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            problems.append(f"{path} {sheet.title}!{cell.coordinate}: formula {str(cell.value)[:60]!r}")
    assert not problems, "\n".join(problems)
