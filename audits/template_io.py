"""Read an audit template from YAML or CSV and check every part of it, remembering line numbers.

Both formats become the same plain dictionary (see ``docs/audit-templates.md``) plus a map from
each place in it (a path such as ``("sections", 0, "questions", 2, "kind")``) to the line of the
file it came from, so every error can name its line. Nothing here writes to the database:
``audits.services.template_import`` calls :func:`parse_and_validate` and saves only a clean result.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import yaml

from audits.models import DEFAULT_LEVEL_LABELS, LEVELS, QuestionKind, TemplateKind

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
QUESTION_KINDS = {k.value for k in QuestionKind}
TEMPLATE_KINDS = {k.value for k in TemplateKind}

CSV_COLUMNS = [
    "template_slug",
    "template_name",
    "template_kind",
    "section_key",
    "section_title",
    "element",
    "section_guidance",
    "question_key",
    "question_text",
    "question_kind",
    "required",
    "gap_when",
    "benchmark",
    "guidance",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
]
CSV_REQUIRED_COLUMNS = {"template_slug", "template_name", "template_kind", "section_key", "section_title"}
CSV_REQUIRED_COLUMNS |= {"question_key", "question_text", "question_kind"}


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class TemplateFileError(Exception):
    """The file has errors; ``errors`` lists them all, each with its line."""

    def __init__(self, errors: list[FileProblem]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# --- reading -----------------------------------------------------------------------------------


def read_yaml(text: str) -> tuple[object, dict]:
    """Parse YAML safely, keeping the line of every value (1-based)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise TemplateFileError([FileProblem(line, f"This is not valid YAML ({problem}).")]) from error
    if node is None:
        raise TemplateFileError([FileProblem(None, "The file is empty.")])
    lines: dict = {}
    constructor = yaml.SafeLoader("")

    def build(n, path):
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            out = {}
            for key_node, value_node in n.value:
                key = constructor.construct_object(key_node, deep=True)
                out[key] = build(value_node, (*path, key))
                lines.setdefault((*path, key), key_node.start_mark.line + 1)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(n.value)]
        try:
            return constructor.construct_object(n, deep=True)
        except (ValueError, OverflowError) as error:  # e.g. a date that does not exist, 2026-02-30
            line = n.start_mark.line + 1
            raise TemplateFileError([FileProblem(line, f"'{n.value}' cannot be read ({error}).")]) from error

    try:
        data = build(node, ())
    except yaml.YAMLError as error:
        raise TemplateFileError([FileProblem(None, f"This is not valid YAML ({error}).")]) from error
    except TypeError as error:  # a list or mapping used as a key
        raise TemplateFileError([FileProblem(None, f"This is not a template file ({error}).")]) from error
    return data, lines


def _rows(reader):
    try:
        yield from reader
    except csv.Error as error:
        raise TemplateFileError(
            [FileProblem(reader.line_num, f"This line cannot be read as CSV ({error}).")]
        ) from error


def read_csv(text: str) -> tuple[dict, dict, list[FileProblem]]:
    """One row per question; template and section columns repeat (see docs/audit-templates.md)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        columns = set(reader.fieldnames or [])
    except csv.Error as error:
        raise TemplateFileError([FileProblem(1, f"This is not a readable CSV file ({error}).")]) from error
    missing = sorted(CSV_REQUIRED_COLUMNS - columns)
    if missing:
        raise TemplateFileError([FileProblem(1, f"Missing column(s): {', '.join(missing)}.")])
    unknown = sorted(columns - set(CSV_COLUMNS))
    if unknown:
        raise TemplateFileError([FileProblem(1, f"Unknown column(s): {', '.join(unknown)}.")])
    errors: list[FileProblem] = []
    data: dict = {"sections": []}
    lines: dict = {(): 1}
    sections: dict[str, int] = {}
    for row in _rows(reader):
        line = reader.line_num
        row = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        for field, column in (("slug", "template_slug"), ("name", "template_name"), ("kind", "template_kind")):
            if field not in data:
                data[field] = row[column]
                lines[(field,)] = line
            elif row[column] != data[field]:
                errors.append(FileProblem(line, f"{column} must be the same on every row ('{data[field]}')."))
        key = row["section_key"]
        if key not in sections:
            sections[key] = len(data["sections"])
            section_index = sections[key]
            data["sections"].append(
                {
                    "key": key,
                    "title": row["section_title"],
                    "element": row.get("element", ""),
                    "guidance": row.get("section_guidance", ""),
                    "questions": [],
                }
            )
            for field in ("", "key", "title", "element", "guidance", "questions"):
                lines[("sections", section_index) + ((field,) if field else ())] = line
        section_index = sections[key]
        questions = data["sections"][section_index]["questions"]
        question = {
            "key": row["question_key"],
            "text": row["question_text"],
            "kind": row["question_kind"],
            "required": row.get("required", "") or "yes",
            "gap_when": row.get("gap_when", ""),
            "guidance": row.get("guidance", ""),
            "benchmark": row.get("benchmark", "") or None,
        }
        statements = {level: row.get(f"level_{level}", "") for level in LEVELS}
        if any(statements.values()):
            question["level_statements"] = statements
        path = ("sections", section_index, "questions", len(questions))
        lines[path] = line
        for field in (*question, "level_statements"):
            lines[(*path, field)] = line
        questions.append(question)
    if not data["sections"]:
        errors.append(FileProblem(2, "The file has no questions."))
    return data, lines, errors


# --- checking ----------------------------------------------------------------------------------


def _line(lines: dict, path: tuple) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _yes(value, default=True) -> bool | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"yes", "y", "true", "1"}:
        return True
    if lowered in {"no", "n", "false", "0"}:
        return False
    return None


def _level(value) -> int | None:
    try:
        level = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return level if level in LEVELS else None


def validate(data, lines: dict) -> dict:
    """Check the whole structure and return a clean copy, or raise every error at once."""
    errors: list[FileProblem] = []

    def err(path, message):
        errors.append(FileProblem(_line(lines, path), message))

    if not isinstance(data, dict):
        raise TemplateFileError([FileProblem(1, "The file must describe one template (a mapping at the top).")])
    clean: dict = {}
    slug = _text(data.get("slug")).lower()
    if not slug:
        err(("slug",), "The template needs a slug (a short name in lower case, e.g. bromley-annex-6).")
    elif not KEY_RE.match(slug):
        err(("slug",), f"The slug '{slug}' may only use lower-case letters, digits, - and _.")
    clean["slug"] = slug
    clean["name"] = _text(data.get("name"))
    if not clean["name"]:
        err(("name",), "The template needs a name.")
    kind = _text(data.get("kind")).lower()
    if kind not in TEMPLATE_KINDS:
        err(("kind",), f"The template kind must be one of {', '.join(sorted(TEMPLATE_KINDS))}, not '{kind}'.")
    clean["kind"] = kind
    clean["description"] = _text(data.get("description"))
    clean["source"] = _text(data.get("source"))
    clean["levels"] = {}
    raw_levels = data.get("levels") or {}
    if kind == TemplateKind.MATURITY:
        if not isinstance(raw_levels, dict):
            err(("levels",), "levels must map each level 1 to 5 to a label.")
            raw_levels = {}
        for raw_key in raw_levels:
            if _level(raw_key) is None:
                err(("levels", raw_key), f"Unknown level '{raw_key}': levels are 1 (highest) to 5 (lowest).")
        for level in LEVELS:
            label = raw_levels.get(level, raw_levels.get(str(level)))
            clean["levels"][str(level)] = _text(label) or DEFAULT_LEVEL_LABELS[level]

    sections = data.get("sections")
    clean["sections"] = []
    if not isinstance(sections, list) or not sections:
        err(("sections",), "The template needs a list of sections, each with questions.")
        sections = []
    section_keys: set[str] = set()
    question_keys: set[str] = set()
    for s_index, section in enumerate(sections):
        s_path = ("sections", s_index)
        if not isinstance(section, dict):
            err(s_path, f"Section {s_index + 1} must be a mapping with key, title and questions.")
            continue
        s_key = _text(section.get("key")).lower()
        if not s_key or not KEY_RE.match(s_key):
            err((*s_path, "key"), f"Section {s_index + 1} needs a key of lower-case letters, digits, - or _.")
        elif s_key in section_keys:
            err((*s_path, "key"), f"The section key '{s_key}' is used twice.")
        section_keys.add(s_key)
        title = _text(section.get("title"))
        if not title:
            err((*s_path, "title"), f"Section '{s_key or s_index + 1}' needs a title.")
        element = _text(section.get("element"))
        if kind == TemplateKind.MATURITY and not element:
            err((*s_path, "element"), f"Section '{s_key}' of a maturity review needs its element (PIES).")
        clean_section = {
            "key": s_key,
            "title": title,
            "element": element,
            "guidance": _text(section.get("guidance")),
            "questions": [],
        }
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            err((*s_path, "questions"), f"Section '{s_key}' has no questions.")
            questions = []
        for q_index, question in enumerate(questions):
            q_path = (*s_path, "questions", q_index)
            if not isinstance(question, dict):
                err(q_path, "Each question must be a mapping with key, text and kind.")
                continue
            clean_section["questions"].append(_validate_question(question, q_path, kind, question_keys, err))
        clean["sections"].append(clean_section)
    if errors:
        errors.sort(key=lambda e: e.line or 0)
        raise TemplateFileError(errors)
    return clean


def _validate_question(question: dict, path: tuple, template_kind: str, keys: set, err) -> dict:
    key = _text(question.get("key")).lower()
    label = f"Question '{key}'" if key else "A question"
    if not key or not KEY_RE.match(key):
        err((*path, "key"), f"{label} needs a key of lower-case letters, digits, - or _.")
    elif key in keys:
        err((*path, "key"), f"The question key '{key}' is used twice.")
    keys.add(key)
    text = _text(question.get("text"))
    if not text:
        err((*path, "text"), f"{label} has no text.")
    kind = _text(question.get("kind")).lower()
    if kind not in QUESTION_KINDS:
        err((*path, "kind"), f"{label}: kind must be one of {', '.join(sorted(QUESTION_KINDS))}, not '{kind}'.")
    required = _yes(question.get("required"))
    if required is None:
        err((*path, "required"), f"{label}: required must be yes or no.")
    gap_when = _text(question.get("gap_when")).lower()
    if gap_when in {"y", "true"}:
        gap_when = "yes"
    if gap_when in {"n", "false"}:
        gap_when = "no"
    if question.get("gap_when") is False:
        gap_when = "no"
    if question.get("gap_when") is True:
        gap_when = "yes"
    if gap_when and kind != QuestionKind.YES_NO:
        err((*path, "gap_when"), f"{label}: gap_when only applies to yes/no questions.")
    elif gap_when and gap_when not in {"yes", "no"}:
        err((*path, "gap_when"), f"{label}: gap_when must be yes or no.")
    benchmark = None
    statements: dict[str, str] = {}
    if kind == QuestionKind.LEVEL:
        if template_kind != TemplateKind.MATURITY:
            err((*path, "kind"), f"{label}: level questions belong in a maturity review.")
        raw_benchmark = question.get("benchmark")
        if raw_benchmark not in (None, ""):
            benchmark = _level(raw_benchmark)
            if benchmark is None:
                err((*path, "benchmark"), f"{label}: benchmark must be a level from 1 to 5.")
        raw = question.get("level_statements") or {}
        if not isinstance(raw, dict):
            err((*path, "level_statements"), f"{label}: level_statements must map levels 1 to 5 to statements.")
            raw = {}
        for level in LEVELS:
            statement = _text(raw.get(level, raw.get(str(level))))
            if not statement:
                err((*path, "level_statements"), f"{label}: the statement for level {level} is missing.")
            statements[str(level)] = statement
    elif question.get("benchmark") not in (None, ""):
        err((*path, "benchmark"), f"{label}: only level questions have a benchmark.")
    return {
        "key": key,
        "text": text,
        "kind": kind,
        "required": bool(required),
        "gap_when": gap_when,
        "guidance": _text(question.get("guidance")),
        "benchmark": benchmark,
        "level_statements": statements,
    }


def parse_and_validate(text: str, fmt: str) -> dict:
    """The clean template described by a YAML or CSV file, or ``TemplateFileError`` with every problem."""
    early: list[FileProblem] = []
    if fmt == "yaml":
        data, lines = read_yaml(text)
    elif fmt == "csv":
        data, lines, early = read_csv(text)
    else:
        raise TemplateFileError([FileProblem(None, "Upload a .yaml, .yml or .csv file.")])
    try:
        clean = validate(data, lines)
    except TemplateFileError as error:
        raise TemplateFileError(sorted(early + error.errors, key=lambda e: e.line or 0)) from None
    if early:
        raise TemplateFileError(early)
    return clean
