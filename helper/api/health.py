"""GET /api/health: is this LinkTriage, and is it ready? No auth, no data."""

from flask import Blueprint

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


@bp.get("/api/health")
@public
def health():
    return {
        "app": APP_NAME,
        "version": __version__,
        "model_loaded": model_loaded(),
        "paired": Pairing.active() is not None,
    }
