"""GET /api/notes: every note with its comment, request and unanswered counts.

Counting needs a pass over every comment (about a second at 100k); every dashboard tab asks for the
notes (its note select), so the answer is kept while the data is unchanged (helper.api.cache).
"""

from flask import Blueprint

from helper.api.cache import cached
from helper.store import Note

bp = Blueprint("notes", __name__)


@bp.get("/api/notes")
def list_notes():
    items = cached(("notes",), Note.with_counts)
    return {"items": items, "total": len(items)}
