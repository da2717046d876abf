"""Comments: ingest a batch from the extension, list/filter them, triage (status, corrections), and claims
(team mode: POST/DELETE /api/comments/<id>/claim, POST /api/comments/<id>/fill; a status or reply change
to a comment another operator holds answers 409 with who holds it). Status changes, corrections, claims,
releases and fills are recorded in the activity log in the same transaction (helper/store/team.py)."""

from flask import Blueprint, abort, current_app, g, jsonify, request

from helper import coverage, thread_replies
from helper.api import MAX_PAGE, comment_filters, json_body, query_int
from helper.app import acting_as
from helper.ingest import ingest
from helper.security import error
from helper.store import AuditEvent, Comment, comments_with_titles, isoformat_utc, utcnow, write_transaction
from helper.validation import MAX_REPLY_CHARS, ItemError, clean_id, clean_platform, clean_text
from helper.vocab import CORRECTIONS, MAX_BATCH, STATUSES

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
    ingested = ingest(items, platform=platform, note=note, models=current_app.extensions.get("linktriage_models"))
    coverage.remember(platform, note)  # the note's link and what the page says about its comments
    # The creator's replies mark what they answer, read from the comments as validation cleaned them.
    marked = thread_replies.mark_answered(ingested.accepted, ingested.reply_to, seen_by=current_app.config.get("OPERATOR") or None)
    return thread_replies.apply_to_results(ingested.to_dict(), marked)


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


# `path:` so an id with "/" in it (sent as %2F, which the server decodes before routing) still matches.
@bp.patch("/api/comments/<path:comment_id>")
def update_comment(comment_id: str):
    body = json_body()
    try:
        platform = clean_platform(request.args.get("platform"))
        comment_id = clean_id(comment_id, "comment id", required=True)
    except ItemError as exc:
        return error(400, str(exc))
    # The change and its audit events in one transaction: no change without its record (helper/store/team.py).
    with write_transaction(Comment._meta.database):
        comment = Comment.by_key(platform, comment_id)
        if comment is None:
            abort(404, description="no such comment")
        if ("status" in body or "suggested_reply" in body) and comment.held_by_other(claimant()):
            return held(comment)  # another operator is answering this buyer
        if "status" in body:
            if body["status"] not in STATUSES:
                return error(400, f"status must be one of {', '.join(STATUSES)}")
            AuditEvent.set_status(comment.platform, [comment.comment_id], body["status"], by=acting_as())
            comment = Comment.by_key(comment.platform, comment.comment_id)
        if "correction" in body:
            if body["correction"] is not None and body["correction"] not in CORRECTIONS:
                return error(400, f"correction must be null or one of {', '.join(CORRECTIONS)}")
            if body["correction"] != comment.correction:
                label = {"missed": True, "not_request": False}.get(body["correction"])
                AuditEvent.record("correction", acting_as(), comment, **{"from": comment.correction, "to": body["correction"]},
                                  label=label)
            comment.correction = body["correction"]
            comment.correction_by = acting_as()
            comment.correction_at = utcnow()
        if "suggested_reply" in body:
            try:
                reply = clean_text(body["suggested_reply"], "suggested_reply", MAX_REPLY_CHARS, required=True)
            except ItemError:
                return error(400, f"suggested_reply must be a string of at most {MAX_REPLY_CHARS} characters")
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
    if not isinstance(ids, list):
        return error(400, "ids must be a list of comment ids")
    if len(ids) > 5000:
        return error(413, "at most 5000 ids per request")
    try:
        ids = [clean_id(i, f"ids[{n}]", required=True) for n, i in enumerate(ids)]
        platform = clean_platform(body.get("platform"))
    except ItemError as exc:
        return error(400, str(exc))
    if body.get("status") not in STATUSES:
        return error(400, f"status must be one of {', '.join(STATUSES)}")
    me = claimant()
    held_ids = sorted(
        c.comment_id for c in Comment.select(Comment.comment_id)
        .where((Comment.platform == platform) & Comment.comment_id.in_(ids) & ~Comment.free_for(me))
    ) if ids else []
    free = [i for i in ids if i not in set(held_ids)]
    updated = AuditEvent.set_status(platform, free, body["status"], by=acting_as(), bulk=True)
    return {"updated": updated, "held": held_ids}  # held: other operators' claims, left as they were


# -- claims (team mode): two operators never answer the same buyer ----------------------------------
def claimant() -> str:
    """Who claims through this helper: its operator (`serve --operator`); without one, every caller of
    this helper is one person ("local")."""
    return current_app.config.get("OPERATOR") or "local"


def held(comment):
    """409: another operator holds the comment; says who and until when."""
    by, until = comment.current_claim()
    response = jsonify({
        "error": f"{by} is on it (claimed until {isoformat_utc(until)})",
        "status": 409,
        "claimed_by": by,
        "claimed_until": isoformat_utc(until),
    })
    response.status_code = 409
    return response


def _claim_target():
    """(platform, comment id) of a claim, release or fill: the platform from ?platform=, else the body's
    "platform" (optional, like the rest of the body), else xhs."""
    body = request.get_json(silent=True) if request.get_data(cache=True) else None
    given = request.args.get("platform") or (body.get("platform") if isinstance(body, dict) else None)
    try:
        platform = clean_platform(given)
        return platform, clean_id(request.view_args["comment_id"], "comment id", required=True)
    except ItemError as exc:
        abort(400, description=str(exc))


def _claim(action: str):
    """Claim (or renew) the comment for this helper's operator and record `action` ("claim" when she did
    not hold it already, "reply_fill" always); 409 when another holds it, 404 when there is none."""
    platform, comment_id = _claim_target()
    before = Comment.by_key(platform, comment_id)  # read before the write lock: it only tells a renewal
    if before is None:
        abort(404, description="no such comment")
    was_mine = before.current_claim()[0] == claimant()
    with write_transaction(Comment._meta.database):
        taken, comment = Comment.claim(platform, comment_id, claimant())
        if comment is None:
            abort(404, description="no such comment")
        if not taken:
            return held(comment)
        if action != "claim" or not was_mine:
            AuditEvent.record(action, acting_as(), comment, until=isoformat_utc(comment.claimed_until),
                              renewed=True if was_mine else None)
    return comments_with_titles([comment])[0]


@bp.post("/api/comments/<path:comment_id>/claim")
def claim_comment(comment_id: str):
    """Claim (or renew) the comment for this helper's operator for CLAIM_TTL_S; 409 when another holds it."""
    return _claim("claim")


@bp.post("/api/comments/<path:comment_id>/fill")
def fill_comment(comment_id: str):
    """The extension (or the dashboard) filled this request's reply into the page: the same claim as
    POST .../claim (200 with the comment, 409 with who holds it, 404), recorded as a reply fill."""
    return _claim("reply_fill")


@bp.delete("/api/comments/<path:comment_id>/claim")
def release_comment(comment_id: str):
    """Release this operator's claim (nothing happens to another operator's)."""
    platform, comment_id = _claim_target()
    with write_transaction(Comment._meta.database):
        comment = Comment.by_key(platform, comment_id)
        if comment is None:
            abort(404, description="no such comment")
        released = Comment.release(platform, comment_id, claimant())
        if released:
            AuditEvent.record("release", acting_as(), comment)
    return {"released": released}
