"""GET /: the dashboard page, with this database's dashboard token embedded, and its static files.

The page and its assets need no token (they hold no data); every data call the page makes sends
the embedded token in X-LinkTriage-Token. Other sites cannot read the page (no CORS on it, and the
security policy refuses cross-site requests and foreign Hosts), so they never learn the token.
"""

from pathlib import Path

from flask import Blueprint, render_template

from helper import __version__, security
from helper.security import public

DASHBOARD_DIR = Path(__file__).resolve().parent.parent / "dashboard"

bp = Blueprint(
    "dashboard",
    __name__,
    template_folder=str(DASHBOARD_DIR),
    static_folder=str(DASHBOARD_DIR),
    static_url_path="/dashboard",
)
security.PUBLIC_ENDPOINTS.add("dashboard.static")

# The page runs only its own scripts: markup that slips into data can never execute, and
# no other site may frame the page (clickjacking the triage buttons).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@bp.get("/")
@public
def index():
    html = render_template("index.html", token=security.dashboard_token(), version=__version__)
    return html, 200, {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


@bp.after_request
def no_framing(response):
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
