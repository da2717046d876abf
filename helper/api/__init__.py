"""HTTP API blueprints, one module per concern; `helper.app.BLUEPRINTS` lists them.

Shared helpers for views: reading a JSON object body and common query parameters.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, request

from helper.validation import ItemError, ascii_int, load_json, parse_time
from helper.vocab import STATUSES

MAX_PAGE = 1000
MAX_OFFSET = 10**9  # far beyond any data dir, far inside SQLite's 64-bit integers


def json_body() -> dict:
    """The request's JSON object, or 400 with a clear reason (415/413 were checked by security).

    Parsed by helper.validation.load_json: nesting deep enough for a RecursionError, an integer
    literal of thousands of digits or bytes that are not UTF-8 are a 400 like any other bad JSON.
    """
    try:
        data = load_json(request.get_data(cache=True))
    except ItemError as exc:
        abort(400, description=f"the body must be a JSON object ({exc})")
    if not isinstance(data, dict):
        abort(400, description="the body must be a JSON object")
    return data


def query_time(name: str) -> datetime | None:
    value = request.args.get(name)
    try:
        return parse_time(value, name)
    except ItemError as exc:
        abort(400, description=f"{exc}; use ISO-8601 (e.g. 2026-11-24) or epoch milliseconds")


def query_int(name: str, default: int, lo: int = 0, hi: int | None = None) -> int:
    """An integer query parameter: ASCII digits only, within lo..hi (hi defaults to MAX_OFFSET)."""
    value = request.args.get(name)
    if value in (None, ""):
        return default
    hi = MAX_OFFSET if hi is None else hi
    number = ascii_int(value)
    if number is None:
        abort(400, description=f"{name} must be an integer between {lo} and {hi}")
    if number < lo or number > hi:
        abort(400, description=f"{name} must be between {lo} and {hi}")
    return number


def query_flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes", "on")


def comment_filters() -> dict:
    status = request.args.get("status") or None
    if status and status not in STATUSES:
        abort(400, description=f"status must be one of {', '.join(STATUSES)}")
    return {
        "platform": request.args.get("platform") or None,
        "note_id": request.args.get("note_id") or None,
        "account": request.args.get("account") or None,
        "product": request.args.get("product") or None,
        "status": status,
        "since": query_time("since"),
        "until": query_time("until"),
        "q": request.args.get("q") or None,
    }


def audit_filters(filters: dict) -> dict:
    """The filters an export used, as its activity-log event keeps them (set ones only, times in ISO)."""
    return {k: (v.isoformat() + "Z" if isinstance(v, datetime) else v) for k, v in filters.items() if v not in (None, "")}
