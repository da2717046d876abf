"""GET /api/export.csv: the same CSV as `linktriage export` (BOM, RFC 4180, formulas neutralised)."""

import io

from flask import Blueprint, Response

from helper.api import comment_filters, query_flag
from helper.export_csv import export_filename, write_export
from helper.store import Comment

bp = Blueprint("export", __name__)


@bp.get("/api/export.csv")
def export_csv():
    filters = comment_filters()
    everything = query_flag("all")
    buffer = io.StringIO(newline="")
    write_export(buffer, Comment.filtered(filters, requests_only=not everything))
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{export_filename(everything)}"',
            "Cache-Control": "no-store",
        },
    )
