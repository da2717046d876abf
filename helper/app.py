"""The Flask application factory (flaskr style): config, per-request DB handle, security, blueprints."""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from helper import DEFAULT_PORT, security, store

# One module per concern in helper/api/, each exposing `bp`. Append yours; order is registration order.
BLUEPRINTS = ["health", "pairing", "comments", "notes", "products", "export", "openapi", "dashboard", "insights"]

MAX_BODY_BYTES = 8 * 1024 * 1024  # 500 comments of ordinary length fit many times over
AUTH_FAILURES_PER_MINUTE = 10


def create_app(test_config: dict | None = None) -> Flask:
    """Build the helper's app. `test_config` overrides config (DATA_DIR, PORT, TESTING, ...)."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(
        PORT=DEFAULT_PORT,
        DATA_DIR=None,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        AUTH_FAILURES_PER_MINUTE=AUTH_FAILURES_PER_MINUTE,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["DATA_DIR"]:
        from helper.config import resolve_data_dir

        app.config["DATA_DIR"] = str(resolve_data_dir(None))
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    db = store.init_db(store.db_path(app.config["DATA_DIR"]), pooled=True)
    app.extensions["linktriage_db"] = db
    app.extensions["linktriage_throttle"] = security.AuthThrottle(app.config["AUTH_FAILURES_PER_MINUTE"])

    app.before_request(open_db)
    app.teardown_appcontext(close_db)
    app.before_request(security.check_request)
    # Registered before CORS so it runs after flask-cors and can drop headers for other origins.
    app.after_request(security.finish_response)
    CORS(
        app,
        resources={r"/api/*": {"origins": [security.EXTENSION_ORIGIN]}},
        allow_headers=["Content-Type", "Authorization", "X-LinkTriage-Token"],
        expose_headers=["X-LinkTriage-Version", "Retry-After", "Content-Disposition"],
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        max_age=600,
        always_send=False,
        allow_private_network=False,
    )
    app.register_error_handler(HTTPException, json_error)

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"helper.api.{name}").bp)
    return app


def get_db():
    """The app's database, connected for this request (closed at teardown).

    The database is pooled (`store.open_db`): "closed" hands the connection back for the next
    request instead of paying for a new connection and a WAL checkpoint every time.
    """
    if "db" not in g:
        db = current_app.extensions["linktriage_db"]
        store.bind_models(db)
        db.connect(reuse_if_open=True)
        g.db = db
    return g.db


def open_db():
    get_db()


def close_db(exc=None):
    db = g.pop("db", None)
    if db is not None and not db.is_closed():
        db.close()


def json_error(exc: HTTPException):
    """Every HTTP error as JSON: {"error", "status"}."""
    return security.error(exc.code or 500, exc.description or exc.name)


def data_dir(app: Flask | None = None) -> Path:
    return Path((app or current_app).config["DATA_DIR"])
