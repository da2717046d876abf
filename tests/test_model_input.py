"""What the model reads: noise never flips a verdict, and the note's words never pose as the comment's."""

import pytest

from helper.nlp.classifier import Classifier, load_classifier
from helper.nlp.model_input import NOTE_MARK, NoteContext, clause_texts, clean_comment, model_text, note_tokens


@pytest.mark.parametrize(
    ("noisy", "clean"),
    [
        ('<img src="x.png">外套链接', "外套链接"),
        ("<b>求链接</b>", "求链接"),
        ("求链接 https://example.com/a?b=1", "求链接 url"),
        ("www.shop.example 在哪买", "url 在哪买"),
        ("@小鱼 快看 求链接", "@ 快看 求链接"),
        ("=求链接", "求链接"),
        ("+1+1 求链接", "1+1 求链接"),
        ("@SUM(1) 哪里买", "@ 哪里买"),
        ("求链接🔥🔥🔥🔥🔥", "求链接🔥🔥"),
        ("求链接¶¶sells", "求链接 sells"),
        ("  ", ""),
    ],
)
def test_noise_is_cleaned_before_the_model(noisy, clean):
    assert clean_comment(noisy) == clean


def test_a_mention_glued_to_the_text_is_left_alone():
    # Without a space we cannot tell where the name stops; dropping it could drop the ask.
    assert clean_comment("@小鱼求链接") == "@小鱼求链接"


@pytest.mark.parametrize(
    ("comment", "context", "tokens"),
    [
        ("两个人多少钱", NoteContext("大理3天2晚小包团｜可接机"), ["¶¶tsell:price"]),
        ("机票多少钱", NoteContext("大理旅行日记｜花费清单"), ["¶¶tdiary:price"]),
        ("在哪买的 多少钱", NoteContext(sells=True), ["¶¶sells:price", "¶¶sells:place"]),
        ("怎么预约 微信多少", NoteContext("日记", sells=False), ["¶¶nosell:book", "¶¶nosell:contact",
                                                             "¶¶tdiary:book", "¶¶tdiary:contact"]),
        ("哈哈哈 好美", NoteContext("大理小包团", sells=True), []),  # chatter: the note changes nothing
        ("多少钱", NoteContext("随便写写"), []),  # the title says nothing either way
        ("多少钱", None, []),
    ],
)
def test_the_note_only_qualifies_note_dependent_questions(comment, context, tokens):
    assert note_tokens(context, clean_comment(comment)).split() == tokens


def test_an_empty_comment_reads_nothing_whatever_the_note():
    assert model_text("", NoteContext("求链接 小包团", sells=True)) == ""
    assert model_text("好看", None) == "好看"


@pytest.mark.parametrize(
    ("comment", "context"),
    [({"note_title": "t"}, NoteContext("t")), ({"note_sells": True}, NoteContext(sells=True)),
     ({"note_title": 5, "note_sells": "yes"}, None), ({}, None), ({"note_desc": "d"}, NoteContext(desc="d"))],
)
def test_context_from_a_comment_dict(comment, context):
    assert NoteContext.of(comment) == context


def test_the_tokenizer_keeps_note_tokens_whole():
    clf = load_classifier()
    doc = clf.nlp.make_doc(model_text("多少钱", NoteContext("链接合集", sells=False)))
    assert [t.text for t in doc] == ["多", "少", "钱", NOTE_MARK * 2 + "nosell:price", NOTE_MARK * 2 + "tsell:price"]


NOISY_ASKS = [
    ('<img class="note-content-emoji" src="x">外套链接', True),
    ("@小鱼 外套求链接", True),
    ("=HYPERLINK(1) 外套求链接", True),
    ("外套求链接[哭惹R][哭惹R][哭惹R][哭惹R]", True),
    ("https://example.com 外套哪里买", True),
    ("<br>哈哈哈好好笑", False),
    ("@小鱼 @阿花 快来看", False),
]


@pytest.mark.parametrize(("text", "is_request"), NOISY_ASKS)
def test_noise_does_not_flip_a_verdict(text, is_request):
    clf = load_classifier()
    [score] = clf.scores([text])
    assert (score >= clf.threshold) is is_request


@pytest.mark.parametrize(
    ("comment", "clauses"),
    [
        ("这个翻译机多少钱，北美买得到吗？翻译得很不错", ["这个翻译机多少钱", "北美买得到吗", "翻译得很不错"]),
        ("好喜欢这种风格 下周要穿去婚礼 很需要链接", ["好喜欢这种风格", "下周要穿去婚礼", "很需要链接"]),
        ("where can I buy it? love the color", ["where can i buy it", "love the color"]),
        ("where can I buy it", []),  # one clause: the whole comment is enough
        ("求链接", []),
    ],
)
def test_clauses_of_a_long_comment(comment, clauses):
    assert clause_texts(comment) == clauses


def test_each_clause_gets_its_own_note_tokens():
    assert clause_texts("好美，两个人多少钱", NoteContext("小包团")) == ["好美", "两个人多少钱 ¶¶tsell:price"]


def test_an_ask_hidden_in_a_long_review_is_found():
    # clause_max is off in the shipped model (it cost precision; models/README.md), but it must work.
    clf = load_classifier()
    text = "这个翻译机翻译得很不错，很快速，甚至可以用它来学外语，大概多少钱？北美买得到吗"
    by_clause = Classifier(clf.nlp)
    by_clause.clause_max = True
    assert by_clause.scores([text])[0] >= max(clf.scores([text])[0], clf.threshold)


def test_note_lexicons_are_written_for_normalised_text():
    """context_cues compiles its patterns without IGNORECASE (4x faster): they only ever see normalised,
    lower-cased text, so every pattern must be lower case, and upper-case input reaches them lowered."""
    from helper.nlp import context_cues

    for pattern in [*context_cues.CUE_CLASSES.values(), context_cues._SELLING.pattern, context_cues._DIARY.pattern]:
        assert pattern == pattern.lower()
    assert "¶¶tsell:price" in model_text("HOW MUCH?", NoteContext("Tour BOOKING open"))
