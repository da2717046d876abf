"""Reading comment files for `linktriage ingest`: JSONL (one object a line) or CSV, same fields.

Fields: id, note_id, text, optional author, author_id, note_title, parent_id, created_at (ISO-8601
or epoch ms), platform, like_count, ip_location, is_author. Returns (line_number, item) pairs and
(line_number, reason) problems; a bad line never stops the others.
"""

from __future__ import annotations

from pathlib import Path

from helper.csvio import MAX_FILE_BYTES, CSVFormatError, read_csv, read_text_file
from helper.errors import UserError
from helper.validation import ItemError, load_json


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    first = text.lstrip("\ufeff \t\r\n")[:1]
    return "jsonl" if first == "{" else "csv"


def read_jsonl(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    items, problems = [], []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = load_json(line)
        except ItemError as exc:
            problems.append((number, f"not valid JSON ({exc})"))
            continue
        if not isinstance(value, dict):
            problems.append((number, "not a JSON object"))
            continue
        items.append((number, value))
    return items, problems


def read_comments_csv(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    _, rows = read_csv(text, required=["id", "text"])
    items, problems = [], []
    for number, row in rows:
        if "__error__" in row:
            problems.append((number, row["__error__"]))
        else:
            items.append((number, {k: v for k, v in row.items() if v != "" or k == "text"}))
    return items, problems


def read_comment_file(path: str | Path) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """Parse a comment file; raises UserError when the file as a whole is unusable."""
    path = Path(path)
    try:
        text = read_text_file(path, MAX_FILE_BYTES)
    except CSVFormatError as exc:
        raise UserError(f"{path}: {exc}") from None
    if not text.strip():
        raise UserError(f"{path}: the file is empty")
    try:
        if detect_format(path, text) == "jsonl":
            items, problems = read_jsonl(text)
            if not items and problems:
                raise UserError(f"{path}: no line is a JSON object (line {problems[0][0]}: {problems[0][1]})")
            return items, problems
        return read_comments_csv(text)
    except CSVFormatError as exc:
        raise UserError(f"{path}: {exc}") from None
