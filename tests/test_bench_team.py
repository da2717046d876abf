"""The team benchmark's workload (tests/benchmarks/team.py): four helpers' batches never repeat a
comment's text or id, within a helper or across them, and each batch is one note of 200 comments."""

from __future__ import annotations

from benchmarks import team


def test_four_helpers_batches_never_repeat():
    work = team._work(3)
    assert sorted(work) == list(range(team.HELPERS))
    batches = [batch for h in work for batch in work[h]]
    assert len(batches) == team.HELPERS * 3 and all(len(b) == team.BATCH for b in batches)
    rows = [row for batch in batches for row in batch]
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    assert all(len({r["note_id"] for r in batch}) == 1 for batch in batches)
    assert len({batch[0]["note_id"] for batch in batches}) == len(batches)
