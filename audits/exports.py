"""CSV and XLSX downloads of the collated results and of gap lists."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from imports.tabular import FORMULA_STARTS, safe_cell  # noqa: F401 - both importable from here too

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _answer_rows(data):
    header = [
        "Agency",
        "Status",
        "Section",
        "Question key",
        "Question",
        "Self-rating / answer",
        "Board rating",
        "Gap",
        f"Last year ({data.previous.year})" if data.previous else "Last year",
        "Comment",
    ]
    rows = []
    sections = {s.pk: s for s in data.sections}
    for r in data.returns:
        if r.status not in ("submitted", "accepted"):
            continue
        for q in data.questions:
            a = data.answers.get((r.pk, q.pk))
            value = a.value if a else ""
            rows.append(
                [
                    r.agency.name,
                    r.get_status_display(),
                    sections[q.section_id].title,
                    q.key,
                    q.text,
                    q.display(value),
                    q.display(a.board_value) if a else "",
                    "Gap" if q.is_gap(value) else "",
                    q.display(data.previous_values.get((r.agency_id, q.key), "")),
                    a.comment if a else "",
                ]
            )
    return header, rows


def _rate_rows(data):
    header = ["Agency", "Status", "Overdue", "Submitted on"]
    rows = [
        [
            r.agency.name,
            r.get_status_display(),
            "Overdue" if r.is_overdue else "",
            r.submitted_at.date().isoformat() if r.submitted_at else "",
        ]
        for r in data.returns
    ]
    return header, rows


def _heat_rows(data):
    header = ["Agency", *[s.title for s in data.sections]]
    rows = [[row["audit_return"].agency.name, *[c.text for c in row["cells"]]] for row in data.heat_rows]
    rows.append(["Partnership average", *[c.text for c in data.average_row]])
    return header, rows


def collation_csv(data) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{data.cycle.template.slug}-{data.cycle.year}.csv"'
    writer = csv.writer(response)
    header, rows = _answer_rows(data)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return response


def collation_xlsx(data) -> HttpResponse:
    book = Workbook()
    sheets = [("Answers", _answer_rows(data)), ("Return rate", _rate_rows(data)), ("Sections", _heat_rows(data))]
    for index, (title, (header, rows)) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([safe_cell(v) for v in header])  # section titles come from imported templates
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{data.cycle.template.slug}-{data.cycle.year}.xlsx"'
    return response


def gaps_csv(gaps, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["Agency", "Year", "Section", "Question key", "Question", "Answer", "Benchmark", "Comment", "Link"])
    for g in gaps:
        writer.writerow(
            [
                safe_cell(g.audit_return.agency.name),
                g.audit_return.cycle.year,
                safe_cell(g.question.section.title),
                g.question.key,
                safe_cell(g.question.text),
                safe_cell(g.answer_text),
                f"Level {g.question.benchmark}" if g.question.benchmark else "",
                safe_cell(g.answer.comment),
                g.audit_return.get_absolute_url() + f"#q-{g.question.key}",
            ]
        )
    return response
