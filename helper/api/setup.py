"""GET /api/setup: the first-run checklist's facts (helper running, extension paired, catalog
imported, first comments captured), so the dashboard can tell a new user what to do next and tick
each step as it happens. Cheap enough to poll every few seconds: a handful of COUNT/EXISTS queries.
"""

from flask import Blueprint

from helper.store import Comment, Note, Pairing, Product, isoformat_utc

bp = Blueprint("setup", __name__)


@bp.get("/api/setup")
def setup_state():
    active = Pairing.active()
    last_captured = Comment.select(Comment.captured_at).order_by(Comment.captured_at.desc()).limit(1).scalar()
    return {
        "helper": True,  # answering at all is the tick
        "paired": active is not None,
        "extension_last_seen": isoformat_utc(active.last_seen) if active else None,
        "pairing_open": Pairing.is_open(),
        "products": Product.select().count(),
        "notes": Note.select().count(),
        "comments_captured": Comment.select().limit(1).exists(),
        "last_captured": isoformat_utc(last_captured),
    }
