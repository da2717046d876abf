"""GET /api/coverage: per note, comments captured vs the note's own count and threads not expanded yet."""

from flask import Blueprint, request

from helper import coverage as cov

bp = Blueprint("coverage", __name__)


@bp.get("/api/coverage")
def coverage():
    items = cov.coverage(platform=request.args.get("platform") or None, note_id=request.args.get("note_id") or None)
    return {"items": items, "total": len(items)}
