"""A request is answered when the creator's own reply shows up in its thread (issue 16, item 3).

The extension sends a reply with its thread (`parent_id`: the thread's top comment on a note page, the
comment replied to on the notifications page) and, when the page tells, the comment it answers
(`reply_to_id`). A comment by the note's author answers its `reply_to_id`, else its `parent_id`: that
comment becomes "replied" with status_by "thread" — unless the creator set its status by hand (status_by
is then "dashboard" or "extension", and her word stands). Either order works: a request that arrives
after the creator's reply to it (an older page of notifications loaded later) is marked on arrival.
"""

from __future__ import annotations

from helper.store import Comment, utcnow

BY_THREAD = "thread"


def _ids(values) -> list[str]:
    return [str(v) for v in values if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v)]


def mark_answered(platform: str, items: list) -> list[str]:
    """After a batch `items` (the raw comments of POST /api/comments) is stored: mark what the creator's
    replies answer. Returns the ids that became replied."""
    raw = [i for i in items if isinstance(i, dict)]
    ids = _ids(i.get("id") for i in raw)
    if not ids:
        return []
    reply_to = {str(i["id"]): str(i["reply_to_id"]) for i in raw if _ids([i.get("id")]) and _ids([i.get("reply_to_id")])}
    mine = Comment.platform == platform
    # The creator's comments in this batch (as stored: the helper marked who wrote them) → what they answer.
    authored = Comment.select(Comment.comment_id, Comment.parent_id).where(mine & Comment.comment_id.in_(ids) & Comment.is_author)
    targets = {reply_to.get(c.comment_id) or c.parent_id for c in authored}
    # Comments of this batch that an earlier-stored reply of the creator answers (by its parent_id: what
    # it answered within the thread is not stored).
    answering = Comment.select(Comment.parent_id).where(
        mine & Comment.is_author & Comment.parent_id.in_(ids) & Comment.comment_id.not_in(ids)
    )
    targets |= {c.parent_id for c in answering}
    targets.discard(None)
    if not targets:
        return []
    untouched = (Comment.status == "new") & (Comment.status_by.is_null() | (Comment.status_by == BY_THREAD))
    with Comment._meta.database.atomic():
        marked = [
            c.comment_id
            for c in Comment.select(Comment.comment_id).where(mine & Comment.comment_id.in_(list(targets)) & untouched & ~Comment.is_author)
        ]
        if marked:
            Comment.update(status="replied", status_by=BY_THREAD, status_at=utcnow()).where(mine & Comment.comment_id.in_(marked)).execute()
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
