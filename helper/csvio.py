"""CSV in and out: UTF-8 with BOM (so Excel shows Chinese), RFC 4180, formula cells neutralised.

Export: `write_csv(stream, header, rows)`, or `csv_chunks(header, pages)` to stream. Cells starting
with = + - @ tab or CR would run as formulas in Excel/LibreOffice (OWASP "CSV injection"): they get a
leading apostrophe. "Starting" is judged the way a spreadsheet reads the cell: after what it trims
or does not show (spaces, NBSP, zero-width characters, a BOM, line breaks), and with the full-width
and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ＠) that an IME types and NFKC folds to = + - @. NUL never reaches a cell.
Import: `read_csv(text)` -> list of (line_number, {column: value}) with clear errors for bad files.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Iterable, Iterator

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may skip before it decides a cell is a formula: whitespace and line breaks
# (str.isspace covers NBSP, U+3000 and friends), zero-width and bidi marks, BOM, other controls.
_INVISIBLE_PREFIX = re.compile(r"^[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\x00-\x1f\x7f]+")
# Characters that are not = + - @ to NFKC but read as a sign or operator all the same.
_FORMULA_LOOKALIKES = frozenset("\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d")
EXPORT_COLUMNS = [
    "comment_id",
    "note_id",
    "note_title",
    "author",
    "text",
    "created_at",
    "is_request",
    "score",
    "products",
    "suggested_reply",
    "status",
    "captured_at",
    "platform",
    "parent_id",
    "author_id",
    "like_count",
    "ip_location",
    "correction",
    "compliance",
]


class CSVFormatError(ValueError):
    """The file is not a CSV we can read; the message says why."""


def neutralise(value) -> str:
    """A cell as text (NUL removed), with a leading ' when a spreadsheet could read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    if "\0" in text:
        text = text.replace("\0", "")
    if not text or text[0].isalnum():  # most cells: a letter, digit or CJK character first
        return text
    return "'" + text if looks_like_formula(text) else text


def looks_like_formula(text: str) -> bool:
    """OWASP's rule (first character = + - @ tab CR), applied after what a spreadsheet trims."""
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    first = _INVISIBLE_PREFIX.sub("", text[:64])[:1]
    if not first:
        return False
    return first in _FORMULA_LOOKALIKES or unicodedata.normalize("NFKC", first)[:1] in "=+-@"


def write_csv(stream, header: list[str], rows: Iterable[Iterable]) -> int:
    """Write BOM, header and rows to a text stream (open it with newline=""); returns the row count."""
    stream.write(BOM)
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count


def csv_chunks(header: list[str], pages: Iterable[Iterable[Iterable]]) -> Iterator[str]:
    """The same CSV as `write_csv`, as text chunks: BOM and header, then one chunk per page of rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(h) for h in header])
    for rows in pages:
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def comment_row(item: dict) -> list:
    """One comment object (store.Comment.to_dict) as an export row."""
    values = dict(item)
    values["comment_id"] = item.get("id")
    values["products"] = " | ".join(item.get("products") or [])
    values["compliance"] = " | ".join(item.get("compliance") or [])
    values["score"] = f"{float(item.get('score') or 0):.3f}"
    return [values.get(column) for column in EXPORT_COLUMNS]


# A comment export or catalog far bigger than any creator's is a mistake (or a disk image), not a batch.
MAX_FILE_BYTES = 512 * 1024 * 1024


def read_text_file(path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a file the user named (BOM tolerated), or CSVFormatError with the one-line
    reason: missing, too big, unreadable, not UTF-8. The one reader of `ingest`, `products import`,
    `corrections import` and `classify --catalog`."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise CSVFormatError("no such file")
    try:
        if path.stat().st_size > max_bytes:
            raise CSVFormatError(f"larger than {max_bytes // (1024 * 1024)} MB; split it")
        data = path.read_bytes()
    except OSError as exc:
        raise CSVFormatError(f"cannot read ({exc.strerror or exc})") from None
    return decode(data)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CSVFormatError(f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None


def read_csv(text: str, required: Iterable[str] = ()) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse CSV text (BOM tolerated) with a header row -> (columns, [(line_number, row), ...]).

    Column names are matched case-insensitively and stripped. Raises CSVFormatError for a file
    without the required columns or with broken quoting. Blank lines are dropped.
    """
    text = text.lstrip(BOM)
    if not text.strip():
        raise CSVFormatError("the file is empty")
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise CSVFormatError(f"line {line}: contains a NUL byte (is this a spreadsheet, not a CSV?)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CSVFormatError(f"line 1: {exc}") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise CSVFormatError(f"missing column(s): {', '.join(missing)} (found: {', '.join(columns) or 'none'})")
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            if len(values) > len(columns):
                extra = values[len(columns):]
                if any(v.strip() for v in extra):
                    rows.append((line, {"__error__": f"{len(values)} cells but {len(columns)} columns"}))
                    continue
            rows.append((line, {c: (values[i] if i < len(values) else "") for i, c in enumerate(columns) if c}))
    except csv.Error as exc:
        raise CSVFormatError(f"line {reader.line_num}: {exc}") from None
    return columns, rows
