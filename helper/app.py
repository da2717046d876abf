"""The Flask application factory (flaskr style): config, per-request DB handle, security, blueprints."""

from __future__ import annotations

import importlib
import json

import peewee as pw
from flask import Flask, current_app, g, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from helper import DEFAULT_PORT, security, store

# One module per concern in helper/api/, each exposing `bp`. Append yours; order is registration order.
BLUEPRINTS = ["health", "pairing", "comments", "notes", "products", "export", "openapi", "dashboard", "insights", "replies", "inbox", "setup", "templates", "model", "teach", "coverage", "cache"]

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

    # A request waits at most ~1 s for another writer (`linktriage ingest`), then answers 503.
    db = store.init_db(store.db_path(app.config["DATA_DIR"]), pooled=True, busy_timeout_ms=store.HELPER_BUSY_TIMEOUT_MS)
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
    app.register_error_handler(pw.OperationalError, database_busy)

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


def database_busy(exc: pw.OperationalError):
    """Another writer held the lock past the helper's busy timeout: "retry in a second", not a 500.

    The extension keeps the batch whole and sends it again: its comments are written in one transaction,
    and what follows that write (coverage, thread marks) is redone for a re-sent batch. Any other
    database error stays an error (a JSON 500 via json_error).
    """
    if store.is_locked(exc):
        return security.error(503, "the database is busy with another writer; retry shortly", Retry_After="1")
    raise exc


def json_server_errors(server) -> None:
    """Make waitress's own error answers (413 for a body over its cap, 400 for a malformed request)
    JSON like the app's, with the version header: they never reach Flask, so json_error cannot."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    from helper import __version__

    class JSONErrorTask(ErrorTask):
        def execute(self):
            error = self.request.error
            message = {413: f"request body is larger than {MAX_BODY_BYTES} bytes"}.get(error.code, f"{error.reason}: {error.body}")
            body = json.dumps({"error": message, "status": error.code}).encode("utf-8")
            self.status = f"{error.code} {error.reason}"
            self.response_headers.extend(
                [
                    ("Content-Type", "application/json"),
                    ("X-LinkTriage-Version", __version__),
                    ("X-Content-Type-Options", "nosniff"),
                ]
            )
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JSONErrorChannel(HTTPChannel):
        error_task_class = JSONErrorTask

    server.channel_class = JSONErrorChannel
