"""The helper's security policy: secure by default, applied to every request before any view runs.

A localhost service is reachable by every web page the user opens (Zoom 2019) and, through DNS
rebinding, by any site that points its name at 127.0.0.1. So, in this order:

1. Host allowlist: only `127.0.0.1:PORT` / `localhost:PORT` (defeats DNS rebinding) -> else 403.
2. Body cap: a declared body over MAX_CONTENT_LENGTH -> 413 before anything reads it.
3. Origin: absent (curl, same-origin GET), the helper's own origin, or the paired extension.
   Public endpoints also take any extension origin (health ping, pairing). Else 403. A browser's
   cross-site request without Origin (an <img>, a <script>) is refused by Sec-Fetch-Site, except a
   top-level navigation to a public page (a link to the dashboard: the linking site cannot read it).
4. POST/PUT/PATCH/DELETE must be `Content-Type: application/json`, which a web page cannot send
   without a CORS preflight we never grant -> else 415 (defeats text/plain and form posts).
5. Unless the endpoint is marked `@public`: a token. The extension sends `Authorization: Bearer`,
   the dashboard page `X-LinkTriage-Token`. Wrong/missing -> 401; the same wrong token (or too many
   wrong ones of one kind) too often a minute -> 429. A right token is always let in: every local
   process shares 127.0.0.1, so counting per address would let any of them lock the owner out.

CORS headers (flask-cors) only ever name the paired extension (or, on public endpoints, the
extension asking); never `*`, never Access-Control-Allow-Private-Network.

This module is the policy only: the pairing lifecycle (pairing, the pairing window, revoking, the
token hashes) is the `Pairing` model's (helper/store/models.py).
"""

from __future__ import annotations

import functools
import hmac
import re
import threading
import time
from collections import deque

from flask import current_app, g, jsonify, request

from helper.store import Meta, Pairing, hash_token

EXTENSION_ORIGIN = re.compile(r"^(chrome|moz|safari-web)-extension://[A-Za-z0-9._-]+$")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# Endpoint names that need no token (besides views decorated with @public), e.g. a blueprint's
# static files: `security.PUBLIC_ENDPOINTS.add("dashboard.static")`.
PUBLIC_ENDPOINTS: set[str] = set()


def public(view):
    """Mark a view as needing no token. Host, Origin and content-type rules still apply."""
    view.linktriage_public = True
    return view


def tokens_match(given: str, expected: str) -> bool:
    """Constant-time comparison of a presented token with a stored one (both hashed first)."""
    return hmac.compare_digest(hash_token(given), hash_token(expected))


def dashboard_token() -> str:
    """The token the dashboard page embeds and sends as X-LinkTriage-Token (needs a request/app DB)."""
    return Meta.get_value("dashboard_token") or ""


# Why a request was refused, as the JSON body's "reason" (machine-readable, stable; OpenAPI lists them).
# The extension pairs again only for "token" and "origin" (its token or origin is not the paired one); any
# other 403 ("role": the helper's operator may not do this, helper/roles.py) leaves its pairing alone.
REASONS = ("token", "origin", "host", "cross-site", "dashboard-only", "not-extension", "pairing-closed", "role")


def error(status: int, message: str, reason: str | None = None, **headers):
    """A JSON error answer {error, status[, reason]}; `headers`: Retry_After="5" -> Retry-After: 5."""
    payload = {"error": message, "status": status}
    if reason is not None:
        payload["reason"] = reason
    response = jsonify(payload)
    response.status_code = status
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


# -- failed-auth throttle ------------------------------------------------------------------------
class AuthThrottle:
    """At most `limit` failed authentications per `window` seconds per key.

    Keys are credential kinds and presented tokens, never client addresses (see `authenticate`).
    Keys whose failures have all expired are forgotten, so a flood of distinct wrong tokens cannot
    grow it without bound.
    """

    MAX_KEYS = 10_000

    def __init__(self, limit: int, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def retry_after(self, key: str, limit: int | None = None) -> int:
        """Seconds until `key` may fail again without being refused (0 = now)."""
        limit = self.limit if limit is None else limit
        now = time.monotonic()
        with self._lock:
            if key not in self._failures:
                return 0
            failures = self._recent(key, now)
            if len(failures) < limit:
                return 0
            return max(1, int(self.window - (now - failures[-limit])) + 1)

    def fail(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= self.MAX_KEYS:
                self._forget_expired(now)
            failures = self._recent(key, now)
            failures.append(now)
            while len(failures) > 10 * self.limit:  # enough to answer retry_after for any limit used
                failures.popleft()

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, f in self._failures.items() if not f or now - f[-1] >= self.window]:
            del self._failures[key]
        if len(self._failures) >= self.MAX_KEYS:  # all recent: keep the newest half
            for key in sorted(self._failures, key=lambda k: self._failures[k][-1])[: self.MAX_KEYS // 2]:
                del self._failures[key]


# -- the policy ------------------------------------------------------------------------------------
def allowed_hosts() -> set[str]:
    port = current_app.config["PORT"]
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def own_origins() -> set[str]:
    return {f"http://{host}" for host in allowed_hosts()}


def is_public_endpoint() -> bool:
    if request.endpoint is None:
        return False
    if request.endpoint in PUBLIC_ENDPOINTS:
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "linktriage_public", False))


def is_top_level_navigation() -> bool:
    return (
        request.method == "GET"
        and request.headers.get("Sec-Fetch-Mode") == "navigate"
        and request.headers.get("Sec-Fetch-Dest") == "document"
    )


def check_request():
    """before_request hook: returns an error response to refuse, None to let the view run."""
    g.auth = None
    g.cors_origin = None
    if request.host.lower() not in allowed_hosts():
        return error(403, "this helper only answers to 127.0.0.1 and localhost (Host not allowed)", "host")

    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        return error(413, f"request body is larger than {limit} bytes")

    origin = request.headers.get("Origin")
    public = is_public_endpoint()
    paired = Pairing.active()
    if origin is not None and origin != "null":
        if origin in own_origins():
            pass
        elif paired is not None and origin == paired.origin:
            g.cors_origin = origin
        elif public and EXTENSION_ORIGIN.match(origin):
            g.cors_origin = origin
        else:
            return error(403, "requests from this origin are not allowed", "origin")
    elif origin == "null":  # sandboxed frames, data: URLs
        return error(403, "requests from this origin are not allowed", "origin")
    elif request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site") and not (public and is_top_level_navigation()):
        # An <img>/<script>/no-cors fetch from another site sends no Origin, but says where it came from.
        # Opening a public page (the dashboard) from a link elsewhere is fine: the other site cannot read it.
        return error(403, "cross-site requests are not allowed", "cross-site")

    if request.method == "OPTIONS":
        return None  # CORS preflight: Flask answers it, flask-cors adds headers for g.cors_origin

    if request.method in UNSAFE_METHODS and request.mimetype != "application/json":
        return error(415, "send the body as application/json")

    if public:
        return None
    return authenticate(origin, paired)


# A kind as a whole may fail this many times the per-token limit a minute before its wrong tokens get 429.
KIND_LIMIT_FACTOR = 5


def authenticate(origin: str | None, paired: Pairing | None):
    """Let a right token in, always; count a wrong one against its kind and against itself.

    Whoever holds a right token is never refused because of failures: those may come from any
    local process (all are 127.0.0.1), so refusing by address would let one lock the dashboard and
    the extension out. Tokens are 256 random bits, so the throttle is not what stops guessing: it
    caps how often the same wrong token (a stale extension, a script with an old token) is
    answered, and how fast wrong tokens of one kind are, with a 429 that says when to retry.
    """
    bearer = request.headers.get("Authorization", "")
    dash = request.headers.get("X-LinkTriage-Token")
    if dash is not None:
        kind, presented = "dashboard", dash
        if origin in (None, *own_origins()) and tokens_match(dash, dashboard_token()):
            g.auth = "dashboard"
            return None
    elif bearer:
        kind, presented = "extension", bearer[7:].strip() if bearer[:7].lower() == "bearer " else bearer
        if bearer[:7].lower() == "bearer " and paired is not None and origin in (None, paired.origin):
            if paired.accepts(presented):
                g.auth = "extension"
                paired.seen()
                return None
    else:
        kind, presented = "none", ""

    throttle: AuthThrottle = current_app.extensions["linktriage_throttle"]
    token_key = f"{kind}:{hash_token(presented)}"
    wait = max(throttle.retry_after(token_key), throttle.retry_after(kind, throttle.limit * KIND_LIMIT_FACTOR))
    if wait:
        return error(429, "too many failed attempts with this token; wait and retry", Retry_After=str(wait))
    throttle.fail(token_key)
    throttle.fail(kind)
    if kind == "none":
        return error(401, "a token is required (pair the extension, or use the dashboard)", "token")
    return error(401, "wrong token", "token")


def dashboard_only(view):
    """For views only the dashboard may use (pairing management): 403 for the extension's token."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if g.get("auth") != "dashboard":
            return error(403, "only the dashboard may do this", "dashboard-only")
        return view(*args, **kwargs)

    return guarded


def finish_response(response):
    """after_request (runs after flask-cors): version header; CORS only for the origin we allowed."""
    from helper import __version__

    response.headers["X-LinkTriage-Version"] = __version__
    allowed = g.get("cors_origin")
    if allowed is None or request.headers.get("Origin") != allowed:
        for name in [n for n in response.headers.keys() if n.lower().startswith("access-control-")]:
            del response.headers[name]
    response.headers.pop("Access-Control-Allow-Private-Network", None)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
