"""The teach tab in Debian's Chromium against a real `linktriage serve`: keyboard answers are stored as
corrections, undo takes one back, skip moves on, the next question appears, and the model learns
from the answers by itself (the state line says so) and can be rolled back from the tab."""

from __future__ import annotations

import json
import time

import pytest

from live_helper import HelperProcess
from test_dashboard import Api as DashboardApi

pytestmark = pytest.mark.browser

NOTES = {"n1": "手作陶瓷杯合集", "n2": "周末野餐vlog", "n3": "我的书桌改造"}
COMMENTS = [
    ("t01", "n1", "这个杯子好可爱"),
    ("t02", "n1", "杯子多少钱呀"),
    ("t03", "n2", "野餐垫在哪买的"),
    ("t04", "n2", "天气真好"),
    ("t05", "n3", "台灯是什么牌子"),
    ("t06", "n3", "桌子好整洁"),
    ("t07", "n1", "想要同款"),
    ("t08", "n2", "篮子求链接"),
    ("t09", "n3", "显示器支架有链接吗"),
    ("t10", "n1", "好看"),
]


class Api(DashboardApi):
    def correction(self, cid):
        return self.comment(cid)["correction"]


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKTRIAGE_AUTO_RETRAIN", "1")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_AFTER", "3")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_IDLE", "60")
    monkeypatch.setenv("LINKTRIAGE_LEARN_STEPS", "30")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    helper = HelperProcess(data_dir).start()
    lines = [json.dumps({"id": cid, "note_id": note, "note_title": NOTES[note], "text": text, "author": f"a{cid}"},
                        ensure_ascii=False) for cid, note, text in COMMENTS]
    seed = tmp_path / "comments.jsonl"
    seed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = helper.cli("ingest", str(seed))
    assert done.returncode == 0, done.stderr
    yield helper
    helper.stop()


def card_id(page) -> str:
    return page.locator("#view-teach .teach-card").get_attribute("data-id")


def wait_card_other_than(page, cid):
    page.wait_for_function(
        "cid => { const c = document.querySelector('#view-teach .teach-card'); return c && c.dataset.id && c.dataset.id !== cid; }",
        arg=cid)
    return card_id(page)


def wait_api(condition, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_teach_queue_with_the_keyboard(server, launch_chromium):
    api = Api(server)
    expected = [item["id"] for item in api.call("GET", "/api/teach/next?limit=10")["items"]]
    assert len(expected) == len(COMMENTS)
    # Spread across notes: the first three questions come from three different notes.
    notes = {c[0]: c[1] for c in COMMENTS}
    assert len({notes[cid] for cid in expected[:3]}) == 3

    context = launch_chromium(extension=False)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script("localStorage.setItem('linktriage.lang', 'en')")
    page.goto(server.base_url + "/#teach")
    page.wait_for_selector("#view-teach .teach-card[data-id]")
    first = card_id(page)
    assert first == expected[0]
    assert NOTES[notes[first]] in page.locator("#view-teach .teach-note").inner_text()
    assert "null" not in page.locator("#view-teach .teach-card").inner_text()  # no empty part printed

    page.keyboard.press("y")
    second = wait_card_other_than(page, first)
    assert api.correction(first) == "missed"
    assert page.locator("#view-teach .teach-counter").get_attribute("data-answered") == "1"

    page.keyboard.press("n")
    third = wait_card_other_than(page, second)
    assert api.correction(second) == "not_request"

    page.keyboard.press(" ")  # skip: no correction, the next question
    fourth = wait_card_other_than(page, third)
    assert api.correction(third) is None

    page.keyboard.press("u")  # undo the last answer (the second): it is asked again
    page.wait_for_function("cid => document.querySelector('#view-teach .teach-card').dataset.id === cid", arg=second)
    assert api.correction(second) is None
    assert page.locator("#view-teach .teach-counter").get_attribute("data-answered") == "1"

    page.keyboard.press("n")
    assert wait_card_other_than(page, second) == fourth
    page.keyboard.press("y")
    wait_card_other_than(page, fourth)
    assert api.correction(second) == "not_request" and api.correction(fourth) == "missed"
    assert page.locator("#view-teach .teach-counter").get_attribute("data-answered") == "3"

    # Five correction events (y, n, undo, n, y) passed the trigger of 3: the model learned by itself
    # from what was answered by then; "Learn now" takes in the rest at once, and the tab's state line
    # says so once the new model is in use.
    wait_api(lambda: api.call("GET", "/api/model")["runs"] >= 1, "the automatic retrain")
    wait_api(lambda: api.call("GET", "/api/model")["state"] != "learning", "the automatic retrain to finish")
    page.locator('#view-teach [data-action="retrain"]').click()
    state = wait_api(lambda: (m := api.call("GET", "/api/model"))["model"]["kind"] == "learned" and m["state"] == "idle"
                     and m["model"]["corrections"] == 3 and m, "the learned model")
    page.wait_for_function(
        "() => /Model of .*3 corrections/.test(document.querySelector('#view-teach .model-state').textContent)")
    assert state["can_rollback"]

    # Back to the model before it (the automatic one, which knew fewer corrections).
    previous = state["previous"]["version"]
    page.locator('#view-teach [data-action="rollback"]').click()
    wait_api(lambda: api.call("GET", "/api/model")["model"]["version"] == previous, "the rollback")
    page.wait_for_function("() => /Back on the previous model/.test(document.querySelector('#view-teach .model-state').textContent)")
    assert errors == []
