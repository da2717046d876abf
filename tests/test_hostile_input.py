"""Hostile input, over real HTTP (a `linktriage serve` subprocess) and through the CLI (subprocesses).

Every probe of issue 12 and the next ones along the same lines, as tables. The rules they prove:
a bad field skips its own item with a reason and never costs the batch; nothing answers 500; every
error is JSON with the version header, including waitress's own 413; the CLI says one line and
exits 2 for a user error, never a traceback.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import sqlite3

import pytest
from live_helper import LiveHelper, linktriage

LONG = 200_000


@pytest.fixture(scope="module")
def helper(tmp_path_factory):
    live = LiveHelper(tmp_path_factory.mktemp("hostile") / "data")
    yield live
    live.stop()


def stored(helper, comment_id: str, column: str = "text"):
    with sqlite3.connect(helper.data_dir / "linktriage.sqlite3") as conn:
        row = conn.execute(f'SELECT "{column}" FROM comment WHERE comment_id = ?', (comment_id,)).fetchone()
    return None if row is None else row[0]


def assert_clean(reply, *statuses):
    assert reply.status != 500, reply
    assert reply.status in statuses, reply
    assert reply.headers["X-LinkTriage-Version"], reply
    if reply.status >= 400:
        assert reply.headers["Content-Type"].startswith("application/json"), reply
        assert reply.json()["error"] and reply.json()["status"] == reply.status


# -- one bad field in a batch: that item is skipped (or stored cleaned), the rest of the batch is stored --
# (case id, fields of the hostile comment, "stored" or the start of the skip reason, column, stored value)
ITEM_CASES = [
    ("surrogate-text", {"text": "求链接\ud800"}, "stored", "text", "求链接\ufffd"),
    ("surrogate-author", {"author": "\udc80小鹿"}, "stored", "author", "\ufffd小鹿"),
    ("surrogate-id", {"id": "s\ud800"}, "stored", "comment_id", "s\ufffd"),
    ("surrogate-pair-kept", {"text": "好看\U0001f600"}, "stored", "text", "好看\U0001f600"),
    ("nul-in-text", {"text": "a\x00b"}, "stored", "text", "ab"),
    ("nfd-text", {"text": "cafe\u0301"}, "stored", "text", "caf\u00e9"),
    ("like-2^63", {"like_count": 2**63}, "like_count is out of range", None, None),
    ("like-huge-string", {"like_count": "99999999999999999999"}, "like_count is out of range", None, None),
    ("like-5000-digits", {"like_count": 10**4000}, "like_count", None, None),
    ("like-negative", {"like_count": -1}, "like_count is out of range", None, None),
    ("like-float-1e300", {"like_count": 1e300}, "like_count is out of range", None, None),
    ("like-superscript", {"like_count": "²"}, "stored", "like_count", None),
    ("like-arabic-digits", {"like_count": "١٢"}, "stored", "like_count", None),
    ("like-display-form", {"like_count": "1万+"}, "stored", "like_count", None),
    ("created-superscript", {"created_at": "²"}, "created_at", None, None),
    ("created-year-10000-utc", {"created_at": "9999-12-31T23:59:59-01:00"}, "created_at is out of range", None, None),
    ("created-year-0-utc", {"created_at": "0001-01-01T00:00:00+01:00"}, "created_at is out of range", None, None),
    ("created-epoch-huge", {"created_at": 10**30}, "created_at is out of range", None, None),
    ("created-epoch-17-digits", {"created_at": 99999999999999999}, "created_at is out of range", None, None),
    ("created-epoch-string-huge", {"created_at": "99999999999999999999"}, "created_at is out of range", None, None),
    ("created-float-1e308", {"created_at": 1e308}, "created_at is out of range", None, None),
    ("created-before-1970", {"created_at": "1900-01-01"}, "created_at is out of range", None, None),
    ("created-long-string", {"created_at": "2026-" + "1" * 5000}, "created_at is not ISO-8601", None, None),
    ("created-dict", {"created_at": {"$date": 1}}, "created_at must be", None, None),
    ("author-200k", {"author": "a" * LONG}, "author is longer than", None, None),
    ("ip-location-200k", {"ip_location": "上" * LONG}, "ip_location is longer than", None, None),
    ("text-too-long", {"text": "x" * 10_001}, "text is longer than", None, None),
    ("text-a-dict", {"text": {"a": 1}}, "text must be a string", None, None),
    ("id-too-long", {"id": "i" * 201}, "id is longer than", None, None),
    ("id-control-char", {"id": "a\tb"}, "id contains control characters", None, None),
    ("id-nul", {"id": "a\x00b"}, "id contains control characters", None, None),
    ("id-a-list", {"id": ["x"]}, "id must be a string", None, None),
    ("id-bool", {"id": True}, "id must be a string", None, None),
    ("note-id-too-long", {"note_id": "n" * 300}, "note_id is longer than", None, None),
    ("platform-odd", {"platform": "x y\x00"}, "platform must be", None, None),
    ("is-author-a-dict", {"is_author": {"yes": 1}}, "stored", "is_author", 0),
    ("deep-unknown-field", {"extra": json.loads("[" * 200 + "]" * 200)}, "stored", "text", "好看"),
]


@pytest.mark.parametrize("case, fields, outcome, column, value", ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_one_bad_field_never_costs_the_batch(helper, case, fields, outcome, column, value):
    bad = {"id": f"bad-{case}", "note_id": "n1", "text": "好看", **fields}
    good = {"id": f"good-{case}", "note_id": "n1", "text": "求链接"}
    reply = helper.post_comments([bad, good])
    assert_clean(reply, 200)
    body = reply.json()
    ids = [r["id"] for r in body["results"]]
    assert f"good-{case}" in ids
    if outcome == "stored":
        assert not body["skipped"], body["skipped"]
        assert stored(helper, value if column == "comment_id" else bad["id"], column) == value
    else:
        assert [s["index"] for s in body["skipped"]] == [0]
        assert body["skipped"][0]["reason"].startswith(outcome), body["skipped"]
        assert stored(helper, f"bad-{case}") is None
    assert stored(helper, f"good-{case}") == "求链接"


# -- facts about the batch's note: cleaned or dropped, never a 500 --------------------------------
NOTE_CASES = [
    ("title-surrogate", {"id": "nt1", "title": "\ud800标题"}, "nt1", "\ufffd标题"),
    ("title-200k", {"id": "nt2", "title": "长" * LONG}, "nt2", "长" * 999 + "…"),
    ("title-nul", {"id": "nt3", "title": "a\x00b"}, "nt3", "ab"),
    ("author-id-a-dict", {"id": "nt4", "title": "t", "author_id": {"x": 1}}, "nt4", "t"),
    ("author-name-surrogate", {"id": "nt5", "title": "t", "author_name": "\udfff"}, "nt5", "t"),
]


@pytest.mark.parametrize("case, note, note_id, title", NOTE_CASES, ids=[c[0] for c in NOTE_CASES])
def test_note_facts_are_cleaned(helper, case, note, note_id, title):
    reply = helper.post_comments([{"id": f"nc-{case}", "text": "求链接"}], note=note)
    assert_clean(reply, 200)
    assert reply.json()["stored"] == 1
    with sqlite3.connect(helper.data_dir / "linktriage.sqlite3") as conn:
        assert conn.execute("SELECT title FROM note WHERE note_id = ?", (note_id,)).fetchone()[0] == title


def test_a_bad_note_id_skips_only_the_comments_that_rely_on_it(helper):
    reply = helper.post_comments(
        [{"id": "relies", "text": "x"}, {"id": "own-note", "note_id": "n1", "text": "x"}], note={"id": "n" * 300}
    )
    assert_clean(reply, 200)
    body = reply.json()
    assert [r["id"] for r in body["results"]] == ["own-note"]
    assert body["skipped"][0]["id"] == "relies" and "note_id" in body["skipped"][0]["reason"]


# -- whole bodies that are not a batch: a JSON 4xx ------------------------------------------------
def _nested(depth: int) -> bytes:
    return b'{"comments": [], "x": ' + b"[" * depth + b"]" * depth + b"}"


BODY_CASES = [
    ("nested-100k-deep", _nested(100_000), 400),
    ("nested-objects", b'{"comments": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}", 400),
    ("not-utf8", b'{"comments": [{"id": "a", "text": "\xff\xfe"}]}', 400),
    ("a-json-array", b"[1, 2]", 400),
    ("comments-not-a-list", b'{"comments": "nope"}', 400),
    ("nan-literal-batch", b'{"comments": NaN}', 400),
    ("truncated", b'{"comments": [', 400),
    ("empty", b"", 400),
    ("platform-object", b'{"comments": [], "platform": {"a": 1}}', 400),
]


@pytest.mark.parametrize("case, raw, status", BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_bodies_that_are_not_a_batch_get_a_json_4xx(helper, case, raw, status):
    assert_clean(helper.request("POST", "/api/comments", raw=raw, headers=helper.extension), status)


def test_too_many_comments_is_a_json_413(helper):
    reply = helper.post_comments([{"id": f"m{i}", "note_id": "n1", "text": "x"} for i in range(501)])
    assert_clean(reply, 413)


def _send_chunked(helper, size: int):
    conn = http.client.HTTPConnection("127.0.0.1", helper.port, timeout=60)
    conn.putrequest("POST", "/api/comments", skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{helper.port}", **helper.extension, "Content-Type": "application/json",
                        "Transfer-Encoding": "chunked"}.items():
        conn.putheader(name, value)
    conn.endheaders()
    piece = b'{"comments": [], "pad": "' + b"x" * 1024
    sent = 0
    try:
        while sent < size:
            chunk = piece if sent == 0 else b"x" * min(65536, size - sent)
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        conn.send(b'"}')
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before the whole body is sent
    response = conn.getresponse()
    reply_body = response.read()
    conn.close()
    from live_helper import Reply

    return Reply(response.status, response.headers, reply_body)


@pytest.mark.parametrize("size", [8 * 1024 * 1024 + 200, 12 * 1024 * 1024], ids=["over-app-cap", "over-server-cap"])
def test_chunked_bodies_over_the_cap_get_a_json_413(helper, size):
    assert_clean(_send_chunked(helper, size), 413)


def test_a_declared_oversized_body_gets_a_json_413(helper):
    conn = http.client.HTTPConnection("127.0.0.1", helper.port, timeout=30)
    conn.putrequest("POST", "/api/comments", skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{helper.port}", **helper.extension, "Content-Type": "application/json",
                        "Content-Length": str(64 * 1024 * 1024)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    from live_helper import Reply

    assert_clean(Reply(response.status, response.headers, response.read()), 413)
    conn.close()


# -- query parameters ------------------------------------------------------------------------------
QUERY_CASES = [
    "/api/comments?offset=99999999999999999999",
    "/api/comments?offset=%C2%B2",  # ²
    "/api/comments?offset=-1",
    "/api/comments?limit=%D9%A1%D9%A2",  # Arabic-Indic 12
    "/api/comments?limit=0",
    "/api/comments?since=%C2%B2",
    "/api/comments?until=99999999999999999999",
    "/api/comments?since=99999999999999999",
    "/api/comments?until=9999-12-31T23:59:59-01:00",
    "/api/requests?since=0001-01-01T00:00:00%2B01:00",
    "/api/requests?status=%00",
    "/api/export.csv?since=%C2%B2",
    "/api/export.csv?until=1e999",
    "/api/insights?tz_offset=99999999999999999999",
    "/api/insights?since=NaN",
]


@pytest.mark.parametrize("path", QUERY_CASES)
def test_bad_query_parameters_are_a_json_400(helper, path):
    assert_clean(helper.request("GET", path, headers=helper.dashboard), 400)


@pytest.mark.parametrize(
    "path",
    ["/api/comments?q=%00", "/api/comments?note_id=%ED%A0%80", "/api/comments?q=" + "%E5%A5%BD" * 2000,
     "/api/requests?product=%00%FF", "/api/export.csv?q=%ED%A0%80"],
)
def test_odd_but_harmless_query_values_are_answered(helper, path):
    assert_clean(helper.request("GET", path, headers=helper.dashboard), 200)


# -- triage: PATCH and bulk ------------------------------------------------------------------------
def test_a_comment_id_with_a_slash_can_be_patched(helper):
    assert helper.post_comments([{"id": "a/b/c", "note_id": "n1", "text": "求链接"}]).status == 200
    reply = helper.request("PATCH", "/api/comments/a%2Fb%2Fc", {"status": "replied"}, helper.dashboard)
    assert_clean(reply, 200)
    assert reply.json()["id"] == "a/b/c" and reply.json()["status"] == "replied"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"suggested_reply": "链接在这\ud800"}, 200),
        ({"suggested_reply": "x" * 3000}, 400),
        ({"suggested_reply": {"a": 1}}, 400),
        ({"status": ["new"]}, 400),
        ({"correction": {"x": 1}}, 400),
    ],
)
def test_patch_bodies(helper, body, status):
    helper.post_comments([{"id": "p1", "note_id": "n1", "text": "求链接"}])
    assert_clean(helper.request("PATCH", "/api/comments/p1", body, helper.dashboard), status)


def test_patch_with_an_odd_platform_or_id_is_a_400_or_404(helper):
    assert_clean(helper.request("PATCH", "/api/comments/p1?platform=%00", {"status": "new"}, helper.dashboard), 400)
    assert_clean(helper.request("PATCH", "/api/comments/a%09b", {"status": "new"}, helper.dashboard), 400)
    assert_clean(helper.request("PATCH", "/api/comments/nope", {"status": "new"}, helper.dashboard), 404)


@pytest.mark.parametrize(
    "body, status",
    [
        ({"ids": ["p1", "x\ud800"], "status": "ignored"}, 200),
        ({"ids": [{"a": 1}], "status": "ignored"}, 400),
        ({"ids": ["p1"], "status": "ignored", "platform": "\x00"}, 400),
        ({"ids": [10**4000], "status": "ignored"}, 400),
        ({"ids": ["i" * 300], "status": "ignored"}, 400),
    ],
)
def test_bulk_bodies(helper, body, status):
    assert_clean(helper.request("POST", "/api/comments/bulk", body, helper.dashboard), status)


@pytest.mark.parametrize(
    "body, status",
    [
        ({"name": "包\ud800", "link": "https://x.example/\x00"}, 201),
        ({"name": "n" * LONG, "link": ""}, 400),
        ({"name": "x", "aliases": [{"a": 1}]}, 400),
    ],
)
def test_product_bodies(helper, body, status):
    reply = helper.request("POST", "/api/products", body, helper.dashboard)
    assert reply.status != 500, reply
    assert reply.status in (status, 200), reply


# -- the throttle cannot be turned against the owner -------------------------------------------------
def test_wrong_tokens_never_lock_out_the_right_ones(helper):
    for _ in range(12):  # more than AUTH_FAILURES_PER_MINUTE, from the same address as everyone
        helper.request("GET", "/api/notes", headers={"Origin": helper.extension["Origin"], "Authorization": "Bearer guess"})
        helper.request("GET", "/api/notes", headers={**helper.dashboard, "X-LinkTriage-Token": "guess"})
    assert_clean(helper.request("GET", "/api/notes", headers={**helper.dashboard, "X-LinkTriage-Token": "guess"}), 429)
    assert helper.request("GET", "/api/notes", headers=helper.dashboard).status == 200
    assert helper.post_comments([{"id": "after-throttle", "note_id": "n1", "text": "求链接"}]).status == 200
    # A different wrong token is answered on its own account (401), and the right ones still pass.
    assert_clean(helper.request("GET", "/api/notes", headers={**helper.dashboard, "X-LinkTriage-Token": "other"}), 401)


# -- the CSV never carries something a spreadsheet would run -----------------------------------------
FORMULAS = [
    "=1+1", "＝1+1", "＋1", "－1", "＠SUM(1)", "  =1+1", "\u00a0=1+1", "\u200b=1+1", "\ufeff=1+1",
    "\n=1+1", "\r\n@SUM(1)", "\u3000=1", "﹦1", "\u2212 1", "\t=1",
]


def test_export_neutralises_every_formula_form_and_drops_nul(helper):
    comments = [{"id": f"f{i}", "note_id": "nf", "text": text, "author": text} for i, text in enumerate(FORMULAS)]
    comments.append({"id": "nul", "note_id": "nf", "text": "a\x00=b", "author": "=x\x00"})
    assert helper.post_comments(comments, note={"id": "nf", "title": "＝HYPERLINK(1)"}).status == 200
    reply = helper.request("GET", "/api/export.csv?all=1&note_id=nf", headers=helper.dashboard)
    assert reply.status == 200 and b"\x00" not in reply.body
    rows = list(csv.DictReader(io.StringIO(reply.body.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(comments)
    for row in rows:
        for column in ("text", "author", "note_title"):
            cell = row[column]
            assert cell.startswith("'") or cell == "ab" or cell == "a=b", (column, cell)


# -- the CLI: one line and exit 2 for a user's mistake; bad lines skipped, never a traceback ------------
def _hostile_jsonl() -> str:
    lines = [json.dumps({"id": f"ok{i}", "note_id": "n1", "text": "求链接"}) for i in range(3)]
    for case, fields, outcome, _, _ in ITEM_CASES:
        lines.append(json.dumps({"id": f"cli-{case}", "note_id": "n1", "text": "好看", **fields}))
    lines.append('{"id": "deep", "text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}")
    lines.append('{"id": "big-int", "text": "x", "like_count": ' + "9" * 5000 + "}")
    lines.append('{"id": "note-title", "note_id": "n2", "text": "x", "note_title": "\\ud800' + "长" * 2000 + '"}')
    lines.append("not json")
    return "\n".join(lines) + "\n"


def test_ingest_skips_each_hostile_line_and_keeps_the_rest(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text(_hostile_jsonl(), encoding="utf-8")
    result = linktriage("ingest", path, data_dir=tmp_path / "data")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    skipped_cases = sum(1 for c in ITEM_CASES if c[2] != "stored")
    stored_cases = len(ITEM_CASES) - skipped_cases
    assert f"{3 + stored_cases + 1} new comment(s) stored" in result.stdout, result.stdout  # + note-title
    assert f"{skipped_cases + 3} skipped" in result.stdout, result.stdout  # + deep, big-int, not json
    assert "nested too deeply" in result.stderr and "like_count is out of range" in result.stderr


def test_classify_answers_every_hostile_line_in_its_place(tmp_path):
    text = _hostile_jsonl()
    result = linktriage("classify", data_dir=tmp_path / "data", input=text)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1  # some lines were bad (not JSON, too deep)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(text.splitlines())  # nothing lost, nothing shifted
    assert out[0]["id"] == "ok0" and out[0]["is_request"] is True
    assert any("nested too deeply" in r.get("error", "") for r in out)


@pytest.fixture(scope="module")
def cli_data(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    (base / "a-folder").mkdir()
    (base / "plain-file").write_text("x")
    (base / "catalog.csv").write_bytes(b"name,link\n\xff\xfe,bad\n")
    (base / "empty.jsonl").write_text("")
    (base / "binary.csv").write_bytes(b"id,text\n\x00\x00\x00")
    return base


# (case id, arguments; {base} is the fixture's folder)
CLI_CASES = [
    ("export-out-is-a-folder", ["export", "--out", "{base}/a-folder"]),
    ("export-out-missing-folder", ["export", "--out", "{base}/no/such/x.csv"]),
    ("export-out-unwritable", ["export", "--out", "/proc/linktriage-export.csv"]),
    ("export-since-superscript", ["export", "--since", "²"]),
    ("export-since-overflow", ["export", "--since", "99999999999999999999"]),
    ("export-since-17-digits", ["export", "--since", "99999999999999999"]),
    ("export-since-year-10000", ["export", "--since", "9999-12-31T23:59:59-01:00"]),
    ("export-since-words", ["export", "--since", "last tuesday"]),
    ("export-status-bogus", ["export", "--status", "done"]),
    ("ingest-missing-file", ["ingest", "{base}/nope.jsonl"]),
    ("ingest-a-folder", ["ingest", "{base}/a-folder"]),
    ("ingest-empty-file", ["ingest", "{base}/empty.jsonl"]),
    ("ingest-binary", ["ingest", "{base}/binary.csv"]),
    ("ingest-platform-odd", ["ingest", "{base}/empty.jsonl", "--platform", "x y"]),
    ("products-import-not-utf8", ["products", "import", "{base}/catalog.csv"]),
    ("products-import-missing", ["products", "import", "{base}/nope.csv"]),
    ("data-dir-under-a-file", ["export"]),  # run with --data-dir {base}/plain-file/sub
    ("classify-batch-size-0", ["classify", "--batch-size", "0"]),
    ("serve-port-0", ["serve", "--port", "0"]),
    ("serve-port-words", ["serve", "--port", "eighty"]),
    ("evaluate-data-not-jsonl", ["evaluate", "--data", "{base}/plain-file"]),
    ("evaluate-model-missing", ["evaluate", "--model", "{base}/no-model"]),
    ("corrections-import-missing", ["corrections", "import", "{base}/nope.jsonl"]),
    ("corrections-export-under-a-file", ["corrections", "export", "--out", "{base}/plain-file/x.jsonl"]),
    ("train-max-steps-words", ["train", "--max-steps", "many"]),
    ("unknown-command", ["frobnicate"]),
]


@pytest.mark.parametrize("case, args", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_user_errors_are_one_line_and_exit_2(cli_data, case, args):
    args = [a.replace("{base}", str(cli_data)) for a in args]
    data_dir = cli_data / "plain-file" / "sub" if case == "data-dir-under-a-file" else cli_data / "data"
    result = linktriage(*args, data_dir=data_dir, input="", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and ("error:" in lines[-1]), result.stderr
    assert not list(cli_data.glob(".linktriage-export-*")) and not list(cli_data.glob("a-folder/*"))


def test_ingest_csv_with_hostile_cells(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(
        "id,note_id,text,like_count,created_at,author\n"
        "ok,n1,求链接,3,2026-11-24,小鹿\n"
        "big,n1,x,99999999999999999999,,\n"
        "sup,n1,x,,²,\n"
        "year,n1,x,,9999-12-31T23:59:59-01:00,\n"
        "epoch,n1,x,,99999999999999999,\n"
        f"long,n1,x,,,{'名' * 300}\n"
        "formula,n1,=1+1,²,,\n",
        encoding="utf-8",
    )
    result = linktriage("ingest", path, data_dir=tmp_path / "data")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "2 new comment(s) stored" in result.stdout and "5 skipped" in result.stdout, result.stdout
    for line in (3, 4, 5, 6, 7):
        assert f"hostile.csv:{line}: skipped:" in result.stderr


# -- what the server itself refuses (never reaches Flask): JSON all the same ----------------------------
RAW_HTTP_CASES = [
    ("header-300k", b"GET /api/health HTTP/1.1\r\nHost: {host}\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431),
    ("bad-chunk-size", b"POST /api/comments HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
     b"Content-Type: application/json\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n", 400),
    ("garbage-start-line", b"GARBAGE\r\n\r\n", 400),
    ("content-length-words", b"POST /api/comments HTTP/1.1\r\nHost: {host}\r\nContent-Length: abc\r\n\r\n", 400),
]


@pytest.mark.parametrize("case, request_bytes, status", RAW_HTTP_CASES, ids=[c[0] for c in RAW_HTTP_CASES])
def test_server_level_refusals_are_json(helper, case, request_bytes, status):
    import socket

    sock = socket.create_connection(("127.0.0.1", helper.port), timeout=10)
    try:
        sock.sendall(request_bytes.replace(b"{host}", f"127.0.0.1:{helper.port}".encode()))
    except (BrokenPipeError, ConnectionResetError):
        pass  # it may answer and close before reading everything
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == str(status).encode(), answer[:300]
    assert b"Content-Type: application/json" in head and b"X-Linktriage-Version" in head, head
    assert json.loads(body)["status"] == status
