"""GET /api/coverage: per note, comments captured vs the note's own count and threads not expanded yet
(`account`: only the notes of that creator account, i.e. whose author it is)."""

from flask import Blueprint, request

from helper import coverage as cov
from helper.api.cache import cached
from helper.store import Note

bp = Blueprint("coverage", __name__)


@bp.get("/api/coverage")
def coverage():
    platform, note_id = request.args.get("platform") or None, request.args.get("note_id") or None
    # A pass over every comment (about half a second at 100k): kept while the data is unchanged.
    items = cached(("coverage", platform, note_id), lambda: cov.coverage(platform=platform, note_id=note_id))
    account = request.args.get("account") or None
    if account:
        mine = {(n.platform, n.note_id) for n in Note.select(Note.platform, Note.note_id).where(Note.author_id == account)}
        items = [item for item in items if (item["platform"], item["note_id"]) in mine]
    return {"items": items, "total": len(items)}
