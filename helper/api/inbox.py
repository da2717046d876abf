"""GET /api/inbox: the dashboard's triage list, paged by key so that nothing is skipped.

The morning pass marks rows while paging through "new" requests. Offset paging over a set that
shrinks as you work jumps over the rows that move up; here each page starts right after the last
row seen (`after` = that row's `cursor`), so every row is met exactly once. Each answer also
carries the per-status counts under the same filters ("待处理 N" on the tab), and per row what the
creator needs to answer it without hunting: the note's link on the site, the parent comment of a
reply, and the same buyer's other pending asks under that note (one person asking three times is
one item to answer).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from urllib.parse import quote

from flask import Blueprint, abort, request

from helper.api import comment_filters, query_int
from helper.store import Comment, comments_with_titles, utcnow

bp = Blueprint("inbox", __name__)

VIEWS = ("new", "waiting", "replied", "ignored", "all")
MAX_INBOX_PAGE = 200
MAX_SAME_BUYER = 20  # more asks than this from one buyer under one note are not worth listing
NOTE_URLS = {
    "xhs": "https://www.xiaohongshu.com/explore/{note_id}",
    "douyin": "https://www.douyin.com/video/{note_id}",
}


def note_link(platform: str, note_id: str, xsec_token: str | None = None) -> str | None:
    """The note on its site; Xiaohongshu answers 404 without the note's xsec_token when it needs one,
    so the token is appended whenever we know it."""
    pattern = NOTE_URLS.get(platform or "xhs")
    if not pattern or not note_id:
        return None
    url = pattern.format(note_id=quote(str(note_id), safe=""))
    if xsec_token and platform == "xhs":
        url += f"?xsec_token={quote(xsec_token, safe='')}&xsec_source=pc_feed"
    return url


def parents_of(comments) -> dict[tuple[str, str], dict]:
    """(platform, comment_id) -> {"id", "author", "text"} for the parent comments of replies."""
    wanted = {(c.platform, c.parent_id) for c in comments if c.parent_id and c.parent_id != c.comment_id}
    if not wanted:
        return {}
    ids = list({pid for _, pid in wanted})
    rows = Comment.select(Comment.platform, Comment.comment_id, Comment.author, Comment.text).where(
        Comment.comment_id.in_(ids)
    )
    return {
        (r.platform, r.comment_id): {"id": r.comment_id, "author": r.author, "text": r.text}
        for r in rows
        if (r.platform, r.comment_id) in wanted
    }


def same_buyer_asks(comments) -> dict[tuple[str, str, str], list[dict]]:
    """(platform, note_id, author_id) -> that buyer's pending requests under that note, oldest first."""
    keys = {(c.platform, c.note_id, c.author_id) for c in comments if c.author_id}
    if not keys:
        return {}
    rows = (
        Comment.select(Comment.platform, Comment.note_id, Comment.author_id, Comment.comment_id, Comment.text,
                       Comment.created_at, Comment.captured_at)
        .where(
            Comment.effective_is_request()
            & (Comment.status == "new")
            & Comment.note_id.in_(list({k[1] for k in keys}))
            & Comment.author_id.in_(list({k[2] for k in keys}))
        )
        .order_by(Comment.when(), Comment.id)
    )
    found = defaultdict(list)
    for r in rows:
        key = (r.platform, r.note_id, r.author_id)
        if key in keys and len(found[key]) < MAX_SAME_BUYER:
            when = r.created_at or r.captured_at
            found[key].append({"id": r.comment_id, "text": r.text, "created_at": when.isoformat() + "Z" if when else None})
    return found


def inbox_items(comments) -> list[dict]:
    """The API's comment objects plus cursor, note_url, parent and same_buyer (other pending asks)."""
    comments = list(comments)
    items = comments_with_titles(comments)
    parents = parents_of(comments)
    buyers = same_buyer_asks(comments)
    for comment, item in zip(comments, items):
        item["cursor"] = Comment.cursor_of(comment)
        item["note_url"] = note_link(comment.platform, comment.note_id)
        item["parent"] = parents.get((comment.platform, comment.parent_id)) if comment.parent_id else None
        asks = buyers.get((comment.platform, comment.note_id, comment.author_id), []) if comment.author_id else []
        item["same_buyer"] = [a for a in asks if a["id"] != comment.comment_id]
    return items


@bp.get("/api/inbox")
def inbox():
    mode = request.args.get("mode") or "requests"
    if mode not in ("requests", "comments"):
        abort(400, description="mode must be requests or comments")
    view = request.args.get("view") or "new"
    if view not in VIEWS:
        abort(400, description=f"view must be one of {', '.join(VIEWS)}")
    limit = query_int("limit", 50, lo=1, hi=MAX_INBOX_PAGE)
    waiting_hours = query_int("waiting_hours", 24, lo=1, hi=24 * 365)
    try:
        after = Comment.parse_cursor(request.args.get("after"))
    except ValueError as exc:
        abort(400, description=str(exc))
    requests_only = mode == "requests"
    filters = comment_filters()
    waiting_before = utcnow() - timedelta(hours=waiting_hours)

    page_filters = {**filters, "status": None if view == "all" else "new" if view == "waiting" else view}
    if view == "waiting":  # new and older than the cutoff, the longest-waiting first
        until = filters.get("until")
        page_filters["until"] = min(until, waiting_before) if until else waiting_before
    rows = Comment.keyset_page(page_filters, requests_only, limit + 1, after=after, oldest_first=view == "waiting")
    more = len(rows) > limit
    rows = rows[:limit]
    counts = Comment.status_counts(filters, requests_only, waiting_before)
    return {
        "items": inbox_items(rows),
        "view": view,
        "counts": counts,
        "total": counts[view],
        "limit": limit,
        "next": Comment.cursor_of(rows[-1]) if more else None,
        "waiting_hours": waiting_hours,
    }
