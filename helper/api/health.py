"""GET /api/health: is this LinkTriage, and is it ready? No auth, no data.

`database`: which backend the helper stores in and whether it can reach it (a team's PostgreSQL
server may be down; the helper keeps answering this while every other request gets 503)."""

from flask import Blueprint, current_app

from helper import APP_NAME, __version__
from helper.security import public
from helper.store import Pairing

bp = Blueprint("health", __name__)


def model_loaded() -> bool:
    # Asking must not load the model (the ping has to be instant); the analyzer loads lazily.
    try:
        from helper.nlp import get_analyzer

        return bool(get_analyzer().model_loaded)
    except ImportError:
        return False


def database_state() -> dict:
    state = current_app.extensions["linktriage_store"]
    return {"backend": state.backend, "ok": state.ready and state.error is None, "error": state.error}


def health_of(paired: bool | None) -> dict:
    """The health answer; `paired` None when the database cannot be asked."""
    return {
        "app": APP_NAME,
        "version": __version__,
        "model_loaded": model_loaded(),
        "paired": paired,
        "database": database_state(),
    }


@bp.get("/api/health")
@public
def health():
    return health_of(Pairing.active() is not None)
