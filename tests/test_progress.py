"""The CLI's progress line: redrawn in place on a terminal, occasional plain lines in a log, silent when quick."""

from __future__ import annotations

import io

from helper import progress
from helper.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_quick_run_prints_nothing_to_a_log():
    log = io.StringIO()
    bar = Progress("ingest x", total=100, unit="lines", stream=log)
    bar.advance(100)
    bar.finish()
    assert log.getvalue() == ""


def test_a_log_gets_plain_lines_and_a_terminal_one_line_redrawn(monkeypatch):
    monkeypatch.setattr(progress, "EVERY_S", 0.0)
    monkeypatch.setattr(progress, "REDRAW_S", 0.0)
    log = io.StringIO()
    bar = Progress("export", stream=log)
    bar.advance(1000)
    bar.advance(1000)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("export: 2,000 rows") and "\r" not in log.getvalue()

    tty = Terminal()
    bar = Progress("ingest f.jsonl", total=4000, unit="lines", stream=tty)
    bar.advance(1000)
    bar.advance(1000)
    bar.finish()
    text = tty.getvalue()
    assert "\n" not in text and text.count("\r\x1b[K") == 3 and "2,000/4,000 lines (50%)" in text
