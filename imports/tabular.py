"""Reading and writing the portal's spreadsheets (CSV and XLSX), in one place for every app.

Writing goes through tablib. Reading is streamed with openpyxl and the csv module so that an
oversized or hostile file is refused after reading at most ``MAX_ROWS`` rows rather than after
loading it whole; the heading row is found even below a title row or two.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

import tablib
from openpyxl import load_workbook

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# Rows looked at for the heading row (title rows above it are skipped).
HEADING_SEARCH_ROWS = 20
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileRefused(Exception):
    """The whole file is refused (too big, unreadable, wrong type); the message is for the user."""


def safe_cell(value) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in FORMULA_STARTS else value


def is_formula(value) -> bool:
    """A cell holding a spreadsheet formula (XLSX files are read with their formulas, not their results)."""
    return isinstance(value, str) and value.lstrip()[:1] == "="


def normalise(text) -> str:
    """A heading or word reduced to lower-case words: "Lead-Responsibility " → "lead responsibility"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


def cell_text(value) -> str:
    """A cell as the text a person reads, with the quote our exports put before formula-like cells removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


# --- dates written in words -------------------------------------------------------------

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def find_date(text: str) -> tuple[datetime.date, tuple[int, int]] | None:
    """The first date written in ``text`` and where it is: 2026-03-31, 31/03/2026, 13th March 2009,
    June 2010 (its last day)."""
    patterns = (
        (r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: datetime.date(int(m[1]), int(m[2]), int(m[3]))),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", lambda m: datetime.date(_year(m[3]), int(m[2]), int(m[1]))),
        (
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b",
            lambda m: datetime.date(int(m[3]), MONTHS[m[2].lower()], int(m[1])),
        ),
        (
            rf"\b({_MONTH})\.?,?\s+(\d{{4}}|'?\d{{2}})\b",
            lambda m: _month_end(_year(m[2].lstrip("'")), MONTHS[m[1].lower()]),
        ),
    )
    found = []
    for pattern, build in patterns:
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            try:
                found.append((m.start(), m.end(), build(m)))
            except ValueError:
                continue
            break
    if not found:
        return None
    start, end, date = min(found)
    return date, (start, end)


# --- writing ---------------------------------------------------------------------------------


def dataset(headers: list[str], rows, title: str = "") -> tablib.Dataset:
    """A tablib dataset whose every cell is text made safe from formula injection."""
    data = tablib.Dataset(headers=[safe_cell(h) for h in headers], title=title or None)
    for row in rows:
        data.append([safe_cell(v) for v in row])
    return data


def to_csv(data: tablib.Dataset) -> bytes:
    # utf-8-sig: Excel reads the accents right only with the byte-order mark.
    return data.export("csv").encode("utf-8-sig")


def to_xlsx(data: tablib.Dataset) -> bytes:
    return data.export("xlsx")


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows of one sheet (or of a CSV file), each a list of raw cell values."""

    rows: list[list]
    sheet_names: list[str]
    sheet: str

    def heading_row(self, known: set[str] | None = None) -> int:
        """The 0-based index of the likeliest heading row among the first rows.

        The row with the most cells that are ``known`` headings wins; without any, the first row
        with at least two filled cells (a title row has one).
        """
        best, best_score = None, 0
        for index, row in enumerate(self.rows[:HEADING_SEARCH_ROWS]):
            if known:
                score = sum(1 for v in row if normalise(v) in known or _contains_known(normalise(v), known))
                if score > best_score:
                    best, best_score = index, score
        if best is not None and best_score >= 2:
            return best
        for index, row in enumerate(self.rows[:HEADING_SEARCH_ROWS]):
            if sum(1 for v in row if cell_text(v)) >= 2:
                return index
        return 0


def _contains_known(heading: str, known: set[str]) -> bool:
    words = set(heading.split())
    return bool(words) and any(set(k.split()) <= words for k in known if k)


def read_sheet(name: str, data: bytes, sheet: str = "") -> Sheet:
    """Read a CSV or XLSX file's rows (one sheet: ``sheet`` or the first). Refuses what it cannot read."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; split it into smaller files.")
    if not data.strip():
        raise FileRefused("The file is empty.")
    lower = (name or "").lower()
    if lower.endswith(".xls"):
        raise FileRefused("Old .xls files cannot be read: save the sheet as .xlsx or CSV and try again.")
    if lower and not lower.endswith((".xlsx", ".csv", ".txt")):
        raise FileRefused("Only CSV (.csv) and Excel (.xlsx) files can be imported.")
    if data.startswith(b"PK") or lower.endswith(".xlsx"):
        return _read_xlsx(data, sheet)
    return _read_csv(data)


def _too_many() -> FileRefused:
    return FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")


# An .xlsx is a zip: refuse one whose contents unpack to far more than any real plan or log.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _read_xlsx(data: bytes, wanted: str) -> Sheet:
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        unpacked = 0  # openpyxl says below that it cannot read it
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            f"The Excel file unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB; split it into smaller files."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file  # noqa: BLE001
        raise FileRefused(
            "The Excel file could not be read: it may be damaged. Save it again as .xlsx or CSV."
        ) from error
    try:
        names = workbook.sheetnames
        if wanted and wanted not in names:
            raise FileRefused(f"The workbook has no sheet called “{wanted}”.")
        worksheet = workbook[wanted] if wanted else workbook.worksheets[0]
        rows = []
        try:
            for values in worksheet.iter_rows(values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_ROWS + HEADING_SEARCH_ROWS:
                    raise _too_many()
        except FileRefused:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise FileRefused(
                "The Excel file could not be read: it may be damaged. Save it again as .xlsx or CSV."
            ) from error
    finally:
        workbook.close()
    return Sheet(rows=_trim(rows), sheet_names=names, sheet=worksheet.title)


# Bytes that are valid UTF-8 multi-byte characters: a file with these and also bytes that are not
# UTF-8 was saved from two programs, and guessing would garble one half of it.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _read_csv(data: bytes) -> Sheet:
    if b"\x00" in data[:4096]:
        raise FileRefused("This does not look like a CSV file: save the sheet as CSV (UTF-8) or .xlsx.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _UTF8_SEQUENCE.search(data):
            raise FileRefused(
                "The file mixes two text encodings (UTF-8 and Windows), so some letters would be garbled. "
                "Save it again as “CSV UTF-8” and try again."
            ) from None
        text = data.decode("cp1252", errors="replace")
    rows = []
    try:
        # newline="" lets the csv module see line endings itself (a lone carriage return included).
        for values in csv.reader(io.StringIO(text, newline="")):
            rows.append(values)
            if len(rows) > MAX_ROWS + HEADING_SEARCH_ROWS:
                raise _too_many()
    except csv.Error as error:
        raise FileRefused(f"The CSV file could not be read (line {len(rows) + 1}): {error}.") from error
    return Sheet(rows=_trim(rows), sheet_names=[], sheet="")


def _trim(rows: list[list]) -> list[list]:
    """Drop empty trailing cells and rows, which spreadsheet programs add freely."""
    trimmed = []
    for row in rows:
        row = list(row)
        while row and not cell_text(row[-1]):
            row.pop()
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
