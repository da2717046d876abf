"""The Flask application factory (flaskr style): config, per-request DB handle, security, blueprints."""

from __future__ import annotations

import importlib
import json

import peewee as pw
from flask import Flask, current_app, g, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from helper import DEFAULT_PORT, roles, security, store

# One module per concern in helper/api/, each exposing `bp`. Append yours; order is registration order.
BLUEPRINTS = ["health", "pairing", "comments", "notes", "products", "export", "openapi", "dashboard", "insights", "replies", "inbox", "setup", "templates", "model", "teach", "coverage", "cache", "events", "audit", "operators"]

MAX_BODY_BYTES = 8 * 1024 * 1024  # 500 comments of ordinary length fit many times over
AUTH_FAILURES_PER_MINUTE = 10


def create_app(test_config: dict | None = None) -> Flask:
    """Build the helper's app. `test_config` overrides config (DATA_DIR, DATABASE, PORT, TESTING, ...).

    DATABASE: a postgresql:// URL of a team database (default $LINKTRIAGE_DATABASE_URL, else the SQLite
    file in DATA_DIR). OPERATOR: who this helper acts as (`serve --operator`), recorded on status
    changes and corrections; None records the caller's kind ("dashboard" / "extension")."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(
        PORT=DEFAULT_PORT,
        DATA_DIR=None,
        DATABASE=None,
        OPERATOR=None,
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

    # The SQLite file in the data dir, or the team database DATABASE / $LINKTRIAGE_DATABASE_URL names.
    # A request waits at most ~1 s for another writer (`linktriage ingest`), then answers 503.
    target = store.store_target(app.config["DATA_DIR"], app.config.get("DATABASE"))
    store.make_room(target)
    db = store.open_db(target, pooled=True, busy_timeout_ms=store.HELPER_BUSY_TIMEOUT_MS)
    store.bind_models(db)
    app.extensions["linktriage_db"] = db
    # A PostgreSQL server that is down does not stop the helper: it starts, says so in /api/health, and
    # answers 503 + Retry-After (the extension keeps queueing) until the server answers again.
    app.extensions["linktriage_store"] = StoreState(db, target)
    app.extensions["linktriage_store"].ensure_ready(raise_unavailable=False)
    app.extensions["linktriage_throttle"] = security.AuthThrottle(app.config["AUTH_FAILURES_PER_MINUTE"])

    app.before_request(open_db)
    app.teardown_appcontext(close_db)
    app.before_request(security.check_request)
    app.before_request(roles.enforce)  # the operator's role (team mode), once the caller is known
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
    app.register_error_handler(pw.InterfaceError, database_busy)
    app.register_error_handler(store.DatabaseUnavailable, database_unavailable)

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"helper.api.{name}").bp)
    return app


class StoreState:
    """Whether the app's database is migrated and reachable. SQLite is, once opened; a PostgreSQL server
    may be down when the helper starts or later: the helper tries again at most every RETRY_S."""

    RETRY_S = 2.0

    def __init__(self, db: pw.Database, target):
        import threading

        self.db = db
        self.target = target
        self.ready = False
        self.error: str | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        return "postgresql" if store.is_postgres(self.db) else "sqlite"

    def ensure_ready(self, raise_unavailable: bool = True) -> bool:
        """Migrate once; while the server cannot be reached, remember why and (if asked) raise
        DatabaseUnavailable. SchemaTooNew and SQLite's errors always raise."""
        import time

        if self.ready:
            return True
        with self._lock:
            if not self.ready and time.monotonic() >= self._next_try:
                try:
                    store.migrate_db(self.db, self.target)
                    self.ready, self.error = True, None
                except store.DatabaseUnavailable as exc:
                    self.error = str(exc)
                    self._next_try = time.monotonic() + self.RETRY_S
        if not self.ready and raise_unavailable:
            raise store.DatabaseUnavailable(self.error)
        return self.ready

    def lost(self, exc: BaseException) -> None:
        """A request found the server gone: report it until a connection works again."""
        self.error = store.unreachable_message(self.target, exc)

    def recovered(self) -> None:
        self.error = None


def acting_as() -> str | None:
    """Who a change made in this request is recorded as: the helper's operator, else the caller's kind."""
    return current_app.config.get("OPERATOR") or g.get("auth")


def get_db():
    """The app's database, connected for this request (closed at teardown).

    The database is pooled (`store.open_db`): "closed" hands the connection back for the next
    request instead of paying for a new connection and a WAL checkpoint every time.
    DatabaseUnavailable (answered 503 + Retry-After) while a PostgreSQL server cannot be reached.
    """
    if "db" not in g:
        state = current_app.extensions["linktriage_store"]
        state.ensure_ready()
        db = current_app.extensions["linktriage_db"]
        store.bind_models(db)
        try:
            db.connect(reuse_if_open=True)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            if store.is_postgres(db) and store.is_unreachable(exc):
                state.lost(exc)
                raise store.DatabaseUnavailable(state.error) from None
            raise
        g.db = db
    return g.db


def ping_db(db) -> None:
    """Ask a PostgreSQL server something: a pooled connection may be one the server dropped. Raises
    DatabaseUnavailable (and forgets the dead connections) when it does not answer; clears an earlier
    loss when it does."""
    state = current_app.extensions["linktriage_store"]
    try:
        db.execute_sql("SELECT 1").fetchone()
    except (pw.OperationalError, pw.InterfaceError) as exc:
        if not store.is_unreachable(exc):
            raise
        forget_connection(db, exc)
        raise store.DatabaseUnavailable(state.error) from None
    state.recovered()


def forget_connection(db, exc: BaseException) -> None:
    """The server went away under this request: note it, and drop this request's connection and the
    pool's idle ones (they are dead too), so the next request connects afresh."""
    current_app.extensions["linktriage_store"].lost(exc)
    g.pop("db", None)
    try:
        db.close()
    except Exception:  # noqa: BLE001 (the connection is already gone)
        pass
    db.close_idle()


def open_db():
    """before_request: a connection for the request. While the database cannot be reached, /api/health
    still answers (saying so, after asking the server); every other request gets 503 + Retry-After."""
    try:
        db = get_db()
        if request.endpoint == "health.health" and store.is_postgres(db):
            ping_db(db)
    except store.DatabaseUnavailable as exc:
        if request.endpoint == "health.health":
            if request.host.lower() not in security.allowed_hosts():
                return security.error(403, "this helper only answers to 127.0.0.1 and localhost (Host not allowed)")
            from helper.api.health import health_of

            return health_of(paired=None)
        return database_unavailable(exc)


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
    db = current_app.extensions["linktriage_db"]
    if store.is_postgres(db) and store.is_unreachable(exc):
        forget_connection(db, exc)
        return database_unavailable(store.DatabaseUnavailable(current_app.extensions["linktriage_store"].error))
    raise exc


UNAVAILABLE_RETRY_S = 5


def database_unavailable(exc: Exception):
    """The PostgreSQL server cannot be reached: "retry later", like a busy database (the extension keeps
    the batch queued and sends it again)."""
    return security.error(503, f"the database is unavailable; retry later ({exc})", Retry_After=str(UNAVAILABLE_RETRY_S))


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
