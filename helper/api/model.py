"""The model as the creator sees it: its state, "learn now", "go back to the previous model".

    GET  /api/model            what the model is, how many corrections wait, learning or not; `accounts`:
                               each creator account's own model (?account=ID: that account's model)
    POST /api/model/retrain    learn from the corrections now (202; the state tells when it is done);
                               {"account": ID} (or ?account=ID): only that account's model
    POST /api/model/rollback   use the previous model again (a second time: forward again); per account too

The corrections of an account train that account's model (issue 14); comments without an account and
accounts without corrections use the shared model (helper/retraining.py, helper/account_models.py).

Every answered correction reaches the app's Retrainer (helper/retraining.py): PATCH
/api/comments/<id> with `correction` is seen here after it succeeded, so comments.py stays unaware of
training. A helper started with `linktriage serve` retrains by itself; an app made by a test
(`TESTING`) only when AUTO_RETRAIN is set, so tests in one process never retrain a shared model.
Without automatic retraining, "learn now" (POST /api/model/retrain) still works.
"""

from __future__ import annotations

import json
import os

from flask import Blueprint, abort, current_app, request

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
                          operator=app.config.get("OPERATOR"), **settings)
    app.extensions["linktriage_retrainer"] = retrainer
    app.extensions["linktriage_models"] = retrainer.models  # each account's model, for ingest (comments.py)
    # It catches up at once if a model is behind the corrections or the base; in a team it also follows the
    # models other helpers publish, with or without retraining by itself (not in an app a test made).
    if retrainer.auto or (retrainer.team and not app.config.get("TESTING")):
        retrainer.start()


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
            answer = response.get_json(silent=True)
            retrainer().notify(account=answer.get("account") if isinstance(answer, dict) else None)
    return response


def _account():
    """The account a model request is about: ?account=ID or {"account": ID}; absent: all (the overview)."""
    account = request.args.get("account")
    if account is None and request.method == "POST" and request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and body.get("account") is not None:
            account = body["account"]
    if account is None or account == "":
        return None
    if not isinstance(account, str) or len(account) > 200:
        abort(400, description="account must be an account id (a string)")
    return account


@bp.get("/api/model")
def model_state():
    account = _account()
    return retrainer().status() if account is None else retrainer().status(account)


@bp.post("/api/model/retrain")
@dashboard_only
def retrain():
    account = _account()
    if account is None:
        retrainer().retrain_now()
        return retrainer().status(), 202
    retrainer().retrain_now(account)
    return retrainer().status(account), 202


@bp.post("/api/model/rollback")
@dashboard_only
def rollback():
    account = _account()
    try:
        return retrainer().rollback() if account is None else retrainer().rollback(account)
    except RuntimeError as exc:
        return error(409, str(exc))
    except FileNotFoundError as exc:
        return error(404, str(exc))
