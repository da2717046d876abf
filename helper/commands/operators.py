"""`linktriage operators`: the team's operators and their roles (owner / agent / viewer; issue 14).

The command line is not held to a role: whoever runs it on a machine with the database has the data
anyway, so an owner can always be named here (the way back in if the dashboards' owners are gone).
The last owner still cannot be demoted (make another one owner first). Role changes are recorded in the
activity log, as done by the data dir's remembered operator (else "cli").
"""

from __future__ import annotations

import sys

from helper.errors import UserError

ROLE_CHOICES = ("owner", "agent", "viewer")  # helper.store.team.ROLES, most rights first


def register(subparsers, common):
    p = subparsers.add_parser(
        "operators",
        parents=[common],
        help="the team's operators and their roles (owner, agent, viewer)",
        description="List the operators of this database (team mode) or set one's role. owner: everything "
        "(products, reply templates, retraining, pairing, roles); agent: triage (statuses, corrections, "
        "claims, reply fills, exports); viewer: reads only. The first operator on a database is its owner; "
        "later ones join as agents. A helper without --operator is its lone creator's and owns her data.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", parents=[common], help="every operator with her role",
                                 description="Every operator of this database: name, role, since when (UTC).")
    listing.set_defaults(func=list_operators)
    setting = actions.add_parser(
        "set-role", parents=[common], help="give an operator a role (names a new one too)",
        description="Give NAME the role ROLE. An operator who has not started a helper yet is added with it. "
        "The last owner cannot be demoted: make another operator owner first.",
    )
    setting.add_argument("name", metavar="NAME", help="the operator (as her helper's --operator names her)")
    setting.add_argument("role", metavar="ROLE", choices=ROLE_CHOICES, help="owner, agent or viewer")
    setting.set_defaults(func=set_role)


def list_operators(args) -> int:
    from helper.store import Operator, open_for_cli

    db = open_for_cli(args.data_dir, args.database)
    with db:
        rows = Operator.listing()
    if not rows:
        print("no operators yet: the first helper started with --operator NAME makes NAME the owner", file=sys.stderr)
        return 0
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        print(f"{row['name']:<{width}}  {row['role']:<6}  since {row['created']}")
    return 0


def set_role(args) -> int:
    from helper.config import MAX_OPERATOR_CHARS, RESERVED_OPERATORS, resolve_data_dir
    from helper.store import LastOwner, Operator, open_for_cli
    from helper.store.team import cli_operator

    name = args.name.strip()
    if not name or len(name) > MAX_OPERATOR_CHARS or not name.isprintable():
        raise UserError(f"NAME must be 1 to {MAX_OPERATOR_CHARS} printable characters")
    if name.lower() in RESERVED_OPERATORS:
        raise UserError(f"NAME cannot be {name!r} (the store uses that word itself)")
    db = open_for_cli(args.data_dir, args.database)
    by = cli_operator(resolve_data_dir(args.data_dir))
    with db:
        try:
            operator, previous = Operator.set_role(name, args.role, by=by, create=True, via="cli")
        except LastOwner as exc:
            raise UserError(str(exc)) from None
    if previous == operator.role:
        print(f"{name} is already {operator.role}")
    elif previous is None:
        print(f"{name} added as {operator.role}")
    else:
        print(f"{name}: {previous} -> {operator.role}")
    return 0
