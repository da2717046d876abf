"""The export measure of the benchmark (issue 12), run small: it seeds, exports by CLI and HTTP, and records."""

from __future__ import annotations

import json

from benchmarks.cli import main


def test_export_measure_runs_and_records(tmp_path, capsys):
    code = main(["--only", "export", "--export-comments", "3000", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    [record_path] = tmp_path.glob("*.json")
    result = json.loads(record_path.read_text(encoding="utf-8"))["results"]["export"]
    assert result["comments"] == 3000 and result["csv_mb"] > 0
    assert result["cli"]["seconds"] > 0 and result["cli"]["peak_rss_mb"] > 0
    assert result["http_one"]["statuses"] == [200] and result["http_one"]["bytes"] > 3000 * 20
    # Four at once: the export slots serve two, the others are told to retry (never a 500, never a hang).
    assert result["http_four_at_once"]["statuses"].count(200) >= 2
    assert set(result["http_four_at_once"]["statuses"]) <= {200, 503}
    assert len(result["goals"]) == 5 and code == (0 if all(g["met"] for g in result["goals"]) else 1)
    assert "linktriage export, 3,000 comments" in out
