"""GET /api/notes: every note with its comment, request and unanswered counts (`account`: only that
account's comments). GET /api/accounts: the creator accounts (the notes' authors) with their counts.

Counting needs a pass over every comment (about a second at 100k); every dashboard tab asks for the
notes (its note select), so the answer is kept while the data is unchanged (helper.api.cache).
"""

from flask import Blueprint, request

from helper.api.cache import cached
from helper.store import Comment, Note

bp = Blueprint("notes", __name__)


@bp.get("/api/notes")
def list_notes():
    account = request.args.get("account") or None
    items = cached(("notes", account), lambda: Note.with_counts(account))
    return {"items": items, "total": len(items)}


@bp.get("/api/accounts")
def list_accounts():
    """Every account comments were captured for; `unknown`: comments whose note's author is not known yet."""
    accounts = cached(("accounts",), Comment.accounts)
    return {**accounts, "total": len(accounts["items"])}
