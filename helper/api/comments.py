"""Comments: ingest a batch from the extension, list/filter them, triage (status, corrections)."""

from flask import Blueprint, abort, g, request

from helper.api import MAX_PAGE, comment_filters, json_body, query_int
from helper.ingest import MAX_BATCH, ItemError, clean_platform, ingest
from helper.security import error
from helper.store import CORRECTIONS, STATUSES, Comment, comments_with_titles

bp = Blueprint("comments", __name__)


@bp.post("/api/comments")
def add_comments():
    body = json_body()
    items = body.get("comments")
    if not isinstance(items, list):
        return error(400, "comments must be a list")
    if len(items) > MAX_BATCH:
        return error(413, f"at most {MAX_BATCH} comments per request; split the batch")
    try:
        platform = clean_platform(body.get("platform"))
    except ItemError as exc:
        return error(400, str(exc))
    note = body.get("note") if isinstance(body.get("note"), dict) else None
    return ingest(items, platform=platform, note=note).to_dict()


def _listing(requests_only: bool):
    filters = comment_filters()
    limit = query_int("limit", 50, lo=1, hi=MAX_PAGE)
    offset = query_int("offset", 0, lo=0)
    comments, total = Comment.page(filters, requests_only, limit, offset)
    return {"items": comments_with_titles(comments), "total": total, "limit": limit, "offset": offset}


@bp.get("/api/comments")
def list_comments():
    return _listing(requests_only=False)


@bp.get("/api/requests")
def list_requests():
    return _listing(requests_only=True)


@bp.patch("/api/comments/<comment_id>")
def update_comment(comment_id: str):
    body = json_body()
    comment = Comment.by_key(request.args.get("platform") or "xhs", comment_id)
    if comment is None:
        abort(404, description="no such comment")
    if "status" in body:
        if body["status"] not in STATUSES:
            return error(400, f"status must be one of {', '.join(STATUSES)}")
        Comment.set_status(comment.platform, [comment.comment_id], body["status"], by=g.auth)
        comment = Comment.by_key(comment.platform, comment.comment_id)
    if "correction" in body:
        if body["correction"] is not None and body["correction"] not in CORRECTIONS:
            return error(400, f"correction must be null or one of {', '.join(CORRECTIONS)}")
        comment.correction = body["correction"]
    if "suggested_reply" in body:
        reply = body["suggested_reply"]
        if not isinstance(reply, str) or len(reply) > 2000:
            return error(400, "suggested_reply must be a string of at most 2000 characters")
        comment.suggested_reply = reply
        comment.compliance = compliance_for(reply, comment.platform)
    comment.save()
    return comments_with_titles([comment])[0]


def compliance_for(text: str, platform: str) -> list:
    """Warnings for a reply the creator edited, in that reply's own language."""
    from helper.nlp.replies import compliance_warnings, is_english

    return list(compliance_warnings(text, platform, "en" if is_english(text) else "zh"))


@bp.post("/api/comments/bulk")
def bulk_status():
    body = json_body()
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in ids):
        return error(400, "ids must be a list of comment ids")
    if len(ids) > 5000:
        return error(413, "at most 5000 ids per request")
    if body.get("status") not in STATUSES:
        return error(400, f"status must be one of {', '.join(STATUSES)}")
    platform = body.get("platform") or "xhs"
    if not isinstance(platform, str):
        return error(400, "platform must be a string")
    updated = Comment.set_status(platform, [str(i) for i in ids], body["status"], by=g.auth)
    return {"updated": updated}
