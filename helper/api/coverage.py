"""GET /api/coverage: per note, comments captured vs the note's own count and threads not expanded yet."""

from flask import Blueprint, request

from helper import coverage as cov
from helper.api.cache import cached

bp = Blueprint("coverage", __name__)


@bp.get("/api/coverage")
def coverage():
    platform, note_id = request.args.get("platform") or None, request.args.get("note_id") or None
    # A pass over every comment (about half a second at 100k): kept while the data is unchanged.
    items = cached(("coverage", platform, note_id), lambda: cov.coverage(platform=platform, note_id=note_id))
    return {"items": items, "total": len(items)}
