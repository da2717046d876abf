"""A request is answered when the creator's own reply shows up in its thread (issue 16, item 3).

The extension sends a reply with its thread (`parent_id`: the thread's top comment on a note page, the
comment replied to on the notifications page) and, when the page tells, the comment it answers
(`reply_to_id`). A comment by the note's author answers its `reply_to_id`, else its `parent_id`: that
comment becomes "replied" with status_by "thread" — unless the creator set its status by hand (status_by
is then "dashboard" or "extension", and her word stands). Either order works: a request that arrives
after the creator's reply to it (an older page of notifications loaded later) is marked on arrival.

Each comment marked is one "status" event in the activity log (issue 14), written in the same
transaction as the change: operator "thread" (as its status_by says: no operator changed it, the
creator's reply on the site did), detail {from: "new", to: "replied", reply: the creator's comment id,
seen_by: the operator whose helper stored that reply, when the helper runs as one}.
"""

from __future__ import annotations

import secrets

import peewee as pw

from helper.store import AuditEvent, Comment, utcnow, write_transaction

BY_THREAD = "thread"


def mark_answered(rows: list[dict], reply_to: dict[tuple[str, str], str], seen_by: str | None = None) -> list[str]:
    """After a batch is stored: mark what the creator's replies in it answer. `rows` are the batch's
    cleaned comments and `reply_to` what the replies among them answer (IngestResult.accepted and
    .reply_to: what validation let through, never the raw request items). Returns the ids that became
    replied, over every platform of the batch. `seen_by`: the helper's operator (serve --operator), kept
    in each activity event's detail."""
    by_platform: dict[str, list[str]] = {}
    for row in rows:
        by_platform.setdefault(row["platform"], []).append(row["comment_id"])
    marked: list[str] = []
    for platform, ids in by_platform.items():
        marked += _mark_answered(platform, list(dict.fromkeys(ids)), reply_to, seen_by)
    return marked


def _mark_answered(platform: str, ids: list[str], reply_to: dict[tuple[str, str], str], seen_by: str | None) -> list[str]:
    mine = Comment.platform == platform
    # The creator's comments in this batch (as stored: the helper marked who wrote them) → what they answer.
    authored = Comment.select(Comment.comment_id, Comment.parent_id).where(mine & Comment.comment_id.in_(ids) & Comment.is_author)
    # target -> the creator's comment that answers it (the activity log names it)
    targets = {reply_to.get((platform, c.comment_id)) or c.parent_id: c.comment_id for c in authored}
    # Comments of this batch that an earlier-stored reply of the creator answers (by its parent_id: what
    # it answered within the thread is not stored).
    answering = Comment.select(Comment.comment_id, Comment.parent_id).where(
        mine & Comment.is_author & Comment.parent_id.in_(ids) & Comment.comment_id.not_in(ids)
    )
    for c in answering:
        targets.setdefault(c.parent_id, c.comment_id)
    targets.pop(None, None)
    if not targets:
        return []
    untouched = (Comment.status == "new") & (Comment.status_by.is_null() | (Comment.status_by == BY_THREAD))
    # IMMEDIATE: the write lock is taken (waiting for another writer, as long as busy_timeout allows)
    # before reading what to mark. A deferred transaction would read first, and its write would then
    # fail at once with "database is locked" whenever another writer committed in between — after the
    # batch was stored.
    with write_transaction(Comment._meta.database):
        rows = list(Comment.select(Comment.comment_id, Comment.account).where(
            mine & Comment.comment_id.in_(list(targets)) & untouched & ~Comment.is_author))
        marked = [c.comment_id for c in rows]
        if marked:
            now = utcnow()
            Comment.update(status="replied", status_by=BY_THREAD, status_at=now).where(mine & Comment.comment_id.in_(marked)).execute()
            events = [
                {"action": "status", "operator": BY_THREAD, "account": c.account, "platform": platform, "comment_id": c.comment_id,
                 "at": now, "uid": secrets.token_hex(12),
                 "detail": {"from": "new", "to": "replied", "reply": targets[c.comment_id],
                            **({"seen_by": seen_by} if seen_by else {})}}
                for c in rows
            ]
            for chunk in pw.chunked(events, 200):
                AuditEvent.insert_many(chunk).execute()
    return marked


def apply_to_results(result: dict, marked: list[str]) -> dict:
    """The batch's verdicts say "replied" for the comments just marked; `thread_replied` lists every id
    marked (some may be from earlier batches: the extension updates their badges)."""
    done = set(marked)
    for verdict in result.get("results") or []:
        if verdict.get("id") in done:
            verdict["status"] = "replied"
    result["thread_replied"] = list(marked)
    return result
