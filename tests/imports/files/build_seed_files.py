"""Build the seed plans' spreadsheets as a secretariat would paste them from the documents.

    python tests/imports/files/build_seed_files.py ../shared/seeds

writes telford-wrekin-2009.{csv,xlsx}, telford-wrekin-2009-as-in-the-document.{csv,xlsx} (each
priority a row of its own with the headings repeated under it, as in the document) and
wandsworth-action-plan.{csv,xlsx} next to this file:
a title row or two above the headings, the seeds' own headings, a grouping cell written only on
the first row of its group, the documents' words for status and timescale.
"""

import csv
import pathlib
import re
import sys

from openpyxl import Workbook

HERE = pathlib.Path(__file__).parent
TELFORD_HEADINGS = [
    "Priority",
    "Target",
    "Activity",
    "Responsible",
    "Action identified as from January 2009",
    "Success/milestones and timescale",
    "Status",
]
WANDSWORTH_HEADINGS = [
    "Strategic priority",
    "Objective",
    "Method",
    "WSCB Action",
    "Lead Responsibility",
    "Timescale",
    "Update",
]


def _clean(text: str) -> str:
    return re.sub(r"</?p>", "", text).strip()


def _telford_status(cells: list[str]) -> str:
    words = " ".join(cells).lower()
    if (
        "have been achieved" in words
        or "all computers have been distributed" in words
        or "attended and decision" in words
    ):
        return "COMPLETED"
    if "continuous development" in words or "continuously" in words:
        return "ACHIEVED BUT CONTINUOUSLY EVOLVING"
    if "awaiting current status" in words or "to meet with" in words:
        return "NOT ACHIEVED"
    return "IN PROGRESS"


def telford_sections(seed: pathlib.Path) -> list[list[str]]:
    """The same table pasted as it stands in the document: each priority a row of its own, the
    headings repeated under it, no Priority column."""
    rows = telford(seed)
    out = rows[:3]
    for row in rows[4:]:
        if row[0]:
            out.append([row[0]])
            out.append(TELFORD_HEADINGS[1:])
        out.append(row[1:])
    return out


def telford(seed: pathlib.Path) -> list[list[str]]:
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Embracing National Initiatives"))
    rows = []
    priority = ""
    for line in lines[start:]:
        cells = [_clean(c) for c in line.split("\t")]
        if not any(cells):
            continue
        if cells[0].lower() == "target":
            continue  # the heading row, repeated under each priority
        if len(cells) >= 2 and any(cells[0:1]) and not any(cells[1:]):
            priority = cells[0]
            continue
        while len(cells) > 5 and not cells[0]:
            cells.pop(0)  # a cell split across the page moved one column right when the text was extracted
        cells = (cells + [""] * 5)[:5]
        continuation = not cells[0] and not cells[1]
        status = "" if continuation else _telford_status(cells)
        rows.append([priority, *cells, status])
        priority = ""
    return [
        ["E safety sub group strategic work programme 2009/10"],
        ["NOT ACHIEVED=RED IN PROGRESS=GOLD COMPLETED=GREEN ACHIEVED BUT CONTINUOUSLY EVOLVING=BLUE"],
        [],
        TELFORD_HEADINGS,
        *rows,
    ]


def wandsworth(seed: pathlib.Path) -> list[list[str]]:
    lines = seed.read_text(encoding="utf-8").splitlines()
    rows, cells, priority, pending_title = [], [], "", False
    for line in lines[1:]:
        at_boundary = len(cells) % 6 == 0
        if line.startswith("\t"):
            pending_title = False
            cells.append(line[1:].strip())
        elif at_boundary and re.match(r"^\s*\d+\.\s*", line):
            number, _, title = line.strip().partition(".")
            priority = f"{number}. {title.strip()}".strip()
            pending_title = not title.strip()
        elif at_boundary and pending_title and line.strip():
            priority = f"{priority} {line.strip()}"
            pending_title = False
        elif cells and line.strip():
            cells[-1] = f"{cells[-1]}\n{line.strip()}".strip()
        if len(cells) == 6:
            if cells[0] == "Becta":
                break  # the glossary of abbreviations that follows the plan
            if cells[0] != "Objective":
                rows.append([priority, *[re.sub(r"\n{2,}", "\n", c) for c in cells]])
                priority = ""
            cells = []
    return [["Wandsworth Safeguarding Children Board"], ["e-Safety Action Plan"], WANDSWORTH_HEADINGS, *rows]


def write(rows: list[list[str]], stem: str) -> None:
    with open(HERE / f"{stem}.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    workbook = Workbook()
    workbook.active.title = "Action plan"
    for row in rows:
        workbook.active.append(row)
    workbook.save(HERE / f"{stem}.xlsx")


if __name__ == "__main__":
    seeds = pathlib.Path(sys.argv[1])
    write(telford(next(seeds.glob("001_*.txt"))), "telford-wrekin-2009")
    write(telford_sections(next(seeds.glob("001_*.txt"))), "telford-wrekin-2009-as-in-the-document")
    write(wandsworth(next(seeds.glob("003_*.txt"))), "wandsworth-action-plan")
