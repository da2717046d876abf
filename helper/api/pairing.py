"""Pairing the extension: POST /api/pair (extension origins), and its management by the dashboard."""

from flask import Blueprint, g, request

from helper import security
from helper.security import dashboard_only, public
from helper.store import Pairing, isoformat_utc

bp = Blueprint("pairing", __name__)


@bp.post("/api/pair")
@public  # no token yet; its own Origin rule below
def pair():
    origin = request.headers.get("Origin", "")
    if not security.EXTENSION_ORIGIN.match(origin):
        return security.error(403, "only a browser extension can pair", "not-extension")
    token = Pairing.pair(origin)
    if token is None:
        return security.error(403, "pairing is closed: open it from the dashboard (Pairing → Pair again)", "pairing-closed")
    return {"token": token, "origin": origin}


@bp.get("/api/pairing")
@dashboard_only
def pairing_state():
    active = Pairing.active()
    until = Pairing.open_until()
    is_open = Pairing.is_open()
    return {
        "paired": active is not None,
        "extension": active.to_dict() if active else None,
        "pairing_open": is_open,
        "open_until": isoformat_utc(until) if until and is_open else None,
    }


@bp.post("/api/pairing/open")
@dashboard_only
def pairing_open():
    until = Pairing.open_window()
    return {"pairing_open": True, "open_until": isoformat_utc(until)}


@bp.post("/api/pairing/revoke")  # pairing stays closed until the dashboard opens it
@dashboard_only
def pairing_revoke():
    revoked = Pairing.revoke()
    return {"revoked": revoked, "paired": False, "by": g.auth}
