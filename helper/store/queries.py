"""Query and serialisation helpers that are not one model's method: a comment's verdict as the API
answers it, and comments with their notes' titles."""

from __future__ import annotations


def shown_is_request(is_request, correction: str | None) -> bool:
    """The verdict the creator sees: a correction overrides the model (as `effective_is_request`)."""
    if correction == "not_request":
        return False
    if correction == "missed":
        return True
    return bool(is_request)


def verdict_of(values: dict) -> dict:
    """The API's verdict for a comment, from its VERDICT_FIELDS values (a row or a new comment's dict)."""
    return {
        "id": values["comment_id"],
        "is_request": shown_is_request(values["is_request"], values.get("correction")),
        "score": values["score"],
        "products": values["products"] or [],
        "suggested_reply": values["suggested_reply"] or "",
        "compliance": values["compliance"] or [],
        "status": values["status"],
    }



def note_titles(comments) -> dict[tuple[str, str], str | None]:
    from helper.store.models import Note  # models imports this module for verdict_of

    keys = {(c.platform, c.note_id) for c in comments}
    if not keys:
        return {}
    note_ids = {k[1] for k in keys}
    return {(n.platform, n.note_id): n.title for n in Note.select().where(Note.note_id.in_(list(note_ids)))}


def comments_with_titles(comments) -> list[dict]:
    comments = list(comments)
    titles = note_titles(comments)
    return [c.to_dict(titles.get((c.platform, c.note_id))) for c in comments]

