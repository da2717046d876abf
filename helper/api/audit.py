"""The activity log (issue 14, team mode): GET /api/audit, newest first, filtered by operator, action
and account, one keyset page at a time (`before` = the previous page's `next`; `after` = the newest event a dashboard
shows: only the events that came since, for its live updates). Every role may read it.

Each event: {id, at, operator, action, account, platform, comment_id, note_id, text (the comment's text,
cut short), detail}; the first page (no `before`) also lists the operators seen and the actions, for
the dashboard's filters. The events themselves are written by the store (helper/store/team.py)."""

from flask import Blueprint, abort, request

from helper.api import query_int
from helper.store import AUDIT_ACTIONS, AuditEvent
from helper.store.team import MAX_AUDIT_PAGE

bp = Blueprint("audit", __name__)


@bp.get("/api/audit")
def audit_events():
    action = request.args.get("action") or None
    if action and action not in AUDIT_ACTIONS:
        abort(400, description=f"action must be one of {', '.join(AUDIT_ACTIONS)}")
    before = query_int("before", 0, lo=0) or None
    page = AuditEvent.page(
        operator=request.args.get("operator") or None,
        action=action,
        account=request.args.get("account") or None,
        before=before,
        after=query_int("after", 0, lo=0) or None,
        limit=query_int("limit", 50, lo=1, hi=MAX_AUDIT_PAGE),
    )
    if before is None:
        page["operators"] = AuditEvent.operators_seen()
        page["actions"] = list(AUDIT_ACTIONS)
    return page
