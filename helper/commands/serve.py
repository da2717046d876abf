"""`linktriage serve`: the helper on 127.0.0.1 (waitress, never Flask's debug server)."""

from __future__ import annotations

import sys

from helper.errors import UserError
from helper.vocab import DEFAULT_PORT

HOST = "127.0.0.1"  # loopback only; not configurable on purpose


def register(subparsers, common):
    p = subparsers.add_parser(
        "serve",
        parents=[common],
        help="run the local helper for the extension and the dashboard",
        description=f"Serve the helper's API and dashboard on http://{HOST}:PORT/ (loopback only). With "
        "--database postgresql://... several operators' helpers share one team database; a helper whose "
        "server is unreachable still starts, says so in /api/health and answers 503 until it is back.",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p.add_argument(
        "--threads",
        type=int,
        default=4,
        help="worker threads for requests (default 4); each open dashboard's live stream gets its own thread "
        "beside these (at most 4 streams)",
    )
    p.add_argument(
        "--operator",
        metavar="NAME",
        help="who this helper acts as in a team: recorded on every status change and correction made through it "
        "(and in the activity log), and held to NAME's role (owner, agent or viewer; see `linktriage operators`) "
        "(remembered in the data dir for the next start; default: the remembered name, else none: the owner of "
        "this data)",
    )
    p.set_defaults(func=run)


def warm_up_model(data_dir) -> None:
    """Load the spaCy pipeline in the background, so the first batch is not the one that waits.

    The helper runs for days: each batch's new strings are freed again (`Classifier.memory_zone`),
    so comments that never repeat do not grow it.
    """
    import threading

    from helper.nlp import get_analyzer, use_data_dir

    use_data_dir(data_dir)  # a pipeline retrained with the creator's corrections wins
    analyzer = get_analyzer()
    analyzer.memory_zone = True
    threading.Thread(target=analyzer.load, name="linktriage-warmup", daemon=True).start()


def stop_on_sigterm() -> None:
    """`kill` and service managers send SIGTERM: stop as on Ctrl+C, so the database closes cleanly."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def run(args) -> int:
    if not 1 <= args.port <= 65535:
        raise UserError(f"--port must be between 1 and 65535, not {args.port}")
    from waitress.server import create_server

    from helper.app import MAX_BODY_BYTES, create_app, json_server_errors
    from helper.config import resolve_data_dir, resolve_operator
    from helper.store import SchemaTooNew, describe, store_target

    data_dir = resolve_data_dir(args.data_dir)
    try:
        where = describe(store_target(data_dir, args.database))
        operator = resolve_operator(data_dir, args.operator)
        app = create_app({"PORT": args.port, "DATA_DIR": str(data_dir), "DATABASE": args.database, "OPERATOR": operator})
    except (SchemaTooNew, ValueError) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot open the data dir {data_dir}: {exc.strerror or exc}") from None
    try:
        server = create_server(
            app,
            host=HOST,
            port=args.port,
            # Each live stream (GET /api/events) holds a thread while a dashboard is open: they get their
            # own, so requests always have `--threads` (the streams are capped at LIVE_STREAMS).
            threads=max(1, args.threads) + app.config["LIVE_STREAMS"],
            max_request_body_size=MAX_BODY_BYTES + 1024,
            # Keep reading a connection while its request runs: a live stream learns at once that its
            # dashboard went away (environ["waitress.client_disconnected"]) and frees its slot.
            channel_request_lookahead=1,
            ident="linktriage",
        )
    except OSError as exc:
        raise UserError(
            f"port {args.port} on {HOST} is taken ({exc.strerror}); is LinkTriage already running? "
            "Stop it or pass --port"
        ) from None
    json_server_errors(server)  # its 413 for an over-cap or chunked body comes as JSON too
    stop_on_sigterm()
    warm_up_model(data_dir)
    print(f"LinkTriage helper on http://{HOST}:{args.port}/  (data: {data_dir}; Ctrl+C stops)", flush=True)
    if "://" in where:
        print(f"storing in {where}", flush=True)
    if operator:
        print(f"acting as {operator}", flush=True)
    error = app.extensions["linktriage_store"].error
    if error:
        print(f"warning: {error}; answering 503 until it can be reached", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        app.extensions["linktriage_live"].close()  # ends the live streams, so their threads are free
        server.close()  # waits for the requests still running
        # The app's connections are pooled across requests; closing the last one checkpoints the WAL.
        app.extensions["linktriage_db"].close_idle()
    return 0
