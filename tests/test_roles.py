"""Roles (issue 14, team mode): owner / agent / viewer, kept in the shared database's operator table and
enforced by the helper for the operator it runs as (helper/roles.py, one table). The first operator on a
database is its owner, later ones agents; a lone creator (no --operator) owns her data; the last owner
cannot be demoted; the CLI can always set roles; role changes are in the activity log. Two live helpers
on one database: a viewer's helper is refused, an agent's change is in the owner's activity view. Runs
on SQLite and (scripts/test's PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

import pytest
from helper_support import TEST_PORT, Extension, LoopbackClient, batch, comment
from live_helper import LiveHelper

from helper import roles, store
from helper.app import create_app
from helper.cli import main
from helper.store import AuditEvent, Operator


def _db(app):
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    return db


def _client(app):
    app.test_client_class = LoopbackClient
    return app.test_client()


@pytest.fixture
def team(app, client, data_dir, dashboard_headers):
    """Three helpers (apps) on one database: Ana's (the first operator: owner), Bo's (agent), Vi's (made a
    viewer by the owner), with two requests stored."""
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("c1", "求链接"), comment("c2", "怎么买")])).status_code == 200
    app.config["OPERATOR"] = "Ana"
    apps = {"Ana": app}
    for name in ("Bo", "Vi"):
        apps[name] = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": name})
    clients = {name: _client(a) for name, a in apps.items()}
    for name in ("Ana", "Bo", "Vi"):  # each helper's first request registers its operator, in this order
        assert clients[name].get("/api/operators", headers=dashboard_headers).status_code == 200
    assert clients["Ana"].put("/api/operators/Vi", json={"role": "viewer"}, headers=dashboard_headers).status_code == 200
    return clients


def test_the_first_operator_owns_the_database_and_later_ones_are_agents(team, dashboard_headers):
    listed = team["Bo"].get("/api/operators", headers=dashboard_headers).get_json()
    assert listed["me"] == {"name": "Bo", "role": "agent"}
    assert [(o["name"], o["role"]) for o in listed["items"]] == [("Ana", "owner"), ("Bo", "agent"), ("Vi", "viewer")]
    assert listed["roles"] == ["viewer", "agent", "owner"]
    registered = team["Ana"].get("/api/audit?action=role", headers=dashboard_headers).get_json()["items"]
    assert [(e["operator"], e["detail"]) for e in registered] == [
        ("Ana", {"name": "Vi", "from": "agent", "to": "viewer"}),
        ("Vi", {"name": "Vi", "from": None, "to": "agent"}),
        ("Bo", {"name": "Bo", "from": None, "to": "agent"}),
        ("Ana", {"name": "Ana", "from": None, "to": "owner"}),
    ]


def test_a_lone_creator_is_the_owner(client, dashboard_headers):
    me = client.get("/api/operators", headers=dashboard_headers).get_json()
    assert me["me"] == {"name": None, "role": "owner"} and me["items"] == []
    assert client.post("/api/products", json={"name": "大衣", "link": "https://example.com/a"}, headers=dashboard_headers).status_code == 201


# What each role may do: (method, path, body) -> the least role that may. Every request is a real one.
CASES = [
    ("GET", "/api/comments", None, "viewer"),
    ("GET", "/api/inbox", None, "viewer"),
    ("GET", "/api/audit", None, "viewer"),
    ("GET", "/api/insights.csv", None, "viewer"),
    ("POST", "/api/replies/preview", {"template": "在{link}", "product": None}, "viewer"),
    ("GET", "/api/export.csv", None, "agent"),
    ("PATCH", "/api/comments/c1", {"correction": "missed"}, "agent"),
    ("PATCH", "/api/comments/c1", {"status": "replied"}, "agent"),
    ("POST", "/api/comments/bulk", {"ids": ["c2"], "status": "ignored"}, "agent"),
    ("POST", "/api/comments/c2/claim", {}, "agent"),
    ("DELETE", "/api/comments/c2/claim", {}, "agent"),
    ("POST", "/api/comments/c2/fill", {"platform": "xhs"}, "agent"),
    ("POST", "/api/products", {"name": "围巾", "link": "https://example.com/s"}, "owner"),
    ("POST", "/api/replies/refresh", {"product": "围巾", "previous": {"name": "围巾", "link": "x"}}, "owner"),
    ("POST", "/api/model/rollback", {}, "owner"),
    ("POST", "/api/pairing/open", {}, "owner"),
    ("PUT", "/api/operators/Bo", {"role": "agent"}, "owner"),
]


@pytest.mark.parametrize("method, path, body, least", CASES, ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES])
def test_each_role_may_do_what_its_table_says(team, dashboard_headers, method, path, body, least):
    for name, role in (("Vi", "viewer"), ("Bo", "agent"), ("Ana", "owner")):
        answer = team[name].open(path, method=method, json=body, headers=dashboard_headers)
        answer.get_data()  # a streamed export runs to its end here, in its own context
        if store.role_rank(role) < store.role_rank(least):
            assert answer.status_code == 403, (name, answer.get_json())
            refusal = answer.get_json()
            assert refusal["role"] == role and refusal["needed"] == least and f"the {least} role" in refusal["error"]
            assert refusal["error"].startswith(f"{name} is a")
        else:
            assert answer.status_code != 403, (name, answer.get_json())


def test_every_endpoint_the_table_names_exists_and_new_writes_default_to_owners(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(roles.NEEDS) <= endpoints
    assert roles.needed("somebody.new_view", "POST") == "owner" and roles.needed("somebody.new_view", "GET") == "viewer"
    # Every write the app has is either listed or an owner's, never open by accident.
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}:
            assert roles.needed(rule.endpoint, method) in ("viewer", "agent", "owner")


def test_a_viewers_extension_still_captures(team, dashboard_headers):
    ext = Extension(team["Vi"]).pair()
    assert ext.post("/api/comments", batch([comment("v1", "求链接")])).status_code == 200
    assert ext.patch("/api/comments/v1", {"status": "replied"}).status_code == 403  # but does not triage


def test_the_last_owner_cannot_be_demoted_and_roles_change_live(team, dashboard_headers, data_dir, capsys):
    ana, bo = team["Ana"], team["Bo"]
    refused = ana.put("/api/operators/Ana", json={"role": "agent"}, headers=dashboard_headers)
    assert refused.status_code == 409 and "last owner" in refused.get_json()["error"]
    assert ana.put("/api/operators/Nobody", json={"role": "agent"}, headers=dashboard_headers).status_code == 404
    assert ana.put("/api/operators/Bo", json={"role": "boss"}, headers=dashboard_headers).status_code == 400
    ext = Extension(ana).pair()  # roles are managed from the dashboard, not with the extension's token
    assert ana.put("/api/operators/Bo", json={"role": "owner"}, headers=ext.headers).status_code == 403
    # Ana makes Bo owner: his next request may manage products, with no restart; then she may step down.
    assert ana.put("/api/operators/Bo", json={"role": "owner"}, headers=dashboard_headers).get_json()["role"] == "owner"
    assert bo.post("/api/products", json={"name": "帽子", "link": "https://example.com/h"}, headers=dashboard_headers).status_code == 201
    assert ana.put("/api/operators/Ana", json={"role": "viewer"}, headers=dashboard_headers).status_code == 200
    assert ana.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers).status_code == 403
    # The command line on the machine can always set roles, and names the way back in.
    assert main(["operators", "set-role", "Bo", "viewer", "--data-dir", str(data_dir)]) == 2
    assert "last owner" in capsys.readouterr().err
    assert main(["operators", "set-role", "Ana", "owner", "--data-dir", str(data_dir)]) == 0
    assert "Ana: viewer -> owner" in capsys.readouterr().out
    assert ana.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers).status_code == 200
    assert main(["operators", "set-role", "Cy", "agent", "--data-dir", str(data_dir)]) == 0  # before her first start
    assert "Cy added as agent" in capsys.readouterr().out
    assert main(["operators", "list", "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [["Ana", "owner"], ["Bo", "owner"], ["Vi", "viewer"], ["Cy", "agent"]]
    changes = [e["detail"] for e in ana.get("/api/audit?action=role&limit=4", headers=dashboard_headers).get_json()["items"]]
    assert changes[0] == {"name": "Cy", "from": None, "to": "agent", "via": "cli"}
    assert changes[1] == {"name": "Ana", "from": "viewer", "to": "owner", "via": "cli"}


def test_the_cli_can_name_an_owner_of_a_database_without_one(tmp_path, capsys):
    assert main(["operators", "list", "--data-dir", str(tmp_path)]) == 0
    assert "no operators yet" in capsys.readouterr().err
    assert main(["operators", "set-role", "Bo", "agent", "--data-dir", str(tmp_path)]) == 0
    assert main(["operators", "set-role", "dashboard", "owner", "--data-dir", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as refused:  # argparse's choices
        main(["operators", "set-role", "Bo", "boss", "--data-dir", str(tmp_path)])
    assert refused.value.code == 2
    capsys.readouterr()
    # No owner yet: the next operator to start a helper becomes it.
    db = store.init_db(store.store_target(tmp_path))
    with db:
        assert Operator.ensure("Ana")[0].role == "owner"
        assert Operator.ensure("Dee")[0].role == "agent"
        assert Operator.role_of("Bo") == "agent" and Operator.role_of(None) == "owner"


# -- live: helpers on one database --------------------------------------------------------------------------
@pytest.fixture
def ana_and_bo(tmp_path, monkeypatch, test_database):
    """Ana's and Bo's helpers (`linktriage serve --operator`) on one database (the PostgreSQL pass's,
    else one SQLite file), Ana's started first."""
    if test_database is None:
        monkeypatch.setenv(store.DATABASE_ENV, f"sqlite:///{tmp_path / 'team.sqlite3'}")
    ana = LiveHelper(tmp_path / "ana", args=["--operator", "Ana"])
    bo = LiveHelper(tmp_path / "bo", args=["--operator", "Bo"])
    ana.ext_token = bo.ext_token  # one pairing in the shared database
    try:
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def test_an_agents_change_is_in_the_owners_activity_view_and_a_viewer_is_refused(ana_and_bo):
    ana, bo = ana_and_bo
    assert ana.post_comments([{"id": "s1", "note_id": "n1", "text": "求链接"}, {"id": "s2", "note_id": "n1", "text": "怎么买"}]).status == 200
    me = bo.request("GET", "/api/operators", headers=bo.dashboard).json()["me"]
    assert me == {"name": "Bo", "role": "agent"}
    assert bo.request("PATCH", "/api/comments/s1", {"status": "replied"}, bo.dashboard).status == 200
    assert bo.request("POST", "/api/comments/s2/fill", {"platform": "xhs"}, bo.extension).status == 200
    seen = ana.request("GET", "/api/audit?operator=Bo", headers=ana.dashboard).json()["items"]
    assert [(e["action"], e["comment_id"]) for e in seen[:2]] == [("reply_fill", "s2"), ("status", "s1")]
    assert seen[1]["detail"] == {"from": "new", "to": "replied"} and seen[1]["text"] == "求链接"
    # The owner makes Bo a viewer from her helper: his helper refuses his next change.
    assert ana.request("PUT", "/api/operators/Bo", {"role": "viewer"}, ana.dashboard).status == 200
    refused = bo.request("PATCH", "/api/comments/s2", {"status": "replied"}, bo.dashboard)
    assert refused.status == 403 and refused.json()["needed"] == "agent" and refused.json()["role"] == "viewer"
    assert bo.request("GET", "/api/export.csv", headers=bo.dashboard).status == 403
    assert bo.request("GET", "/api/audit", headers=bo.dashboard).status == 200  # a viewer reads
    with_role = ana.request("GET", "/api/audit?action=role", headers=ana.dashboard).json()["items"][0]
    assert with_role["operator"] == "Ana" and with_role["detail"] == {"name": "Bo", "from": "agent", "to": "viewer"}
    statuses = {c["id"]: c["status"] for c in ana.request("GET", "/api/comments", headers=ana.dashboard).json()["items"]}
    assert statuses == {"s1": "replied", "s2": "new"}
