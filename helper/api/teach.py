"""The teach queue: the comments the model is least sure about, one note after another.

    GET /api/teach/next?limit=10&exclude=<id>,<id>

Answers are ordinary corrections (PATCH /api/comments/<id> with `correction`: `missed` = "is a
request", `not_request`), so they count wherever corrections count, and the Retrainer learns them.

Which comments: not corrected yet, status "new" (replied/ignored ones the creator already handled),
not the note author's own, not held by another operator (a claim, team mode). Nearest to the line first (|score − 0.5|, scores are calibrated so 0.5 is
the line), spread across notes: the nearest of each note, note by note, then each note's second
nearest, and so on — so ten answers teach about ten notes, not one busy note.
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from peewee import fn

from helper.api import query_int
from helper.api.comments import claimant
from helper.store import Comment, comments_with_titles

bp = Blueprint("teach", __name__)

LINE = 0.5
CANDIDATES = 400  # the nearest this many to the line are spread across notes
MAX_EXCLUDE = 500
REPLIES_SHOWN = 3


def uncertain_first(limit: int, exclude: set[str], platform: str | None = None, account: str | None = None,
                    operator: str | None = None) -> list:
    """Comments to ask about, nearest the line first, spread across notes (see the module docstring);
    `account`: only that creator account's comments; `operator`: none another operator holds now."""
    query = Comment.select().where(
        Comment.correction.is_null() & (Comment.status == "new") & (Comment.is_author == False)  # noqa: E712
    )
    if operator:
        query = query.where(Comment.free_for(operator))
    if platform:
        query = query.where(Comment.platform == platform)
    if account:
        query = query.where(Comment.account == account)
    if exclude:
        query = query.where(Comment.comment_id.not_in(list(exclude)))
    distance = fn.ABS(Comment.score - LINE)
    candidates = list(query.order_by(distance, Comment.id.desc()).limit(CANDIDATES))
    by_note: dict[tuple[str, str], list] = {}
    for comment in candidates:
        by_note.setdefault((comment.platform, comment.note_id), []).append(comment)
    picked = []
    rank = 0
    while len(picked) < limit and any(len(rows) > rank for rows in by_note.values()):
        layer = [rows[rank] for rows in by_note.values() if len(rows) > rank]
        layer.sort(key=lambda c: abs(c.score - LINE))
        picked.extend(layer[: limit - len(picked)])
        rank += 1
    return picked


def thread_of(comment) -> dict:
    """The parent a reply answers, and the first replies under a top-level comment."""
    parent = None
    if comment.parent_id:
        row = Comment.by_key(comment.platform, comment.parent_id)
        if row is not None:
            parent = {"id": row.comment_id, "author": row.author, "text": row.text}
    replies = (
        Comment.select(Comment.comment_id, Comment.author, Comment.text)
        .where((Comment.platform == comment.platform) & (Comment.parent_id == comment.comment_id))
        .order_by(Comment.id)
        .limit(REPLIES_SHOWN)
    )
    return {"parent": parent, "replies": [{"id": r.comment_id, "author": r.author, "text": r.text} for r in replies]}


@bp.get("/api/teach/next")
def next_questions():
    limit = query_int("limit", 10, lo=1, hi=50)
    raw_exclude = request.args.get("exclude") or ""
    exclude = {part for part in raw_exclude.split(",") if part}
    if len(exclude) > MAX_EXCLUDE:
        abort(400, description=f"exclude takes at most {MAX_EXCLUDE} ids")
    account = request.args.get("account") or None
    picked = uncertain_first(limit, exclude, request.args.get("platform") or None, account, operator=claimant())
    items = comments_with_titles(picked)
    for item, comment in zip(items, picked):
        item["thread"] = thread_of(comment)
    answered = Comment.select().where(Comment.correction.is_null(False))
    if account:
        answered = answered.where(Comment.account == account)
    answered = answered.count()
    return {"items": items, "answered": answered, "line": LINE}
