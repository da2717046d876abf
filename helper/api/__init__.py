"""HTTP API blueprints, one module per concern; `helper.app.BLUEPRINTS` lists them.

Shared helpers for views: reading a JSON object body and common query parameters.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, request

from helper.ingest import ItemError, parse_time

MAX_PAGE = 1000


def json_body() -> dict:
    """The request's JSON object, or 400 with a clear reason (415/413 were checked by security)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="the body must be a JSON object")
    return data


def query_time(name: str) -> datetime | None:
    value = request.args.get(name)
    try:
        return parse_time(value)
    except ItemError:
        abort(400, description=f"{name} must be ISO-8601 (e.g. 2026-11-24) or epoch milliseconds")


def query_int(name: str, default: int, lo: int = 0, hi: int | None = None) -> int:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        abort(400, description=f"{name} must be an integer")
    if number < lo or (hi is not None and number > hi):
        abort(400, description=f"{name} must be between {lo} and {hi}")
    return number


def query_flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes", "on")


def comment_filters() -> dict:
    from helper.store import STATUSES

    status = request.args.get("status") or None
    if status and status not in STATUSES:
        abort(400, description=f"status must be one of {', '.join(STATUSES)}")
    return {
        "platform": request.args.get("platform") or None,
        "note_id": request.args.get("note_id") or None,
        "product": request.args.get("product") or None,
        "status": status,
        "since": query_time("since"),
        "until": query_time("until"),
        "q": request.args.get("q") or None,
    }
