"""GET /api/inbox: the dashboard's triage list, paged by key so that nothing is skipped.

The morning pass marks rows while paging through "new" requests. Offset paging over a set that
shrinks as you work jumps over the rows that move up; here each page starts right after the last
row seen (`after` = that row's `cursor`), so every row is met exactly once. Each answer also
carries the per-status counts under the same filters ("待处理 N" on the tab), and per row what the
creator needs to answer it without hunting: the note's link on the site (the one the extension last
opened it by, with its xsec_token, when known), the parent comment of a reply, and the same buyer's other pending asks under that note (one person asking three times is
one item to answer).
"""

from __future__ import annotations

import operator
from datetime import timedelta
from functools import reduce
from urllib.parse import quote, urlsplit

import peewee as pw
from flask import Blueprint, abort, request

from helper.api import comment_filters, query_flag, query_int
from helper.api.comments import claimant
from helper.store import Comment, NoteCoverage, comments_with_titles, utcnow
from helper.vocab import STATUSES

bp = Blueprint("inbox", __name__)

VIEWS = (*STATUSES, "waiting", "all")  # a status, "new" for too long (waiting), or all
MAX_INBOX_PAGE = 200
PAIRS_PER_QUERY = 25
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


def captured_note_links(comments) -> dict[tuple[str, str], str]:
    """(platform, note_id) -> the link the extension last opened the note by (NoteCoverage.url, with the
    note's xsec_token), for links that really point to that note."""
    keys = {(c.platform, c.note_id) for c in comments}
    if not keys:
        return {}
    rows = NoteCoverage.select(NoteCoverage.platform, NoteCoverage.note_id, NoteCoverage.url).where(
        NoteCoverage.note_id.in_(list({k[1] for k in keys})) & NoteCoverage.url.is_null(False)
    )
    return {
        (r.platform, r.note_id): r.url
        for r in rows
        if (r.platform, r.note_id) in keys and r.url.startswith("https://")
        and urlsplit(r.url).path.rstrip("/").endswith(f"/{r.note_id}")
    }


def parents_of(comments) -> dict[tuple[str, str], dict]:
    """(platform, comment_id) -> {"id", "author", "text"} for the parent comments of replies."""
    wanted = {(c.platform, c.parent_id) for c in comments if c.parent_id and c.parent_id != c.comment_id}
    found = {}
    for platform in {p for p, _ in wanted}:  # the unique index is (platform, comment_id)
        ids = [pid for p, pid in wanted if p == platform]
        rows = Comment.select(Comment.platform, Comment.comment_id, Comment.author, Comment.text).where(
            (Comment.platform == platform) & Comment.comment_id.in_(ids)
        )
        for r in rows:
            found[(r.platform, r.comment_id)] = {"id": r.comment_id, "author": r.author, "text": r.text}
    return found


def same_buyer_asks(comments) -> dict[tuple[str, str, str], list[dict]]:
    """(platform, note_id, author_id) -> that buyer's pending requests under that note, oldest first.

    Queries whose OR of (note_id, author_id) pairs SQLite answers with one lookup per pair in the
    comment_note_author index (a plain IN over both columns would read every pending row).
    """
    keys = {(c.platform, c.note_id, c.author_id) for c in comments if c.author_id}
    found = {key: [] for key in keys}
    # A few pairs per query: a long OR chain overflows SQLite's parser stack.
    for chunk in pw.chunked(sorted(keys), PAIRS_PER_QUERY):
        pairs = reduce(operator.or_, [(Comment.note_id == n) & (Comment.author_id == a) for _, n, a in chunk])
        rows = (
            Comment.select(Comment.platform, Comment.note_id, Comment.author_id, Comment.comment_id, Comment.text,
                           Comment.created_at, Comment.captured_at)
            # status as an expression: otherwise SQLite (no statistics) reads all "new" rows by the status index
            .where(pairs & (Comment.status.concat("") == "new") & Comment.effective_is_request())
            .tuples()
        )
        for platform, note_id, author_id, comment_id, text, created_at, captured_at in rows:
            asks = found.get((platform, note_id, author_id))
            if asks is not None:
                asks.append((created_at or captured_at, comment_id, text))
    return {
        key: [{"id": cid, "text": text, "created_at": when.isoformat() + "Z" if when else None}
              for when, cid, text in sorted(asks, key=lambda a: (a[0] is None, a[0] or 0, a[1]))[:MAX_SAME_BUYER]]
        for key, asks in found.items()
    }


def inbox_items(comments) -> list[dict]:
    """The API's comment objects plus cursor, note_url, parent and same_buyer (other pending asks)."""
    comments = list(comments)
    items = comments_with_titles(comments)
    parents = parents_of(comments)
    buyers = same_buyer_asks(comments)
    links = captured_note_links(comments)
    for comment, item in zip(comments, items):
        item["cursor"] = Comment.cursor_of(comment)
        item["note_url"] = links.get((comment.platform, comment.note_id)) or note_link(comment.platform, comment.note_id)
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
    if view == "new" and not query_flag("claimed"):  # the default view skips buyers other operators answer now
        page_filters["free_for"] = claimant()
    if view == "waiting":  # new and older than the cutoff, the longest-waiting first
        until = filters.get("until")
        page_filters["until"] = min(until, waiting_before) if until else waiting_before
    counts = Comment.status_counts(filters, requests_only, waiting_before)
    status = page_filters["status"]
    common = bool(status) and counts[status] * 4 >= counts["all"]
    rows = Comment.keyset_page(page_filters, requests_only, limit + 1, after=after, oldest_first=view == "waiting",
                               common_status=common)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": inbox_items(rows),
        "view": view,
        "counts": counts,
        "total": counts[view],
        "limit": limit,
        "next": Comment.cursor_of(rows[-1]) if more else None,
        "waiting_hours": waiting_hours,
        "me": claimant(),  # rows claimed_by someone else are another operator's (the dashboard's "Ana is on it")
    }
