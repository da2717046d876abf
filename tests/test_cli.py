"""The `linktriage` commands on good and bad files, in-process (main) and as real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helper_support import write_jsonl

from helper import store
from helper.cli import main

REPO = Path(__file__).resolve().parents[1]

# Text that must come back exactly: Chinese, 繁體, emoji, quotes, commas, a newline, markup.
TRICKY = [
    "求链接！！这件「羊毛大衣」在哪买？🔗",
    '姐妹，"同款"求分享, 谢谢\n第二行也要',
    "繁體：請問哪裡可以買到？",
    "<img src=x onerror=alert(1)> lj",
    "好看😍😍",
]


def linktriage(*args, data_dir, input=None):
    return subprocess.run(
        [sys.executable, "-m", "helper", *map(str, args), "--data-dir", str(data_dir)],
        input=input, capture_output=True, text=True, cwd=REPO, timeout=180,
    )


def comments_file(tmp_path, name="comments.jsonl"):
    rows = [
        {"id": f"c{i}", "note_id": "n1", "note_title": "冬季穿搭 ✨", "text": text, "author": f"用户{i}",
         "created_at": f"2026-11-2{i}T12:00:00+08:00"}
        for i, text in enumerate(TRICKY)
    ]
    rows.append({"id": "f1", "note_id": "n1", "text": "=HYPERLINK(\"http://evil\",\"求链接\")", "created_at": 1764000000000})
    return write_jsonl(tmp_path / name, rows)


def read_export(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_ingest_then_export_round_trips_chinese_exactly(tmp_path, capsys):
    data = tmp_path / "data"
    path = comments_file(tmp_path)
    assert main(["ingest", str(path), "--data-dir", str(data)]) == 0
    assert "6 new comment(s) stored, 0 already known, 0 skipped" in capsys.readouterr().out
    out = tmp_path / "all.csv"
    assert main(["export", "--all", "--out", str(out), "--data-dir", str(data)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = {r["comment_id"]: r for r in read_export(raw.decode("utf-8"))}
    for i, text in enumerate(TRICKY):
        assert rows[f"c{i}"]["text"] == text
        assert rows[f"c{i}"]["author"] == f"用户{i}" and rows[f"c{i}"]["note_title"] == "冬季穿搭 ✨"
    assert rows["f1"]["text"] == "'=HYPERLINK(\"http://evil\",\"求链接\")"  # neutralised, else exact
    assert rows["c0"]["created_at"] == "2026-11-20T04:00:00Z"
    assert rows["f1"]["created_at"] == "2025-11-24T16:00:00Z"
    assert list(rows["c0"])[:12] == ["comment_id", "note_id", "note_title", "author", "text", "created_at", "is_request",
                                     "score", "products", "suggested_reply", "status", "captured_at"]


def test_reingest_is_idempotent(tmp_path, capsys):
    data = tmp_path / "data"
    path = comments_file(tmp_path)
    main(["ingest", str(path), "--data-dir", str(data)])
    main(["export", "--all", "--out", str(tmp_path / "1.csv"), "--data-dir", str(data)])
    capsys.readouterr()
    assert main(["ingest", str(path), "--data-dir", str(data)]) == 0
    assert "0 new comment(s) stored, 6 already known" in capsys.readouterr().out
    main(["export", "--all", "--out", str(tmp_path / "2.csv"), "--data-dir", str(data)])
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes()


def test_ingest_csv_and_export_filters(tmp_path, capsys):
    data = tmp_path / "data"
    path = tmp_path / "comments.csv"
    path.write_text(
        "\ufeffid,note_id,text,author,created_at\r\n"
        "a,n1,求链接 这个包,小A,2026-11-01\r\n"
        "b,n2,\"哪里买？\n急\",小B,1764000000000\r\n"
        "c,n2,今天好开心,小C,\r\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(path), "--data-dir", str(data)]) == 0
    assert "3 new comment(s)" in capsys.readouterr().out
    assert main(["export", "--data-dir", str(data), "--note-id", "n2", "--all"]) == 0
    rows = read_export(capsys.readouterr().out)
    assert sorted(r["comment_id"] for r in rows) == ["b", "c"]
    assert [r["text"] for r in rows if r["comment_id"] == "b"] == ["哪里买？\n急"]
    assert main(["export", "--data-dir", str(data), "--since", "2025-12-01", "--all"]) == 0
    # c has no created_at: its capture time (now) stands in for it; b (2025-11-24) is older.
    assert [r["comment_id"] for r in read_export(capsys.readouterr().out)] == ["c", "a"]
    assert main(["export", "--data-dir", str(data), "--status", "replied"]) == 0
    assert read_export(capsys.readouterr().out) == []
    # --account: the comments captured for one creator account (the helper fills it from the note's author).
    db = store.init_db(store.store_target(data))  # the data dir's file, or the PostgreSQL pass's database
    with db:
        store.Comment.update(account="bo").where(store.Comment.note_id == "n2").execute()
    assert main(["export", "--data-dir", str(data), "--account", "bo", "--all"]) == 0
    assert sorted(r["comment_id"] for r in read_export(capsys.readouterr().out)) == ["b", "c"]
    assert main(["export", "--data-dir", str(data), "--account", "nobody", "--all"]) == 0
    assert read_export(capsys.readouterr().out) == []


def test_ingest_reports_each_skipped_line(tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "note_id": "n", "text": "求链接"}\n'
        "{not json\n"
        "[1, 2]\n"
        '{"id": "noid_text", "note_id": "n"}\n'
        "\n"
        '{"id": "ok2", "note_id": "n", "text": "好", "created_at": "soon"}\n',
        encoding="utf-8",
    )
    assert main(["ingest", str(path), "--data-dir", str(tmp_path / "d")]) == 0
    captured = capsys.readouterr()
    assert "1 new comment(s) stored, 0 already known, 4 skipped" in captured.out
    assert f"{path}:2: skipped: not valid JSON" in captured.err
    assert f"{path}:3: skipped: not a JSON object" in captured.err
    assert f"{path}:4: skipped: text is missing" in captured.err
    assert f"{path}:6: skipped: created_at" in captured.err


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.jsonl", None, "no such file"),
        ("empty.jsonl", b"", "empty"),
        ("latin1.csv", "id,text\n1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("nocols.csv", "foo,bar\n1,2\n".encode(), "missing column(s): id, text"),
        ("garbage.jsonl", b"hello\nworld\n", "no line is a JSON object"),
        ("quote.csv", b'id,text\n1,"unclosed\n', "line"),
    ],
)
def test_ingest_bad_files_exit_2_without_traceback(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    data = tmp_path / "data"
    result = linktriage("ingest", path, data_dir=data)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("linktriage ingest: error:")


def test_products_import_and_list(tmp_path, capsys):
    data = tmp_path / "data"
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("name,link,aliases,note_ids,reply\n羊毛大衣,商品卡,大衣|外套,n1|n2,\n围巾,橱窗,,,点橱窗～\n,x,,,\n", encoding="utf-8-sig")
    assert main(["products", "import", str(catalog), "--data-dir", str(data)]) == 0
    captured = capsys.readouterr()
    assert "2 product(s) added, 0 updated, 1 skipped" in captured.out
    assert f"{catalog}:4: skipped: name is missing" in captured.err
    catalog.write_text("name,link\n围巾,新橱窗\n", encoding="utf-8")
    assert main(["products", "import", str(catalog), "--data-dir", str(data)]) == 0
    assert "0 product(s) added, 1 updated" in capsys.readouterr().out
    assert main(["products", "list", "--json", "--data-dir", str(data)]) == 0
    products = {p["name"]: p for p in map(json.loads, capsys.readouterr().out.splitlines())}
    assert products["羊毛大衣"]["aliases"] == ["大衣", "外套"] and products["羊毛大衣"]["note_ids"] == ["n1", "n2"]
    assert products["围巾"]["link"] == "新橱窗" and products["围巾"]["reply"] == "点橱窗～"


def test_products_import_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,url\nx,y\n", encoding="utf-8")
    result = linktriage("products", "import", bad, data_dir=tmp_path / "d")
    assert result.returncode == 2 and "missing column(s): name" in result.stderr and "Traceback" not in result.stderr


def test_export_errors_leave_nothing_half_written(tmp_path):
    data = tmp_path / "data"
    result = linktriage("export", "--out", tmp_path / "no" / "such" / "dir.csv", data_dir=data)
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = linktriage("export", "--since", "last tuesday", "--out", tmp_path / "x.csv", data_dir=data)
    assert result.returncode == 2 and "--since" in result.stderr and not (tmp_path / "x.csv").exists()
    assert not list(tmp_path.glob(".linktriage-export-*"))


def test_subprocess_ingest_export_stdout(tmp_path):
    data = tmp_path / "data"
    path = comments_file(tmp_path)
    assert linktriage("ingest", path, data_dir=data).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "helper", "export", "--all", "--data-dir", str(data)],
        capture_output=True, cwd=REPO, timeout=120,
    )
    assert result.returncode == 0
    rows = read_export(result.stdout.decode("utf-8"))
    assert {r["text"] for r in rows} >= set(TRICKY)


def test_every_command_has_help():
    for command in ("serve", "ingest", "products", "export"):
        result = subprocess.run([sys.executable, "-m", "helper", command, "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
        assert result.returncode == 0 and "--data-dir" in result.stdout


def test_newer_database_is_a_clear_error(tmp_path):
    from helper import store

    db = store.init_db(store.store_target(tmp_path))  # the file, or the PostgreSQL pass's database
    with db:
        store.Meta.set_value("schema_version", "99")
    result = linktriage("export", data_dir=tmp_path)
    assert result.returncode == 2 and "schema version 99" in result.stderr and "Traceback" not in result.stderr


def test_ingest_sniffs_the_format_without_a_known_extension(tmp_path, capsys):
    jsonl = write_jsonl(tmp_path / "export.txt", [{"id": "j1", "note_id": "n", "text": "求链接"}])
    csv_file = tmp_path / "export.dat"
    csv_file.write_text("id,note_id,text\nc1,n,哪里买\n", encoding="utf-8")
    for path in (jsonl, csv_file):
        assert main(["ingest", str(path), "--data-dir", str(tmp_path / "d")]) == 0
        assert "1 new comment(s) stored" in capsys.readouterr().out


def test_a_command_imports_only_its_own_module():
    """`linktriage classify` (a cold start the README promises) never loads training or corpus code;
    `linktriage --help` still lists every command."""
    code = (
        "import sys\n"
        "from helper.cli import build_parser\n"
        "build_parser(['classify', '--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('helper.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = proc.stdout
    assert "helper.commands.classify" in loaded
    for heavy in ("helper.commands.train", "helper.nlp.corpus", "helper.nlp.training", "helper.nlp.evaluation"):
        assert heavy not in loaded
    listing = subprocess.run([sys.executable, "-m", "helper.cli", "--help"], capture_output=True, text=True,
                             cwd=REPO, check=True).stdout
    from helper.cli import COMMANDS

    assert all(name in listing for name in COMMANDS)
