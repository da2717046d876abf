"""The model as the creator sees it: its state, "learn now", "go back to the previous model".

    GET  /api/model            what the model is, how many corrections wait, learning or not
    POST /api/model/retrain    learn from the corrections now (202; the state tells when it is done)
    POST /api/model/rollback   use the previous model again (a second time: forward again)

Every answered correction reaches the app's Retrainer (helper/retraining.py): PATCH
/api/comments/<id> with `correction` is seen here after it succeeded, so comments.py stays unaware of
training. A helper started with `linktriage serve` retrains by itself; an app made by a test
(`TESTING`) only when AUTO_RETRAIN is set, so tests in one process never retrain a shared model.
Without automatic retraining, "learn now" (POST /api/model/retrain) still works.
"""

from __future__ import annotations

import json
import os

from flask import Blueprint, current_app, request

from helper.retraining import Retrainer, settings_from_env
from helper.security import dashboard_only, error

bp = Blueprint("model", __name__)


@bp.record_once
def make_retrainer(state) -> None:
    app = state.app
    # $LINKTRIAGE_AUTO_RETRAIN=0 turns it off (the test suite does, except in the tests of this feature,
    # so a retrain never changes verdicts under another test's feet).
    app.config.setdefault("AUTO_RETRAIN", not app.config.get("TESTING") and os.environ.get("LINKTRIAGE_AUTO_RETRAIN") != "0")
    settings = {**settings_from_env(), **app.config.get("RETRAIN_SETTINGS", {})}
    retrainer = Retrainer(app.config["DATA_DIR"], app.extensions["linktriage_db"], auto=bool(app.config["AUTO_RETRAIN"]),
                          **settings)
    app.extensions["linktriage_retrainer"] = retrainer
    if retrainer.auto:
        retrainer.start()  # catches up at once if the model is behind the corrections or the base


def retrainer() -> Retrainer:
    return current_app.extensions["linktriage_retrainer"]


@bp.after_app_request
def count_corrections(response):
    """A successful PATCH that set, changed or removed a correction is one more thing to learn."""
    if (request.method == "PATCH" and request.path.startswith("/api/comments/") and response.status_code == 200):
        try:
            body = json.loads(request.get_data(cache=True) or b"{}")
        except (ValueError, RecursionError):  # cannot happen after a 200 (json_body parsed it); never fail here
            return response
        if isinstance(body, dict) and "correction" in body:
            retrainer().notify()
    return response


@bp.get("/api/model")
def model_state():
    return retrainer().status()


@bp.post("/api/model/retrain")
@dashboard_only
def retrain():
    retrainer().retrain_now()
    return retrainer().status(), 202


@bp.post("/api/model/rollback")
@dashboard_only
def rollback():
    try:
        return retrainer().rollback()
    except RuntimeError as exc:
        return error(409, str(exc))
    except FileNotFoundError as exc:
        return error(404, str(exc))
