"""The export CSV of comments, shared by `linktriage export` and GET /api/export.csv."""

from __future__ import annotations

from datetime import date

import peewee as pw

from helper.csvio import EXPORT_COLUMNS, comment_row, write_csv
from helper.store import comments_with_titles

PAGE = 1000


def write_export(stream, query) -> int:
    """Write the comments of `query` (a Comment select) as CSV to a text stream; returns rows written."""

    def rows():
        # Page through so 100k comments never sit in memory at once.
        for chunk in pw.chunked(query.iterator(), PAGE):
            for item in comments_with_titles(chunk):
                yield comment_row(item)

    return write_csv(stream, EXPORT_COLUMNS, rows())


def export_filename(everything: bool) -> str:
    kind = "comments" if everything else "requests"
    return f"linktriage-{kind}-{date.today():%Y%m%d}.csv"
