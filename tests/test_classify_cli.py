"""`linktriage classify` as a user runs it: a real subprocess, JSONL in, JSONL out."""

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

LINKTRIAGE = [sys.executable, "-m", "helper.cli"]
CATALOG_CSV = (
    "name,link,aliases,note_ids,reply\n"
    "羊毛地毯,https://item.taobao.com/item.htm?id=1,地毯|rug,n1,\n"
    "落地灯,https://www.xiaohongshu.com/goods-detail/abc,灯|lamp,n1,\n"
    "帆布包,,包|tote,n2,@{nickname} {product}在商品卡哦\n"
)


@pytest.fixture
def keyword_env(tmp_path):
    """An empty model dir: classify falls back to the keyword baseline, so verdicts are predictable."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    return {**os.environ, "LINKTRIAGE_MODEL_DIR": str(empty), "LINKTRIAGE_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CATALOG_CSV, encoding="utf-8")
    return path


def classify(lines, env, *args, stdin_bytes=None):
    data = stdin_bytes if stdin_bytes is not None else "".join(line + "\n" for line in lines).encode("utf-8")
    done = subprocess.run([*LINKTRIAGE, "classify", *args], input=data, capture_output=True, env=env, timeout=120)
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    return done.returncode, rows, done.stderr.decode("utf-8")


def line(**fields):
    return json.dumps(fields, ensure_ascii=False)


def test_good_lines_in_order(keyword_env):
    texts = ["求链接", "好看", "where can I buy this lamp", "已经买啦", "链接呢", "哈哈"]
    code, rows, stderr = classify([line(id=f"c{i}", text=t) for i, t in enumerate(texts)], keyword_env)
    assert code == 0
    assert [r["id"] for r in rows] == [f"c{i}" for i in range(len(texts))]
    assert [r["is_request"] for r in rows] == [True, False, True, False, True, False]
    for row in rows:
        assert {"id", "is_request", "score", "products", "suggested_reply"} <= set(row)
        assert (row["suggested_reply"] != "") == row["is_request"]
    assert "keyword baseline" in stderr  # the missing model is said, once
    assert stderr.count("keyword baseline") == 1


def test_bad_lines_get_errors_in_place(keyword_env):
    lines = [
        line(id="a", text="求链接"),
        "{not json",
        line(id="b"),
        line(id="c", text=42),
        "",
        "[1, 2]",
        line(id="d", text="好看"),
    ]
    code, rows, _ = classify(lines, keyword_env, "--batch-size", "3")
    assert code == 1  # every line answered, but some were bad
    assert len(rows) == len(lines)
    assert rows[0]["id"] == "a" and rows[0]["is_request"] is True
    assert [r.get("line") for r in rows[1:6]] == [2, 3, 4, 5, 6]
    assert "invalid JSON" in rows[1]["error"]
    assert rows[2]["error"] == 'missing "text"'
    assert rows[3]["error"] == '"text" must be a string'
    assert rows[4]["error"] == "empty line"
    assert rows[5]["error"] == "expected a JSON object"
    assert rows[6]["id"] == "d" and rows[6]["is_request"] is False


def test_undecodable_and_overlong_lines(keyword_env):
    data = (
        b'{"id": "a", "text": "\xff\xfe"}\n'
        + b'{"id": "big", "text": "' + b"x" * (1 << 20) + b'"}\n'
        + line(id="z", text="链接呢").encode("utf-8") + b"\n"
    )
    code, rows, _ = classify(None, keyword_env, stdin_bytes=data)
    assert code == 1 and len(rows) == 3
    assert rows[0] == {"line": 1, "error": "not UTF-8 (byte 21)"}
    assert rows[1]["line"] == 2 and "longer than" in rows[1]["error"]
    assert rows[2]["id"] == "z" and rows[2]["is_request"] is True


def test_bad_lines_answered_by_the_workers_too(keyword_env):
    """Chunks after the first go to worker processes packed as one bytes object: an over-long, an empty and
    an undecodable line keep their places and errors there."""
    lines = [line(id=f"c{i}", text="求链接" if i % 2 else "好看").encode("utf-8") for i in range(12)]
    lines[5] = b'{"id": "big", "text": "' + b"x" * (1 << 20) + b'"}'
    lines[7] = b""
    lines[9] = b'{"id": "u", "text": "\xff"}'
    code, rows, _ = classify(None, keyword_env, "--jobs", "2", "--batch-size", "3", stdin_bytes=b"\n".join(lines) + b"\n")
    assert code == 1 and len(rows) == 12
    assert rows[5]["line"] == 6 and "longer than" in rows[5]["error"]
    assert rows[7] == {"line": 8, "error": "empty line"}
    assert rows[9]["line"] == 10 and "UTF-8" in rows[9]["error"]
    assert [r["id"] for i, r in enumerate(rows) if i not in (5, 7, 9)] == [f"c{i}" for i in range(12) if i not in (5, 7, 9)]
    assert [r["is_request"] for i, r in enumerate(rows) if i not in (5, 7, 9)] == [bool(i % 2) for i in range(12) if i not in (5, 7, 9)]


def test_catalog_attribution_and_xhs_compliance(keyword_env, catalog):
    lines = [
        line(id="1", text="地毯哪里买", note_id="n1", author="小鹿"),
        line(id="2", text="沙发和灯都要链接", note_id="n1"),
        line(id="3", text="求链接", note_id="n1"),
        line(id="4", text="包包链接", note_id="n2", author="阿青"),
        line(id="5", text="求链接", note_id="n1", author="博主", is_author=True),
    ]
    code, rows, _ = classify(lines, keyword_env, "--catalog", str(catalog))
    assert code == 0
    assert [r["products"] for r in rows] == [["羊毛地毯"], ["落地灯"], [], ["帆布包"], []]
    assert rows[0]["suggested_reply"].startswith("@小鹿 ") and "taobao" not in rows[0]["suggested_reply"]
    assert rows[0]["compliance"]  # says why the link is not in the reply
    assert "compliance" not in rows[1]  # only present when there is something to say
    assert "羊毛地毯" in rows[2]["suggested_reply"] and "落地灯" in rows[2]["suggested_reply"]  # which one?
    assert rows[3]["suggested_reply"] == "@阿青 帆布包在商品卡哦"  # the product's own template
    assert rows[4]["is_request"] is False  # the note's author


def test_note_id_option_and_web_platform(keyword_env, catalog):
    lines = [line(id="1", text="地毯哪里买", note_id=None), line(id="2", text="求链接", note_id="n2")]
    code, rows, _ = classify(lines, keyword_env, "--catalog", str(catalog), "--note-id", "n1", "--platform", "web")
    assert code == 0
    assert rows[0]["products"] == ["羊毛地毯"] and "https://item.taobao.com/item.htm?id=1" in rows[0]["suggested_reply"]
    assert rows[1]["products"] == ["帆布包"]  # the line's own note wins; n2 has one product


def test_order_kept_across_many_chunks(keyword_env):
    texts = ["求链接", "好看", "链接呢", "哈哈"] * 2500
    code, rows, _ = classify([line(id=i, text=t) for i, t in enumerate(texts)], keyword_env, "--batch-size", "7")
    assert code == 0
    assert [r["id"] for r in rows] == list(range(len(texts)))
    assert [r["is_request"] for r in rows] == [t in ("求链接", "链接呢") for t in texts]


def test_results_stream_before_input_ends(keyword_env):
    proc = subprocess.Popen(
        [*LINKTRIAGE, "classify", "--batch-size", "1"], env=keyword_env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        proc.stdin.write((line(id="first", text="求链接") + "\n").encode("utf-8"))
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "no output while stdin is still open"
        assert json.loads(proc.stdout.readline())["id"] == "first"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    "content, message",
    [
        ("title,link\nx,y\n", "name"),
        ("name,link\n,https://x\n", "line 2"),
        ("name\na\na\n", "twice"),
    ],
)
def test_bad_catalog_is_a_user_error(keyword_env, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, rows, stderr = classify([line(id=1, text="求链接")], keyword_env, "--catalog", str(path))
    assert code == 2 and rows == []
    assert stderr.startswith("linktriage classify: error:") and message in stderr
    assert "Traceback" not in stderr


def test_missing_catalog_and_bad_batch_size(keyword_env, tmp_path):
    code, _, stderr = classify([], keyword_env, "--catalog", str(tmp_path / "none.csv"))
    assert code == 2 and "cannot read catalog" in stderr
    code, _, stderr = classify([], keyword_env, "--batch-size", "0")
    assert code == 2 and "--batch-size" in stderr
    code, _, stderr = classify([line(id=1, text="求链接")], keyword_env, "--jobs", "0")
    assert code == 2 and "--jobs" in stderr


def test_empty_input_is_fine(keyword_env):
    assert classify([], keyword_env)[:2] == (0, [])


def test_help():
    done = subprocess.run([*LINKTRIAGE, "classify", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for option in ("--catalog", "--note-id", "--platform", "--batch-size", "--jobs"):
        assert option in done.stdout


@pytest.mark.skipif(
    not (Path(__file__).resolve().parent.parent / "models" / "pipeline" / "meta.json").is_file(),
    reason="no committed pipeline yet",
)
def test_with_the_committed_model(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LINKTRIAGE_MODEL_DIR"}
    code, rows, stderr = classify([line(id="1", text="求链接"), line(id="2", text="bad")], env)
    assert code == 0 and "keyword baseline" not in stderr
    assert [r["id"] for r in rows] == ["1", "2"] and rows[0]["is_request"] is True
    assert all(isinstance(r["score"], float) and 0 <= r["score"] <= 1 for r in rows)


def test_results_stream_through_the_workers_too(keyword_env):
    """With worker processes the answers still come while stdin is open (a chunk at a time, in order)."""
    proc = subprocess.Popen(
        [*LINKTRIAGE, "classify", "--batch-size", "1", "--jobs", "2"], env=keyword_env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        for i in range(3):  # the first chunk is answered in the parent, the next ones by workers
            proc.stdin.write((line(id=f"c{i}", text="求链接") + "\n").encode("utf-8"))
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, f"no answer to line {i + 1} while stdin is still open"
            assert json.loads(proc.stdout.readline())["id"] == f"c{i}"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(
    not (Path(__file__).resolve().parent.parent / "models" / "pipeline" / "meta.json").is_file(),
    reason="no committed pipeline yet",
)
def test_workers_answer_exactly_as_one_process(tmp_path, catalog):
    """--jobs 2 (worker processes, many chunks) and --jobs 1 write the same bytes and exit code,
    bad lines included, with the model, a catalog, notes and threads."""
    from helper.nlp.corpus import read_notes

    env = {k: v for k, v in os.environ.items() if k != "LINKTRIAGE_MODEL_DIR"}
    env["LINKTRIAGE_DATA_DIR"] = str(tmp_path / "data")
    comments = [c for c in read_notes(Path(__file__).resolve().parent.parent / "models" / "corpus" / "notes")][:2500]
    lines = []
    for i, c in enumerate(comments):
        fields = {"id": i, "text": c.text, "note_id": "n1" if i % 3 else "n2"}
        if i % 2 and c.note is not None:
            fields["note_title"] = c.note.title
        if c.kind == "reply":
            fields["parent_text"] = c.parent
        lines.append(line(**fields))
        if i % 617 == 5:
            lines.append("{not json")  # bad lines inside later chunks
    data = "".join(x + "\n" for x in lines).encode("utf-8")
    runs = [subprocess.run([*LINKTRIAGE, "classify", "--catalog", str(catalog), "--batch-size", "64", "--jobs", jobs],
                           input=data, capture_output=True, env={**env, "LINKTRIAGE_START_METHOD": method}, timeout=300)
            for jobs, method in (("1", ""), ("2", "fork"), ("2", "spawn"))]  # spawn: what macOS and Windows do
    assert runs[0].returncode == runs[1].returncode == runs[2].returncode == 1
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    rows = [json.loads(x) for x in runs[1].stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(lines)
    errors = [r["line"] for r in rows if "error" in r]
    assert errors == [n for n, x in enumerate(lines, start=1) if x == "{not json"] and len(errors) == 5
    assert sum(r.get("is_request", False) for r in rows) > 100
