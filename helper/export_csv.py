"""The export CSV of comments, shared by `linktriage export` and GET /api/export.csv.

It streams: comments are read a page at a time by key (`Comment.in_pages`) and each page is written
as soon as it is read, so memory stays flat however many comments there are, and no read
transaction spans the export.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Callable, Iterator

from helper.csvio import EXPORT_COLUMNS, csv_chunks
from helper.store import Comment, Note, shown_is_request

PAGE = 1000
# Read as stored, in this order; `_row` turns them into EXPORT_COLUMNS (as comment_row(to_dict()) would).
READ = [
    "platform", "comment_id", "note_id", "author", "text", "created_at", "is_request", "correction", "score",
    "products", "suggested_reply", "status", "captured_at", "parent_id", "author_id", "like_count",
    "ip_location", "compliance",
]


def export_chunks(filters: dict | None, requests_only: bool, on_rows: Callable[[int], None] | None = None) -> Iterator[str]:
    """The CSV (BOM, header, rows) as text chunks, one per page of comments.

    `on_rows(n)` is told how many rows each page added (for a progress line).
    """
    titles: dict[tuple[str, str], str | None] = {}

    def pages():
        for page in Comment.in_pages(filters, requests_only, size=PAGE, columns=READ):
            _fill_titles(titles, page)
            rows = [_row(values, titles) for values in page]
            if on_rows:
                on_rows(len(rows))
            yield rows

    return csv_chunks(EXPORT_COLUMNS, pages())


def write_export(stream, filters: dict | None, requests_only: bool, on_rows=None) -> int:
    """Write the export CSV to a text stream (opened with newline=""); returns the rows written."""
    written = 0

    def count(n: int) -> None:
        nonlocal written
        written += n
        if on_rows:
            on_rows(n)

    for chunk in export_chunks(filters, requests_only, count):
        stream.write(chunk)
    return written


def _row(values: tuple, titles: dict) -> list:
    """One stored comment (READ columns, as stored) -> its export row, in EXPORT_COLUMNS order."""
    (platform, comment_id, note_id, author, text, created_at, is_request, correction, score, products,
     reply, status, captured_at, parent_id, author_id, like_count, ip_location, compliance) = values[: len(READ)]
    return [
        comment_id,
        note_id,
        titles.get((platform, note_id)),
        author,
        text,
        _iso_utc(created_at),
        shown_is_request(is_request, correction),
        f"{float(score or 0):.3f}",
        " | ".join(json.loads(products) or []) if products and products != "[]" else "",
        reply or "",
        status,
        _iso_utc(captured_at),
        platform,
        parent_id,
        author_id,
        like_count,
        ip_location,
        correction,
        " | ".join(json.loads(compliance) or []) if compliance and compliance != "[]" else "",
    ]


def _iso_utc(stored) -> str | None:
    """A DateTimeField value as stored ("2026-11-24 08:00:00") -> the API's "2026-11-24T08:00:00Z"."""
    if not stored:
        return None
    return str(stored).replace(" ", "T", 1) + "Z"


def _fill_titles(titles: dict, page: list) -> None:
    """Add the titles of this page's notes that `titles` lacks (notes repeat from page to page)."""
    missing = {(values[0], values[2]) for values in page} - titles.keys()
    if not missing:
        return
    for key in missing:
        titles[key] = None
    note_ids = list({note_id for _, note_id in missing})
    for start in range(0, len(note_ids), 500):
        query = Note.select(Note.platform, Note.note_id, Note.title).where(Note.note_id.in_(note_ids[start : start + 500]))
        for platform, note_id, title in query.tuples():
            if (platform, note_id) in missing:
                titles[(platform, note_id)] = title


def export_filename(everything: bool) -> str:
    kind = "comments" if everything else "requests"
    return f"linktriage-{kind}-{date.today():%Y%m%d}.csv"
