"""How much of a note the extension has captured (issue 16, item 2): the note's own comment count and
the threads whose replies are not loaded yet, as the extension last saw them, next to the comments stored.

The extension sends them with each batch in `note`: {url, comment_count, unexpanded_threads}.
"""

from __future__ import annotations

import peewee as pw

from helper.store import Comment, Note, NoteCoverage, utcnow
from helper.validation import ItemError, clean_id

MAX_URL_CHARS = 2048


def _count(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10_000_000:
        return None
    return value


def _url(value) -> str | None:
    if not isinstance(value, str) or not value.startswith("https://") or len(value) > MAX_URL_CHARS:
        return None
    return value


def remember(platform: str, note: dict | None) -> None:
    """Keep what the batch's `note` says about coverage and its link; facts it does not tell stay.

    The note id goes through the same validation as the batch's (helper/ingest.py), so coverage is kept
    under the id its comments were stored with, and never for a note id the batch refused. One upsert:
    a single statement, which takes the write lock at once (no read first, so no deferred upgrade).
    """
    if not isinstance(note, dict):
        return
    try:
        note_id = clean_id(note.get("id"), "note.id")
    except ItemError:
        return
    if note_id is None:
        return
    facts = {
        "url": _url(note.get("url")),
        "comment_count": _count(note.get("comment_count")),
        "unexpanded_threads": _count(note.get("unexpanded_threads")),
    }
    facts = {k: v for k, v in facts.items() if v is not None}
    if not facts:
        return
    NoteCoverage.insert(platform=platform, note_id=note_id, seen_at=utcnow(), **facts).on_conflict(
        conflict_target=[NoteCoverage.platform, NoteCoverage.note_id],
        update={**{getattr(NoteCoverage, k): v for k, v in facts.items()}, NoteCoverage.seen_at: utcnow()},
    ).execute()


def coverage(platform: str | None = None, note_id: str | None = None) -> list[dict]:
    """Per note: comments stored vs the note's own count, threads not expanded, its link and title."""
    captured = Comment.select(Comment.platform, Comment.note_id, pw.fn.COUNT(Comment.id).alias("n")).group_by(Comment.platform, Comment.note_id)
    cov = NoteCoverage.select()
    if platform:
        captured = captured.where(Comment.platform == platform)
        cov = cov.where(NoteCoverage.platform == platform)
    if note_id:
        captured = captured.where(Comment.note_id == note_id)
        cov = cov.where(NoteCoverage.note_id == note_id)
    counts = {(r.platform, r.note_id): r.n for r in captured}
    rows = {(c.platform, c.note_id): c for c in cov}
    keys = sorted(set(counts) | set(rows))
    titles = {(n.platform, n.note_id): n.title for n in Note.select().where(Note.note_id.in_([k[1] for k in keys]))} if keys else {}
    out = []
    for key in keys:
        c = rows.get(key)
        total = c.comment_count if c else None
        n = counts.get(key, 0)
        out.append({
            "platform": key[0],
            "note_id": key[1],
            "title": titles.get(key),
            "url": c.url if c else None,
            "captured": n,
            "comment_count": total,
            "missing": max(0, total - n) if total is not None else None,
            "unexpanded_threads": c.unexpanded_threads if c else None,
            "seen_at": c.seen_at.isoformat() + "Z" if c and c.seen_at else None,
        })
    out.sort(key=lambda r: (-(r["missing"] or 0), -(r["unexpanded_threads"] or 0), r["note_id"]))
    return out
