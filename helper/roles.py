"""Roles (issue 14, team mode): what the operator a helper runs as may do, enforced in one place.

    viewer  reads: every GET (lists, inbox, insights and their CSV, activity, roles); its extension still
            captures comments (POST /api/comments changes no one's triage)
    agent   triages: status changes, corrections, reply edits, claims, reply fills, the comment export
    owner   everything: products and reply templates, retrain / rollback, pairing, roles

`NEEDS` names the role each endpoint needs beyond the default; an endpoint it does not name needs a
viewer for a GET and an owner for anything else, so a new write endpoint is an owner's until it is
listed here. The check runs before every view (`enforce`, registered by the app after the security
policy has authenticated the caller) and refuses with 403 + {"error", "status", "reason": "role", "role",
"needed"}: "reason" tells a role refusal from a refused token or origin (helper/security.py's reasons), so
the extension keeps its pairing and drops the refused action instead of pairing again.

Whose role: the helper's operator (`serve --operator NAME`, in the database's operator table: the first
operator on a database is its owner, later ones join as agents; `linktriage operators set-role`). A
helper without --operator is a lone creator's and owns her data. Roles guard a team against mistakes
and keep each person to her job; they are not a wall against someone who holds the database's
password (she could write to it directly), and the CLI on a machine with the database can always set
roles, so the owner can never be locked out.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from helper.security import is_public_endpoint
from helper.store import Operator, role_rank

READ_METHODS = {"GET", "HEAD", "OPTIONS"}

# endpoint -> the least role that may call it (beyond the default: GET viewer, other methods owner).
NEEDS = {
    "comments.add_comments": "viewer",  # the extension capturing what the operator's browser shows
    "replies.reply_preview": "viewer",  # renders a reply, stores nothing
    "comments.update_comment": "agent",  # status, correction, suggested_reply
    "comments.bulk_status": "agent",
    "comments.claim_comment": "agent",
    "comments.release_comment": "agent",
    "comments.fill_comment": "agent",
    "export.export_csv": "agent",  # buyers' names, ids and words in bulk; insights.csv (counts) is a viewer's
    "products.add_product": "owner",
    "products.update_product": "owner",
    "products.delete_product": "owner",
    "products.import_catalog": "owner",
    "templates.refresh_replies": "owner",
    "model.retrain": "owner",
    "model.rollback": "owner",
    "pairing.pairing_open": "owner",
    "pairing.pairing_revoke": "owner",
    "operators.set_role": "owner",
}

# What a refusal says the operator tried, per endpoint (else "this").
WHAT = {
    "comments.update_comment": "changing a comment",
    "comments.bulk_status": "changing statuses",
    "comments.claim_comment": "claiming a request",
    "comments.release_comment": "releasing a claim",
    "comments.fill_comment": "filling a reply",
    "export.export_csv": "exporting comments",
    "model.retrain": "retraining the model",
    "model.rollback": "rolling the model back",
    "pairing.pairing_open": "opening pairing",
    "pairing.pairing_revoke": "revoking the extension",
    "operators.set_role": "changing roles",
    "templates.refresh_replies": "refreshing replies",
}


def needed(endpoint: str | None, method: str) -> str:
    """The least role that may call `endpoint` with `method`."""
    if endpoint in NEEDS:
        return NEEDS[endpoint]
    return "viewer" if method in READ_METHODS else "owner"


def current_operator() -> str | None:
    return current_app.config.get("OPERATOR") or None


def current_role() -> str:
    """The role of the operator this helper runs as (registering her on first use)."""
    return Operator.role_of(current_operator())


def enforce():
    """before_request, after the security policy: refuse (403) what the operator's role may not do.

    The helper's operator is registered on its first request that reaches the database (the health
    check its start-up waits for, usually), so the first helper started on a database is its owner."""
    name = current_operator()
    if name is None or request.endpoint is None:
        return None  # a lone creator owns her data
    known = current_app.extensions.get("linktriage_operator_known") == name
    if known and (request.method == "OPTIONS" or is_public_endpoint()):
        return None
    need = needed(request.endpoint, request.method)
    if known and need == "viewer":
        return None  # every role reads; no need to ask the database
    role = current_role()  # read each time: an owner's change in another helper applies at once
    current_app.extensions["linktriage_operator_known"] = name
    if request.method == "OPTIONS" or is_public_endpoint() or role_rank(role) >= role_rank(need):
        return None
    message = (
        f"{name} is {'an' if role[0] in 'aeiou' else 'a'} {role} here; {WHAT.get(request.endpoint, 'this')} needs "
        f"the {need} role (an owner can give it: linktriage operators set-role {name} {need})"
    )
    response = jsonify({"error": message, "status": 403, "reason": "role", "role": role, "needed": need})
    response.status_code = 403
    return response
