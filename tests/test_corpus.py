"""The training corpus reader: the notes format, its errors, and how a note comment becomes examples."""

import pytest

from helper.nlp import corpus
from helper.nlp.model_input import NoteContext
from helper.nlp.training import CORPUS_DIR

NOTES = """# a genre
@genre tours
@note 大理小包团
@desc 含接送机
@sells yes
1 两个人多少钱
1 > 同问
0 > 好美
0 >author 已私你啦
@note 大理日记
@sells no
0 机票多少钱
"""


def test_notes_file_is_read_with_its_notes_and_threads(tmp_path):
    path = tmp_path / "tours.txt"
    path.write_text(NOTES, encoding="utf-8")
    rows = corpus.read_notes_file(path)
    assert [(r.text, r.label, r.kind) for r in rows] == [
        ("两个人多少钱", True, "top"), ("同问", True, "reply"), ("好美", False, "reply"),
        ("已私你啦", False, "author"), ("机票多少钱", False, "top")]
    assert rows[0].note == NoteContext("大理小包团", "含接送机", True)
    assert rows[1].parent == "两个人多少钱" and rows[1].parent_label is True
    assert rows[4].note == NoteContext("大理日记", "", False)


def test_note_comment_becomes_three_examples_and_echoes_are_left_to_the_thread_rule(tmp_path):
    path = tmp_path / "tours.txt"
    path.write_text(NOTES, encoding="utf-8")
    examples = corpus.note_examples(corpus.read_notes_file(path))
    assert "同问" not in {e.text for e in examples}
    price = [e for e in examples if e.text == "两个人多少钱"]
    assert [e.context for e in price] == [NoteContext("大理小包团", "含接送机", True), NoteContext("大理小包团"), None]
    assert all(e.genre == "tours" and e.label for e in price)


@pytest.mark.parametrize(
    ("text", "error"),
    [("1 评论", "before the first @note"), ("@note t\n@sells maybe", "@sells takes yes or no"),
     ("@note t\n0 >author ok\n1 >author 链接", "label 0"), ("@note t\n2 what", "cannot read")],
)
def test_malformed_notes_say_where(tmp_path, text, error):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=error) as info:
        corpus.read_notes_file(path)
    assert "bad.txt:" in str(info.value)


def test_the_committed_corpus_has_many_genres_with_both_labels():
    notes = corpus.read_notes(CORPUS_DIR / "notes")
    genres = {c.genre for c in notes}
    assert len(genres) >= 15
    for genre in genres:
        labels = [c.label for c in notes if c.genre == genre]
        assert 0.15 < sum(labels) / len(labels) < 0.6, genre
        sells = {c.note.sells for c in notes if c.genre == genre}
        assert sells == {True, False}, genre


def test_templated_families_are_capped_but_keep_every_bare_fragment():
    rows = [corpus.Example(f"template row {i}", True, family="big") for i in range(1000)]
    rows += [corpus.Example(f"同问{i}", False, family="big") for i in range(10)]
    rows += [corpus.Example("s", False, family="small")]
    capped = corpus.capped_templates(rows, cap=100)
    assert len(capped) == 101
    assert {f"同问{i}" for i in range(10)} <= {r.text for r in capped}
    assert capped == corpus.capped_templates(rows, cap=100)  # seeded
