"""GET /api/notes: every note with its comment, request and unanswered counts."""

from flask import Blueprint

from helper.store import Note

bp = Blueprint("notes", __name__)


@bp.get("/api/notes")
def list_notes():
    items = Note.with_counts()
    return {"items": items, "total": len(items)}
