"""Operators and their roles (issue 14, team mode).

    GET /api/operators          {"me": {"name", "role"}, "items": [{name, role, created}], "roles": [...]}
    PUT /api/operators/<name>   {"role": "owner" | "agent" | "viewer"}  (owners only, from the dashboard;
                                recorded in the activity log)

`me` is the operator this helper runs as (name null: a lone creator's helper, the owner of its data).
Demoting the last owner answers 409; an operator the database does not know, 404 (she is registered
when her helper first answers a request; `linktriage operators set-role` may name her before that).
The role checks themselves are helper/roles.py's."""

from flask import Blueprint, abort

from helper.api import json_body
from helper.app import acting_as
from helper.roles import current_operator, current_role
from helper.security import dashboard_only, error
from helper.store import ROLES, LastOwner, Operator

bp = Blueprint("operators", __name__)


@bp.get("/api/operators")
def list_operators():
    return {
        "me": {"name": current_operator(), "role": current_role()},
        "items": Operator.listing(),
        "roles": list(ROLES),
    }


@bp.put("/api/operators/<path:name>")
@dashboard_only  # like pairing: managed from the dashboard page, never with the extension's token
def set_role(name: str):
    role = json_body().get("role")
    if role not in ROLES:
        return error(400, f"role must be one of {', '.join(ROLES)}")
    try:
        operator, _ = Operator.set_role(name, role, by=acting_as())
    except KeyError:
        abort(404, description=f"no operator named {name!r}")
    except LastOwner as exc:
        return error(409, str(exc))
    return operator.to_dict()
