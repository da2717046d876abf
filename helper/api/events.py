"""GET /api/events: the dashboard's live stream (Server-Sent Events) of changes in the store (helper/live.py).

The dashboard authenticates it like every other call, with X-LinkTriage-Token in a header: it reads the
stream with fetch() rather than EventSource (which cannot send headers), so no token ever goes in a URL
that could land in a log or the history. Only the dashboard's token is taken (dashboard_only), and the
security policy's Host / Origin / Sec-Fetch-Site rules apply as everywhere.

Events (each `event: KIND` + one `data:` line of JSON):
- `hello` {"live": bool, "backend"}: first, at once; live says whether the listener is watching yet;
- `change` {"tables": [..] | null, "ids": [..] | null, "accounts": [..] | null, "n"}: something was
  stored (null = could be anything: SQLite's detector, or a burst too large to list);
- `resync` {"reason"}: changes may have been missed (the listener reconnected): read everything again;
- `status` {"live": bool}: the listener lost / regained the database.
A comment line (`: ping`) every heartbeat keeps proxies and the browser from timing the stream out and
lets the server notice a dashboard that went away. At most LIVE_STREAMS streams at once (each holds a
server thread; `serve` adds that many); more answer 503 + Retry-After, and the dashboard keeps working
as before without live updates.
"""

from __future__ import annotations

import json
import queue
import time

from flask import Blueprint, Response, current_app, request

from helper import live
from helper.security import dashboard_only, error

bp = Blueprint("events", __name__)

HEARTBEAT_S = 15.0
RETRY_MS = 3000


@bp.record_once
def _make_feed(state) -> None:
    app = state.app
    app.config.setdefault("LIVE_STREAMS", live.MAX_STREAMS)
    app.config.setdefault("LIVE_HEARTBEAT_S", HEARTBEAT_S)
    app.extensions["linktriage_live"] = live.Feed(app.extensions["linktriage_db"], app.config["LIVE_STREAMS"])


def sse(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


@bp.get("/api/events")
@dashboard_only
def events():
    feed: live.Feed = current_app.extensions["linktriage_live"]
    heartbeat = float(current_app.config["LIVE_HEARTBEAT_S"])
    backend = current_app.extensions["linktriage_store"].backend
    try:
        subscription = feed.subscribe()
    except live.TooManyStreams as exc:
        return error(503, f"no live stream now ({exc}); the dashboard works without one", Retry_After="30")

    # waitress (serve sets channel_request_lookahead) says when the dashboard went away, so its slot is
    # free within a second rather than at the next heartbeat's failed write.
    gone = request.environ.get("waitress.client_disconnected") or (lambda: False)

    def stream():
        try:
            yield f"retry: {RETRY_MS}\n\n" + sse("hello", {"live": feed.connected, "backend": backend})
            quiet_since = time.monotonic()
            while True:
                try:
                    item = subscription.get(timeout=min(1.0, heartbeat))
                except queue.Empty:
                    if gone():
                        return
                    if time.monotonic() - quiet_since >= heartbeat:
                        quiet_since = time.monotonic()
                        yield ": ping\n\n"
                    continue
                if item is None:  # the helper is stopping
                    return
                quiet_since = time.monotonic()
                yield sse(*item)
        finally:
            feed.unsubscribe(subscription)

    return Response(
        stream(),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
